/** The thresholds with every default filled in. */
export interface ResolvedThresholds {
  readonly resourceClaimAddRate: number;
  readonly resourceClaimQueueDepth: number;
  readonly resourceClaimWorkDurationSeconds: number;
  readonly schedulerEndToEndSeconds: number;
  readonly schedulerAlgorithmSeconds: number;
  readonly kubeletOperationSeconds: number;
  readonly pluginGrpcSeconds: number;
  readonly pluginGrpcErrorRatio: number;
  readonly clientThrottlingSeconds: number;
  readonly driverContainerRestarts: number;
}

export const DEFAULT_THRESHOLDS: ResolvedThresholds = {
  resourceClaimAddRate: 10,
  resourceClaimQueueDepth: 100,
  resourceClaimWorkDurationSeconds: 1,
  schedulerEndToEndSeconds: 5.12,
  schedulerAlgorithmSeconds: 1.024,
  kubeletOperationSeconds: 2.5,
  pluginGrpcSeconds: 2.5,
  pluginGrpcErrorRatio: 0.05,
  clientThrottlingSeconds: 1,
  driverContainerRestarts: 1,
};

/** A histogram that a latency threshold is compared with. */
export interface ThresholdHistogram {
  readonly metric: string;
  /** Its finite bucket upper bounds (`le`), ascending, as the Kubernetes component defines them. */
  readonly bounds: readonly number[];
}

/**
 * client_golang's `ExponentialBuckets(start, factor, count)`, computed as `start * factor^i`:
 * for the layouts below that gives the decimal bounds the source means, where Go's repeated
 * multiplication drifts (9.999999999999999e-06 for the workqueue's 1e-5).
 */
function exponentialBuckets(start: number, factor: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/** client_golang's `prometheus.DefBuckets`. */
const DEF_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The bucket layout of each histogram a latency threshold is compared with, on Kubernetes 1.34.
 * The one source of the ceiling check below and of the test that keeps every latency default
 * on a bucket bound.
 */
export const THRESHOLD_HISTOGRAMS: { [K in keyof ResolvedThresholds]?: ThresholdHistogram } = {
  // component-base workqueue: ExponentialBuckets(10e-9, 10, 10) = 1e-8 s .. 10 s (1.34, 1.35).
  resourceClaimWorkDurationSeconds: { metric: 'workqueue_work_duration_seconds', bounds: exponentialBuckets(10e-9, 10, 10) },
  // kube-scheduler: ExponentialBuckets(0.01, 2, 20) = 0.01 s .. 5242.88 s.
  schedulerEndToEndSeconds: { metric: 'scheduler_pod_scheduling_sli_duration_seconds', bounds: exponentialBuckets(0.01, 2, 20) },
  // kube-scheduler: ExponentialBuckets(0.001, 2, 15) = 0.001 s .. 16.384 s.
  schedulerAlgorithmSeconds: { metric: 'scheduler_scheduling_algorithm_duration_seconds', bounds: exponentialBuckets(0.001, 2, 15) },
  // kubelet: DefBuckets = 0.005 s .. 10 s.
  kubeletOperationSeconds: { metric: 'dra_operations_duration_seconds', bounds: DEF_BUCKETS },
  pluginGrpcSeconds: { metric: 'dra_grpc_operations_duration_seconds', bounds: DEF_BUCKETS },
  // component-base rest client (restclient/metrics.go, rateLimiterLatency): 0.005 s .. 60 s.
  clientThrottlingSeconds: {
    metric: 'rest_client_rate_limiter_duration_seconds',
    bounds: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
  },
};

/** The highest finite bucket bound of the histogram a latency threshold is compared with. */
export interface HistogramCeiling {
  readonly metric: string;
  readonly seconds: number;
}

/**
 * `histogram_quantile` never returns more than a histogram's highest finite bucket bound (a
 * quantile in the +Inf bucket reads as that bound), so a `p99 > threshold` alert with a
 * threshold at or above it can never fire.
 */
export const HISTOGRAM_CEILINGS: { [K in keyof ResolvedThresholds]?: HistogramCeiling } = Object.fromEntries(
  Object.entries(THRESHOLD_HISTOGRAMS).map(([key, h]) => [key, { metric: h.metric, seconds: Math.max(...h.bounds) }]),
);
