// The ports of two public drivers (examples/dra-driver-cpu, examples/dranet) on the real test
// node: containerd 2.2 with NRI, the kubelet, a control plane. Only DRANET runs: the Go module
// proxy serves github.com/google/dranet (v1.0.1, built by scripts/node/build.sh) but refuses the
// CPU driver's module (403 for github.com/kubernetes-sigs/dra-driver-cpu, every version), so the
// CPU port is held only to what the node gives it: the NRI socket at the path it mounts.
// DRANET is judged by what the kubelet, containerd, the API server and the driver do: the
// registration, the NRI connection, the ResourceSlice of the host's interfaces, a claim's
// allocation, and the interface moved into the claiming pod's network namespace and back.
// One node, so one file: the steps run in order.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { clientOf } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import { applyAll, namespaces, namespacesAssumed, problems, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { startWatchdog } from '../../harness/cluster/processes';
import { ctr } from '../../harness/node/containerd';
import { podLog, registrations, waitRunning } from '../../harness/node/example-driver';
import { NODE_HOST, run } from '../../harness/node/host';
import { NODE_IMAGES, NODE_SETUP_TIMEOUT_MS, NodeState, nodeLogTails, startNode, stopNode } from '../../harness/node/node';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const DRANET = 'dra.net';
const DRANET_NAMESPACE = 'dranet-sigs';
/** DRANET v1.0.1's kubelet paths, fixed in its code: the node binds its kubelet root there. */
const DRANET_KUBELET_ROOT = '/var/lib/kubelet';
/**
 * A virtual interface made on the host for DRANET to publish (it moves a claimed one into the pod):
 * an ifb, since this machine's kernel has no `dummy` ("Unknown device type") and DRANET skips veths.
 */
const INTERFACE = 'cdk8sdranet0';
const POD_INTERFACE = 'eth99';
const POD_ADDRESS = '192.0.2.10/24';
const WORKLOADS = 'nic-workloads';
const STEP_TIMEOUT_MS = 300_000;
/** The host directory the DRANET pod's DirectoryOrCreate volume makes when missing. */
const POD_MADE_DIRS = ['/run/dranet'];

let node: NodeState;
let admin: KubeClient;
let watchdog: number | undefined;
let madeDirs: string[] = [];

/** An example app's committed YAML (test/examples.test.ts holds it to what its main.ts synthesizes). */
function portObjects(example: string): any[] {
  const file = path.join(EXAMPLES, example, 'dist', `${example}.k8s.yaml`);
  return parseAllDocuments(fs.readFileSync(file, 'utf-8')).map(d => d.toJSON()).filter(o => o);
}

function pluginDaemonSet(objects: any[]): any {
  return objects.find(o => o.kind === 'DaemonSet');
}

/**
 * The DRANET port as the node runs it: its image imported, never pulled; the CDI directory the
 * node's (the port's default would make `/var/run/cdi` on this machine); no prometheus-operator
 * objects (no operator runs). One flag goes: `--kubelet-root-dir` is the kubernetes-sigs DRANET's
 * (the chart the port follows), which v1.0.1 refuses ("flag provided but not defined"); v1.0.1
 * keeps the default root that flag would set, bound to the node's kubelet root.
 */
function dranetOnNode(): any[] {
  const objects = portObjects('dranet')
    .filter(o => !['ServiceMonitor', 'PrometheusRule'].includes(o.kind))
    .map(o => JSON.parse(JSON.stringify(o).split('"/var/run/cdi"').join(JSON.stringify(node.cdiDir))));
  const container = pluginDaemonSet(objects).spec.template.spec.containers[0];
  container.image = NODE_IMAGES.dranet;
  container.imagePullPolicy = 'Never';
  container.args = container.args.filter((a: string) => !a.startsWith('--kubelet-root-dir='));
  return objects;
}

function hostPathOf(daemonSet: any, volume: string): string {
  return daemonSet.spec.template.spec.volumes.find((v: any) => v.name === volume).hostPath.path;
}

async function dranetPod(): Promise<any | undefined> {
  const pods = await admin.get(`/api/v1/namespaces/${DRANET_NAMESPACE}/pods`);
  return (pods.items as any[])[0];
}

function containerdLog(): string {
  return fs.readFileSync(path.join(node.dir, 'logs', 'containerd.log'), 'utf-8');
}

/** The interface on the host, or undefined when it is gone (moved into a pod). */
function hostInterface(name: string): string | undefined {
  return run('ip', ['-o', 'link', 'show', 'dev', name], { allowFailure: true }) || undefined;
}

/** The pods' network namespaces (containerd's `cni-*` under /var/run/netns) holding an interface `name`, with its addresses. */
function podNamespacesWith(name: string): Array<{ netns: string; addresses: string }> {
  return fs.readdirSync(NODE_HOST.netnsDir).filter(n => n.startsWith('cni-')).flatMap(netns => {
    const addresses = run('ip', ['-n', netns, '-o', 'addr', 'show', 'dev', name], { allowFailure: true });
    return addresses ? [{ netns, addresses }] : [];
  });
}

/** A test whose failure message ends with the node's log tails and DRANET's own log. */
function nodeTest(name: string, body: () => Promise<void>, timeoutMs?: number): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      const pod = await dranetPod().catch(() => undefined);
      const driverLog = pod ? await podLog(admin, DRANET_NAMESPACE, pod.metadata.name).catch(() => '') : '';
      (error as Error).message += `\n${nodeLogTails(node, 25)}\n--- dranet ---\n${driverLog.split('\n').slice(-40).join('\n')}`;
      throw error;
    }
  }, timeoutMs);
}

beforeAll(async () => {
  madeDirs = POD_MADE_DIRS.filter(d => !fs.existsSync(d));
  if (hostInterface(INTERFACE)) throw new Error(`${INTERFACE} exists on this machine already: not ours to use`);
  // The port's HostToContainer volumes (netns, infiniband, bpf) need shared mounts, as a real node has them.
  const daemonSet = pluginDaemonSet(portObjects('dranet'));
  const hostToContainer = (daemonSet.spec.template.spec.containers[0].volumeMounts as any[])
    .filter(m => m.mountPropagation === 'HostToContainer').map(m => hostPathOf(daemonSet, m.name));
  node = await startNode({ netnsUnderRun: true, sharedHostDirs: hostToContainer, kubeletRootAlias: DRANET_KUBELET_ROOT });
  watchdog = startWatchdog(process.pid, [...node.controlPlane.processes, ...node.processes].map(p => p.pid));
  admin = clientOf(node.controlPlane);
  run('ip', ['link', 'add', INTERFACE, 'type', 'ifb']);
  run('ip', ['link', 'set', 'up', 'dev', INTERFACE]);
  const objects = dranetOnNode();
  // The guard is in force before the plugin's first write. The dashboard's namespace is the monitoring stack's.
  expect(problems(await applyAll(admin, [...namespaces(namespacesAssumed(objects)), ...objects.filter(o => o.kind !== 'DaemonSet')]))).toEqual([]);
  await waitForAdmissionPolicies(admin);
  expect(problems(await applyAll(admin, objects.filter(o => o.kind === 'DaemonSet')))).toEqual([]);
  await admin.waitFor('the DRANET plugin pod ready', async () => {
    const pod = await dranetPod();
    return pod?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
  }, 180_000);
}, NODE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (node) {
    process.stdout.write(`vendor-drivers.test.ts: node Ready in ${node.startSeconds.toFixed(1)} s `
      + `(${Object.entries(node.timings).map(([p, s]) => `${p} ${s.toFixed(1)} s`).join(', ')})\n`);
  }
  await stopNode();
  // Gone with the claiming pod's namespace if the node stopped while the pod held it.
  run('ip', ['link', 'del', INTERFACE], { allowFailure: true });
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
  if (watchdog !== undefined) process.kill(watchdog);
}, 180_000);

nodeTest('containerd 2.2 serves NRI at the socket both ports mount, and DRANET connects as an NRI plugin', async () => {
  expect(ctr(node.binaries, node.containerdSocket, ['version'])).toMatch(/Server:\s+Version:\s+v2\.2\./);
  for (const example of ['dra-driver-cpu', 'dranet']) {
    expect(hostPathOf(pluginDaemonSet(portObjects(example)), 'nri-plugin')).toBe(path.dirname(node.nriSocket));
  }
  expect(fs.statSync(node.nriSocket).isSocket()).toBe(true);
  // containerd's NRI adaptation logs each external plugin it accepted: DRANET names itself dra.net at index 00.
  await admin.waitFor('DRANET connected to NRI', async () =>
    /plugin \\?"00-dra\.net\\?" connected and synchronized/.test(containerdLog()) ? true : undefined, 60_000);
}, STEP_TIMEOUT_MS);

nodeTest('the kubelet registers DRANET\'s plugin, whose v1.0.1 paths the node\'s kubelet root is bound under', async () => {
  expect(fs.readdirSync(path.join(node.kubeletRootDir, 'plugins_registry'))).toContain(`${DRANET}-reg.sock`);
  expect(registrations(node, DRANET)).toContainEqual(expect.objectContaining({
    event: 'Registered',
    endpoint: `${DRANET_KUBELET_ROOT}/plugins/${DRANET}/dra.sock`,
  }));
});

nodeTest('DRANET publishes the host\'s virtual interface in a ResourceSlice of the node, through the port\'s guard', async () => {
  const device = await admin.waitFor(`${INTERFACE} in a ${DRANET} slice`, async () => {
    const list = await admin.get(`/apis/resource.k8s.io/v1/resourceslices?fieldSelector=spec.nodeName=${node.nodeName},spec.driver=${DRANET}`);
    return (list.items as any[]).flatMap(s => s.spec.devices ?? []).find((d: any) => d.name === INTERFACE);
  }, 60_000);
  expect(device.attributes).toEqual(expect.objectContaining({
    [`${DRANET}/ifName`]: { string: INTERFACE },
    [`${DRANET}/type`]: { string: 'ifb' },
    [`${DRANET}/virtual`]: { bool: true },
  }));
}, STEP_TIMEOUT_MS);

nodeTest('a claim for the interface is allocated, and DRANET moves it into the pod\'s network namespace with the claimed address', async () => {
  const claim = {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaim',
    metadata: { name: 'virtual-nic', namespace: WORKLOADS },
    spec: {
      devices: {
        // The port ships no DeviceClass (nor does the chart): the claim selects by driver and name.
        requests: [{ name: 'nic', exactly: { deviceClassName: 'dranet-any', selectors: [{ cel: { expression: `has(device.attributes["${DRANET}"].ifName) && device.attributes["${DRANET}"].ifName == "${INTERFACE}"` } }] } }],
        config: [{ opaque: { driver: DRANET, parameters: { interface: { name: POD_INTERFACE, addresses: [POD_ADDRESS] } } } }],
      },
    },
  };
  const deviceClass = {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'DeviceClass',
    metadata: { name: 'dranet-any' },
    spec: { selectors: [{ cel: { expression: `device.driver == "${DRANET}"` } }] },
  };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'nic-user', namespace: WORKLOADS },
    spec: {
      terminationGracePeriodSeconds: 5,
      resourceClaims: [{ name: 'nic', resourceClaimName: 'virtual-nic' }],
      containers: [{ name: 'workload', image: NODE_IMAGES.workload, imagePullPolicy: 'Never', resources: { claims: [{ name: 'nic' }] } }],
    },
  };
  expect(problems(await applyAll(admin, [...namespaces([WORKLOADS]), deviceClass, claim, pod]))).toEqual([]);
  await waitRunning(admin, WORKLOADS, 'nic-user');

  const allocated = await admin.get(`/apis/resource.k8s.io/v1/namespaces/${WORKLOADS}/resourceclaims/virtual-nic`);
  expect(allocated.status.allocation.devices.results).toEqual([
    expect.objectContaining({ request: 'nic', driver: DRANET, pool: node.nodeName, device: INTERFACE }),
  ]);
  // DRANET writes what it did into the claim's status (the port's writesDeviceStatus grant).
  const status = await admin.waitFor('the claim\'s network data', async () => {
    const current = await admin.get(`/apis/resource.k8s.io/v1/namespaces/${WORKLOADS}/resourceclaims/virtual-nic`);
    return current.status.devices?.find((d: any) => d.device === INTERFACE && d.networkData);
  }, 30_000);
  expect(status.networkData).toEqual(expect.objectContaining({ interfaceName: POD_INTERFACE, ips: [POD_ADDRESS] }));
  expect(hostInterface(INTERFACE)).toBeUndefined();
  const holders = podNamespacesWith(POD_INTERFACE);
  expect(holders).toHaveLength(1);
  expect(holders[0].addresses).toContain(`inet ${POD_ADDRESS}`);
}, STEP_TIMEOUT_MS);

nodeTest('deleting the pod gives the interface back to the host, under its own name', async () => {
  await admin.request('DELETE', `/api/v1/namespaces/${WORKLOADS}/pods/nic-user`);
  await admin.waitFor('pod nic-user gone', async () =>
    (await admin.request('GET', `/api/v1/namespaces/${WORKLOADS}/pods/nic-user`)).status === 404 ? true : undefined, 120_000);
  // DRANET's StopPodSandbox hook moves it back, renamed; the kubelet may report the pod gone first.
  await admin.waitFor(`${INTERFACE} back on the host`, async () => hostInterface(INTERFACE), 60_000);
  expect(podNamespacesWith(POD_INTERFACE)).toEqual([]);
}, STEP_TIMEOUT_MS);
