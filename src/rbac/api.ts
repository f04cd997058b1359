/** The API group of Dynamic Resource Allocation. */
export const RESOURCE_API_GROUP = 'resource.k8s.io';

/**
 * The version of resource.k8s.io a 1.34 API server serves by default (v1beta1 and v1beta2 only
 * with --runtime-config). Admission policies name it with matchPolicy Equivalent, which also
 * matches writes through any other served version; a wildcard would turn off the server's type
 * checking of the policy.
 */
export const RESOURCE_API_VERSION = 'v1';

/**
 * An admission policy's match constraints on `operations` of DRA `resources`, through any served
 * version: named as RESOURCE_API_VERSION with matchPolicy Equivalent, so writes through another
 * served version are converted and checked too.
 */
export function draWrites(resources: string[], operations: string[]): {
  matchPolicy: string; resourceRules: Array<{ apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }>;
} {
  return {
    matchPolicy: 'Equivalent',
    resourceRules: [{ apiGroups: [RESOURCE_API_GROUP], apiVersions: [RESOURCE_API_VERSION], operations, resources }],
  };
}

/** The cluster-scoped DRA resources: for admins and drivers only (the good-practices page). */
export const CLUSTER_SCOPED_DRA_RESOURCES = ['deviceclasses', 'resourceslices', 'devicetaintrules'] as const;

/** The namespaced DRA resources that people deploying workloads need. */
export const NAMESPACED_DRA_RESOURCES = ['resourceclaims', 'resourceclaimtemplates'] as const;

/**
 * The synthetic subresource that authorizes writing a claim's `status.devices` (1.36+,
 * `DRAResourceClaimGranularStatusAuthorization`): asked with the driver name as resource name
 * and a node-aware verb, per driver whose entries change (pkg/registry/resource/utils.go).
 */
export const CLAIM_DRIVER_SUBRESOURCE = 'resourceclaims/driver';

/**
 * The synthetic subresource that authorizes writing a claim's `status.allocation` and
 * `status.reservedFor` (1.36+): asked cluster-wide with no name, the scheduler's "bind claim".
 */
export const CLAIM_BINDING_SUBRESOURCE = 'resourceclaims/binding';

/** `CLAIM_DRIVER_SUBRESOURCE` verbs for claims allocated on the node the caller's pod runs on (a kubelet plugin). */
export const ASSOCIATED_NODE_WRITE_VERBS = ['associated-node:update', 'associated-node:patch'];

/** `CLAIM_DRIVER_SUBRESOURCE` verbs for claims allocated on any node, or on none (a central controller). */
export const ARBITRARY_NODE_WRITE_VERBS = ['arbitrary-node:update', 'arbitrary-node:patch'];

/** Read verbs. */
export const READ_VERBS = ['get', 'list', 'watch'];

/** Write verbs, never `*`. */
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** The verbs people deploying workloads need on claims and claim templates (issue 4), never `deletecollection`. */
export const WORKLOAD_OPERATOR_VERBS = ['create', ...READ_VERBS, 'update', 'patch', 'delete'];

/**
 * The namespace label that allows ResourceClaims with `adminAccess: true` in a namespace
 * (Kubernetes 1.34+; it was `resource.k8s.io/admin-access` in 1.33).
 */
export const ADMIN_ACCESS_NAMESPACE_LABEL = 'resource.kubernetes.io/admin-access';

/** The API group of RBAC, for role references and aggregation labels. */
export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';
