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
