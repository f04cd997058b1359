// The example DRA driver (kubernetes-sigs/dra-example-driver v0.4.0, built here) deployed from
// DraDriver's YAML onto a real node: kubelet 1.34, containerd 2.2 with CDI, runc and CNI, joined
// to a control plane of its own. Each of the page's driver practices is judged by what the
// kubelet, the driver and the API server do: registration, the ResourceSlice guard with the real
// pod-bound token, CDI injection, the kubelet's DRA metrics in Prometheus, liveness restarts,
// seamless and rolling upgrades, and a drain. One node, so one file: the steps run in order.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { clientOf } from '../../harness/cluster/control-plane';
import { whoAmI } from '../../harness/cluster/identities';
import { KubeClient } from '../../harness/cluster/kube-client';
import { applyAll, namespaces, problems, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { startWatchdog } from '../../harness/cluster/processes';
import {
  DEVICES, DRIVER_NAMESPACE, EXAMPLE_DRIVER, PodSummary, cdiSpecsOf, claimOf, claimPod, claimPodSpec, claimTemplate,
  driverSlices, exampleDriver, mountedToken, pluginPid, pluginPods, podLog, registrationSockets, registrations, waitRunning,
} from '../../harness/node/example-driver';
import { Exposition } from '../../harness/node/metrics';
import { NODE_IMAGES, NODE_SETUP_TIMEOUT_MS, NodeState, nodeLogTails, startNode, stopNode } from '../../harness/node/node';
import { DraMonitoring, DriverDrainCheck, DriverUpgrade } from '../../src';
import { DRA_SIGNALS, MetricSource } from '../../src/monitoring/signals';
import { kubePrometheusStackTargets, TestPrometheus } from '../support/prometheus';

const WORKLOADS = 'node-workloads';
const TEMPLATE = 'one-gpu';
const STEP_TIMEOUT_MS = 300_000;
const KUBELET_SIGNALS = DRA_SIGNALS.filter(s => s.source === MetricSource.KUBELET);

let node: NodeState;
let admin: KubeClient;
let prometheus: TestPrometheus;
let watchdog: number | undefined;

function driverObjects(image: string, upgrade: DriverUpgrade): any[] {
  return exampleDriver(node, { image, upgrade }).objects;
}

/** Applies the library's YAML for the driver and waits until one plugin pod runs the image, registered. */
async function deployDriver(image: string, upgrade: DriverUpgrade): Promise<PodSummary> {
  expect(problems(await applyAll(admin, driverObjects(image, upgrade)))).toEqual([]);
  return onePluginReady(image);
}

async function onePluginReady(image: string): Promise<PodSummary> {
  return admin.waitFor(`one ready plugin pod running ${image}`, async () => {
    const pods = await pluginPods(admin);
    const ready = pods.length === 1 && pods[0].ready && pods[0].image === image ? pods[0] : undefined;
    return ready && registrationSockets(node).length === 1 ? ready : undefined;
  }, 180_000);
}

/** Waits until the plugin DaemonSet, at its current generation, counts every pod available. */
async function pluginAvailable(): Promise<void> {
  await admin.waitFor('the plugin DaemonSet\'s pods available', async () => {
    const [daemonSet] = (await admin.get(`/apis/apps/v1/namespaces/${DRIVER_NAMESPACE}/daemonsets`)).items as any[];
    const status = daemonSet?.status ?? {};
    return status.observedGeneration === daemonSet?.metadata.generation && status.desiredNumberScheduled > 0
      && status.numberAvailable === status.desiredNumberScheduled && status.updatedNumberScheduled === status.desiredNumberScheduled
      ? true : undefined;
  }, 120_000);
}

/** Deletes a pod, if there is one, and waits until the kubelet has stopped it (and unprepared its claims). */
async function deletePod(namespace: string, name: string): Promise<void> {
  await admin.request('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`);
  await admin.waitFor(`pod ${name} gone`, async () =>
    (await admin.request('GET', `/api/v1/namespaces/${namespace}/pods/${name}`)).status === 404 ? true : undefined);
}

/** The kubelet's prober metrics (`/metrics/probes`, beside `/metrics`). */
async function kubeletProbeMetrics(): Promise<Exposition> {
  return Exposition.fetch(`${node.kubeletMetricsUrl}/probes`, node.controlPlane.adminToken);
}

/** A test whose failure message ends with the node's log tails: the kubelet's and containerd's say why. */
function nodeTest(name: string, body: () => Promise<void>, timeoutMs?: number): void {
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
  const chart = new Chart(Testing.app(), 'monitoring');
  const monitoring = new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: 'https://runbooks.example.com/dra.md' });
  prometheus = await TestPrometheus.start({
    targets: kubePrometheusStackTargets({ kubelet: { url: node.kubeletMetricsUrl, bearerToken: node.controlPlane.adminToken } }),
    ruleFile: monitoring.toRuleFile(),
    interval: '2s',
  });
  expect(problems(await applyAll(admin, [...namespaces([WORKLOADS]), claimTemplate(WORKLOADS, TEMPLATE)]))).toEqual([]);
  // The guard is in force before the plugin's first write.
  const objects = driverObjects(NODE_IMAGES.driver, DriverUpgrade.seamless());
  expect(problems(await applyAll(admin, objects.filter(o => o.kind !== 'DaemonSet')))).toEqual([]);
  await waitForAdmissionPolicies(admin);
  await deployDriver(NODE_IMAGES.driver, DriverUpgrade.seamless());
}, NODE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (node) {
    process.stdout.write(`example-driver.test.ts: node Ready in ${node.startSeconds.toFixed(1)} s `
      + `(${Object.entries(node.timings).map(([p, s]) => `${p} ${s.toFixed(1)} s`).join(', ')})\n`);
  }
  await prometheus?.stop();
  await stopNode();
  if (watchdog !== undefined) process.kill(watchdog);
}, 180_000);

nodeTest('the kubelet registers the plugin pod\'s sockets under the node\'s kubelet root', async () => {
  const [plugin] = await pluginPods(admin);
  expect(registrationSockets(node)).toEqual([`${EXAMPLE_DRIVER}-${plugin.uid}-reg.sock`]);
  expect(registrations(node)).toContainEqual(expect.objectContaining({
    event: 'Registered',
    endpoint: `${node.kubeletRootDir}/plugins/${EXAMPLE_DRIVER}/dra-${plugin.uid}.sock`,
    plugins: 1,
  }));
});

nodeTest('the kubelet\'s own credentials are confined by the Node authorizer and NodeRestriction', async () => {
  const kubelet = admin.as({ token: node.kubeletToken });
  expect((await whoAmI(kubelet)).username).toBe(`system:node:${node.nodeName}`);
  const label = { metadata: { labels: { 'cdk8s-dra.test/touched': 'yes' } } };
  await kubelet.expectOk('PATCH', `/api/v1/nodes/${node.nodeName}`, label, 'application/merge-patch+json');
  await admin.expectOk('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'other-node' } });
  try {
    const other = await kubelet.request('PATCH', '/api/v1/nodes/other-node', label, 'application/merge-patch+json');
    expect(other.status).toBe(403);
    // Kubelets may write ResourceSlices (they wipe a gone driver's), but only their own node's.
    const write = await kubelet.request('POST', '/apis/resource.k8s.io/v1/resourceslices', {
      apiVersion: 'resource.k8s.io/v1',
      kind: 'ResourceSlice',
      metadata: { name: `other-node-${EXAMPLE_DRIVER}` },
      spec: { driver: EXAMPLE_DRIVER, nodeName: 'other-node', pool: { name: 'other-node', generation: 1, resourceSliceCount: 1 }, devices: [] },
    });
    expect(write.status).toBe(403);
  } finally {
    await admin.expectOk('DELETE', '/api/v1/nodes/other-node');
    await admin.expectOk('PATCH', `/api/v1/nodes/${node.nodeName}`, { metadata: { labels: { 'cdk8s-dra.test/touched': null } } }, 'application/merge-patch+json');
  }
});

nodeTest('the driver publishes its devices through the guard with the pod-bound token the kubelet mounted, which may touch no other node\'s slices', async () => {
  // The plugin publishes after it registers, at its own pace: ready and registered is not yet published.
  const slices = await admin.waitFor('the plugin\'s ResourceSlice', async () => {
    const published = [...(await driverSlices(admin, node)).values()];
    return published.length > 0 ? published : undefined;
  }, 60_000);
  expect(slices).toHaveLength(1);
  expect(slices[0].spec.pool.name).toBe(node.nodeName);
  expect(slices[0].spec.devices.map((d: any) => d.name)).toEqual([...Array(DEVICES).keys()].map(i => `gpu-${i}`));

  const [plugin] = await pluginPods(admin);
  const driverClient = admin.as({ token: mountedToken(node, plugin.uid) });
  const identity = await whoAmI(driverClient);
  expect(identity.username).toBe(`system:serviceaccount:${DRIVER_NAMESPACE}:gpu-example-com-kubelet-plugin`);
  expect(identity.extra['authentication.kubernetes.io/node-name']).toEqual([node.nodeName]);
  // RBAC lets the plugin create slices; only the guard stops it for another node.
  const foreign = await driverClient.request('POST', '/apis/resource.k8s.io/v1/resourceslices', {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceSlice',
    metadata: { name: `other-node-${EXAMPLE_DRIVER}` },
    spec: { driver: EXAMPLE_DRIVER, nodeName: 'other-node', pool: { name: 'other-node', generation: 1, resourceSliceCount: 1 }, devices: [] },
  });
  // The least-privilege ClusterRole is all the real plugin needed: it was refused nothing.
  expect(await podLog(admin, DRIVER_NAMESPACE, plugin.name)).not.toMatch(/forbidden/i);
  // The policy's Deny: 422 Invalid with its message.
  expect(foreign.status).toBe(422);
  expect(foreign.body.message).toContain(`this user running on node '${node.nodeName}' may not modify resourceslices on node 'other-node'`);
});

nodeTest('a pod with a claim from the library\'s DeviceClass runs and sees the device the driver injected through CDI', async () => {
  expect(problems(await applyAll(admin, [claimPod(WORKLOADS, 'cdi', TEMPLATE)]))).toEqual([]);
  await waitRunning(admin, WORKLOADS, 'cdi');
  const claim = await claimOf(admin, WORKLOADS, 'cdi');
  const device: string = claim.status.allocation.devices.results[0].device;
  expect(claim.status.allocation.devices.results[0].driver).toBe(EXAMPLE_DRIVER);
  expect(cdiSpecsOf(node, claim.metadata.uid)).toHaveLength(1);
  const environment = (await podLog(admin, WORKLOADS, 'cdi')).split('\n');
  // The pod spec sets none of these: containerd applied the driver's CDI edits.
  expect(environment).toEqual(expect.arrayContaining([
    `DRA_RESOURCE_DRIVER_NAME=${EXAMPLE_DRIVER}`,
    `KUBERNETES_NODE_NAME=${node.nodeName}`,
    `GPU_DEVICE_${device.replace('gpu-', '')}=${device}`,
    `GPU_DEVICE_${device.toUpperCase().replace('-', '_')}_RESOURCE_CLAIM=${claim.metadata.uid}`,
  ]));
}, STEP_TIMEOUT_MS);

nodeTest('the kubelet\'s DRA metrics reach Prometheus and the library\'s kubelet recording rules return real data', async () => {
  // The series were born with the first prepare; Prometheus must hold them before the next ones.
  const scrapedTwice = (series: string) => prometheus.waitFor(`${series} scraped twice`, async () =>
    (await prometheus.query(`count_over_time(${series}[1m]) >= 2`)).length > 0 ? true : undefined, 60_000);
  await scrapedTwice('dra_operations_duration_seconds_count{job="kubelet", operation_name="PrepareResources"}');
  await scrapedTwice(`dra_grpc_operations_duration_seconds_count{job="kubelet", driver_name="${EXAMPLE_DRIVER}"}`);
  await deletePod(WORKLOADS, 'cdi');
  await scrapedTwice('dra_operations_duration_seconds_count{job="kubelet", operation_name="UnprepareResources"}');

  const pods = ['metrics-1', 'metrics-2'];
  expect(problems(await applyAll(admin, pods.map(name => claimPod(WORKLOADS, name, TEMPLATE))))).toEqual([]);
  for (const name of pods) await waitRunning(admin, WORKLOADS, name);
  for (const name of pods) await deletePod(WORKLOADS, name);

  let last: string[] = [];
  await prometheus.waitFor('every kubelet signal recorded with data', async () => {
    const values = await Promise.all(KUBELET_SIGNALS.map(async s => (await prometheus.query(s.record)).map(x => x.value)));
    last = KUBELET_SIGNALS.map((s, i) => `${s.record}=${values[i].join(',')}`);
    return values.every(v => v.length === 1 && Number.isFinite(v[0]) && v[0] > 0) ? true : undefined;
  }, 120_000).catch(error => {
    throw new Error(`${error.message}: ${last.join('; ')}`);
  });
  process.stdout.write(`kubelet signals on the real node: ${last.join('; ')}\n`);
  expect((await prometheus.rules()).filter(r => r.health !== 'ok')).toEqual([]);
}, STEP_TIMEOUT_MS);

nodeTest('the gRPC liveness probe passes, and the kubelet restarts a plugin that stops answering', async () => {
  const [plugin] = await pluginPods(admin);
  const probeLabels = { probe_type: 'Liveness', pod: plugin.name, container: 'plugin' };
  await admin.waitFor('a successful liveness probe', async () =>
    (await kubeletProbeMetrics()).sum('prober_probe_total', { ...probeLabels, result: 'successful' }) > 0 ? true : undefined, 60_000);
  expect((await kubeletProbeMetrics()).sum('prober_probe_total', { ...probeLabels, result: 'failed' })).toBe(0);
  const registered = registrations(node).length;

  // A hung plugin: its process stopped, it answers nothing, not even SIGTERM.
  const stoppedAt = Date.now();
  process.kill(pluginPid(plugin.uid)!, 'SIGSTOP');
  const restarted = await admin.waitFor('the plugin container restarted and ready', async () => {
    const [now] = await pluginPods(admin);
    return now.uid === plugin.uid && now.restarts === 1 && now.ready ? now : undefined;
  }, 240_000, 500);
  const seconds = (Date.now() - stoppedAt) / 1000;
  process.stdout.write(`liveness: a stopped plugin was restarted and ready again after ${seconds.toFixed(1)} s\n`);
  expect(restarted.restarts).toBe(1);
  // The probe's own grace period applied, not the pod's: a stopped process ignores SIGTERM, so
  // with the pod's the kubelet would have waited all of it before SIGKILL.
  const podGrace = (await admin.get(`/api/v1/namespaces/${DRIVER_NAMESPACE}/pods/${plugin.name}`)).spec.terminationGracePeriodSeconds;
  expect(seconds).toBeLessThan(podGrace);
  expect((await kubeletProbeMetrics()).sum('prober_probe_total', { ...probeLabels, result: 'failed' })).toBeGreaterThanOrEqual(3);
  // The restarted plugin registered again, on the same sockets (same pod).
  await admin.waitFor('the restarted plugin registered', async () =>
    registrations(node).slice(registered).some(r => r.event === 'Registered' && r.endpoint.includes(plugin.uid)) ? true : undefined);
  expect(registrationSockets(node)).toEqual([`${EXAMPLE_DRIVER}-${plugin.uid}-reg.sock`]);
}, STEP_TIMEOUT_MS);

/** What a rollout looked like from the node, with a claim pod created the moment the old plugin stopped. */
interface Rollout {
  /** Seconds with no plugin registration socket at all (the node had no driver). */
  readonly gapSeconds: number;
  /** Two plugins' sockets were there at once. */
  readonly sawTwoPlugins: boolean;
  /** Seconds from the claim pod's creation to its container running. */
  readonly podStartSeconds: number;
  /** Times the kubelet failed to prepare the claim pod's claim. */
  readonly failedPrepares: number;
  /** The kubelet's (un)registrations during the rollout (its plugin watcher acts once a second). */
  readonly registrations: ReturnType<typeof registrations>;
}

/**
 * Rolls the driver to `image` with `upgrade`, watching the kubelet's plugin registry every 50 ms.
 * The moment the old plugin removes its registration socket (it stopped serving), a pod with a
 * claim is created. Returns once one new plugin is ready and the claim pod runs.
 */
async function rollWithClaimPod(image: string, upgrade: DriverUpgrade, podName: string): Promise<Rollout> {
  // The DaemonSet controller replaces a pod that is not available (ready for minReadySeconds) at
  // once, without surge: a rollout right after the liveness step's restart deleted the old pod
  // before the new one served. So the old pod must count as available first.
  await pluginAvailable();
  const before = registrations(node).length;
  const sockets = () => registrationSockets(node).length;
  let most = sockets();
  let emptySince: number | undefined;
  let gapMs = 0;
  let created: number | undefined;
  expect(problems(await applyAll(admin, driverObjects(image, upgrade)))).toEqual([]);
  const deadline = Date.now() + 180_000;
  for (;;) {
    const now = Date.now();
    const count = sockets();
    if (count === 0) emptySince ??= now;
    if (count > 0 && emptySince !== undefined) {
      gapMs += now - emptySince;
      emptySince = undefined;
    }
    if (created === undefined && count < most) {
      created = now;
      expect(problems(await applyAll(admin, [claimPod(WORKLOADS, podName, TEMPLATE)]))).toEqual([]);
    }
    most = Math.max(most, count);
    if (created !== undefined && count === 1) break;
    if (now > deadline) throw new Error(`the rollout to ${image} did not replace the plugin in 180 s (${count} plugin sockets)`);
    await new Promise(r => setTimeout(r, 50));
  }
  const running = await waitRunning(admin, WORKLOADS, podName, 180_000);
  await onePluginReady(image);
  await admin.waitFor('the kubelet settled on the new plugin', async () => {
    const since = registrations(node).slice(before);
    return since.some(r => r.event === 'Unregistered') && since[since.length - 1].plugins === 1 ? true : undefined;
  });
  const events = (await admin.get(`/api/v1/namespaces/${WORKLOADS}/events?fieldSelector=involvedObject.name=${podName}`)).items as any[];
  return {
    gapSeconds: gapMs / 1000,
    sawTwoPlugins: most === 2,
    podStartSeconds: (running - created!) / 1000,
    failedPrepares: events.filter(e => e.reason === 'FailedPrepareDynamicResources').reduce((n, e) => n + (e.count ?? 1), 0),
    registrations: registrations(node).slice(before),
  };
}

function describeRollout(roll: Rollout): string {
  return `no plugin for ${roll.gapSeconds.toFixed(2)} s; claim pod running ${roll.podStartSeconds.toFixed(1)} s after creation, `
    + `${roll.failedPrepares} failed prepare(s); kubelet: ${roll.registrations.map(r => `${r.event} (${r.plugins})`).join(', ')}`;
}

describe('upgrades', () => {
  nodeTest('DriverUpgrade.seamless(): the new plugin registers beside the old one, and a claim pod created as the old one stops starts at once', async () => {
    const slicesBefore = [...(await driverSlices(admin, node)).keys()];
    const roll = await rollWithClaimPod(NODE_IMAGES.driverNext, DriverUpgrade.seamless(), 'during-seamless');
    process.stdout.write(`seamless upgrade: ${describeRollout(roll)}\n`);
    expect(roll.sawTwoPlugins).toBe(true);
    expect(roll.gapSeconds).toBe(0);
    // The kubelet always had a plugin: two while both ran, never none.
    expect(roll.registrations.map(r => r.plugins)).toEqual([2, 1]);
    expect(roll.failedPrepares).toBe(0);
    // The slices survive the upgrade: the kubelet never wiped them.
    expect([...(await driverSlices(admin, node)).keys()]).toEqual(slicesBefore);
  }, STEP_TIMEOUT_MS);

  nodeTest('DriverUpgrade.rollingUpdate(): the old plugin goes first, leaving the node without a driver until the new one serves', async () => {
    const roll = await rollWithClaimPod(NODE_IMAGES.driver, DriverUpgrade.rollingUpdate(), 'during-rolling');
    // Whether the claim pod hits the gap depends on whether the kubelet prepares it before the new
    // plugin registers: reported, not asserted (docs/test-node.md has the figures).
    process.stdout.write(`rolling update: ${describeRollout(roll)}\n`);
    expect(roll.sawTwoPlugins).toBe(false);
    expect(roll.gapSeconds).toBeGreaterThan(0);
  }, STEP_TIMEOUT_MS);

  afterAll(async () => {
    for (const name of ['during-seamless', 'during-rolling']) await deletePod(WORKLOADS, name);
    // Back to the seamless DaemonSet the drain steps use.
    await deployDriver(NODE_IMAGES.driver, DriverUpgrade.seamless());
  }, STEP_TIMEOUT_MS);
});

describe('drain', () => {
  const kubectl = () => path.join(node.controlPlane.binaries, 'kubectl');
  const env = () => ({ ...process.env, KUBECONFIG: node.controlPlane.kubeconfig, NODE_NAME: node.nodeName, PATH: `${node.controlPlane.binaries}:${process.env.PATH}` });
  const claims = async () => (await admin.get('/apis/resource.k8s.io/v1/resourceclaims')).items as any[];
  const blocking = async () => DriverDrainCheck.blockingClaims({ nodeName: node.nodeName, driverName: EXAMPLE_DRIVER }, await claims());
  const shellBlocking = () => execFileSync('bash', ['-c', DriverDrainCheck.shellCommand(EXAMPLE_DRIVER)], { encoding: 'utf-8', env: env() })
    .split('\n').filter(Boolean);

  afterAll(async () => {
    execFileSync(kubectl(), ['uncordon', node.nodeName], { env: env() });
    await admin.request('DELETE', `/apis/apps/v1/namespaces/${WORKLOADS}/deployments/drained`);
  });

  nodeTest('under the autoscaler\'s and Karpenter\'s drain taints, a driver pod that dies comes back on the node and registers', async () => {
    const taints = [
      { key: 'ToBeDeletedByClusterAutoscaler', value: String(Math.floor(Date.now() / 1000)), effect: 'NoSchedule' },
      { key: 'karpenter.sh/disrupted', effect: 'NoSchedule' },
    ];
    await admin.expectOk('PATCH', `/api/v1/nodes/${node.nodeName}`, { spec: { taints } }, 'application/merge-patch+json');
    try {
      const [before] = await pluginPods(admin);
      await admin.expectOk('DELETE', `/api/v1/namespaces/${DRIVER_NAMESPACE}/pods/${before.name}?gracePeriodSeconds=1`);
      const replacement = await admin.waitFor('a new plugin pod ready on the tainted node', async () => {
        const pods = await pluginPods(admin);
        return pods.length === 1 && pods[0].uid !== before.uid && pods[0].ready ? pods[0] : undefined;
      }, 180_000);
      await admin.waitFor('the new plugin registered', async () =>
        registrations(node).some(r => r.event === 'Registered' && r.endpoint.includes(replacement.uid)) ? true : undefined);
    } finally {
      await admin.expectOk('PATCH', `/api/v1/nodes/${node.nodeName}`, { spec: { taints: null } }, 'application/merge-patch+json');
    }
  }, STEP_TIMEOUT_MS);

  nodeTest('kubectl drain evicts the workload first; the driver stays, unprepares their claims, and DriverDrainCheck goes from blocked to free', async () => {
    await admin.waitFor('no claim pod left from earlier steps', async () => (await blocking()).length === 0 ? true : undefined, 120_000);
    expect(problems(await applyAll(admin, [{
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'drained', namespace: WORKLOADS },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'drained' } },
        template: { metadata: { labels: { app: 'drained' } }, spec: claimPodSpec(TEMPLATE) },
      },
    }]))).toEqual([]);
    await admin.waitFor('both workload pods running', async () => {
      const pods = (await admin.get(`/api/v1/namespaces/${WORKLOADS}/pods?labelSelector=app=drained`)).items as any[];
      return pods.length === 2 && pods.every(p => p.status?.containerStatuses?.[0]?.state?.running) ? true : undefined;
    }, 120_000);
    const reserved = await blocking();
    expect(reserved).toHaveLength(2);
    expect(shellBlocking()).toEqual(reserved);
    const claimUids = (await claims()).filter(c => reserved.includes(`${c.metadata.namespace}/${c.metadata.name}`)).map(c => c.metadata.uid);
    claimUids.forEach(uid => expect(cdiSpecsOf(node, uid)).toHaveLength(1));
    const [driverPod] = await pluginPods(admin);
    const driverMetrics = `http://${driverPod.ip}:8080/metrics`;
    const unpreparedBefore = (await Exposition.fetch(driverMetrics)).sum('dra_example_driver_unprepare_claims_total', { result: 'success' });

    const output = execFileSync(kubectl(), ['drain', node.nodeName, '--ignore-daemonsets', '--timeout=120s'], { encoding: 'utf-8', env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toContain(`node/${node.nodeName} drained`);

    // The driver pod was not evicted, and it unprepared both claims.
    const [after] = await pluginPods(admin);
    expect({ uid: after.uid, restarts: after.restarts, ready: after.ready })
      .toEqual({ uid: driverPod.uid, restarts: driverPod.restarts, ready: true });
    const unprepared = await admin.waitFor('the driver unprepared both claims', async () => {
      const count = (await Exposition.fetch(driverMetrics)).sum('dra_example_driver_unprepare_claims_total', { result: 'success' });
      return count - unpreparedBefore >= 2 ? count - unpreparedBefore : undefined;
    });
    expect(unprepared).toBe(2);
    claimUids.forEach(uid => expect(cdiSpecsOf(node, uid)).toEqual([]));
    expect(await blocking()).toEqual([]);
    expect(shellBlocking()).toEqual([]);
    // The replacements wait: the node is cordoned.
    const replacements = (await admin.get(`/api/v1/namespaces/${WORKLOADS}/pods?labelSelector=app=drained`)).items as any[];
    expect(replacements.map(p => p.spec.nodeName ?? 'unscheduled')).toEqual(replacements.map(() => 'unscheduled'));
  }, STEP_TIMEOUT_MS);
});
