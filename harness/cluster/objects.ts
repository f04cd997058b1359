import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from './kube-client';

/**
 * API groups of the node files the library writes (kubeadm, Cluster API, kops, Talos, scheduler
 * configuration): documents for a tool on the node, not objects an API server stores.
 */
export const NODE_FILE_GROUPS: readonly string[] = [
  'kubeadm.k8s.io', 'kubescheduler.config.k8s.io', 'controlplane.cluster.x-k8s.io', 'bootstrap.cluster.x-k8s.io',
  'kops.k8s.io', 'k3s.cattle.io',
];

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

export function isNodeFile(obj: any): boolean {
  return NODE_FILE_GROUPS.includes(groupOf(String(obj?.apiVersion ?? '')));
}

/** Every YAML document of a file, as plain objects (empty documents left out). */
export function readManifests(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf-8')).map(d => d.toJSON()).filter(d => d !== null && d !== undefined);
}

/** `<dir>/**\/*.yaml` files, sorted. */
export function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(entry.name) ? [full] : [];
  }).sort();
}

/** The order `kubectl apply` would need: what others live in or refer to comes first. */
const APPLY_ORDER = [
  'Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding',
  'ConfigMap', 'Secret', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'DeviceClass', 'PriorityClass',
];

export function inApplyOrder(objects: any[]): any[] {
  const rank = (o: any) => {
    const i = APPLY_ORDER.indexOf(o.kind);
    return i === -1 ? APPLY_ORDER.length : i;
  };
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(x => x.o);
}

/** What the server said about one applied object. */
export interface ApplyOutcome {
  readonly object: string;
  readonly status: number;
  readonly message?: string;
  readonly warnings: string[];
}

export function describeObject(obj: any): string {
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind} ${ns}${obj.metadata?.name}`;
}

/** Server-side applies each object in dependency order and reports every answer. */
export async function applyAll(client: KubeClient, objects: any[]): Promise<ApplyOutcome[]> {
  const outcomes: ApplyOutcome[] = [];
  for (const obj of inApplyOrder(objects)) {
    const res = await client.apply(obj);
    outcomes.push({
      object: describeObject(obj),
      status: res.status,
      message: res.status >= 300 ? res.body?.message ?? JSON.stringify(res.body) : undefined,
      warnings: res.warnings,
    });
  }
  return outcomes;
}

/** The rejections and warnings among the outcomes, one line each: what a test expects to be empty. */
export function problems(outcomes: ApplyOutcome[]): string[] {
  return outcomes.flatMap(o => [
    ...o.status >= 300 ? [`${o.object}: ${o.status} ${o.message}`] : [],
    ...o.warnings.map(w => `${o.object}: warning: ${w}`),
  ]);
}

const CRDS = path.resolve(__dirname, '..', '..', '..', 'shared', 'crds');

/** Installs the prometheus-operator CRDs from ../shared/crds and waits until they are served. */
export async function installPrometheusOperatorCrds(client: KubeClient): Promise<void> {
  const crds = yamlFiles(CRDS).flatMap(readManifests);
  const failed = problems(await applyAll(client, crds)).filter(p => !p.includes('warning'));
  if (failed.length > 0) {
    throw new Error(`installing the prometheus-operator CRDs failed:\n${failed.join('\n')}`);
  }
  for (const crd of crds) {
    await client.waitFor(`CRD ${crd.metadata.name} established`, async () => {
      const current = await client.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      const established = (current.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
      return established && await client.serves(`${crd.spec.group}/${crd.spec.versions[0].name}`, crd.spec.names.kind) ? true : undefined;
    });
  }
}

/**
 * Deletes objects (cluster-scoped ones too), ignoring those already gone, and waits until their
 * namespaces are gone: a namespace still terminating refuses new objects. When admission policies
 * are among them, it also waits until the API server no longer enforces them: the admission
 * plugin drops a deleted policy a moment later, and until then it judges the next writes.
 */
export async function deleteAll(client: KubeClient, objects: any[], options: { waitForPolicies?: boolean } = {}): Promise<void> {
  // No kubelet confirms a pod's graceful deletion: force it, or the namespace never goes.
  const forcePods = (ns: string) => client.request('DELETE', `/api/v1/namespaces/${ns}/pods?gracePeriodSeconds=0`);
  const namespaceObjects = objects.filter(o => o.kind === 'Namespace');
  await Promise.all(namespaceObjects.map(ns => forcePods(ns.metadata.name)));
  // No deletion waits for another (a namespace's contents go with it): all at once.
  await Promise.all(inApplyOrder(objects).reverse().map(obj => client.delete(obj).catch(() => undefined)));
  await Promise.all(namespaceObjects.map(ns => client.waitFor(`namespace ${ns.metadata.name} deleted`, async () => {
    // Again each time: a DaemonSet or Deployment may have made pods before it was deleted.
    await forcePods(ns.metadata.name);
    return (await client.request('GET', `/api/v1/namespaces/${ns.metadata.name}`)).status === 404 ? true : undefined;
  }, 120_000, 1_000)));
  if (options.waitForPolicies !== false && objects.some(o => String(o.kind).startsWith('ValidatingAdmissionPolicy'))) {
    await waitForAdmissionPolicies(client);
  }
}

/**
 * Namespaces objects live in without creating them: the workload teams' and the monitoring
 * stack's, which exist in a user's cluster before the library's objects are applied. The
 * namespaces of the drivers' own workloads are never among them: the library creates those.
 */
export function namespacesAssumed(objects: any[]): string[] {
  const created = new Set(objects.filter(o => o.kind === 'Namespace').map(o => o.metadata.name));
  const driverNamespaces = new Set(objects.filter(o => ['DaemonSet', 'Deployment'].includes(o.kind)).map(o => o.metadata.namespace));
  const used = new Set(objects.map(o => o.metadata?.namespace).filter((ns): ns is string => ns !== undefined));
  return [...used].filter(ns => !created.has(ns) && !driverNamespaces.has(ns)).sort();
}

/** A Namespace object for each name. */
export function namespaces(names: string[]): any[] {
  return names.map(name => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

/**
 * Waits until kube-controller-manager has type-checked a ValidatingAdmissionPolicy at its
 * current generation and returns the warnings it wrote (none: it checked and found nothing).
 */
export async function typeCheckWarnings(client: KubeClient, name: string): Promise<Array<{ fieldRef: string; warning: string }>> {
  return client.waitFor(`type checking of ValidatingAdmissionPolicy ${name}`, async () => {
    const policy = await client.get(`/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${name}`);
    const checked = policy.status?.typeChecking !== undefined && policy.status?.observedGeneration === policy.metadata.generation;
    return checked ? policy.status.typeChecking.expressionWarnings ?? [] : undefined;
  }, 60_000);
}

/**
 * Waits until the API server's admission plugin enforces the ValidatingAdmissionPolicies applied so
 * far: it loads them from an informer, a moment after they are stored. A sentinel policy applied
 * last is enforced only once the plugin has caught up with everything before it.
 */
export async function waitForAdmissionPolicies(client: KubeClient): Promise<void> {
  const name = `admission-sentinel-${Date.now().toString(36)}`;
  const sentinel = [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
        matchConditions: [{ name: 'sentinel', expression: `object.metadata.name == "${name}"` }],
        validations: [{ expression: 'false', message: name }],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: { policyName: name, validationActions: ['Deny'] },
    },
  ];
  const failed = problems(await applyAll(client, sentinel));
  if (failed.length > 0) {
    throw new Error(`the admission sentinel was refused: ${failed.join('; ')}`);
  }
  try {
    await client.waitFor('the admission plugin to load the policies', async () => {
      const res = await client.request('POST', '/api/v1/namespaces/default/configmaps?dryRun=All',
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
      return res.status >= 400 && String(res.body?.message).includes(name) ? true : undefined;
    });
  } finally {
    // Not waited for: the sentinel judges only ConfigMaps of its own name.
    await deleteAll(client, sentinel, { waitForPolicies: false });
  }
}
