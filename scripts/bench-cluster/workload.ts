/**
 * One bench run on a fresh control plane: the page's scale test (long-lived pods at 90 %
 * device saturation, then churn waves) as upstream scheduler_perf's DRA workload
 * `SchedulingWithResourceClaimTemplate` builds it, through the API.
 *
 * Fake nodes as test/integration/dra creates them (Ready, taints removed; no kubelet), one
 * ResourceSlice per node published as the driver (its ServiceAccount with the node-name extra,
 * through the library's ResourceSliceGuard), a DeviceClass and a ResourceClaimTemplate from the
 * library's DraDriver, then Jobs at a given creation rate, as the page's "job creation QPS":
 * kube-controller-manager creates their pods and claims, kube-scheduler allocates and binds.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { histogramDelta, quantile, Scrape, scrape, shareAbove, sum } from './metrics';
import { watch } from './watch';
import { ClientRate, clientOf, ControlPlaneState, startControlPlane, stopControlPlane } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import { inApplyOrder } from '../../harness/cluster/objects';
import { startWatchdog, stopProcesses } from '../../harness/cluster/processes';
import { DraDriver } from '../../src';

/** The workload of one run. */
export interface Workload {
  readonly nodes: number;
  readonly devicesPerNode: number;
  readonly longLivedPods: number;
  readonly churnPods: number;
  readonly churnWaves: number;
  /** Jobs created per second. */
  readonly qps: number;
}

/** The client rates of one run; undefined: the component's default. */
export interface RunRates {
  readonly controllerManager?: ClientRate;
  readonly scheduler?: ClientRate;
  /** kube-controller-manager's `--concurrent-resourceclaim-syncs` (1.36+). @default the component's (10) */
  readonly concurrentResourceClaimSyncs?: number;
}

/** What one run measured. Durations in seconds. */
export interface RunMeasurement {
  readonly pods: number;
  /** From the first Job created to the last long-lived pod bound. */
  readonly longLivedBoundSeconds: number;
  /** The same for each churn wave, the median. */
  readonly waveBoundSeconds: number | null;
  /** Pods bound per 1-second sample while pods were pending (first sample of each phase skipped, as scheduler_perf does). */
  readonly boundPerSecond: { mean: number; p50: number; p99: number };
  /** Pod ADDED to spec.nodeName set, per pod, from the watch. */
  readonly bindLatencyP99: number;
  readonly schedulingSliP99: number | null;
  /** rest_client_rate_limiter_duration_seconds p99, and the share of requests that waited more than 25 ms. */
  readonly controllerManagerThrottleP99: number | null;
  readonly controllerManagerThrottledShare: number;
  readonly schedulerThrottleP99: number | null;
  readonly schedulerThrottledShare: number;
  /** Requests each component sent (rate-limiter observations) per pod of the workload. */
  readonly controllerManagerRequestsPerPod: number;
  readonly schedulerRequestsPerPod: number;
  /** The highest request rate each component sent over a 2-second sample: what its QPS must cover. */
  readonly controllerManagerPeakQps: number;
  readonly schedulerPeakQps: number;
  readonly claimQueueDepthMax: number;
  readonly claimWorkP99: number | null;
  readonly apiRequestsPerSecond: number;
  readonly api429: number;
  readonly cpuSeconds: { etcd: number; apiServer: number; controllerManager: number; scheduler: number };
  /** The workload's wall time, from the first Job to the last churn wave gone. */
  readonly seconds: number;
}

const NAMESPACE = 'bench';
const DRIVER = 'bench.dra.example.com';
const PHASE_LABEL = 'bench.cdk8s-dra/phase';
const LONG_LIVED = 'long-lived';
const CLAIM_TEMPLATE = 'bench-device';
/** A requests bucket boundary of client-go's rate-limiter histogram: waits above it count as throttled. */
const THROTTLED_ABOVE = 0.025;
/** No phase of a run may take longer: the run fails with the counts instead of hanging. */
const PHASE_TIMEOUT_MS = 15 * 60_000;

const log = (text: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Starts a control plane with `rates`, runs `workload` on it, stops it and removes its directory. */
export async function runOnce(label: string, workload: Workload, rates: RunRates): Promise<RunMeasurement> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-bench-cluster-'));
  const state = await startControlPlane(dir, {
    controllerManagerRate: rates.controllerManager,
    schedulerRate: rates.scheduler,
    controllerManagerArgs: rates.concurrentResourceClaimSyncs === undefined ? [] : [`--concurrent-resourceclaim-syncs=${rates.concurrentResourceClaimSyncs}`],
  });
  log(`${label}: control plane up in ${state.startSeconds.toFixed(1)} s`);
  // An interrupted bench leaves no control plane behind.
  const watchdog = startWatchdog(process.pid, state.processes.map(p => p.pid));
  try {
    return await measure(label, state, workload);
  } finally {
    await stopControlPlane(state);
    await stopProcesses([watchdog], 0);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(label: string, state: ControlPlaneState, workload: Workload): Promise<RunMeasurement> {
  const admin = clientOf(state);
  await setUp(admin, workload);
  log(`${label}: ${workload.nodes} nodes with ${workload.devicesPerNode} devices each published as the driver`);

  const created = new Map<string, number>();
  const bound = new Map<string, number>();
  const phaseOf = new Map<string, string>();
  const deleted = new Set<string>();
  let claims = 0;
  const podWatch = watch(admin.endpoint, state.adminToken, `/api/v1/namespaces/${NAMESPACE}/pods`, e => {
    const uid = e.object?.metadata?.uid;
    if (!uid) {
      return;
    }
    if (!created.has(uid)) {
      created.set(uid, e.at);
      phaseOf.set(uid, e.object.metadata.labels?.[PHASE_LABEL] ?? '');
    }
    if (e.object.spec?.nodeName && !bound.has(uid)) {
      bound.set(uid, e.at);
    }
    if (e.type === 'DELETED') {
      deleted.add(uid);
    }
  });
  const claimWatch = watch(admin.endpoint, state.adminToken, `/apis/resource.k8s.io/v1/namespaces/${NAMESPACE}/resourceclaims`, e => {
    claims += e.type === 'ADDED' ? 1 : e.type === 'DELETED' ? -1 : 0;
  });
  await Promise.all([podWatch.ready, claimWatch.ready]);

  const endpoints = metricsEndpoints(state);
  const before = await scrapeAll(endpoints, state.adminToken);
  let depthMax = 0;
  const peak = { controllerManager: 0, scheduler: 0 };
  let sampling = true;
  const sampler = (async () => {
    const requests = (s: Scrape) => sum(s, 'rest_client_rate_limiter_duration_seconds_count');
    let last = { at: Date.now(), controllerManager: requests(before.controllerManager), scheduler: requests(before.scheduler) };
    while (sampling) {
      await sleep(2000);
      const [kcm, sched] = await Promise.all([scrape(endpoints.controllerManager), scrape(endpoints.scheduler)]).catch(() => [undefined, undefined]);
      if (kcm && sched) {
        const now = { at: Date.now(), controllerManager: requests(kcm), scheduler: requests(sched) };
        const seconds = (now.at - last.at) / 1000;
        peak.controllerManager = Math.max(peak.controllerManager, (now.controllerManager - last.controllerManager) / seconds);
        peak.scheduler = Math.max(peak.scheduler, (now.scheduler - last.scheduler) / seconds);
        depthMax = Math.max(depthMax, sum(kcm, 'workqueue_depth', { name: 'resource_claim' }));
        last = now;
      }
    }
  })();

  const count = (phase: string, of: Map<string, number> | Set<string>) =>
    [...phaseOf].filter(([uid, p]) => p === phase && of.has(uid)).length;
  const waitUntil = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + PHASE_TIMEOUT_MS;
    while (!done()) {
      if (Date.now() > deadline) {
        throw new Error(`${label}: timed out waiting for ${what}`);
      }
      await sleep(100);
    }
  };

  const phases: Array<{ name: string; start: number; end: number }> = [];
  const begin = Date.now();
  const runPhase = async (phase: string, pods: number) => {
    const start = Date.now();
    await createJobs(admin, phase, pods, workload.qps);
    await waitUntil(`${pods} ${phase} pods bound (${count(phase, bound)} are)`, () => count(phase, bound) >= pods);
    const end = Math.max(...[...phaseOf].filter(([, p]) => p === phase).map(([uid]) => bound.get(uid)!));
    phases.push({ name: phase, start, end });
    log(`${label}: ${pods} ${phase} pods bound in ${((end - start) / 1000).toFixed(1)} s`);
  };

  await runPhase(LONG_LIVED, workload.longLivedPods);
  for (let wave = 1; wave <= workload.churnWaves; wave++) {
    const phase = `wave-${wave}`;
    await runPhase(phase, workload.churnPods);
    await deletePhase(admin, phase);
    await waitUntil(`${phase} pods and claims gone`, () => count(phase, deleted) >= workload.churnPods && claims <= workload.longLivedPods);
  }
  const seconds = (Date.now() - begin) / 1000;

  sampling = false;
  await sampler;
  const after = await scrapeAll(endpoints, state.adminToken);
  podWatch.stop();
  claimWatch.stop();

  const kcmThrottle = histogramDelta(before.controllerManager, after.controllerManager, 'rest_client_rate_limiter_duration_seconds');
  const schedThrottle = histogramDelta(before.scheduler, after.scheduler, 'rest_client_rate_limiter_duration_seconds');
  const requests = sum(after.apiServer, 'apiserver_request_total') - sum(before.apiServer, 'apiserver_request_total');
  const cpu = (k: keyof Scrapes) => round(sum(after[k], 'process_cpu_seconds_total') - sum(before[k], 'process_cpu_seconds_total'), 1);
  const waveSeconds = phases.filter(p => p.name !== LONG_LIVED).map(p => (p.end - p.start) / 1000);
  const samples = boundSamples(phases, [...bound.values()]);
  const latencies = [...bound].map(([uid, at]) => (at - created.get(uid)!) / 1000);
  const pods = workload.longLivedPods + workload.churnPods * workload.churnWaves;
  return {
    pods,
    longLivedBoundSeconds: round((phases[0].end - phases[0].start) / 1000, 1),
    waveBoundSeconds: waveSeconds.length > 0 ? round(median(waveSeconds), 1) : null,
    boundPerSecond: {
      mean: round(samples.reduce((t, x) => t + x, 0) / Math.max(samples.length, 1), 1),
      p50: percentile(samples, 0.5),
      p99: percentile(samples, 0.99),
    },
    bindLatencyP99: round(percentile(latencies, 0.99), 2),
    schedulingSliP99: rounded(quantile(0.99, histogramDelta(before.scheduler, after.scheduler, 'scheduler_pod_scheduling_sli_duration_seconds')), 3),
    controllerManagerThrottleP99: rounded(quantile(0.99, kcmThrottle), 4),
    controllerManagerThrottledShare: round(shareAbove(THROTTLED_ABOVE, kcmThrottle), 4),
    schedulerThrottleP99: rounded(quantile(0.99, schedThrottle), 4),
    schedulerThrottledShare: round(shareAbove(THROTTLED_ABOVE, schedThrottle), 4),
    controllerManagerRequestsPerPod: round(kcmThrottle.count / pods, 2),
    schedulerRequestsPerPod: round(schedThrottle.count / pods, 2),
    controllerManagerPeakQps: round(peak.controllerManager, 1),
    schedulerPeakQps: round(peak.scheduler, 1),
    claimQueueDepthMax: depthMax,
    claimWorkP99: rounded(quantile(0.99, histogramDelta(before.controllerManager, after.controllerManager, 'workqueue_work_duration_seconds', { name: 'resource_claim' })), 4),
    apiRequestsPerSecond: round(requests / seconds, 1),
    api429: sum(after.apiServer, 'apiserver_request_total', { code: '429' }) - sum(before.apiServer, 'apiserver_request_total', { code: '429' }),
    cpuSeconds: { etcd: cpu('etcd'), apiServer: cpu('apiServer'), controllerManager: cpu('controllerManager'), scheduler: cpu('scheduler') },
    seconds: round(seconds, 1),
  };
}

/** The namespace, the nodes, the driver's objects, its slices, the claim template. */
async function setUp(admin: KubeClient, workload: Workload): Promise<void> {
  await admin.expectOk('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  const driver = driverObjects();
  // No kubelet runs the plugin: its DaemonSet would only add pods to schedule.
  for (const obj of inApplyOrder(driver.objects.filter(o => o.kind !== 'DaemonSet'))) {
    const res = await admin.apply(obj, 'bench-cluster');
    if (res.status >= 300) {
      throw new Error(`apply ${obj.kind} ${obj.metadata.name}: ${res.status} ${res.body?.message}`);
    }
  }
  await inParallel(workload.nodes, 10, i => createNode(admin, nodeName(i)));
  await inParallel(workload.nodes, 10, i => publishSlice(admin, driver, nodeName(i), workload.devicesPerNode));
  await admin.expectOk('POST', `/apis/resource.k8s.io/v1/namespaces/${NAMESPACE}/resourceclaimtemplates`, {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaimTemplate',
    metadata: { name: CLAIM_TEMPLATE, namespace: NAMESPACE },
    spec: { spec: { devices: { requests: [{ name: 'device', exactly: { deviceClassName: driver.deviceClass } }] } } },
  });
  // Pods are refused until the ServiceAccount controller has made the namespace's `default` account.
  await admin.waitFor(`the ${NAMESPACE} namespace's default ServiceAccount`, async () =>
    (await admin.request('GET', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/default`)).status === 200 ? true : undefined);
}

interface DriverObjects {
  readonly objects: any[];
  readonly username: string;
  readonly namespace: string;
  readonly deviceClass: string;
}

/** The library's DraDriver (its ServiceAccount, RBAC, ResourceSliceGuard and DeviceClass), synthesized. */
function driverObjects(): DriverObjects {
  const chart = new Chart(new App(), 'bench');
  const driver = new DraDriver(chart, 'driver', { driverName: DRIVER, image: 'registry.example.com/bench-plugin:v1.0.0' });
  return {
    objects: chart.toJson(),
    username: `system:serviceaccount:${driver.namespace}:${driver.serviceAccountName}`,
    namespace: driver.namespace,
    deviceClass: driver.deviceClassNames[0],
  };
}

function nodeName(i: number): string {
  return `bench-node-${i}`;
}

/** A Node as test/integration/dra's createNodes makes it: capacity, Ready, Running, no taints. */
async function createNode(admin: KubeClient, name: string): Promise<void> {
  const capacity = { cpu: '4', memory: '32Gi', pods: '110' };
  await admin.expectOk('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
  await admin.expectOk('PATCH', `/api/v1/nodes/${name}/status`, {
    status: {
      capacity,
      allocatable: capacity,
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake node: no kubelet', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
    },
  }, 'application/strategic-merge-patch+json');
  // The TaintNodesByCondition admission plugin adds node.kubernetes.io/not-ready on create.
  await admin.expectOk('PATCH', `/api/v1/nodes/${name}`, [{ op: 'replace', path: '/spec/taints', value: [] }], 'application/json-patch+json');
}

/** One slice with `devices` devices, written as the driver's ServiceAccount on `node` (the guard checks the node-name extra). */
async function publishSlice(admin: KubeClient, driver: DriverObjects, node: string, devices: number): Promise<void> {
  const asDriver = admin.as({
    token: admin.identity.token,
    impersonate: driver.username,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${driver.namespace}`, 'system:authenticated'],
    extra: { 'authentication.kubernetes.io/node-name': [node] },
  });
  await asDriver.expectOk('POST', '/apis/resource.k8s.io/v1/resourceslices', {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceSlice',
    metadata: { name: `${node}-${DRIVER.replace(/\./g, '-')}` },
    spec: {
      driver: DRIVER,
      nodeName: node,
      pool: { name: node, generation: 1, resourceSliceCount: 1 },
      devices: Array.from({ length: devices }, (_, i) => ({
        name: `instance-${i}`,
        attributes: { model: { string: 'bench' } },
        capacity: { memory: { value: '1Gi' } },
      })),
    },
  });
}

/** `count` Jobs of one pod each, paced at `qps` creations per second (requests overlap when the server is slow). */
async function createJobs(admin: KubeClient, phase: string, count: number, qps: number): Promise<void> {
  const start = Date.now();
  const pending: Array<Promise<unknown>> = [];
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / qps - Date.now();
    if (wait > 0) {
      await sleep(wait);
    }
    pending.push(admin.expectOk('POST', `/apis/batch/v1/namespaces/${NAMESPACE}/jobs`, job(`${phase}-${i}`, phase)));
  }
  await Promise.all(pending);
}

function job(name: string, phase: string): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NAMESPACE, labels: { [PHASE_LABEL]: phase } },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { [PHASE_LABEL]: phase } },
        spec: {
          restartPolicy: 'Never',
          resourceClaims: [{ name: 'device', resourceClaimTemplateName: CLAIM_TEMPLATE }],
          containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { claims: [{ name: 'device' }] } }],
        },
      },
    },
  };
}

/**
 * Deletes a churn wave: its Jobs, then its pods at once (grace period 0: no kubelet would ever
 * confirm a graceful termination). kube-controller-manager then drops the Job finalizers and
 * deletes the generated claims, which frees their devices.
 */
async function deletePhase(admin: KubeClient, phase: string): Promise<void> {
  const selector = encodeURIComponent(`${PHASE_LABEL}=${phase}`);
  await admin.expectOk('DELETE', `/apis/batch/v1/namespaces/${NAMESPACE}/jobs?labelSelector=${selector}&propagationPolicy=Background`);
  await admin.expectOk('DELETE', `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=${selector}&gracePeriodSeconds=0`);
}

interface Scrapes {
  readonly etcd: Scrape;
  readonly apiServer: Scrape;
  readonly controllerManager: Scrape;
  readonly scheduler: Scrape;
}

function metricsEndpoints(state: ControlPlaneState): Record<keyof Scrapes, string> {
  return {
    etcd: `http://127.0.0.1:${state.ports.etcd}/metrics`,
    apiServer: `${state.apiServer}/metrics`,
    controllerManager: `https://127.0.0.1:${state.ports.controllerManager}/metrics`,
    scheduler: `https://127.0.0.1:${state.ports.scheduler}/metrics`,
  };
}

async function scrapeAll(endpoints: Record<keyof Scrapes, string>, adminToken: string): Promise<Scrapes> {
  const [etcd, apiServer, controllerManager, scheduler] = await Promise.all([
    scrape(endpoints.etcd), scrape(endpoints.apiServer, adminToken), scrape(endpoints.controllerManager), scrape(endpoints.scheduler),
  ]);
  return { etcd, apiServer, controllerManager, scheduler };
}

/** Pods bound in each whole second of each phase, the phase's first second left out. */
function boundSamples(phases: Array<{ start: number; end: number }>, boundAt: number[]): number[] {
  return phases.flatMap(({ start, end }) => {
    const seconds = Math.ceil((end - start) / 1000);
    const counts = new Array<number>(seconds).fill(0);
    for (const at of boundAt) {
      if (at >= start && at <= end) {
        counts[Math.min(Math.floor((at - start) / 1000), seconds - 1)]++;
      }
    }
    return counts.length > 1 ? counts.slice(1) : counts;
  });
}

async function inParallel(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) {
      await task(next++);
    }
  }));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile. */
function percentile(values: number[], q: number): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function rounded(value: number | undefined, digits: number): number | null {
  return value === undefined ? null : round(value, digits);
}
