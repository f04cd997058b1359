import { THRESHOLD_HISTOGRAMS } from './default-thresholds';

/**
 * Alert thresholds. Latency defaults sit on histogram bucket bounds, so an alert flips when
 * a whole bucket's worth of observations moves, not on interpolation noise. A latency
 * threshold must be below its histogram's highest finite bucket bound (histogram_quantile
 * never returns more), or synthesis fails.
 */
export interface DraAlertThresholds {
  /**
   * ResourceClaim workqueue add rate (items/s) that separates "low" from "high" in the
   * page's two diagnoses.
   * @default 10 - the pod creation rate of the page's 100-node scale test
   */
  readonly resourceClaimAddRate?: number;
  /**
   * ResourceClaim workqueue depth (items) above which the queue is backlogged.
   * @default 100
   */
  readonly resourceClaimQueueDepth?: number;
  /**
   * ResourceClaim controller work duration p99 (seconds) above which it is "high"; below 10
   * (the top workqueue bucket on Kubernetes 1.34 and 1.35).
   * @default 1 - a workqueue bucket bound, and the SIG Scalability p99 for one mutating API call
   */
  readonly resourceClaimWorkDurationSeconds?: number;
  /**
   * Scheduler end-to-end (SLI) scheduling duration p99, seconds; below 5242.88 (its top bucket).
   * @default 5.12 - the bucket bound just above the 5 s pod startup SLO
   */
  readonly schedulerEndToEndSeconds?: number;
  /**
   * Scheduler algorithm latency p99, seconds; below 16.384 (its top bucket).
   * @default 1.024 - a bucket bound of the scheduler's exponential buckets
   */
  readonly schedulerAlgorithmSeconds?: number;
  /**
   * Kubelet PrepareResources / UnprepareResources p99, seconds; below 10 (the top default bucket).
   * @default 2.5 - a default-bucket bound, half the 5 s pod startup SLO
   */
  readonly kubeletOperationSeconds?: number;
  /**
   * Kubelet plugin gRPC NodePrepareResources / NodeUnprepareResources p99 per driver, seconds;
   * below 10 (the top default bucket).
   * @default 2.5 - a default-bucket bound, half the 5 s pod startup SLO
   */
  readonly pluginGrpcSeconds?: number;
  /**
   * Fraction (0..1] of a driver's gRPC calls that fail (`grpc_status_code!="OK"`).
   * @default 0.05
   */
  readonly pluginGrpcErrorRatio?: number;
  /**
   * p99 wait in kube-controller-manager's and kube-scheduler's client-side rate limiter,
   * seconds; below 60 (its top bucket).
   * @default 1 - a bucket bound of `rest_client_rate_limiter_duration_seconds`
   */
  readonly clientThrottlingSeconds?: number;
  /**
   * Container restarts of a driver's pods within the last 15 minutes. The alert fires as soon
   * as they are reached (it does not wait for `alertFor`).
   * @default 1
   */
  readonly driverContainerRestarts?: number;
}

/**
 * The first threshold so low that any traffic fires its alert, as `[key, rule]`: a latency
 * below its histogram's lowest bucket bound (nearly every observation lands in that bucket,
 * whose p99 reads as most of its bound), a queue depth below one item, restarts below one.
 */
export function thresholdFloorProblem(resolved: { readonly [K in keyof DraAlertThresholds]-?: number }): [string, string] | undefined {
  for (const [key, histogram] of Object.entries(THRESHOLD_HISTOGRAMS)) {
    const lowest = histogram!.bounds[0];
    if (resolved[key as keyof DraAlertThresholds] < lowest) {
      return [key, `must be at least ${lowest}, the lowest bucket bound of ${histogram!.metric}: below it any traffic makes the p99 exceed it and the alert fire`];
    }
  }
  if (resolved.resourceClaimQueueDepth < 1) {
    return ['resourceClaimQueueDepth', 'must be at least 1: below it one queued claim fires the alert'];
  }
  if (resolved.driverContainerRestarts < 1) {
    return ['driverContainerRestarts', 'must be at least 1 restart'];
  }
  return undefined;
}
