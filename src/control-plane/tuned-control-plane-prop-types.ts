import { ControlPlaneTarget } from './target';
import { number, optional, ownEnum, required, string, struct, StructType } from '../common/prop-types';

const CLIENT_RATE_LIMIT: StructType = struct('ClientRateLimit', () => ({ qps: required(number), burst: required(number) }));

/** Types only: ControlPlaneSizing.recommend() checks the ranges. */
export const CLUSTER_SCALE: StructType = struct('ClusterScale', () => ({
  nodes: required(number),
  podCreationQps: required(number),
  claimsPerPod: optional(number),
  podDeletionQps: optional(number),
}));

/** The JavaScript types of the props (src/common/prop-types.ts), checked before every other rule. */
export const DRA_TUNED_CONTROL_PLANE_PROPS: StructType = struct('DraTunedControlPlaneProps', () => ({
  target: required(ownEnum('ControlPlaneTarget', ControlPlaneTarget)),
  scale: optional(CLUSTER_SCALE),
  controllerManager: optional(CLIENT_RATE_LIMIT),
  scheduler: optional(CLIENT_RATE_LIMIT),
  concurrentResourceClaimSyncs: optional(number),
  kubernetesVersion: optional(string),
  objectName: optional(string),
  namespace: optional(string),
  schedulerConfigPath: optional(string),
  schedulerKubeconfigPath: optional(string),
}));
