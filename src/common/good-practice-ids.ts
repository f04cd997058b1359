/**
 * The good-practice rules' ids, and the annotation that suppresses one on an object: the rules
 * report under these ids, and the builders that write a suppression (a driver without a liveness
 * probe, with its reason) name the rule by them.
 */
export const RULE_IDS = {
  driverLivenessProbe: 'DRA001',
  seamlessUpgrade: 'DRA002',
  driverPriority: 'DRA003',
  drainTolerations: 'DRA004',
  clusterScopedWrites: 'DRA005',
  clusterWideClaims: 'DRA006',
  wildcards: 'DRA007',
  resourceSliceGuard: 'DRA008',
  controlPlaneSizing: 'DRA009',
  schedulerDeprecatedFlags: 'DRA010',
  monitoringRules: 'DRA011',
  servedVersions: 'DRA012',
  pluginRollout: 'DRA013',
  pluginClaimAccess: 'DRA014',
  claimDriverGrant: 'DRA015',
  pluginDeviceTaintRules: 'DRA016',
  pluginSocketPaths: 'DRA017',
  removedFeatureGates: 'DRA018',
} as const;

/** `cdk8s-dra/suppress-<rule id>: <reason>` on an object suppresses that rule on it. */
export const SUPPRESS_ANNOTATION_PREFIX = 'cdk8s-dra/suppress-';

/** The annotation that suppresses `ruleId`. */
export function suppressAnnotation(ruleId: string): string {
  return `${SUPPRESS_ANNOTATION_PREFIX}${ruleId}`;
}
