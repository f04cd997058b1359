// Proves the rules with Prometheus's own tool: `promtool check rules` on the plain rule file,
// and `promtool test rules` with synthetic series for every alert (a case where it fires and
// one where it must not) and every recording rule (equal to the page's query on the same series).
import { stringify } from 'yaml';
import { alertRule, alertRules, buildMonitoring, promtool } from './support';
import { ControlPlaneTarget, DraMonitoring, DraMonitoringProps } from '../../src';
import { CLAIM_CREATES, CLAIM_METRIC_NAMES, CLAIMS } from '../../src/monitoring/claim-metrics';
import { ResolvedThresholds, THRESHOLD_HISTOGRAMS } from '../../src/monitoring/default-thresholds';
import { DRA_SIGNALS } from '../../src/monitoring/signals';

/** Samples every minute for 40 minutes; alerts are evaluated at 30m, after their 15m `for`. */
const STEPS = 40;
const EVAL_TIME = '30m';

interface Series { readonly series: string; readonly values: string }

function labelText(labels: { [key: string]: string }): string {
  return Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ');
}

/** A counter growing by `perMinute` every minute. */
function counter(metric: string, labels: { [key: string]: string }, perMinute: number): Series {
  return { series: `${metric}{${labelText(labels)}}`, values: `0+${perMinute}x${STEPS}` };
}

/** A gauge holding `value`. */
function gauge(metric: string, labels: { [key: string]: string }, value: number): Series {
  return { series: `${metric}{${labelText(labels)}}`, values: `${value}+0x${STEPS}` };
}

/**
 * A histogram whose observations (60 a minute) all land in the bucket with upper bound
 * `observedBound`, so its p99 lies between the previous bound and that one.
 */
function histogram(metric: string, labels: { [key: string]: string }, bounds: readonly number[], observedBound: number): Series[] {
  const buckets = bounds.map(le => counter(`${metric}_bucket`, { ...labels, le: String(le) }, le >= observedBound ? 60 : 0));
  return [
    ...buckets,
    counter(`${metric}_bucket`, { ...labels, le: '+Inf' }, 60),
    counter(`${metric}_count`, labels, 60),
  ];
}

/** The Kubernetes 1.34 bucket layout of the histogram a threshold is compared with (see default-thresholds.ts). */
function bucketsOf(threshold: keyof ResolvedThresholds): readonly number[] {
  return THRESHOLD_HISTOGRAMS[threshold]!.bounds;
}

const WORKQUEUE_BUCKETS = bucketsOf('resourceClaimWorkDurationSeconds');
const SLI_BUCKETS = bucketsOf('schedulerEndToEndSeconds');
const ALGORITHM_BUCKETS = bucketsOf('schedulerAlgorithmSeconds');
const DEF_BUCKETS = bucketsOf('kubeletOperationSeconds');
const RATE_LIMITER_BUCKETS = bucketsOf('clientThrottlingSeconds');

const KCM = { job: 'kube-controller-manager', endpoint: 'kube-controller-manager' };
const CLAIM_QUEUE = { ...KCM, name: 'resource_claim' };
const SCHEDULER = { job: 'kube-scheduler' };
/** The SLI histogram's `attempts` label: pods scheduled at their first attempt, and after retries. */
const FIRST_ATTEMPT = { ...SCHEDULER, attempts: '1' };
const RETRIED = { ...SCHEDULER, attempts: '5' };
/** kube-prometheus-stack's kubelet job scrapes several paths; the DRA metrics are on /metrics. */
const KUBELET = { job: 'kubelet', metrics_path: '/metrics' };
const CADVISOR = { job: 'kubelet', metrics_path: '/metrics/cadvisor' };
const PLUGIN_TARGET = { job: 'dra-gpu/gpu-kubelet-plugin-metrics', instance: '10.0.0.1:8080' };
const KSM = { job: 'kube-state-metrics' };
const PREPARE = 'k8s.io.kubelet.pkg.apis.dra.v1.DRAPlugin/NodePrepareResources';

/** The ResourceClaim controller: add rate (items/s), depth, and the bucket its work lands in. */
function claimController(addsPerSecond: number, depth: number, workBound: number): Series[] {
  return [
    counter('workqueue_adds_total', CLAIM_QUEUE, addsPerSecond * 60),
    gauge('workqueue_depth', CLAIM_QUEUE, depth),
    ...histogram('workqueue_work_duration_seconds', CLAIM_QUEUE, WORKQUEUE_BUCKETS, workBound),
    // Another controller's queue, busy and slow: the `name` matcher must keep it out.
    counter('workqueue_adds_total', { ...KCM, name: 'endpoints' }, 6000),
    gauge('workqueue_depth', { ...KCM, name: 'endpoints' }, 10000),
  ];
}

/**
 * Claim creations as kube-controller-manager reports them on 1.34-1.36 (`resourceclaim_controller_creates_total`)
 * or from 1.37 (`dynamic_resource_allocation_resourceclaim_creates_total`, more labels), per second and status.
 */
function claimCreates(names: 'beforeRename' | 'sinceRename', labels: { [key: string]: string }, perSecond: { [status: string]: number }): Series[] {
  const extra: { [key: string]: string } = names === 'sinceRename' ? { owner_api_group: '', owner_api_kind: 'Pod' } : {};
  return Object.entries(perSecond).map(([status, rate]) =>
    counter(CLAIM_METRIC_NAMES.creates[names][0], { ...labels, status, admin_access: 'false', ...extra }, rate * 60));
}

/** A healthy control plane and kubelet, so only the series a case changes can fire. */
function healthy(): Series[] {
  return [
    ...claimController(1, 5, 0.01),
    ...claimCreates('beforeRename', KCM, { success: 1 }),
    ...histogram('scheduler_pod_scheduling_sli_duration_seconds', FIRST_ATTEMPT, SLI_BUCKETS, 0.04),
    ...histogram('scheduler_scheduling_algorithm_duration_seconds', SCHEDULER, ALGORITHM_BUCKETS, 0.004),
    ...histogram('rest_client_rate_limiter_duration_seconds', { job: 'kube-controller-manager' }, RATE_LIMITER_BUCKETS, 0.005),
    ...histogram('rest_client_rate_limiter_duration_seconds', SCHEDULER, RATE_LIMITER_BUCKETS, 0.005),
    ...histogram('dra_operations_duration_seconds', { ...KUBELET, operation_name: 'PrepareResources', is_error: 'false' }, DEF_BUCKETS, 0.1),
    ...histogram('dra_operations_duration_seconds', { ...KUBELET, operation_name: 'UnprepareResources', is_error: 'false' }, DEF_BUCKETS, 0.1),
    ...grpc('/' + PREPARE, 'OK', 0.1),
    ...grpc('/k8s.io.kubelet.pkg.apis.dra.v1.DRAPlugin/NodeUnprepareResources', 'OK', 0.1),
    gauge('up', KUBELET, 1),
    gauge('up', CADVISOR, 1),
    gauge('up', PLUGIN_TARGET, 1),
    ...daemonSet({ unavailable: 0, updated: [3], desired: 3 }),
    gauge('kube_pod_container_status_restarts_total', PLUGIN_CONTAINER, 0),
  ];
}

const PLUGIN_DAEMONSET = { ...KSM, namespace: 'dra-gpu', daemonset: 'gpu-kubelet-plugin' };

/** A value per minute: `values[m]` for the first minutes, the last one after. */
function minuteByMinute(values: number[]): string {
  return Array.from({ length: STEPS + 1 }, (_, m) => values[Math.min(m, values.length - 1)]).join(' ');
}

/** The driver's DaemonSet status in kube-state-metrics; `updated` per minute (see minuteByMinute). */
function daemonSet(status: { unavailable: number; updated: number[]; desired: number }, labels = PLUGIN_DAEMONSET): Series[] {
  return [
    gauge('kube_daemonset_status_number_unavailable', labels, status.unavailable),
    { series: `kube_daemonset_status_updated_number_scheduled{${labelText(labels)}}`, values: minuteByMinute(status.updated) },
    gauge('kube_daemonset_status_desired_number_scheduled', labels, status.desired),
  ];
}

const PLUGIN_CONTAINER = { ...KSM, namespace: 'dra-gpu', pod: 'gpu-kubelet-plugin-x7k2p', container: 'plugin' };

/** The plugin container's restart counter, restarting at each of `minutes`. */
function restartsAt(...minutes: number[]): Series {
  return {
    series: `kube_pod_container_status_restarts_total{${labelText(PLUGIN_CONTAINER)}}`,
    values: Array.from({ length: STEPS + 1 }, (_, m) => minutes.filter(at => at <= m).length).join(' '),
  };
}

function grpc(method: string, status: string, bound: number): Series[] {
  const labels = { ...KUBELET, driver_name: 'gpu.example.com', method_name: method, grpc_status_code: status };
  return histogram('dra_grpc_operations_duration_seconds', labels, DEF_BUCKETS, bound);
}

/** `healthy()` with the series of `changed` replacing those with the same name and labels. */
function scenario(...changed: Series[][]): Series[] {
  const replaced = new Map(healthy().map(s => [s.series, s]));
  for (const s of changed.flat()) {
    replaced.set(s.series, s);
  }
  return [...replaced.values()];
}

/** A counter accelerating over time, so `rate`, `irate` and windows of another length disagree. */
function accelerating(metric: string, labels: { [key: string]: string }): Series {
  return { series: `${metric}{${labelText(labels)}}`, values: Array.from({ length: STEPS + 1 }, (_, m) => 30 * m * m).join(' ') };
}

/**
 * Busy series where every matcher of the page's queries matters: other queues, the other
 * operation and method differ from the ones each query selects.
 */
function pageEquivalence(): Series[] {
  return scenario(
    claimController(20, 500, 1),
    [accelerating('workqueue_adds_total', CLAIM_QUEUE)],
    histogram('workqueue_work_duration_seconds', { ...KCM, name: 'endpoints' }, WORKQUEUE_BUCKETS, 10),
    histogram('scheduler_pod_scheduling_sli_duration_seconds', FIRST_ATTEMPT, SLI_BUCKETS, 2.56),
    histogram('scheduler_pod_scheduling_sli_duration_seconds', RETRIED, SLI_BUCKETS, 40.96),
    histogram('scheduler_scheduling_algorithm_duration_seconds', SCHEDULER, ALGORITHM_BUCKETS, 0.256),
    histogram('dra_operations_duration_seconds', { ...KUBELET, operation_name: 'PrepareResources', is_error: 'false' }, DEF_BUCKETS, 5),
    grpc('/' + PREPARE, 'OK', 2.5),
  );
}

function without(series: Series[], metric: string): Series[] {
  return series.filter(s => !s.series.startsWith(`${metric}{`));
}

interface AlertCase {
  readonly alert: string;
  /** Series on which the alert fires, and the labels of the firing alert (besides alertname, alertstate). */
  readonly fires: Series[];
  readonly labels: { [key: string]: string };
  /** Series on which it must stay silent. */
  readonly silent: Series[][];
}

const GPU = { driver_name: 'gpu.example.com' };

const ALERT_CASES: AlertCase[] = [
  {
    alert: 'DraResourceClaimControllerMistuned',
    fires: scenario(claimController(1, 5, 10)),
    labels: { severity: 'warning' },
    silent: [healthy(), scenario(claimController(20, 500, 0.01))],
  },
  {
    // The page's "low add rate, high depth" without slow work: still the mistuned diagnosis.
    alert: 'DraResourceClaimControllerMistuned',
    fires: scenario(claimController(1, 500, 0.01)),
    labels: { severity: 'warning' },
    silent: [scenario(claimController(1, 50, 0.01))],
  },
  {
    alert: 'DraResourceClaimControllerConcurrencyShort',
    fires: scenario(claimController(20, 500, 0.01)),
    labels: { severity: 'warning' },
    silent: [healthy(), scenario(claimController(1, 500, 0.01)), scenario(claimController(20, 500, 10)), scenario(claimController(20, 5, 0.01))],
  },
  {
    alert: 'DraResourceClaimCreatesFailing',
    fires: scenario(claimCreates('beforeRename', KCM, { failure: 0.5 })),
    labels: { severity: 'warning', status: 'failure' },
    silent: [healthy()],
  },
  {
    // 1.37's name, from kube-scheduler creating claims for extended resources.
    alert: 'DraResourceClaimCreatesFailing',
    fires: scenario(claimCreates('sinceRename', SCHEDULER, { failure: 0.5 })),
    labels: { severity: 'warning', status: 'failure' },
    silent: [scenario(claimCreates('sinceRename', SCHEDULER, { success: 3 }))],
  },
  {
    alert: 'DraSchedulerEndToEndLatencyHigh',
    fires: scenario(histogram('scheduler_pod_scheduling_sli_duration_seconds', FIRST_ATTEMPT, SLI_BUCKETS, 10.24)),
    labels: { severity: 'warning' },
    silent: [
      healthy(),
      scenario(histogram('scheduler_pod_scheduling_sli_duration_seconds', FIRST_ATTEMPT, SLI_BUCKETS, 5.12)),
      // As many pods again waiting minutes for free devices, over several attempts: the SLI
      // histogram counts that wait, the alert must not.
      scenario(histogram('scheduler_pod_scheduling_sli_duration_seconds', RETRIED, SLI_BUCKETS, 163.84)),
    ],
  },
  {
    alert: 'DraSchedulerAlgorithmLatencyHigh',
    fires: scenario(histogram('scheduler_scheduling_algorithm_duration_seconds', SCHEDULER, ALGORITHM_BUCKETS, 2.048)),
    labels: { severity: 'warning' },
    silent: [healthy(), scenario(histogram('scheduler_scheduling_algorithm_duration_seconds', SCHEDULER, ALGORITHM_BUCKETS, 1.024))],
  },
  {
    alert: 'DraKubeletPrepareResourcesSlow',
    fires: scenario(histogram('dra_operations_duration_seconds', { ...KUBELET, operation_name: 'PrepareResources', is_error: 'false' }, DEF_BUCKETS, 5)),
    labels: { severity: 'warning' },
    // Slow unprepare is another alert's business.
    silent: [healthy(), scenario(histogram('dra_operations_duration_seconds', { ...KUBELET, operation_name: 'UnprepareResources', is_error: 'false' }, DEF_BUCKETS, 5))],
  },
  {
    alert: 'DraKubeletUnprepareResourcesSlow',
    fires: scenario(histogram('dra_operations_duration_seconds', { ...KUBELET, operation_name: 'UnprepareResources', is_error: 'false' }, DEF_BUCKETS, 5)),
    labels: { severity: 'warning' },
    silent: [healthy(), scenario(histogram('dra_operations_duration_seconds', { ...KUBELET, operation_name: 'PrepareResources', is_error: 'false' }, DEF_BUCKETS, 5))],
  },
  {
    alert: 'DraPluginGrpcSlow',
    fires: scenario(grpc('/' + PREPARE, 'OK', 5)),
    labels: { severity: 'warning', ...GPU, method_name: '/' + PREPARE },
    silent: [healthy(), scenario(grpc('/' + PREPARE, 'OK', 2.5))],
  },
  {
    alert: 'DraPluginGrpcErrors',
    // 60 failed and 60 OK calls a minute: half fail.
    fires: scenario(grpc('/' + PREPARE, 'Unavailable', 0.1)),
    labels: { severity: 'warning', ...GPU, method_name: '/' + PREPARE },
    silent: [healthy(), scenario([counter('dra_grpc_operations_duration_seconds_count',
      { ...KUBELET, ...GPU, method_name: '/' + PREPARE, grpc_status_code: 'Unavailable' }, 1)])],
  },
  {
    alert: 'DraControllerManagerClientThrottled',
    fires: scenario(histogram('rest_client_rate_limiter_duration_seconds', { job: 'kube-controller-manager' }, RATE_LIMITER_BUCKETS, 2)),
    labels: { severity: 'warning' },
    silent: [healthy(), scenario(histogram('rest_client_rate_limiter_duration_seconds', SCHEDULER, RATE_LIMITER_BUCKETS, 2))],
  },
  {
    alert: 'DraSchedulerClientThrottled',
    fires: scenario(histogram('rest_client_rate_limiter_duration_seconds', SCHEDULER, RATE_LIMITER_BUCKETS, 2)),
    labels: { severity: 'warning' },
    silent: [healthy(), scenario(histogram('rest_client_rate_limiter_duration_seconds', { job: 'kube-controller-manager' }, RATE_LIMITER_BUCKETS, 2))],
  },
  {
    alert: 'DraControllerManagerMetricsAbsent',
    fires: without(healthy(), 'workqueue_adds_total'),
    labels: { severity: 'warning', job: 'kube-controller-manager', name: 'resource_claim' },
    silent: [healthy()],
  },
  {
    alert: 'DraSchedulerMetricsAbsent',
    fires: without(healthy(), 'scheduler_scheduling_algorithm_duration_seconds_count'),
    labels: { severity: 'warning', job: 'kube-scheduler' },
    silent: [healthy()],
  },
  {
    alert: 'DraKubeletMetricsAbsent',
    fires: scenario([gauge('up', KUBELET, 0)]),
    labels: { severity: 'warning' },
    silent: [healthy()],
  },
  {
    // /metrics down while the kubelet job's cadvisor path is up: still no DRA metrics.
    alert: 'DraKubeletMetricsAbsent',
    fires: scenario([gauge('up', KUBELET, 0), gauge('up', CADVISOR, 1)]),
    labels: { severity: 'warning' },
    silent: [without(healthy(), 'up').concat(gauge('up', KUBELET, 1), gauge('up', PLUGIN_TARGET, 1))],
  },
  {
    // No rollout (every pod updated), yet pods down.
    alert: 'DraDriverPodsUnavailable',
    fires: scenario(daemonSet({ unavailable: 2, updated: [3], desired: 3 })),
    labels: { severity: 'warning', ...GPU, ...PLUGIN_DAEMONSET },
    silent: [
      healthy(),
      scenario(daemonSet({ unavailable: 2, updated: [3], desired: 3 }, { ...KSM, namespace: 'dra-gpu', daemonset: 'other-plugin' })),
      // A long rollout replacing one pod at a time (one unavailable throughout, a pod updated every 3 minutes).
      scenario(daemonSet({ unavailable: 1, updated: Array.from({ length: STEPS + 1 }, (_, m) => Math.floor(m / 3)), desired: 100 })),
    ],
  },
  {
    // A rollout stuck since minute 5: no pod updated since, one unavailable.
    alert: 'DraDriverPodsUnavailable',
    fires: scenario(daemonSet({ unavailable: 1, updated: [0, 1, 2, 3, 4, 5], desired: 10 })),
    labels: { severity: 'warning', ...GPU, ...PLUGIN_DAEMONSET },
    silent: [scenario(daemonSet({ unavailable: 0, updated: [0, 1, 2, 3, 4, 5], desired: 10 }))],
  },
  {
    alert: 'DraDriverContainerRestarting',
    // Crash-looping: a restart every 5 minutes.
    fires: scenario([restartsAt(5, 10, 15, 20, 25, 30, 35, 40)]),
    labels: { severity: 'warning', ...GPU, ...PLUGIN_CONTAINER },
    // A pod of another DaemonSet whose name starts with this one's is not this driver's.
    silent: [healthy(), scenario([counter('kube_pod_container_status_restarts_total',
      { ...KSM, namespace: 'dra-gpu', pod: 'gpu-kubelet-plugin-extra-x7k2p', container: 'plugin' }, 1)])],
  },
  {
    alert: 'DraDriverMetricsTargetDown',
    fires: scenario([gauge('up', PLUGIN_TARGET, 0)]),
    labels: { severity: 'warning', ...GPU, ...PLUGIN_TARGET },
    silent: [healthy(), scenario([gauge('up', { job: 'other', instance: '10.0.0.2:8080' }, 0)])],
  },
  {
    // Never selected (a ServiceMonitor without the labels Prometheus selects by): no `up` at all.
    alert: 'DraDriverMetricsTargetAbsent',
    fires: healthy().filter(s => !s.series.startsWith(`up{job="${PLUGIN_TARGET.job}"`)),
    labels: { severity: 'warning', ...GPU, job: PLUGIN_TARGET.job },
    // A target that is there but down is DraDriverMetricsTargetDown's.
    silent: [healthy(), scenario([gauge('up', PLUGIN_TARGET, 0)])],
  },
];

function monitoring(props: Partial<DraMonitoringProps> = {}): DraMonitoring {
  return buildMonitoring(props, [{ metricsPort: 8080 }]).monitoring;
}

function sortedLabels(labels: { [key: string]: string }): string {
  return `{${Object.keys(labels).sort().map(k => `${k}="${labels[k]}"`).join(', ')}}`;
}

function runTests(ruleFile: string, tests: any[]): { ok: boolean; output: string } {
  const testFile = stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }, { lineWidth: 0 });
  return promtool(['test', 'rules', 'tests.yaml'], { 'rules.yaml': ruleFile, 'tests.yaml': testFile });
}

describe('promtool', () => {
  const ruleFile = monitoring().toRuleFile();

  test('check rules accepts the plain rule file', () => {
    const result = promtool(['check', 'rules', 'rules.yaml'], { 'rules.yaml': ruleFile });
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('check rules rejects a broken rule file, so the check above means something', () => {
    const broken = ruleFile.replace('histogram_quantile(0.99,', 'histogram_quantile(0.99');
    expect(promtool(['check', 'rules', 'rules.yaml'], { 'rules.yaml': broken }).ok).toBe(false);
  });

  test('every alert of the rule file has a firing and a silent case', () => {
    const alerts = alertRules(monitoring()).map(r => r.alert);
    expect(new Set(ALERT_CASES.map(c => c.alert))).toEqual(new Set(alerts));
  });

  test('each alert fires on its symptom and stays silent otherwise', () => {
    const tests = ALERT_CASES.flatMap(c => [
      {
        name: `${c.alert} fires`,
        interval: '1m',
        input_series: c.fires,
        promql_expr_test: [{
          expr: `ALERTS{alertname="${c.alert}", alertstate="firing"}`,
          eval_time: EVAL_TIME,
          exp_samples: [{ labels: `ALERTS${sortedLabels({ ...c.labels, alertname: c.alert, alertstate: 'firing' })}`, value: 1 }],
        }],
      },
      ...c.silent.map((series, i) => ({
        name: `${c.alert} silent ${i}`,
        interval: '1m',
        input_series: series,
        alert_rule_test: [{ alertname: c.alert, eval_time: EVAL_TIME, exp_alerts: [] }],
      })),
    ]);
    const result = runTests(ruleFile, tests);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('annotations render: values humanized, labels filled in, runbook linked', () => {
    const rules = new Map(alertRules(monitoring()).map(r => [r.alert, r]));
    const rendered = (alert: string, replacements: Array<[string, string]>) => {
      const annotations = { ...rules.get(alert)!.annotations! };
      annotations.description = replacements.reduce((text, [from, to]) => text.replace(from, to), annotations.description);
      return annotations;
    };
    const tests = [
      {
        name: 'value humanized',
        interval: '1m',
        input_series: scenario(claimController(20, 500, 0.01)),
        alert_rule_test: [{
          alertname: 'DraResourceClaimControllerConcurrencyShort',
          eval_time: EVAL_TIME,
          exp_alerts: [{
            exp_labels: { severity: 'warning' },
            exp_annotations: rendered('DraResourceClaimControllerConcurrencyShort', [['{{ $value | humanize }}', '20']]),
          }],
        }],
      },
      {
        name: 'labels and percentage',
        interval: '1m',
        input_series: scenario(grpc('/' + PREPARE, 'Unavailable', 0.1)),
        alert_rule_test: [{
          alertname: 'DraPluginGrpcErrors',
          eval_time: EVAL_TIME,
          exp_alerts: [{
            exp_labels: { severity: 'warning', ...GPU, method_name: '/' + PREPARE },
            exp_annotations: rendered('DraPluginGrpcErrors', [
              ['{{ $value | humanizePercentage }}', '50%'],
              ['{{ $labels.method_name }}', '/' + PREPARE],
              ['{{ $labels.driver_name }}', 'gpu.example.com'],
            ]),
          }],
        }],
      },
    ];
    const result = runTests(ruleFile, tests);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('DraDriverContainerRestarting fires on one restart within minutes, for the 15 minutes it counts, with the exact count', () => {
    const restarting = alertRule(monitoring(), 'DraDriverContainerRestarting');
    const annotations = (count: string) =>
      ({ ...restarting.annotations!, description: restarting.annotations!.description.replace('{{ $labels.pod }}', PLUGIN_CONTAINER.pod).replace('{{ $labels.container }}', 'plugin').replace('{{ $value }}', count) });
    const firing = (evalTime: string, count: string) => ({
      alertname: 'DraDriverContainerRestarting',
      eval_time: evalTime,
      exp_alerts: [{ exp_labels: { severity: 'warning', ...GPU, ...PLUGIN_CONTAINER }, exp_annotations: annotations(count) }],
    });
    const silent = (evalTime: string) => ({ alertname: 'DraDriverContainerRestarting', eval_time: evalTime, exp_alerts: [] });
    const tests = [
      {
        // One restart at minute 10 (the default threshold is 1): firing from the next
        // evaluation until the restart leaves the 15-minute window.
        name: 'a single restart',
        interval: '1m',
        input_series: scenario([restartsAt(10)]),
        alert_rule_test: [silent('9m'), firing('11m', '1'), firing('20m', '1'), firing('24m', '1'), silent('25m')],
      },
      {
        name: 'two restarts four minutes apart',
        interval: '1m',
        input_series: scenario([restartsAt(10, 14)]),
        alert_rule_test: [firing('12m', '1'), firing('15m', '2'), firing('25m', '1'), silent('30m')],
      },
      { name: 'no restart', interval: '1m', input_series: healthy(), alert_rule_test: [silent('11m'), silent('30m')] },
    ];
    expect(restarting.for).toBe('0m');
    const result = runTests(ruleFile, tests);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('a p99 beyond the top bucket reads as the top bound, so thresholds at or above it could never fire', () => {
    const tests = [{
      name: 'capped at 10 s',
      interval: '1m',
      // Every item takes longer than the highest finite workqueue bucket (10 s).
      input_series: scenario(histogram('workqueue_work_duration_seconds', CLAIM_QUEUE, WORKQUEUE_BUCKETS, Infinity)),
      promql_expr_test: [{
        expr: 'dra:resource_claim_workqueue_work_duration_seconds:p99_rate5m',
        eval_time: EVAL_TIME,
        exp_samples: [{ labels: 'dra:resource_claim_workqueue_work_duration_seconds:p99_rate5m', value: 10 }],
      }],
    }];
    const result = runTests(ruleFile, tests);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('each recording rule equals the page\'s query on the same series', () => {
    const tests = DRA_SIGNALS.map(s => ({
      name: `${s.record} equals the page`,
      interval: '1m',
      input_series: pageEquivalence(),
      promql_expr_test: [
        // NaN or a missing series on either side fails the subtraction test.
        { expr: `${s.record} - (${s.pageQuery})`, eval_time: EVAL_TIME, exp_samples: [{ labels: '{}', value: 0 }] },
        { expr: `count(${s.record} > 0)`, eval_time: EVAL_TIME, exp_samples: [{ labels: '{}', value: 1 }] },
      ],
    }));
    const result = runTests(ruleFile, tests);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('the claim rules read the names of every release, and of an upgrade between them, counting each creation once', () => {
    const claimGauge = (names: 'beforeRename' | 'sinceRename', allocated: string, value: number) =>
      gauge(CLAIM_METRIC_NAMES.claims[names][0], { ...KCM, allocated, admin_access: 'false' }, value);
    const expectations = (creates: { [status: string]: number }, claims: { [allocated: string]: number }) => [
      {
        expr: CLAIM_CREATES,
        eval_time: EVAL_TIME,
        exp_samples: Object.entries(creates).map(([status, value]) => ({ labels: `${CLAIM_CREATES}{status="${status}"}`, value })),
      },
      {
        expr: CLAIMS,
        eval_time: EVAL_TIME,
        exp_samples: Object.entries(claims).map(([allocated, value]) => ({ labels: `${CLAIMS}{allocated="${allocated}"}`, value })),
      },
    ];
    const cases = [
      {
        name: '1.34: the controller\'s own names',
        input: [...claimCreates('beforeRename', KCM, { success: 2, failure: 1 }), claimGauge('beforeRename', 'true', 7), claimGauge('beforeRename', 'false', 3)],
        expect: expectations({ success: 2, failure: 1 }, { true: 7, false: 3 }),
      },
      {
        name: '1.36: the controller\'s and the scheduler\'s names, summed',
        input: [
          ...claimCreates('beforeRename', KCM, { success: 2 }),
          counter(CLAIM_METRIC_NAMES.creates.beforeRename[1], { ...SCHEDULER, status: 'success' }, 60),
          claimGauge('beforeRename', 'true', 7),
        ],
        expect: expectations({ success: 3 }, { true: 7 }),
      },
      {
        name: '1.37: one name in both components, told apart by job',
        input: [...claimCreates('sinceRename', KCM, { success: 2 }), ...claimCreates('sinceRename', SCHEDULER, { success: 1 }), claimGauge('sinceRename', 'true', 7)],
        expect: expectations({ success: 3 }, { true: 7 }),
      },
      {
        name: 'an upgrade: kube-scheduler at 1.37, kube-controller-manager still at 1.36',
        input: [...claimCreates('beforeRename', KCM, { success: 2 }), ...claimCreates('sinceRename', SCHEDULER, { success: 1 }), claimGauge('beforeRename', 'true', 7)],
        expect: expectations({ success: 3 }, { true: 7 }),
      },
    ];
    const result = runTests(ruleFile, cases.map(c => ({ name: c.name, interval: '1m', input_series: c.input, promql_expr_test: c.expect })));
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
    // k3s: both jobs scrape the one registry, so each creation appears under both jobs.
    const merged = [...claimCreates('sinceRename', KCM, { success: 2 }), ...claimCreates('sinceRename', SCHEDULER, { success: 2 })];
    const k3s = runTests(monitoring({ controlPlaneTarget: ControlPlaneTarget.K3S }).toRuleFile(),
      [{ name: 'k3s counts once', interval: '1m', input_series: merged, promql_expr_test: [expectations({ success: 2 }, {})[0]] }]);
    expect(k3s.output).toContain('SUCCESS');
    expect(k3s.ok).toBe(true);
  });

  test('with a cluster label, signals and alerts stay per cluster', () => {
    const clustered = monitoring({ clusterLabel: 'cluster' }).toRuleFile();
    const inCluster = (cluster: string, series: Series[]) =>
      series.map(s => ({ ...s, series: s.series.replace('{', `{cluster="${cluster}", `) }));
    const input = [...inCluster('a', scenario(claimController(20, 500, 0.01))), ...inCluster('b', healthy())];
    const tests = [{
      name: 'per-cluster',
      interval: '1m',
      input_series: input,
      promql_expr_test: [
        {
          expr: 'dra:resource_claim_workqueue_adds:rate5m',
          eval_time: EVAL_TIME,
          exp_samples: [
            { labels: 'dra:resource_claim_workqueue_adds:rate5m{cluster="a"}', value: 20 },
            { labels: 'dra:resource_claim_workqueue_adds:rate5m{cluster="b"}', value: 1 },
          ],
        },
        {
          expr: 'ALERTS{alertstate="firing", alertname=~"DraResourceClaimController.*"}',
          eval_time: EVAL_TIME,
          exp_samples: [
            { labels: 'ALERTS{alertname="DraResourceClaimControllerConcurrencyShort", alertstate="firing", cluster="a", severity="warning"}', value: 1 },
          ],
        },
      ],
    }];
    const result = runTests(clustered, tests);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('k3s: throttling of the single control-plane process fires one alert, where per-component alerts would fire two', () => {
    // k3s serves one metrics registry on both components' endpoints: both jobs carry the same series.
    const merged = scenario(
      histogram('rest_client_rate_limiter_duration_seconds', { job: 'kube-controller-manager' }, RATE_LIMITER_BUCKETS, 2),
      histogram('rest_client_rate_limiter_duration_seconds', SCHEDULER, RATE_LIMITER_BUCKETS, 2),
    );
    const throttlingAlerts = (input: Series[], alertnames: string[]) => [{
      name: `throttling alerts ${alertnames.join(', ') || 'none'}`,
      interval: '1m',
      input_series: input,
      promql_expr_test: [{
        expr: 'ALERTS{alertstate="firing", alertname=~".*ClientThrottled"}',
        eval_time: EVAL_TIME,
        exp_samples: alertnames.map(alertname => ({ labels: `ALERTS${sortedLabels({ alertname, alertstate: 'firing', severity: 'warning' })}`, value: 1 })),
      }],
    }];
    const k3s = runTests(monitoring({ controlPlaneTarget: ControlPlaneTarget.K3S }).toRuleFile(), [
      ...throttlingAlerts(merged, ['DraControlPlaneClientThrottled']),
      ...throttlingAlerts(healthy(), []),
    ]);
    expect(k3s.output).toContain('SUCCESS');
    expect(k3s.ok).toBe(true);
    // The per-component rules on the same series: both fire, each blaming its own component.
    const separate = runTests(ruleFile, throttlingAlerts(merged, ['DraControllerManagerClientThrottled', 'DraSchedulerClientThrottled']));
    expect(separate.ok).toBe(true);
  });
});
