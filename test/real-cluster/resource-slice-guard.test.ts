// The ResourceSlice guard, judged by a real Kubernetes 1.34 API server: a kubelet plugin holding the
// pod-bound token its kubelet would mint may write its own node's slices and nothing else. The same
// for the vendor renderings in ../shared/fixtures (read here), where the server shows which guards
// confine their plugin and which do not.
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { clientOf } from '../../harness/cluster/control-plane';
import { createDaemonSetPod, createNodes, deleteNodes, podBoundToken, serviceAccountToken, waitUntilAllowed, whoAmI } from '../../harness/cluster/identities';
import { KubeClient } from '../../harness/cluster/kube-client';
import { applyAll, deleteAll, namespaces, problems, readManifests, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { DraDriver } from '../../src';
import { runCli } from '../../src/cli/run-cli';
import { CLUSTER_SETUP_TIMEOUT_MS, holdRunLock, sharedControlPlane } from '../support/cluster/shared';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

/** What the server did with one request: let it through, or refuse it in RBAC or in admission. */
type Verdict = 'allowed' | 'denied by RBAC' | 'denied by the guard';

const CASES = ['own node: create', 'own node: update', 'own node: delete', 'other node: create', 'other node: update',
  'other node: delete', 'allNodes: create', 'nodeSelector: create'] as const;
type Case = typeof CASES[number];

/** A guard that confines its plugin to its node. */
const CONFINED: Record<Case, Verdict> = {
  'own node: create': 'allowed',
  'own node: update': 'allowed',
  'own node: delete': 'allowed',
  'other node: create': 'denied by the guard',
  'other node: update': 'denied by the guard',
  'other node: delete': 'denied by the guard',
  'allNodes: create': 'denied by the guard',
  'nodeSelector: create': 'denied by the guard',
};

interface Rendering {
  readonly name: string;
  readonly objects: any[];
  /** The expected verdicts, and why when they differ from CONFINED. */
  readonly expected: Record<Case, Verdict>;
}

function draDriverRendering(): Rendering {
  const chart = new Chart(Testing.app(), 'guard');
  new DraDriver(chart, 'gpu', { driverName: 'guard.example.com', image: 'registry.example.com/guard:v1', namespace: 'dra-guard' });
  return { name: 'DraDriver', objects: Testing.synth(chart), expected: CONFINED };
}

/** A driver whose controller publishes node-less slices: the guard must keep the plugin confined all the same. */
function draDriverWithControllerRendering(): Rendering {
  const chart = new Chart(Testing.app(), 'guard-ctl');
  new DraDriver(chart, 'gpu', {
    driverName: 'guard-ctl.example.com',
    image: 'registry.example.com/guard:v1',
    namespace: 'dra-guard-ctl',
    controller: { image: 'registry.example.com/guard-controller:v1', publishesResourceSlices: true },
  });
  return { name: 'DraDriver with a controller', objects: Testing.synth(chart), expected: CONFINED };
}

function fixture(name: string, file: string, expected: Record<Case, Verdict>): Rendering {
  return { name, objects: readManifests(path.join(FIXTURES, name, file)), expected };
}

const RENDERINGS: Rendering[] = [
  draDriverRendering(),
  draDriverWithControllerRendering(),
  fixture('dra-example-driver', 'rendered-defaults.yaml', CONFINED),
  fixture('intel-gpu-resource-driver', 'rendered-defaults.yaml', CONFINED),
  // NVIDIA's policy names the ServiceAccount "...-service-account", but its plugin runs as
  // "...-service-account-kubeletplugin": the policy never matches, the plugin may write any slice.
  fixture('nvidia-dra-driver-gpu', 'rendered-defaults.yaml', Object.fromEntries(CASES.map(c => [c, 'allowed'])) as Record<Case, Verdict>),
];

let admin: KubeClient;
let releaseVendorNames: () => void;

beforeAll(async () => {
  admin = clientOf(await sharedControlPlane());
  // The renderings' names and namespaces are the examples' vendor ports' too (examples.test.ts).
  releaseVendorNames = await holdRunLock('vendor-names');
}, CLUSTER_SETUP_TIMEOUT_MS);

afterAll(() => releaseVendorNames?.());

/** The kubelet plugin's DaemonSet: the one whose pods mount the kubelet's plugin registry. */
function kubeletPlugin(objects: any[]): any {
  const daemonSets = objects.filter(o => o.kind === 'DaemonSet');
  return daemonSets.find(ds => JSON.stringify(ds.spec.template.spec.volumes ?? []).includes('plugins_registry')) ?? daemonSets[0];
}

function slice(name: string, spec: Record<string, unknown>): any {
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceSlice',
    metadata: { name },
    spec: { driver: 'guard.example.com', pool: { name, generation: 1, resourceSliceCount: 1 }, devices: [{ name: 'dev-0' }], ...spec },
  };
}

function verdictOf(status: number, message: string): Verdict | string {
  if (status >= 200 && status < 300) {
    return 'allowed';
  }
  if (status >= 400 && /ValidatingAdmissionPolicy '.*' with binding '.*' denied request/.test(message)) {
    return 'denied by the guard';
  }
  if (status === 403 && / cannot (create|update|delete) resource "resourceslices"/.test(message)) {
    return 'denied by RBAC';
  }
  return `${status} ${message}`;
}

describe.each(RENDERINGS)('$name: the ResourceSlice guard on a real API server', rendering => {
  const prefix = rendering.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const own = `${prefix}-node-a`;
  const other = `${prefix}-node-b`;
  const cluster = rendering.objects.filter(o => !['DaemonSet', 'Deployment'].includes(o.kind));
  const plugin = kubeletPlugin(rendering.objects);
  const namespace: string = plugin.metadata.namespace;
  const serviceAccount: string = plugin.spec.template.spec.serviceAccountName;
  const created = [...namespaces(cluster.some(o => o.kind === 'Namespace') ? [] : [namespace]), ...cluster];
  let pluginClient: KubeClient;

  beforeAll(async () => {
    expect(problems(await applyAll(admin, created))).toEqual([]);
    await waitForAdmissionPolicies(admin);
    await createNodes(admin, [own, other]);
    const pod = await createDaemonSetPod(admin, plugin, own);
    pluginClient = admin.as({ token: await podBoundToken(admin, namespace, serviceAccount, pod) });
  }, 120_000);

  afterAll(async () => {
    for (const name of [`${prefix}-own`, `${prefix}-other`, `${prefix}-all`, `${prefix}-selector`]) {
      await admin.request('DELETE', `/apis/resource.k8s.io/v1/resourceslices/${name}`);
    }
    await deleteAll(admin, created);
    await deleteNodes(admin, [own, other]);
  }, 180_000);

  test('the plugin\'s pod-bound token carries its node, as the kubelet\'s does', async () => {
    expect(await whoAmI(pluginClient)).toMatchObject({
      username: `system:serviceaccount:${namespace}:${serviceAccount}`,
      extra: { 'authentication.kubernetes.io/node-name': [own] },
    });
  });

  test('the server allows and denies exactly what the guard promises', async () => {
    const verdicts: Record<string, Verdict | string> = {};
    const write = async (c: Case, method: string, url: string, body?: unknown) => {
      const res = await pluginClient.request(method, url, body);
      verdicts[c] = verdictOf(res.status, String(res.body?.message ?? ''));
    };
    const collection = '/apis/resource.k8s.io/v1/resourceslices';

    await write('own node: create', 'POST', collection, slice(`${prefix}-own`, { nodeName: own }));
    const current = (await admin.request('GET', `${collection}/${prefix}-own`)).body;
    await write('own node: update', 'PUT', `${collection}/${prefix}-own`, { ...current, spec: { ...current?.spec, pool: { ...current?.spec?.pool, generation: 2 } } });
    await write('own node: delete', 'DELETE', `${collection}/${prefix}-own`);

    await write('other node: create', 'POST', collection, slice(`${prefix}-other`, { nodeName: other }));
    // The other node's slice exists (its own driver made it) when the plugin tries to change it.
    await admin.request('POST', collection, slice(`${prefix}-other`, { nodeName: other }));
    const others = (await admin.get(`${collection}/${prefix}-other`));
    await write('other node: update', 'PUT', `${collection}/${prefix}-other`, { ...others, spec: { ...others.spec, pool: { ...others.spec.pool, generation: 2 } } });
    await write('other node: delete', 'DELETE', `${collection}/${prefix}-other`);

    await write('allNodes: create', 'POST', collection, slice(`${prefix}-all`, { allNodes: true }));
    await write('nodeSelector: create', 'POST', collection, slice(`${prefix}-selector`, {
      nodeSelector: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [own] }] }] },
    }));
    expect(verdicts).toEqual(rendering.expected);
  });

  test('another ServiceAccount allowed by RBAC to write slices is not confined by this guard', async () => {
    const other_ = { ns: `${prefix}-other-sa`, sa: 'slice-writer' };
    const objects = [
      ...namespaces([other_.ns]),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: other_.sa, namespace: other_.ns } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: `${prefix}-slice-writer` },
        rules: [{ apiGroups: ['resource.k8s.io'], resources: ['resourceslices'], verbs: ['create', 'delete'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${prefix}-slice-writer` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${prefix}-slice-writer` },
        subjects: [{ kind: 'ServiceAccount', name: other_.sa, namespace: other_.ns }],
      },
    ];
    expect(problems(await applyAll(admin, objects))).toEqual([]);
    try {
      await waitUntilAllowed(admin, { user: `system:serviceaccount:${other_.ns}:${other_.sa}`, groups: ['system:serviceaccounts'] },
        { group: 'resource.k8s.io', resource: 'resourceslices', verb: 'create' });
      const writer = admin.as({ token: await serviceAccountToken(admin, other_.ns, other_.sa) });
      const res = await writer.request('POST', '/apis/resource.k8s.io/v1/resourceslices', slice(`${prefix}-writer`, { allNodes: true }));
      expect(verdictOf(res.status, String(res.body?.message ?? ''))).toBe('allowed');
    } finally {
      await admin.request('DELETE', `/apis/resource.k8s.io/v1/resourceslices/${prefix}-writer`);
      await deleteAll(admin, objects);
    }
  });
});

test('the checker reports DRA008 on exactly the vendor guard the server shows unconfined', () => {
  let stdout = '';
  runCli(['check', FIXTURES, '--format', 'json'], { stdout: t => { stdout += t; }, stderr: () => undefined });
  const unconfined = RENDERINGS.filter(r => r.expected !== CONFINED).map(r => r.name);
  const flagged = (JSON.parse(stdout).findings as any[])
    .filter(f => f.ruleId === 'DRA008')
    .map(f => String(f.object.location ?? f.object.file ?? ''))
    .map(file => RENDERINGS.find(r => file.includes(`${r.name}/`))?.name)
    .filter((name): name is string => name !== undefined);
  expect([...new Set(flagged)].sort()).toEqual(unconfined);
});

describe('a driver controller under the same guard', () => {
  const rendering = draDriverWithControllerRendering();
  const controller = rendering.objects.find(o => o.kind === 'Deployment');
  const namespace: string = controller.metadata.namespace;
  const cluster = rendering.objects.filter(o => !['DaemonSet', 'Deployment'].includes(o.kind));
  const node = 'guard-ctl-node';

  beforeAll(async () => {
    expect(problems(await applyAll(admin, cluster))).toEqual([]);
    await waitForAdmissionPolicies(admin);
    await createNodes(admin, [node]);
  }, 120_000);

  afterAll(async () => {
    for (const name of ['guard-ctl-pool', 'guard-ctl-node-slice']) {
      await admin.request('DELETE', `/apis/resource.k8s.io/v1/resourceslices/${name}`);
    }
    await deleteAll(admin, cluster);
    await deleteNodes(admin, [node]);
  }, 180_000);

  test('may publish slices no node owns, never a node\'s', async () => {
    const client = admin.as({ token: await serviceAccountToken(admin, namespace, controller.spec.template.spec.serviceAccountName) });
    const collection = '/apis/resource.k8s.io/v1/resourceslices';
    const pool = await client.request('POST', collection, slice('guard-ctl-pool', { allNodes: true }));
    const onNode = await client.request('POST', collection, slice('guard-ctl-node-slice', { nodeName: node }));
    expect({
      allNodes: verdictOf(pool.status, String(pool.body?.message ?? '')),
      nodeName: verdictOf(onNode.status, String(onNode.body?.message ?? '')),
    }).toEqual({ allNodes: 'allowed', nodeName: 'denied by the guard' });
  });
});
