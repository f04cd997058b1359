import { ResolvedThresholds } from './default-thresholds';
import { byClause, p99Over5m, series } from './promql';

/** Which scrape job a signal's metric comes from. */
export enum MetricSource {
  CONTROLLER_MANAGER = 'controllerManager',
  SCHEDULER = 'scheduler',
  KUBELET = 'kubelet',
}

/** The job selectors, one per metric source, plus the optional cluster label. */
export interface SignalSelectors {
  readonly controllerManager: { [label: string]: string };
  readonly scheduler: { [label: string]: string };
  readonly kubelet: { [label: string]: string };
  readonly clusterLabel?: string;
}

/**
 * One of the page's monitoring queries and the recording rule that keeps its semantics:
 * same function (rate or increase), window, quantile and matchers; only the page's scrape
 * selector (none, or `endpoint="kube-controller-manager"`) is replaced by the configured one.
 */
export interface DraSignal {
  /** The recorded series, `dra:<what>:<how>`. */
  readonly record: string;
  /** Dashboard panel title. */
  readonly title: string;
  /** Grafana unit of the value. */
  readonly unit: string;
  /** Dashboard legend: what the value is (a p99, a rate, a depth). */
  readonly legend: string;
  readonly source: MetricSource;
  /** The alert threshold the signal is compared with, drawn on its dashboard panel. */
  readonly threshold: keyof ResolvedThresholds;
  /** The query exactly as the page prints it. */
  readonly pageQuery: string;
  /** The recording rule's expression for these selectors. */
  expr(selectors: SignalSelectors): string;
}

/** `sum(<fn>(<metric>{...}[5m]))`, or the plain gauge sum when fn is undefined. */
function summed(source: MetricSource, metric: string, fn: string | undefined, own: string[]): DraSignal['expr'] {
  return selectors => {
    const matched = series(metric, selectors[source], ...own);
    const inner = fn ? `${fn}(${matched}[5m])` : matched;
    return `sum(${inner})${byClause(selectors.clusterLabel)}`;
  };
}

/** `histogram_quantile(0.99, sum(<fn>(<metric>_bucket{...}[5m])) by (le))`. */
function p99(source: MetricSource, bucket: string, fn: string, own: string[]): DraSignal['expr'] {
  return selectors => p99Over5m(fn, series(bucket, selectors[source], ...own), selectors.clusterLabel);
}

/** The page's matcher for the ResourceClaim controller's workqueue. */
export const CLAIM_QUEUE = 'name="resource_claim"';

/** The recorded series the alerts read. */
export const ADD_RATE = 'dra:resource_claim_workqueue_adds:rate5m';
export const DEPTH = 'dra:resource_claim_workqueue_depth:sum';
export const WORK_DURATION = 'dra:resource_claim_workqueue_work_duration_seconds:p99_rate5m';
export const SCHEDULER_E2E = 'dra:scheduler_pod_scheduling_sli_duration_seconds:p99_increase5m';
export const SCHEDULER_ALGORITHM = 'dra:scheduler_scheduling_algorithm_duration_seconds:p99_increase5m';
export const KUBELET_PREPARE = 'dra:kubelet_prepare_resources_duration_seconds:p99_rate5m';
export const KUBELET_UNPREPARE = 'dra:kubelet_unprepare_resources_duration_seconds:p99_rate5m';

/** The page's nine queries, in the page's order. */
export const DRA_SIGNALS: DraSignal[] = [
  {
    record: ADD_RATE,
    title: 'ResourceClaim controller workqueue add rate',
    unit: 'ops',
    legend: 'adds/s',
    source: MetricSource.CONTROLLER_MANAGER,
    threshold: 'resourceClaimAddRate',
    pageQuery: 'sum(rate(workqueue_adds_total{name="resource_claim"}[5m]))',
    expr: summed(MetricSource.CONTROLLER_MANAGER, 'workqueue_adds_total', 'rate', [CLAIM_QUEUE]),
  },
  {
    record: DEPTH,
    title: 'ResourceClaim controller workqueue depth',
    unit: 'short',
    legend: 'items',
    source: MetricSource.CONTROLLER_MANAGER,
    threshold: 'resourceClaimQueueDepth',
    pageQuery: 'sum(workqueue_depth{endpoint="kube-controller-manager", name="resource_claim"})',
    expr: summed(MetricSource.CONTROLLER_MANAGER, 'workqueue_depth', undefined, [CLAIM_QUEUE]),
  },
  {
    record: WORK_DURATION,
    title: 'ResourceClaim controller work duration p99',
    unit: 's',
    legend: 'p99',
    source: MetricSource.CONTROLLER_MANAGER,
    threshold: 'resourceClaimWorkDurationSeconds',
    pageQuery: 'histogram_quantile(0.99, sum(rate(workqueue_work_duration_seconds_bucket{name="resource_claim"}[5m])) by (le))',
    expr: p99(MetricSource.CONTROLLER_MANAGER, 'workqueue_work_duration_seconds_bucket', 'rate', [CLAIM_QUEUE]),
  },
  {
    record: SCHEDULER_E2E,
    title: 'Scheduler end-to-end scheduling duration p99',
    unit: 's',
    legend: 'p99',
    source: MetricSource.SCHEDULER,
    threshold: 'schedulerEndToEndSeconds',
    pageQuery: 'histogram_quantile(0.99, sum(increase(scheduler_pod_scheduling_sli_duration_seconds_bucket[5m])) by (le))',
    expr: p99(MetricSource.SCHEDULER, 'scheduler_pod_scheduling_sli_duration_seconds_bucket', 'increase', []),
  },
  {
    record: SCHEDULER_ALGORITHM,
    title: 'Scheduler algorithm latency p99',
    unit: 's',
    legend: 'p99',
    source: MetricSource.SCHEDULER,
    threshold: 'schedulerAlgorithmSeconds',
    pageQuery: 'histogram_quantile(0.99, sum(increase(scheduler_scheduling_algorithm_duration_seconds_bucket[5m])) by (le))',
    expr: p99(MetricSource.SCHEDULER, 'scheduler_scheduling_algorithm_duration_seconds_bucket', 'increase', []),
  },
  {
    record: KUBELET_PREPARE,
    title: 'Kubelet PrepareResources p99',
    unit: 's',
    legend: 'p99',
    source: MetricSource.KUBELET,
    threshold: 'kubeletOperationSeconds',
    pageQuery: 'histogram_quantile(0.99, sum(rate(dra_operations_duration_seconds_bucket{operation_name="PrepareResources"}[5m])) by (le))',
    expr: p99(MetricSource.KUBELET, 'dra_operations_duration_seconds_bucket', 'rate', ['operation_name="PrepareResources"']),
  },
  {
    record: KUBELET_UNPREPARE,
    title: 'Kubelet UnprepareResources p99',
    unit: 's',
    legend: 'p99',
    source: MetricSource.KUBELET,
    threshold: 'kubeletOperationSeconds',
    pageQuery: 'histogram_quantile(0.99, sum(rate(dra_operations_duration_seconds_bucket{operation_name="UnprepareResources"}[5m])) by (le))',
    expr: p99(MetricSource.KUBELET, 'dra_operations_duration_seconds_bucket', 'rate', ['operation_name="UnprepareResources"']),
  },
  {
    record: 'dra:kubeletplugin_grpc_node_prepare_resources_duration_seconds:p99_rate5m',
    title: 'Kubelet plugin gRPC NodePrepareResources p99',
    unit: 's',
    legend: 'p99',
    source: MetricSource.KUBELET,
    threshold: 'pluginGrpcSeconds',
    pageQuery: 'histogram_quantile(0.99, sum(rate(dra_grpc_operations_duration_seconds_bucket{method_name=~".*NodePrepareResources"}[5m])) by (le))',
    expr: p99(MetricSource.KUBELET, 'dra_grpc_operations_duration_seconds_bucket', 'rate', ['method_name=~".*NodePrepareResources"']),
  },
  {
    record: 'dra:kubeletplugin_grpc_node_unprepare_resources_duration_seconds:p99_rate5m',
    title: 'Kubelet plugin gRPC NodeUnprepareResources p99',
    unit: 's',
    legend: 'p99',
    source: MetricSource.KUBELET,
    threshold: 'pluginGrpcSeconds',
    pageQuery: 'histogram_quantile(0.99, sum(rate(dra_grpc_operations_duration_seconds_bucket{method_name=~".*NodeUnprepareResources"}[5m])) by (le))',
    expr: p99(MetricSource.KUBELET, 'dra_grpc_operations_duration_seconds_bucket', 'rate', ['method_name=~".*NodeUnprepareResources"']),
  },
];

