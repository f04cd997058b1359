import { listOf, optional, string, struct, StructType } from '../common/prop-types';
import { CLUSTER_SCALE } from '../control-plane/tuned-control-plane-prop-types';

/** The JavaScript types of `GoodPracticesOptions` (src/common/prop-types.ts), checked before every other rule. */
export const GOOD_PRACTICES_OPTIONS: StructType = struct('GoodPracticesOptions', () => ({
  scale: optional(CLUSTER_SCALE),
  minKubeletVersion: optional(string),
  kubernetesVersion: optional(string),
  adminSubjects: optional(listOf(string)),
  driverServiceAccounts: optional(listOf(string)),
  defaultNamespace: optional(string),
  registrationDirs: optional(listOf(string)),
}));
