import { ControlPlaneTarget } from './target';
import { number, oneOf, optional, PropSchema, record, required, string } from '../common/prop-types';

const RATE_LIMIT = record({ qps: required(number), burst: required(number) });

/** The JavaScript types of the props (src/common/prop-types.ts), checked before every other rule. */
export const TUNED_CONTROL_PLANE_PROP_TYPES: PropSchema = {
  target: required(oneOf(Object.values(ControlPlaneTarget))),
  scale: optional(record({})),
  controllerManager: optional(RATE_LIMIT),
  scheduler: optional(RATE_LIMIT),
  concurrentResourceClaimSyncs: optional(number),
  kubernetesVersion: optional(string),
  objectName: optional(string),
  namespace: optional(string),
  schedulerConfigPath: optional(string),
  schedulerKubeconfigPath: optional(string),
};
