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

/** The highest finite bucket bound of the histogram a latency threshold is compared with. */
export interface HistogramCeiling {
  readonly metric: string;
  readonly seconds: number;
}

/**
 * `histogram_quantile` never returns more than a histogram's highest finite bucket bound (a
 * quantile in the +Inf bucket reads as that bound), so a `p99 > threshold` alert with a
 * threshold at or above it can never fire. Bounds as the Kubernetes 1.34 components define them.
 */
export const HISTOGRAM_CEILINGS: { [K in keyof ResolvedThresholds]?: HistogramCeiling } = {
  // component-base workqueue: ExponentialBuckets(10e-9, 10, 10) = 1e-8 s .. 10 s (1.34, 1.35).
  resourceClaimWorkDurationSeconds: { metric: 'workqueue_work_duration_seconds', seconds: 10 },
  // kube-scheduler: ExponentialBuckets(0.01, 2, 20) = 0.01 s .. 5242.88 s.
  schedulerEndToEndSeconds: { metric: 'scheduler_pod_scheduling_sli_duration_seconds', seconds: 5242.88 },
  // kube-scheduler: ExponentialBuckets(0.001, 2, 15) = 0.001 s .. 16.384 s.
  schedulerAlgorithmSeconds: { metric: 'scheduler_scheduling_algorithm_duration_seconds', seconds: 16.384 },
  // kubelet: DefBuckets = 0.005 s .. 10 s.
  kubeletOperationSeconds: { metric: 'dra_operations_duration_seconds', seconds: 10 },
  pluginGrpcSeconds: { metric: 'dra_grpc_operations_duration_seconds', seconds: 10 },
  // component-base rest client: 0.005 s .. 60 s.
  clientThrottlingSeconds: { metric: 'rest_client_rate_limiter_duration_seconds', seconds: 60 },
};
