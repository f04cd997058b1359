import { GoodPracticesOptions } from './check-options';
import { FindingObject } from './finding';
import { PolicyEvaluator } from '../../cel/policy-evaluation';
import { isRegistrationDir } from '../../common/kubelet-plugin-facts';
import { asArray, covers } from '../../common/lists';
import { ARBITRARY_NODE_WRITE_VERBS, CLAIM_DRIVER_SUBRESOURCE, RESOURCE_API_GROUP, WRITE_VERBS as RBAC_WRITE_VERBS } from '../../rbac/api';
import { nodeConfigType, NodeConfigType } from '../inputs/node-config';

/** An object to check, with the reference findings about it carry. */
export interface SourcedObject {
  readonly object: any;
  readonly ref: FindingObject;
  /** Opaque owner used to apply suppressions (the ApiObject construct in an app). */
  readonly owner?: unknown;
  /** Where it was read, for input errors: `file.yaml: document 2 (line 14)`, or the construct path. */
  readonly where?: string;
}

/** A DaemonSet that runs a DRA driver's kubelet plugin. */
export interface DriverDaemonSet {
  readonly source: SourcedObject;
  readonly podSpec: any;
  /** Containers that mount the plugin registration directory. */
  readonly pluginContainers: any[];
  /** `namespace:name` of the pod's ServiceAccount. */
  readonly serviceAccount: string;
}

/** One subject granted one role through one binding. */
export interface Grant {
  readonly binding: SourcedObject;
  readonly role: SourcedObject;
  readonly subject: Subject;
  /** True for a ClusterRoleBinding: the role's rules apply in every namespace and to cluster-scoped resources. */
  readonly clusterWide: boolean;
}

/** An RBAC subject; `key` is `Kind:name` or `ServiceAccount:namespace:name`. */
export interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly key: string;
}

/** A ValidatingAdmissionPolicy on ResourceSlice writes that ties them to the caller's node. */
export interface ResourceSlicePolicy {
  readonly source: SourcedObject;
  /** ServiceAccount usernames (`system:serviceaccount:ns:name`) its expressions mention. */
  readonly usernames: string[];
  /** Whether a binding enforces it with `validationActions: [Deny]`. */
  readonly enforced: boolean;
}

/** What writes a resource: the RBAC write verbs, and `*`, which includes them. */
const WRITE_VERBS = new Set([...RBAC_WRITE_VERBS, '*']);
/** The ServiceAccount token's extra field that carries the pod's node (ServiceAccountTokenPodNodeInfo). */
export const NODE_NAME_CLAIM = 'authentication.kubernetes.io/node-name';
/** A ServiceAccount's username as admission expressions name it. */
export const SA_USERNAME = /system:serviceaccount:([a-z0-9.-]+):([a-z0-9.-]+)/g;
const NON_ADMIN_SYSTEM = /^system:(authenticated|unauthenticated|anonymous|serviceaccounts(:.*)?)$/;

/**
 * Every object indexed once (by kind, RBAC grants, drivers, policies), so each rule is a
 * lookup rather than a scan of the whole input.
 */
export class ObjectIndex {
  private readonly byKind = new Map<string, SourcedObject[]>();
  /** Objects by API group (of an apiVersion `group/version`), built by the first `ofGroup`. */
  private byGroup?: Map<string, SourcedObject[]>;
  public readonly drivers: DriverDaemonSet[] = [];
  public readonly grants: Grant[] = [];
  public readonly resourceSlicePolicies: ResourceSlicePolicy[] = [];
  /** Node configs (no kind) by type: k3s/RKE2 config files, Talos machine configs. */
  public readonly nodeConfigs = new Map<NodeConfigType, SourcedObject[]>();
  /** `namespace:name` of every ServiceAccount known to belong to a DRA driver. */
  public readonly driverServiceAccounts = new Set<string>();
  /** `namespace:name` of the ServiceAccounts driver DaemonSets run as, and those declared in the options. */
  public readonly provenDriverServiceAccounts = new Set<string>();
  /**
   * `namespace:name` of drivers' central controllers, recognised by shape: a Deployment in
   * a kubelet plugin's namespace whose ServiceAccount is bound to write resourceclaimtemplates,
   * resourceslices or the device status of claims on any node (NVIDIA's ComputeDomain
   * controller, DraDriver's controller).
   */
  public readonly controllerServiceAccounts = new Set<string>();
  /** `namespace:name` of the ServiceAccounts a node-restricting ResourceSlice policy names: meant to be confined to a node. */
  public readonly policyNamedServiceAccounts = new Set<string>();
  /** Every ValidatingAdmissionPolicy with its bindings, ready to evaluate on requests. */
  public readonly policyEvaluators: PolicyEvaluator[] = [];
  /** ResourceSlice policies by the ServiceAccount username they name; `''` for those naming none (they apply to everyone). */
  public readonly resourceSlicePoliciesByUsername = new Map<string, ResourceSlicePolicy[]>();
  private readonly adminSubjects: Set<string>;

  constructor(objects: SourcedObject[], public readonly options: GoodPracticesOptions) {
    this.adminSubjects = new Set(['Group:system:masters', ...(options.adminSubjects ?? [])]);
    for (const source of objects) {
      const kind = source.object?.kind;
      if (typeof kind !== 'string') {
        const type = nodeConfigType(source.object);
        const configs = type === undefined ? undefined : this.nodeConfigs.get(type);
        if (configs) configs.push(source); else if (type !== undefined) this.nodeConfigs.set(type, [source]);
        continue;
      }
      const list = this.byKind.get(kind);
      if (list) list.push(source); else this.byKind.set(kind, [source]);
    }
    this.indexDrivers();
    this.indexGrants();
    this.indexControllers();
    this.indexResourceSlicePolicies();
    for (const sa of options.driverServiceAccounts ?? []) {
      this.driverServiceAccounts.add(sa);
      this.provenDriverServiceAccounts.add(sa);
    }
  }

  /** The object's namespace, or the one it would be applied to (`kubectl apply -n`). */
  public namespaceOf(source: SourcedObject): string {
    const namespace = source.object.metadata?.namespace;
    return typeof namespace === 'string' && namespace !== '' ? namespace : this.options.defaultNamespace ?? 'default';
  }

  public ofKind(kind: string): SourcedObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** The objects whose apiVersion is a version of `group`. */
  public ofGroup(group: string): SourcedObject[] {
    if (this.byGroup === undefined) {
      // Grouped on first use, in the order of `byKind`.
      this.byGroup = new Map();
      for (const sources of this.byKind.values()) {
        for (const source of sources) {
          const apiVersion = String(source.object.apiVersion);
          const slash = apiVersion.indexOf('/');
          if (slash < 0) continue;
          const name = apiVersion.slice(0, slash);
          const list = this.byGroup.get(name);
          if (list) list.push(source); else this.byGroup.set(name, [source]);
        }
      }
    }
    return this.byGroup.get(group) ?? [];
  }

  /** ClusterRoleBinding grants to subjects that are neither cluster admins nor DRA drivers. */
  public clusterWideGrantsToOthers(): Grant[] {
    return this.grants.filter(grant => grant.clusterWide && !this.isAdmin(grant.subject) && !this.isDriver(grant.subject));
  }

  /** Cluster admins and Kubernetes' own components. */
  private isAdmin(subject: Subject): boolean {
    if (this.adminSubjects.has(subject.key)) return true;
    return (subject.kind === 'User' || subject.kind === 'Group') && subject.name.startsWith('system:') && !NON_ADMIN_SYSTEM.test(subject.name);
  }

  private isDriver(subject: Subject): boolean {
    return subject.kind === 'ServiceAccount' && this.driverServiceAccounts.has(`${subject.namespace}:${subject.name}`);
  }

  private indexDrivers(): void {
    const extraDirs = new Set((this.options.registrationDirs ?? []).map(trimSlash));
    const registers = (p: unknown) => typeof p === 'string' && (isRegistrationDir(p) || extraDirs.has(trimSlash(p)));
    for (const source of this.ofKind('DaemonSet')) {
      const podSpec = source.object.spec?.template?.spec;
      if (!podSpec) continue;
      const volumes = new Set(asArray(podSpec.volumes).filter(v => registers(v?.hostPath?.path)).map(v => v.name));
      if (volumes.size === 0) continue;
      const containers = asArray(podSpec.containers);
      // CSI node plugins register through the same directory, via the node-driver-registrar sidecar.
      if (containers.some(isCsiRegistrar)) continue;
      const pluginContainers = containers.filter(c => asArray(c.volumeMounts).some(m => volumes.has(m?.name)));
      if (pluginContainers.length === 0) continue;
      const serviceAccount = `${this.namespaceOf(source)}:${podSpec.serviceAccountName ?? podSpec.serviceAccount ?? 'default'}`;
      this.drivers.push({ source, podSpec, pluginContainers, serviceAccount });
      this.driverServiceAccounts.add(serviceAccount);
      this.provenDriverServiceAccounts.add(serviceAccount);
    }
  }

  private indexGrants(): void {
    const clusterRoles = new Map<string, SourcedObject>();
    for (const role of this.ofKind('ClusterRole')) clusterRoles.set(role.object.metadata?.name, role);
    const roles = new Map<string, SourcedObject>();
    for (const role of this.ofKind('Role')) roles.set(`${this.namespaceOf(role)}:${role.object.metadata?.name}`, role);

    for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
      for (const binding of this.ofKind(kind)) {
        if (isKubernetesDefault(binding)) continue;
        const ref = binding.object.roleRef ?? {};
        const role = ref.kind === 'ClusterRole' ? clusterRoles.get(ref.name) : roles.get(`${this.namespaceOf(binding)}:${ref.name}`);
        if (!role) continue;
        for (const s of asArray(binding.object.subjects)) {
          const subject = this.subjectOf(s, binding);
          if (subject) this.grants.push({ binding, role, subject, clusterWide: kind === 'ClusterRoleBinding' });
        }
      }
    }
  }

  /** A binding's subject; a User named `system:serviceaccount:ns:name` is that ServiceAccount. */
  private subjectOf(s: any, binding: SourcedObject): Subject | undefined {
    if (typeof s?.kind !== 'string' || typeof s?.name !== 'string') return undefined;
    const asUser = s.kind === 'User' ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(s.name) : null;
    if (asUser) {
      return { kind: 'ServiceAccount', name: asUser[2], namespace: asUser[1], key: `ServiceAccount:${asUser[1]}:${asUser[2]}` };
    }
    if (s.kind === 'ServiceAccount') {
      const namespace = s.namespace ?? this.namespaceOf(binding);
      return { kind: s.kind, name: s.name, namespace, key: `ServiceAccount:${namespace}:${s.name}` };
    }
    return { kind: s.kind, name: s.name, key: `${s.kind}:${s.name}` };
  }

  private indexControllers(): void {
    const driverNamespaces = new Set(this.drivers.map(d => this.namespaceOf(d.source)));
    // ServiceAccounts first: the grants to users and groups (one per workload namespace) never count.
    const writers = new Set<string>();
    for (const grant of this.grants) {
      const account = serviceAccountOf(grant.subject);
      if (account !== undefined && (grantsWrite(grant.role, 'resourceclaimtemplates') || grantsWrite(grant.role, 'resourceslices')
        || grantsAnyOf(grant.role, CLAIM_DRIVER_SUBRESOURCE, ARBITRARY_NODE_WRITE_VERBS))) writers.add(account);
    }
    for (const source of this.ofKind('Deployment')) {
      const namespace = this.namespaceOf(source);
      if (!driverNamespaces.has(namespace)) continue;
      const podSpec = source.object.spec?.template?.spec ?? {};
      const serviceAccount = `${namespace}:${podSpec.serviceAccountName ?? podSpec.serviceAccount ?? 'default'}`;
      if (!writers.has(serviceAccount)) continue;
      this.controllerServiceAccounts.add(serviceAccount);
      this.driverServiceAccounts.add(serviceAccount);
    }
  }

  private indexResourceSlicePolicies(): void {
    const enforcedPolicies = new Set<string>();
    const bindingsOf = new Map<string, any[]>();
    for (const binding of this.ofKind('ValidatingAdmissionPolicyBinding')) {
      if (asArray(binding.object.spec?.validationActions).includes('Deny')) enforcedPolicies.add(binding.object.spec?.policyName);
      const name = String(binding.object.spec?.policyName);
      bindingsOf.set(name, [...bindingsOf.get(name) ?? [], binding.object]);
    }
    for (const source of this.ofKind('ValidatingAdmissionPolicy')) {
      this.policyEvaluators.push(new PolicyEvaluator(source.object, bindingsOf.get(String(source.object.metadata?.name)) ?? []));
    }
    for (const source of this.ofKind('ValidatingAdmissionPolicy')) {
      const spec = source.object.spec ?? {};
      const coversSliceWrites = asArray(spec.matchConstraints?.resourceRules).some(r =>
        covers(r.apiGroups, RESOURCE_API_GROUP) && covers(r.resources, 'resourceslices')
        && ['CREATE', 'UPDATE', 'DELETE'].every(op => covers(r.operations, op)));
      const text = JSON.stringify(spec);
      if (!coversSliceWrites || !text.includes(NODE_NAME_CLAIM)) continue;
      const usernames = [...new Set([...text.matchAll(SA_USERNAME)].map(m => m[0]))].sort();
      const policy = { source, usernames, enforced: enforcedPolicies.has(source.object.metadata?.name) };
      this.resourceSlicePolicies.push(policy);
      for (const key of usernames.length === 0 ? [''] : usernames) {
        const list = this.resourceSlicePoliciesByUsername.get(key);
        if (list) list.push(policy); else this.resourceSlicePoliciesByUsername.set(key, [policy]);
      }
      for (const username of usernames) {
        const [, , namespace, name] = username.split(':');
        this.driverServiceAccounts.add(`${namespace}:${name}`);
        this.policyNamedServiceAccounts.add(`${namespace}:${name}`);
      }
    }
  }
}

/** The role's rules that grant any of `verbs` (all verbs when omitted) on `resource` of `group`. */
function rulesGranting(role: SourcedObject, group: string, resource: string, verbs?: Set<string>): any[] {
  return asArray(role.object.rules).filter(rule => typeof rule === 'object' && rule !== null
    && covers(rule.apiGroups, group) && coversResource(rule.resources, resource)
    && (verbs === undefined || asArray(rule.verbs).some(v => verbs.has(v) || v === '*')));
}

/** Whether the role grants any of `verbs` (or `*`) on `resource` of the DRA API group. */
export function grantsAnyOf(role: SourcedObject, resource: string, verbs: readonly string[]): boolean {
  return rulesGranting(role, RESOURCE_API_GROUP, resource, new Set(verbs)).length > 0;
}

// Whether an RBAC rule's resources cover `resource` (`resourceclaims/driver`) as the authorizer
// matches them: by name, `*`, or for a subresource `*/<subresource>` (a line comment: that closes a block one).
export function coversResource(list: unknown, resource: string): boolean {
  const slash = resource.indexOf('/');
  const anyParent = slash < 0 ? undefined : `*/${resource.slice(slash + 1)}`;
  return asArray(list).some(item => item === resource || item === '*' || (anyParent !== undefined && item === anyParent));
}

/** By role and resource: many bindings (one per workload namespace) share one role. */
const writeGrants = new WeakMap<SourcedObject, Map<string, boolean>>();

/** Whether the role grants a write verb on `resource` of the DRA API group. */
export function grantsWrite(role: SourcedObject, resource: string): boolean {
  let byResource = writeGrants.get(role);
  if (byResource === undefined) {
    byResource = new Map();
    writeGrants.set(role, byResource);
  }
  let grants = byResource.get(resource);
  if (grants === undefined) {
    grants = rulesGranting(role, RESOURCE_API_GROUP, resource, WRITE_VERBS).length > 0;
    byResource.set(resource, grants);
  }
  return grants;
}


export { asArray, covers };

/** `Kind ns/name` as people read it. */
export function describeRef(ref: FindingObject): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** `Kind ns/name (file.yaml:12)`: with where the object was read, when known. */
export function describeRefAt(ref: FindingObject): string {
  return `${describeRef(ref)}${ref.location ? ` (${ref.location})` : ''}`;
}

/** `namespace:name` of a ServiceAccount subject; undefined for users and groups. */
export function serviceAccountOf(subject: Subject): string | undefined {
  return subject.kind === 'ServiceAccount' ? `${subject.namespace}:${subject.name}` : undefined;
}

export function describeSubject(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace}/${subject.name}` : `${subject.kind} ${subject.name}`;
}

/**
 * RBAC objects Kubernetes itself creates (label `kubernetes.io/bootstrapping: rbac-defaults`:
 * cluster-admin, the controllers' roles...): in a dump of a cluster they are not the admin's choice.
 */
export function isKubernetesDefault(source: SourcedObject): boolean {
  return source.object.metadata?.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

function isCsiRegistrar(container: any): boolean {
  const words = [container?.image, ...asArray(container?.args), ...asArray(container?.command)].filter(w => typeof w === 'string');
  return words.some(w => w.includes('csi-node-driver-registrar') || w.startsWith('--kubelet-registration-path'));
}

/**
 * The `maxSurge` of a DaemonSet that runs two pods per node during a rollout (a seamless
 * upgrade): a RollingUpdate strategy whose maxSurge is a positive int or percentage.
 */
export function surgingMaxSurge(daemonSet: any): number | string | undefined {
  const strategy = daemonSet?.spec?.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return undefined;
  const maxSurge = strategy?.rollingUpdate?.maxSurge;
  if (typeof maxSurge === 'number') return maxSurge > 0 ? maxSurge : undefined;
  if (typeof maxSurge === 'string') return parseFloat(maxSurge) > 0 ? maxSurge : undefined;
  return undefined;
}

function trimSlash(p: string): string {
  return p.replace(/\/+$/, '');
}
