import { DriverLivenessProbeRule } from './dra001-driver-liveness-probe';
import { SeamlessUpgradeRule } from './dra002-seamless-upgrade';
import { DriverPriorityRule } from './dra003-driver-priority';
import { DrainTolerationsRule } from './dra004-drain-tolerations';
import { ClusterScopedWritesRule } from './dra005-cluster-scoped-writes';
import { ClusterWideClaimsRule } from './dra006-cluster-wide-claims';
import { WildcardRule } from './dra007-wildcards';
import { ResourceSliceGuardRule } from './dra008-resourceslice-guard';
import { ControlPlaneSizingRule } from './dra009-control-plane-sizing';
import { SchedulerDeprecatedFlagsRule } from './dra010-scheduler-deprecated-flags';
import { MonitoringRulesRule } from './dra011-monitoring-rules';
import { ServedVersionsRule } from './dra012-served-versions';
import { PluginRolloutRule } from './dra013-plugin-rollout';
import { PluginClaimAccessRule } from './dra014-plugin-claim-access';
import { ClaimDriverGrantRule } from './dra015-claim-driver-grant';
import { PluginDeviceTaintRulesRule } from './dra016-plugin-device-taint-rules';
import { PluginSocketPathsRule } from './dra017-plugin-socket-paths';
import { RemovedFeatureGatesRule } from './dra018-removed-feature-gates';
import { Rule } from '../engine/rule';

/** Every rule, in id order. */
export const ALL_RULES: readonly Rule[] = [
  new DriverLivenessProbeRule(),
  new SeamlessUpgradeRule(),
  new DriverPriorityRule(),
  new DrainTolerationsRule(),
  new ClusterScopedWritesRule(),
  new ClusterWideClaimsRule(),
  new WildcardRule(),
  new ResourceSliceGuardRule(),
  new ControlPlaneSizingRule(),
  new SchedulerDeprecatedFlagsRule(),
  new MonitoringRulesRule(),
  new ServedVersionsRule(),
  new PluginRolloutRule(),
  new PluginClaimAccessRule(),
  new ClaimDriverGrantRule(),
  new PluginDeviceTaintRulesRule(),
  new PluginSocketPathsRule(),
  new RemovedFeatureGatesRule(),
];
