import { CLAIM_CREATES, CLAIMS, claimCreatesExpr, claimsExpr } from './claim-metrics';
import { ResolvedThresholds } from './default-thresholds';
import { byClause, literalRegex, onClause, p99Over5m, series } from './promql';
import { DraPrometheusRule, DraPrometheusRuleGroup } from './rule-group';
import {
  ADD_RATE, CLAIM_QUEUE, DEPTH, DRA_SIGNALS, KUBELET_PREPARE, KUBELET_UNPREPARE, SCHEDULER_ALGORITHM, SignalSelectors, WORK_DURATION,
} from './signals';

/** What the rules need to know about one driver; every value already validated. */
export interface MonitoredDriver {
  readonly driverName: string;
  readonly namespace: string;
  readonly daemonSetName: string;
  /** The `job` label of the driver's own metrics, when someone scrapes them. */
  readonly metricsJob?: string;
}

/** Everything the rule builder reads, defaults resolved and validated. */
export interface RuleConfig extends SignalSelectors {
  readonly kubeStateMetrics: { [label: string]: string };
  readonly thresholds: ResolvedThresholds;
  readonly alertFor: string;
  readonly runbookBaseUrl: string;
  readonly drivers: MonitoredDriver[];
  /**
   * kube-controller-manager and kube-scheduler run in one process with one metrics registry
   * (k3s): both jobs expose the same client-side throttling series.
   */
  readonly singleProcessControlPlane: boolean;
}

/** The PromQL of the per-driver gRPC p99, also drawn on the dashboard. */
export function grpcP99Expr(config: SignalSelectors): string {
  const buckets = series('dra_grpc_operations_duration_seconds_bucket', config.kubelet, 'method_name=~".*Node(Prepare|Unprepare)Resources"');
  return p99Over5m('rate', buckets, config.clusterLabel, 'driver_name', 'method_name');
}

/** The PromQL of the per-driver gRPC error ratio, also drawn on the dashboard. */
export function grpcErrorRatioExpr(config: SignalSelectors): string {
  const by = byClause(config.clusterLabel, 'driver_name', 'method_name');
  const failed = series('dra_grpc_operations_duration_seconds_count', config.kubelet, 'grpc_status_code!="OK"');
  const all = series('dra_grpc_operations_duration_seconds_count', config.kubelet);
  return `sum(rate(${failed}[5m]))${by} / sum(rate(${all}[5m]))${by}`;
}

/** The PromQL of a component's client-side rate limiter p99 wait. */
export function throttlingP99Expr(selector: { [label: string]: string }, clusterLabel: string | undefined): string {
  return p99Over5m('rate', series('rest_client_rate_limiter_duration_seconds_bucket', selector), clusterLabel);
}

/**
 * The p99 end-to-end scheduling duration of the pods scheduled at their first attempt. The
 * SLI histogram counts from the first attempt to binding across every attempt, so for all
 * pods it includes the time pods wait for free devices; on first attempts it does not.
 */
export function schedulerFirstAttemptP99Expr(config: SignalSelectors): string {
  return p99Over5m('increase', series('scheduler_pod_scheduling_sli_duration_seconds_bucket', config.scheduler, 'attempts="1"'), config.clusterLabel);
}

/** The recording rules first (alerts read them), then control-plane alerts, then per-driver alerts. */
export function buildRuleGroups(config: RuleConfig): DraPrometheusRuleGroup[] {
  const groups: DraPrometheusRuleGroup[] = [
    {
      name: 'dra.rules',
      rules: [
        ...DRA_SIGNALS.map(s => ({ record: s.record, expr: s.expr(config) })),
        { record: CLAIM_CREATES, expr: claimCreatesExpr(config) },
        { record: CLAIMS, expr: claimsExpr(config) },
      ],
    },
    { name: 'dra.control-plane.alerts', rules: controlPlaneAlerts(config) },
  ];
  if (config.drivers.length > 0) {
    groups.push({ name: 'dra.driver.alerts', rules: config.drivers.flatMap(d => driverAlerts(config, d)) });
  }
  return groups;
}

interface AlertSpec {
  readonly alert: string;
  readonly expr: string;
  readonly severity: string;
  readonly summary: string;
  readonly description: string;
  readonly labels?: { [key: string]: string };
  /** Overrides `alertFor` for a condition that already spans a window of its own. */
  readonly for?: string;
}

/** The window DraDriverContainerRestarting counts restarts in (`driverContainerRestarts` says "within 15 minutes"). */
const RESTART_WINDOW = '15m';

/**
 * DraDriverContainerRestarting's own `for`. Its condition already spans RESTART_WINDOW: a
 * `for` as long as that window would let a single restart leave the window before the alert
 * fires, so it fires on the first evaluation that sees the restarts.
 */
const RESTART_ALERT_FOR = '0m';

function alertRule(config: RuleConfig, spec: AlertSpec): DraPrometheusRule {
  return {
    alert: spec.alert,
    expr: spec.expr,
    for: spec.for ?? config.alertFor,
    labels: { severity: spec.severity, ...spec.labels },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: `${config.runbookBaseUrl}#${spec.alert.toLowerCase()}`,
    },
  };
}

function controlPlaneAlerts(config: RuleConfig): DraPrometheusRule[] {
  const t = config.thresholds;
  const on = onClause(config.clusterLabel);
  const inCluster = config.clusterLabel ? ` in cluster {{ $labels.${config.clusterLabel} }}` : '';
  const claimAdds = series('workqueue_adds_total', config.controllerManager, CLAIM_QUEUE);
  const schedulerCount = series('scheduler_scheduling_algorithm_duration_seconds_count', config.scheduler);
  const kubeletUp = series('up', config.kubelet);
  const specs: AlertSpec[] = [
    {
      alert: 'DraResourceClaimControllerMistuned',
      expr: `(${WORK_DURATION} > ${t.resourceClaimWorkDurationSeconds}) or ${on} ((${ADD_RATE} < ${t.resourceClaimAddRate}) and ${on} (${DEPTH} > ${t.resourceClaimQueueDepth}))`,
      severity: 'warning',
      summary: 'The ResourceClaim controller is slow: raise kube-controller-manager QPS/burst or CPU.',
      description: `The ResourceClaim controller${inCluster} takes more than ${t.resourceClaimWorkDurationSeconds}s per item at p99, or its queue holds more than ${t.resourceClaimQueueDepth} items while fewer than ${t.resourceClaimAddRate} items/s arrive. It is not keeping up with a load it should handle: raise kube-controller-manager --kube-api-qps and --kube-api-burst (DraTunedControlPlane) and check its CPU and memory requests.`,
    },
    {
      alert: 'DraResourceClaimControllerConcurrencyShort',
      expr: `(${ADD_RATE} >= ${t.resourceClaimAddRate}) and ${on} (${DEPTH} > ${t.resourceClaimQueueDepth}) and ${on} (${WORK_DURATION} <= ${t.resourceClaimWorkDurationSeconds})`,
      severity: 'warning',
      summary: 'The ResourceClaim controller has too few workers for the claim add rate.',
      description: `The ResourceClaim controller${inCluster} receives {{ $value | humanize }} items/s (at least ${t.resourceClaimAddRate}) and its queue holds more than ${t.resourceClaimQueueDepth} items, yet each item takes at most ${t.resourceClaimWorkDurationSeconds}s at p99: it works fast but has too few workers. Lower the pod creation rate of the workloads creating claims, or on Kubernetes 1.36+ raise kube-controller-manager --concurrent-resourceclaim-syncs.`,
    },
    {
      alert: 'DraResourceClaimCreatesFailing',
      expr: `${CLAIM_CREATES}{status="failure"} > 0`,
      severity: 'warning',
      summary: 'ResourceClaims for pods cannot be created.',
      description: `kube-controller-manager or kube-scheduler${inCluster} fail to create {{ $value | humanize }} ResourceClaims/s (from ResourceClaimTemplates, or for extended resources): the pods that need them stay Pending. Read the failing component's log for the refusal: a ResourceQuota on resourceclaims, an admission webhook or policy, or the component's RBAC.`,
    },
    {
      alert: 'DraSchedulerEndToEndLatencyHigh',
      expr: `${schedulerFirstAttemptP99Expr(config)} > ${t.schedulerEndToEndSeconds}`,
      severity: 'warning',
      summary: 'Pods that fit at their first attempt wait too long to be scheduled.',
      description: `The p99 end-to-end scheduling duration of pods scheduled at their first attempt${inCluster} is {{ $value | humanizeDuration }}, above ${t.schedulerEndToEndSeconds}s. It spans queueing, the scheduling cycle and binding, where DRA writes each claim's allocation through kube-scheduler's client: check kube-scheduler's client throttling and the algorithm latency. Pods that wait for free devices (more attempts) and pods gated until their ResourceClaims exist are not counted.`,
    },
    {
      alert: 'DraSchedulerAlgorithmLatencyHigh',
      expr: `${SCHEDULER_ALGORITHM} > ${t.schedulerAlgorithmSeconds}`,
      severity: 'warning',
      summary: 'The scheduling algorithm is slow.',
      description: `The p99 scheduling algorithm latency${inCluster} is {{ $value | humanizeDuration }}, above ${t.schedulerAlgorithmSeconds}s. Device allocation runs in the algorithm: check the number of devices per ResourceSlice, the complexity of DeviceClass and claim CEL selectors, and kube-scheduler's CPU.`,
    },
    {
      alert: 'DraKubeletPrepareResourcesSlow',
      expr: `${KUBELET_PREPARE} > ${t.kubeletOperationSeconds}`,
      severity: 'warning',
      summary: 'Kubelets take too long to prepare DRA devices for pods.',
      description: `The p99 kubelet PrepareResources duration${inCluster} is {{ $value | humanizeDuration }}, above ${t.kubeletOperationSeconds}s; pods wait for it before their sandbox starts. Compare with DraPluginGrpcSlow: if the drivers' gRPC calls are slow too, the driver is the cause.`,
    },
    {
      alert: 'DraKubeletUnprepareResourcesSlow',
      expr: `${KUBELET_UNPREPARE} > ${t.kubeletOperationSeconds}`,
      severity: 'warning',
      summary: 'Kubelets take too long to release DRA devices.',
      description: `The p99 kubelet UnprepareResources duration${inCluster} is {{ $value | humanizeDuration }}, above ${t.kubeletOperationSeconds}s; devices stay held and pods stay terminating meanwhile. Compare with DraPluginGrpcSlow to see whether the driver is the cause.`,
    },
    {
      alert: 'DraPluginGrpcSlow',
      expr: `${grpcP99Expr(config)} > ${t.pluginGrpcSeconds}`,
      severity: 'warning',
      summary: 'A DRA driver answers the kubelet slowly.',
      description: `The p99 duration of {{ $labels.method_name }} calls from kubelets to driver {{ $labels.driver_name }}${inCluster} is {{ $value | humanizeDuration }}, above ${t.pluginGrpcSeconds}s. Check the driver's kubelet-plugin logs and its CPU limits.`,
    },
    {
      alert: 'DraPluginGrpcErrors',
      expr: `${grpcErrorRatioExpr(config)} > ${t.pluginGrpcErrorRatio}`,
      severity: 'warning',
      summary: 'A DRA driver fails kubelet calls.',
      description: `{{ $value | humanizePercentage }} of {{ $labels.method_name }} calls from kubelets to driver {{ $labels.driver_name }}${inCluster} fail (grpc_status_code is not OK; more than ${t.pluginGrpcErrorRatio * 100}%). Pods using its devices cannot start or stop. Check the driver's kubelet-plugin logs.`,
    },
    ...throttlingAlerts(config, inCluster),
    {
      alert: 'DraControllerManagerMetricsAbsent',
      expr: `absent(${claimAdds})`,
      severity: 'warning',
      summary: 'No ResourceClaim controller metrics: the DRA controller alerts cannot fire.',
      description: `Prometheus has no ${claimAdds}. Either kube-controller-manager is not scraped with this selector or its ResourceClaim controller is not running.`,
    },
    {
      alert: 'DraSchedulerMetricsAbsent',
      expr: `absent(${schedulerCount})`,
      severity: 'warning',
      summary: 'No kube-scheduler metrics: the DRA scheduler alerts cannot fire.',
      description: `Prometheus has no ${schedulerCount}. kube-scheduler is not scraped with this selector.`,
    },
    {
      alert: 'DraKubeletMetricsAbsent',
      expr: `absent(${kubeletUp} == 1)`,
      severity: 'warning',
      summary: 'No kubelet is scraped: the DRA kubelet and plugin alerts cannot fire.',
      description: `Prometheus has no ${kubeletUp} target that is up. The kubelets are not scraped with this selector.`,
    },
  ];
  return specs.map(spec => alertRule(config, spec));
}

/**
 * One throttling alert per component; one for the merged process when both jobs scrape the
 * same registry (k3s), where two alerts would fire together and each blame its component.
 */
function throttlingAlerts(config: RuleConfig, inCluster: string): AlertSpec[] {
  const t = config.thresholds;
  if (config.singleProcessControlPlane) {
    return [{
      alert: 'DraControlPlaneClientThrottled',
      expr: `${throttlingP99Expr(config.controllerManager, config.clusterLabel)} > ${t.clientThrottlingSeconds}`,
      severity: 'warning',
      summary: 'The k3s server process waits in its client-side rate limiters.',
      description: `API requests of the k3s server process${inCluster} wait {{ $value | humanizeDuration }} at p99 in client-side rate limiters, above ${t.clientThrottlingSeconds}s. k3s runs kube-controller-manager and kube-scheduler in one process with one metrics registry, so the metric cannot tell which of them waits: raise both, kube-controller-manager's --kube-api-qps/--kube-api-burst and the scheduler's clientConnection.qps/burst (DraTunedControlPlane with ControlPlaneTarget.K3S).`,
    }];
  }
  return [
    {
      alert: 'DraControllerManagerClientThrottled',
      expr: `${throttlingP99Expr(config.controllerManager, config.clusterLabel)} > ${t.clientThrottlingSeconds}`,
      severity: 'warning',
      summary: 'kube-controller-manager waits in its client-side rate limiter.',
      description: `kube-controller-manager's API requests${inCluster} wait {{ $value | humanizeDuration }} at p99 in its client-side rate limiter, above ${t.clientThrottlingSeconds}s: its QPS/burst are too low for the DRA load. Raise --kube-api-qps and --kube-api-burst (DraTunedControlPlane).`,
    },
    {
      alert: 'DraSchedulerClientThrottled',
      expr: `${throttlingP99Expr(config.scheduler, config.clusterLabel)} > ${t.clientThrottlingSeconds}`,
      severity: 'warning',
      summary: 'kube-scheduler waits in its client-side rate limiter.',
      description: `kube-scheduler's API requests${inCluster} wait {{ $value | humanizeDuration }} at p99 in its client-side rate limiter, above ${t.clientThrottlingSeconds}s: it finds nodes quickly but binds slowly. Raise clientConnection.qps and clientConnection.burst in its KubeSchedulerConfiguration (DraTunedControlPlane); the --kube-api-qps flags are ignored when it runs with --config.`,
    },
  ];
}

function driverAlerts(config: RuleConfig, driver: MonitoredDriver): DraPrometheusRule[] {
  const t = config.thresholds;
  const labels = { driver_name: driver.driverName };
  const where = `${driver.namespace}/${driver.daemonSetName}`;
  const inNamespace = `namespace="${driver.namespace}"`;
  const daemonSet = (metric: string) => series(metric, config.kubeStateMetrics, inNamespace, `daemonset="${driver.daemonSetName}"`);
  const updated = daemonSet('kube_daemonset_status_updated_number_scheduled');
  const restarts = series('kube_pod_container_status_restarts_total', config.kubeStateMetrics, inNamespace, `pod=~"${literalRegex(driver.daemonSetName)}-[a-z0-9]{5}"`);
  const specs: AlertSpec[] = [
    {
      alert: 'DraDriverPodsUnavailable',
      // Like kubernetes-mixin's KubeDaemonSetRolloutStuck: a rollout that keeps updating pods
      // (updated count changed within 5m) is not an outage; one that stopped, or unavailable
      // pods with every pod updated, is.
      expr: `${daemonSet('kube_daemonset_status_number_unavailable')} > 0 and (${updated} == ${daemonSet('kube_daemonset_status_desired_number_scheduled')} or changes(${updated}[5m]) == 0)`,
      severity: 'warning',
      summary: `Kubelet-plugin pods of DRA driver ${driver.driverName} are unavailable.`,
      description: `{{ $value }} pods of DaemonSet ${where} (DRA driver ${driver.driverName}) are unavailable and no rollout is making progress: pods on those nodes cannot get or release its devices.`,
      labels,
    },
    {
      alert: 'DraDriverContainerRestarting',
      // The counter's exact rise within the window: increase() would extrapolate (1 restart
      // reads as ~1.07) and needs the window to hold the restart for all of a long `for`.
      expr: `max_over_time(${restarts}[${RESTART_WINDOW}]) - min_over_time(${restarts}[${RESTART_WINDOW}]) >= ${t.driverContainerRestarts}`,
      for: RESTART_ALERT_FOR,
      severity: 'warning',
      summary: `Kubelet-plugin containers of DRA driver ${driver.driverName} restart.`,
      description: `Container {{ $labels.container }} of pod ${driver.namespace}/{{ $labels.pod }} (DRA driver ${driver.driverName}) restarted {{ $value }} times in the last 15 minutes. Each restart re-registers the plugin with the kubelet; prepare calls fail meanwhile.`,
      labels,
    },
  ];
  if (driver.metricsJob) {
    specs.push({
      alert: 'DraDriverMetricsTargetDown',
      expr: `${series('up', { job: driver.metricsJob })} == 0`,
      severity: 'warning',
      summary: `Prometheus cannot scrape DRA driver ${driver.driverName}.`,
      description: `Target {{ $labels.instance }} of job ${driver.metricsJob} (DRA driver ${driver.driverName}) is down: the pod is not ready or its metrics port does not answer.`,
      labels,
    }, {
      alert: 'DraDriverMetricsTargetAbsent',
      expr: `absent(${series('up', { job: driver.metricsJob })})`,
      severity: 'warning',
      summary: `Prometheus has no scrape target for DRA driver ${driver.driverName}.`,
      description: `Prometheus has no target of job ${driver.metricsJob} (DRA driver ${driver.driverName}): its ServiceMonitor or PodMonitor is not selected (labels, namespace selector) or selects no endpoint, so DraDriverMetricsTargetDown cannot fire.`,
      labels,
    });
  }
  return specs.map(spec => alertRule(config, spec));
}
