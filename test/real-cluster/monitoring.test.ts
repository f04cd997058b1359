// DraMonitoring's own rule file in a real Prometheus (Debian's binary) scraping the test version's
// real kube-controller-manager, kube-scheduler and kube-apiserver (1.34 and 1.37 in the full
// scope: 1.37 renamed the claim metrics the claim rules read) with kube-prometheus-stack's
// job labels, under a DRA workload: fake Nodes publishing devices in ResourceSlices, pods whose
// claims (from a ResourceClaimTemplate) the ResourceClaim controller creates and kube-scheduler
// allocates and binds. No kubelet runs, so the pods stay Pending with spec.nodeName set and the
// kubelet and driver signals have no series here (their promtool cases cover them).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClientRate, clientOf, ControlPlaneState, logTails, startControlPlane, stopControlPlane } from '../../harness/cluster/control-plane';
import { DraWorkload } from '../../harness/cluster/dra-workload';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { startWatchdog } from '../../harness/cluster/processes';
import { ControlPlaneSizing, DraMonitoring } from '../../src';
import { isAtLeast, KUBERNETES_CHANGES } from '../../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';
import { CLAIM_CREATES, CLAIM_METRIC_NAMES, CLAIMS } from '../../src/monitoring/claim-metrics';
import { THRESHOLD_HISTOGRAMS } from '../../src/monitoring/default-thresholds';
import { throttlingP99Expr } from '../../src/monitoring/rules';
import { DEPTH, DRA_SIGNALS, MetricSource, WORK_DURATION } from '../../src/monitoring/signals';
import { buildMonitoring } from '../monitoring/support';
import { CLUSTER_SETUP_TIMEOUT_MS, sharedControlPlane } from '../support/cluster/shared';
import { KUBE_PROMETHEUS_STACK_JOBS, kubePrometheusStackTargets, TestPrometheus } from '../support/prometheus';

/** Short enough for alerts to reach firing within the test; scrapes and evaluations every 2 s. */
const ALERT_FOR = '10s';
const ALERT_FOR_MS = 10_000;
const INTERVAL = '2s';
const SETUP_TIMEOUT_MS = 600_000;

const monitoring: DraMonitoring = buildMonitoring({ alertFor: ALERT_FOR }).monitoring;
/** The five page signals over kube-controller-manager and kube-scheduler metrics. */
const CONTROL_PLANE_SIGNALS = DRA_SIGNALS.filter(s => s.source !== MetricSource.KUBELET);
/** The thresholds compared with a histogram the control plane exports, by that histogram. */
const REAL_HISTOGRAMS = (['resourceClaimWorkDurationSeconds', 'schedulerEndToEndSeconds', 'schedulerAlgorithmSeconds', 'clientThrottlingSeconds'] as const)
  .map(threshold => [THRESHOLD_HISTOGRAMS[threshold]!.metric, threshold] as const);
const KUBELET_SIGNALS = DRA_SIGNALS.filter(s => s.source === MetricSource.KUBELET);
/** Every recording rule the file holds, in its order: the page's nine, then the claim counts. */
const RECORDS = [...DRA_SIGNALS.map(s => s.record), CLAIM_CREATES, CLAIMS];
/** The claim metric names this version's components export, and the ones they no longer (or not yet) do. */
const RENAMED = isAtLeast(parseKubernetesVersion(testKubernetesMinor())!, KUBERNETES_CHANGES.claimMetricsRenamed);
const CLAIM_NAMES = {
  exported: RENAMED
    ? [CLAIM_METRIC_NAMES.creates.sinceRename[0], CLAIM_METRIC_NAMES.claims.sinceRename[0]]
    : [CLAIM_METRIC_NAMES.creates.beforeRename[0], CLAIM_METRIC_NAMES.claims.beforeRename[0]],
  absent: RENAMED
    ? [...CLAIM_METRIC_NAMES.creates.beforeRename, ...CLAIM_METRIC_NAMES.claims.beforeRename]
    : [...CLAIM_METRIC_NAMES.creates.sinceRename, ...CLAIM_METRIC_NAMES.claims.sinceRename],
};

function ruleExpr(record: string): string {
  return monitoring.ruleGroups().flatMap(g => g.rules).find(r => r.record === record)!.expr;
}

/**
 * The page's query on kube-prometheus-stack's labels: the page's depth query selects
 * `endpoint="kube-controller-manager"`, which kube-prometheus-stack names `http-metrics`.
 * The other eight carry no scrape selector and run verbatim.
 */
function pageQueryOnStackLabels(pageQuery: string): string {
  return pageQuery.replace('endpoint="kube-controller-manager"', `endpoint="${KUBE_PROMETHEUS_STACK_JOBS.controllerManager.labels.endpoint}"`);
}

/** The raw series a recording rule reads: its first selector, counted. */
function inputSeriesQuery(expr: string): string {
  return `count(${/[a-z_:]+\{[^}]*\}/.exec(expr)![0]})`;
}

/** The alerts that were firing at any evaluation in the last hour (Prometheus's ALERTS series). */
async function everFiring(prometheus: TestPrometheus): Promise<string[]> {
  const samples = await prometheus.query('group by (alertname) (last_over_time(ALERTS{alertstate="firing"}[1h]))');
  return samples.map(s => s.labels.alertname).sort();
}

function prometheusFor(state: ControlPlaneState, withApiServer: boolean): Promise<TestPrometheus> {
  return TestPrometheus.start({
    targets: kubePrometheusStackTargets({
      controllerManager: { url: `https://127.0.0.1:${state.ports.controllerManager}/metrics` },
      scheduler: { url: `https://127.0.0.1:${state.ports.scheduler}/metrics` },
      ...(withApiServer ? { apiServer: { url: `${state.apiServer}/metrics`, bearerToken: state.adminToken } } : {}),
    }),
    ruleFile: monitoring.toRuleFile(),
    interval: INTERVAL,
  });
}

/**
 * Waits until Prometheus has scraped every target twice (a rate needs two samples): the
 * workload must start after that, or its observations predate the first sample and no rate sees them.
 */
async function waitScrapedTwice(prometheus: TestPrometheus, targets: number): Promise<void> {
  await prometheus.waitFor(`${targets} targets scraped twice`, async () => {
    const scrapes = await prometheus.query('count_over_time(up[1m]) >= 2');
    return scrapes.length === targets ? true : undefined;
  }, 120_000);
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

describe('a healthy DRA workload on the shared control plane', () => {
  let prometheus: TestPrometheus;
  let workload: DraWorkload | undefined;
  let started: number;

  beforeAll(async () => {
    started = Date.now();
    const state = await sharedControlPlane();
    prometheus = await prometheusFor(state, true);
    await waitScrapedTwice(prometheus, 3);
    workload = await DraWorkload.create(clientOf(state), { prefix: 'monitoring-healthy', nodes: 3, devicesPerNode: 4 });
    // Two waves. The SLI histogram's series (one per `attempts` value) are born with their first
    // observation, so rate() and increase() take that first sample as their baseline and never
    // count the observations in it: the first wave creates the series, the second is measured.
    await workload.createPods(3);
    await workload.waitAllBound(180_000);
    await prometheus.waitFor('the SLI histogram scraped twice', async () =>
      (await prometheus.query('count_over_time(scheduler_pod_scheduling_sli_duration_seconds_count{attempts="1"}[1m]) >= 2')).length > 0 ? true : undefined);
    await workload.createPods(9);
    await workload.waitAllBound(180_000);
    // Every control-plane signal has a value computed from the workload's observations.
    let last: string[] = [];
    await prometheus.waitFor('every control-plane signal recorded with data', async () => {
      const values = await Promise.all(CONTROL_PLANE_SIGNALS.map(async s => (await prometheus.query(s.record)).map(x => x.value)));
      last = CONTROL_PLANE_SIGNALS.map((s, i) => `${s.record}=${values[i].join(',')}`);
      const claims = await Promise.all([CLAIM_CREATES, CLAIMS].map(async record => (await prometheus.query(record)).map(x => `${JSON.stringify(x.labels)}=${x.value}`)));
      last.push(`claims: ${claims.join('; ')}`);
      return values.every(v => v.length === 1 && Number.isFinite(v[0])) && values[0][0] > 0 && claims.every(c => c.length > 0) ? true : undefined;
    }, 120_000).catch(async error => {
      const up = (await prometheus.query('up')).map(u => `${u.labels.job}=${u.value}`);
      throw new Error(`${error.message}: ${last.join('; ')}; up: ${up.join(', ')}`);
    });
    // Long enough for any alert true on this data to go from pending to firing.
    await sleep(ALERT_FOR_MS + 3 * 2_000);
  }, CLUSTER_SETUP_TIMEOUT_MS + SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await prometheus?.stop();
    await workload?.delete();
    process.stdout.write(`monitoring.test.ts healthy run: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }, 120_000);

  test('the rule file loads and every rule evaluates without error on the real components\' series', async () => {
    const rules = await prometheus.rules();
    expect(rules.filter(r => r.health !== 'ok')).toEqual([]);
    expect(rules.filter(r => r.type === 'recording').map(r => r.name)).toEqual(RECORDS);
  });

  test(`the claim rules record this workload's claims from the names ${testKubernetesMinor()} exports (${CLAIM_NAMES.exported.join(', ')})`, async () => {
    const present = await Promise.all(CLAIM_NAMES.exported.map(async name => (await prometheus.query(`count(${name})`))[0]?.value ?? 0));
    const gone = await Promise.all(CLAIM_NAMES.absent.map(async name => prometheus.query(name)));
    process.stdout.write(`claim metrics on ${testKubernetesMinor()}: ${CLAIM_NAMES.exported.map((n, i) => `${n} ${present[i]} series`).join(', ')}; `
      + `${CLAIM_NAMES.absent.join(', ')} absent\n`);
    expect(present.every(count => count > 0)).toBe(true);
    expect(gone.flat()).toEqual([]);
    // 12 pods, one claim each from the template: created successfully, all allocated (other
    // files on the shared control plane may hold claims of their own).
    const creates = await prometheus.query(CLAIM_CREATES);
    expect(creates.map(c => c.labels.status)).toEqual(['success']);
    expect(creates[0].value).toBeGreaterThan(0);
    const claims = await prometheus.query(`${CLAIMS}{allocated="true"}`);
    expect(claims).toHaveLength(1);
    expect(claims[0].value).toBeGreaterThanOrEqual(12);
  });

  test.each(CONTROL_PLANE_SIGNALS.map(s => [s.record, s] as const))('%s records real data and equals the page\'s query', async (_, signal) => {
    const recorded = await prometheus.query(signal.record);
    const inputs = await prometheus.query(inputSeriesQuery(ruleExpr(signal.record)));
    process.stdout.write(`${signal.record}: ${recorded.length} recorded series = ${recorded.map(s => s.value).join(', ')}; `
      + `${inputs[0]?.value ?? 0} input series\n`);
    expect(recorded.length).toBe(1);
    expect(Number.isFinite(recorded[0].value)).toBe(true);
    expect(inputs[0].value).toBeGreaterThan(0);
    // Both sides in one query: one view of the storage (the recorded sample may predate a scrape).
    const difference = await prometheus.query(`(${ruleExpr(signal.record)}) - (${pageQueryOnStackLabels(signal.pageQuery)})`);
    expect(difference.map(d => d.value)).toEqual([0]);
  });

  test('the work-duration and scheduler quantiles come from observations of this workload', async () => {
    // A quantile over buckets that did not move is NaN: finite values mean the rates saw observations.
    expect((await prometheus.query('dra:resource_claim_workqueue_adds:rate5m'))[0].value).toBeGreaterThan(0);
    expect((await prometheus.query('sum(increase(scheduler_pod_scheduling_sli_duration_seconds_count{job="kube-scheduler"}[5m]))'))[0].value)
      .toBeGreaterThan(0);
  });

  test.each(REAL_HISTOGRAMS)('%s has the bucket layout THRESHOLD_HISTOGRAMS says (%s)', async (_, threshold) => {
    const histogram = THRESHOLD_HISTOGRAMS[threshold]!;
    const les = (await prometheus.query(`count by (le) (${histogram.metric}_bucket)`))
      .map(s => s.labels.le).filter(le => le !== '+Inf').map(Number).sort((a, b) => a - b);
    // Go's repeated multiplication prints 9.999999999999999e-06 where the source means 1e-5.
    expect(les.length).toBe(histogram.bounds.length);
    les.forEach((le, i) => expect(le).toBeCloseTo(histogram.bounds[i], 12));
  });

  test('on kube-prometheus-stack\'s labels the page\'s depth query verbatim selects nothing', async () => {
    const depth = DRA_SIGNALS.find(s => s.record === DEPTH)!;
    expect(await prometheus.query(depth.pageQuery)).toEqual([]);
    expect(await prometheus.query(pageQueryOnStackLabels(depth.pageQuery))).toHaveLength(1);
  });

  test('the kubelet and plugin signals have no series: no kubelet runs', async () => {
    for (const signal of KUBELET_SIGNALS) {
      expect(await prometheus.query(signal.record)).toEqual([]);
      expect(await prometheus.query(signal.pageQuery)).toEqual([]);
    }
  });

  test('no alert fired but DraKubeletMetricsAbsent, which must: no kubelet is scraped', async () => {
    expect(await everFiring(prometheus)).toEqual(['DraKubeletMetricsAbsent']);
  });
});

describe('ResourceClaims the controller cannot create (a ResourceQuota of no claims)', () => {
  const CREATES_FAILING = 'DraResourceClaimCreatesFailing';
  let prometheus: TestPrometheus;
  let workload: DraWorkload | undefined;

  beforeAll(async () => {
    const state = await sharedControlPlane();
    prometheus = await prometheusFor(state, false);
    await waitScrapedTwice(prometheus, 2);
    const admin = clientOf(state);
    workload = await DraWorkload.create(admin, { prefix: 'monitoring-quota', nodes: 1, devicesPerNode: 2 });
    // The ResourceQuota admission plugin (on by default) refuses every claim in this namespace.
    await admin.expectOk('POST', `/api/v1/namespaces/${workload.namespace}/resourcequotas`, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'no-claims' },
      spec: { hard: { 'count/resourceclaims.resource.k8s.io': '0' } },
    });
    await workload.createPods(2);
    await prometheus.waitFor(`${CREATES_FAILING} firing`, async () => (await everFiring(prometheus)).includes(CREATES_FAILING) ? true : undefined, 180_000);
  }, CLUSTER_SETUP_TIMEOUT_MS + SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await prometheus?.stop();
    await workload?.delete();
  }, 120_000);

  test(`${CREATES_FAILING} fires on the refused creations, counted under ${CLAIM_NAMES.exported[0]}`, async () => {
    const failed = await prometheus.query(`sum(${CLAIM_NAMES.exported[0]}{status="failure"})`);
    expect(failed[0].value).toBeGreaterThan(0);
    const firing = (await prometheus.alerts()).filter(a => a.labels.alertname === CREATES_FAILING && a.state === 'firing');
    expect(firing.map(a => a.labels.status)).toEqual(['failure']);
  });
});

/** How many pods (one generated claim each) the burst creates at once, over how many nodes. */
const BURST = { pods: 30, nodes: 3 };
/** The burst as ControlPlaneSizing reads it: every pod created within one second. */
const RECOMMENDED = ControlPlaneSizing.recommend({ nodes: BURST.nodes, podCreationQps: BURST.pods, claimsPerPod: 1 });

interface ThrottlingRun {
  readonly name: string;
  readonly controllerManagerRate: ClientRate;
  readonly schedulerRate?: ClientRate;
  /** kube-controller-manager's rate-limiter p99 wait (s) before the burst, and when the alert fired or at the end. */
  p99Before?: number;
  p99After?: number;
  /** The alerts that fired before the burst, and by the end. */
  firingBefore?: string[];
  ever?: string[];
  seconds?: number;
  /** The ResourceClaim controller's work duration p99 (s) at the end. */
  workP99?: number;
}

/** Low enough that the burst's claims wait seconds in the limiter; not so low that start-up alone fires the alert. */
const LOW_RATE: ClientRate = { qps: 2, burst: 5 };
const THROTTLING_ALERT = 'DraControllerManagerClientThrottled';
const MISTUNED_ALERT = 'DraResourceClaimControllerMistuned';
const KCM_THROTTLING_P99 = throttlingP99Expr({ job: KUBE_PROMETHEUS_STACK_JOBS.controllerManager.job }, undefined);

async function kcmThrottlingP99(prometheus: TestPrometheus): Promise<number | undefined> {
  const value = (await prometheus.query(KCM_THROTTLING_P99))[0]?.value;
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/**
 * A dedicated control plane at the run's rates and a Prometheus on it; a burst of claims; then
 * either the throttling alert firing (low rates) or every pod bound and `alertFor` more without
 * it (recommended rates).
 */
async function throttlingRun(run: ThrottlingRun, expectFiring: boolean): Promise<void> {
  const begin = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dra-monitoring-${run.name}-`));
  let state: ControlPlaneState | undefined;
  let prometheus: TestPrometheus | undefined;
  try {
    state = await startControlPlane(dir, { controllerManagerRate: run.controllerManagerRate, schedulerRate: run.schedulerRate });
    startWatchdog(process.pid, state.processes.map(p => p.pid));
    prometheus = await prometheusFor(state, false);
    const p = prometheus;
    await waitScrapedTwice(p, 2);
    const workload = await DraWorkload.create(clientOf(state), { prefix: `throttling-${run.name}`, nodes: BURST.nodes, devicesPerNode: BURST.pods / BURST.nodes });
    run.p99Before = await p.waitFor('the rate limiter observed', () => kcmThrottlingP99(p), 120_000);
    run.firingBefore = await everFiring(p);
    await workload.createPods(BURST.pods);
    if (expectFiring) {
      // Throttled, the ResourceClaim controller's items wait in its API calls: the diagnosis
      // that says "raise QPS/burst" follows once its work duration p99 passes 1 s.
      for (const alert of [THROTTLING_ALERT, MISTUNED_ALERT]) {
        await p.waitFor(`${alert} firing`, async () => (await everFiring(p)).includes(alert) ? true : undefined, 240_000);
      }
    } else {
      await workload.waitAllBound(240_000);
      await sleep(ALERT_FOR_MS + 3 * 2_000);
    }
    run.p99After = await kcmThrottlingP99(p);
    run.workP99 = (await p.query(WORK_DURATION))[0]?.value;
    run.ever = await everFiring(p);
    run.seconds = (Date.now() - begin) / 1000;
  } catch (error) {
    throw new Error(`${run.name}: ${(error as Error).message}\n${state ? logTails(state.processes, 10) : ''}`);
  } finally {
    await prometheus?.stop();
    if (state) {
      await stopControlPlane(state);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const low: ThrottlingRun = { name: 'low', controllerManagerRate: LOW_RATE };
const recommended: ThrottlingRun = {
  name: 'recommended',
  controllerManagerRate: { qps: RECOMMENDED.controllerManagerQps, burst: RECOMMENDED.controllerManagerBurst },
  schedulerRate: { qps: RECOMMENDED.schedulerQps, burst: RECOMMENDED.schedulerBurst },
};
/**
 * Started when the file loads, side by side with the healthy run (each run has its own control
 * plane and Prometheus): the file takes as long as its longest part. Awaited below; a
 * failure is kept and thrown there, not left unhandled.
 */
const throttlingRuns: Promise<unknown> = Promise.all([throttlingRun(low, true), throttlingRun(recommended, false)])
  .then(() => undefined, error => error);

describe('kube-controller-manager client-side throttling under a burst of claims (dedicated control planes)', () => {
  beforeAll(async () => {
    const failure = await throttlingRuns;
    if (failure) {
      throw failure;
    }
    for (const run of [low, recommended]) {
      process.stdout.write(`throttling ${run.name} (kcm qps/burst ${run.controllerManagerRate.qps}/${run.controllerManagerRate.burst}): `
        + `rate-limiter p99 ${run.p99Before} s before the burst, ${run.p99After} s after; work p99 ${run.workP99} s; `
        + `fired ${JSON.stringify(run.firingBefore)} before the burst, ${JSON.stringify(run.ever)} by the end; ${run.seconds?.toFixed(0)} s\n`);
    }
  }, SETUP_TIMEOUT_MS);

  test('ControlPlaneSizing recommends more than the defaults for this burst', () => {
    expect(RECOMMENDED.controllerManagerQps).toBeGreaterThan(20);
  });

  test(`at qps ${LOW_RATE.qps} / burst ${LOW_RATE.burst} ${THROTTLING_ALERT} fires, because of the burst`, () => {
    expect(low.firingBefore).not.toContain(THROTTLING_ALERT);
    expect(low.ever).toContain(THROTTLING_ALERT);
    expect(low.p99After).toBeGreaterThan(1);
  });

  test(`at qps ${LOW_RATE.qps} / burst ${LOW_RATE.burst} ${MISTUNED_ALERT} diagnoses the slow ResourceClaim controller`, () => {
    expect(low.firingBefore).not.toContain(MISTUNED_ALERT);
    expect(low.ever).toContain(MISTUNED_ALERT);
    expect(low.workP99).toBeGreaterThan(1);
  });

  test('at the recommended qps/burst no throttling alert fires', () => {
    expect(recommended.ever).not.toContain(THROTTLING_ALERT);
    expect(recommended.ever).not.toContain('DraSchedulerClientThrottled');
    expect(recommended.p99After).toBeLessThanOrEqual(1);
  });
});
