/** The API group of Dynamic Resource Allocation. */
export const RESOURCE_API_GROUP = 'resource.k8s.io';

/** The cluster-scoped DRA resources: for admins and drivers only (the good-practices page). */
export const CLUSTER_SCOPED_DRA_RESOURCES = ['deviceclasses', 'resourceslices', 'devicetaintrules'] as const;

/** The namespaced DRA resources that people deploying workloads need. */
export const NAMESPACED_DRA_RESOURCES = ['resourceclaims', 'resourceclaimtemplates'] as const;

/** Read verbs. */
export const READ_VERBS = ['get', 'list', 'watch'];

/** Write verbs, never `*`. */
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
