// Device maintenance on a real node: the example DRA driver (4 devices) deployed from DraDriver's
// YAML, and DraDeviceTaint's DeviceTaintRules judged by what kube-scheduler, kube-controller-manager's
// device-taint eviction controller and the kubelet do. NoSchedule keeps new claims off a device,
// NoExecute evicts the pod using it, deleting the rule brings it back; and the drain procedure's
// first step (taint the node's pool, wait for its claims to go, drain, stop the driver) frees the
// driver before kubectl drain has anything of its to evict. The steps run in order on the one node.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { clientOf } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { applyAll, namespaces, problems, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { startWatchdog } from '../../harness/cluster/processes';
import {
  claimOf, claimPod, claimTemplate, DEVICES, DRIVER_NAMESPACE, driverSlices, EXAMPLE_DRIVER, exampleDriver, pluginPods, waitRunning,
} from '../../harness/node/example-driver';
import { NODE_IMAGES, NODE_SETUP_TIMEOUT_MS, NodeState, nodeLogTails, startNode, stopNode } from '../../harness/node/node';
import { DeviceTaintEffect, DraDeviceTaint, DraDeviceTaintProps, DriverDrainCheck, DriverUpgrade } from '../../src';

const VERSION = testKubernetesMinor();
const WORKLOADS = 'taint-workloads';
const TEMPLATE = 'one-gpu';
const STEP_TIMEOUT_MS = 300_000;
const RULES = '/apis/resource.k8s.io/v1/devicetaintrules';

let node: NodeState;
let admin: KubeClient;
let watchdog: number | undefined;
let daemonSetName: string;

/** DraDeviceTaint's DeviceTaintRule for the node's pool of the example driver. */
function taintRule(props: Partial<DraDeviceTaintProps> & { effect: DeviceTaintEffect }): any {
  const chart = new Chart(Testing.app(), 'taint');
  new DraDeviceTaint(chart, 'taint', { kubernetesVersion: VERSION, driver: EXAMPLE_DRIVER, pool: node.nodeName, ...props });
  return Testing.synth(chart)[0];
}

/** Creates a rule; returns when the server took it. */
async function createRule(rule: any): Promise<number> {
  await admin.expectOk('POST', RULES, rule);
  return Date.now();
}

async function deleteRule(rule: any): Promise<void> {
  await admin.expectOk('DELETE', `${RULES}/${rule.metadata.name}`);
  await admin.waitFor(`rule ${rule.metadata.name} gone`, async () =>
    (await admin.request('GET', `${RULES}/${rule.metadata.name}`)).status === 404 ? true : undefined);
}

/** The device the claim of a pod was allocated. */
async function deviceOf(podName: string): Promise<string> {
  return (await claimOf(admin, WORKLOADS, podName)).status.allocation.devices.results[0].device;
}

/** The pod names running claims now. */
async function workloadPods(): Promise<any[]> {
  return (await admin.get(`/api/v1/namespaces/${WORKLOADS}/pods`)).items as any[];
}

async function deletePods(names: string[]): Promise<void> {
  for (const name of names) await admin.request('DELETE', `/api/v1/namespaces/${WORKLOADS}/pods/${name}`);
  await admin.waitFor('the pods gone', async () =>
    (await workloadPods()).some(p => names.includes(p.metadata.name)) ? undefined : true, 120_000);
}

/** Waits until the scheduler reports the pod unschedulable, and returns its message. */
async function unschedulable(podName: string): Promise<string> {
  return admin.waitFor(`pod ${podName} reported unschedulable`, async () => {
    const pod = await admin.get(`/api/v1/namespaces/${WORKLOADS}/pods/${podName}`);
    const condition = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
    return condition?.status === 'False' && condition.reason === 'Unschedulable' ? String(condition.message) : undefined;
  }, 120_000);
}

function nodeTest(name: string, body: () => Promise<void>, timeoutMs = STEP_TIMEOUT_MS): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      (error as Error).message += `\n${nodeLogTails(node, 25)}`;
      throw error;
    }
  }, timeoutMs);
}

beforeAll(async () => {
  node = await startNode();
  watchdog = startWatchdog(process.pid, [...node.controlPlane.processes, ...node.processes].map(p => p.pid));
  admin = clientOf(node.controlPlane);
  expect(problems(await applyAll(admin, [...namespaces([WORKLOADS]), claimTemplate(WORKLOADS, TEMPLATE)]))).toEqual([]);
  const { driver, objects } = exampleDriver(node, { image: NODE_IMAGES.driver, upgrade: DriverUpgrade.rollingUpdate() });
  daemonSetName = driver.daemonSetName;
  expect(problems(await applyAll(admin, objects.filter(o => o.kind !== 'DaemonSet')))).toEqual([]);
  await waitForAdmissionPolicies(admin);
  expect(problems(await applyAll(admin, objects.filter(o => o.kind === 'DaemonSet')))).toEqual([]);
  await admin.waitFor('the driver\'s devices published', async () => {
    const slices = [...(await driverSlices(admin, node)).values()];
    return slices.length === 1 && slices[0].spec.devices.length === DEVICES ? true : undefined;
  }, 180_000);
}, NODE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await stopNode();
  if (watchdog !== undefined) process.kill(watchdog);
}, 180_000);

nodeTest('NoSchedule on one device: new claims get the other three, a fourth waits; deleting the rule brings the device back', async () => {
  const rule = taintRule({ device: 'gpu-0', effect: DeviceTaintEffect.NO_SCHEDULE, reason: 'firmware-update' });
  await createRule(rule);
  const pods = ['ns-1', 'ns-2', 'ns-3'];
  expect(problems(await applyAll(admin, pods.map(name => claimPod(WORKLOADS, name, TEMPLATE))))).toEqual([]);
  for (const name of pods) await waitRunning(admin, WORKLOADS, name);
  expect((await Promise.all(pods.map(deviceOf))).sort()).toEqual(['gpu-1', 'gpu-2', 'gpu-3']);
  expect(problems(await applyAll(admin, [claimPod(WORKLOADS, 'ns-4', TEMPLATE)]))).toEqual([]);
  expect(await unschedulable('ns-4')).toContain('cannot allocate all claims');

  await deleteRule(rule);
  await waitRunning(admin, WORKLOADS, 'ns-4', 180_000);
  expect(await deviceOf('ns-4')).toBe('gpu-0');
  // Claims allocated before the taint stay, and so do their pods.
  for (const name of pods) await waitRunning(admin, WORKLOADS, name);
});

nodeTest('NoExecute on the device a pod holds: the eviction controller deletes that pod and no other; without the rule the device serves again', async () => {
  const holder = 'ns-4';
  const claim = await claimOf(admin, WORKLOADS, holder);
  const rule = taintRule({ device: 'gpu-0', effect: DeviceTaintEffect.NO_EXECUTE, reason: 'unhealthy' });
  const tainted = await createRule(rule);
  const deleting = await admin.waitFor(`pod ${holder} being deleted`, async () => {
    const pod = await admin.request('GET', `/api/v1/namespaces/${WORKLOADS}/pods/${holder}`);
    return pod.status === 404 || pod.body?.metadata?.deletionTimestamp ? Date.now() : undefined;
  }, 120_000, 100);
  const gone = await admin.waitFor(`pod ${holder} gone`, async () =>
    (await admin.request('GET', `/api/v1/namespaces/${WORKLOADS}/pods/${holder}`)).status === 404 ? Date.now() : undefined, 120_000, 100);
  process.stdout.write(`device-taint eviction (${VERSION}): pod deletion began ${((deleting - tainted) / 1000).toFixed(1)} s after the NoExecute rule was stored, `
    + `pod gone after ${((gone - tainted) / 1000).toFixed(1)} s\n`);
  // Its claim is released (the claim controller deletes a template's claim with its pod).
  await admin.waitFor('the evicted pod\'s claim gone', async () =>
    (await admin.request('GET', `/apis/resource.k8s.io/v1/namespaces/${WORKLOADS}/resourceclaims/${claim.metadata.name}`)).status === 404 ? true : undefined);
  for (const name of ['ns-1', 'ns-2', 'ns-3']) await waitRunning(admin, WORKLOADS, name);
  // The controller reports on the rule: no pod left to evict.
  expect(await admin.waitFor('the rule\'s eviction status', async () => {
    const condition = ((await admin.get(`${RULES}/${rule.metadata.name}`)).status?.conditions ?? [])
      .find((c: any) => c.type === 'EvictionInProgress' && c.status === 'False');
    return condition ? condition.reason : undefined;
  })).toBe('Completed');

  // While the rule stands the device takes no claim; once deleted it does.
  expect(problems(await applyAll(admin, [claimPod(WORKLOADS, 'after-taint', TEMPLATE)]))).toEqual([]);
  await unschedulable('after-taint');
  await deleteRule(rule);
  await waitRunning(admin, WORKLOADS, 'after-taint', 180_000);
  expect(await deviceOf('after-taint')).toBe('gpu-0');
  await deletePods(['ns-1', 'ns-2', 'ns-3', 'after-taint']);
});

describe('drain', () => {
  const kubectl = () => path.join(node.controlPlane.binaries, 'kubectl');
  const env = () => ({ ...process.env, KUBECONFIG: node.controlPlane.kubeconfig, PATH: `${node.controlPlane.binaries}:${process.env.PATH}` });
  const blocking = async () => DriverDrainCheck.blockingClaims({ nodeName: node.nodeName, driverName: EXAMPLE_DRIVER },
    (await admin.get('/apis/resource.k8s.io/v1/resourceclaims')).items as any[]);

  afterAll(async () => {
    execFileSync(kubectl(), ['uncordon', node.nodeName], { env: env() });
    await admin.request('DELETE', `${RULES}/${EXAMPLE_DRIVER}-${node.nodeName}`);
  });

  nodeTest('taint the node\'s pool NoExecute, wait for its claims to go, drain, then stop the driver', async () => {
    const pods = ['drain-1', 'drain-2'];
    expect(problems(await applyAll(admin, pods.map(name => claimPod(WORKLOADS, name, TEMPLATE))))).toEqual([]);
    for (const name of pods) await waitRunning(admin, WORKLOADS, name);
    expect(await blocking()).toHaveLength(2);

    const rule = taintRule({ effect: DeviceTaintEffect.NO_EXECUTE, reason: 'node-drain' });
    expect(rule.metadata.name).toBe(`${EXAMPLE_DRIVER}-${node.nodeName}`);
    await createRule(rule);
    await admin.waitFor('the node\'s claims released and their pods gone', async () =>
      (await blocking()).length === 0 && (await workloadPods()).length === 0 ? true : undefined, 120_000);

    const output = execFileSync(kubectl(), ['drain', node.nodeName, '--ignore-daemonsets', '--timeout=120s'],
      { encoding: 'utf-8', env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toContain(`node/${node.nodeName} drained`);
    // Nothing of the driver's is left to unprepare: the driver may go (a DaemonSet pod tolerates the cordon, so its DaemonSet goes).
    expect(await blocking()).toEqual([]);
    await admin.expectOk('DELETE', `/apis/apps/v1/namespaces/${DRIVER_NAMESPACE}/daemonsets/${daemonSetName}`);
    await admin.waitFor('the driver stopped', async () => (await pluginPods(admin)).length === 0 ? true : undefined, 120_000);
  });
});
