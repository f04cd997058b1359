import { DEFAULT_THRESHOLDS } from './default-thresholds';
import { DraRuleFormat } from './rule-format';
import { boolean, draDriverReference, listOf, number, optional, ownEnum, required, string, stringMap, struct, StructType } from '../common/prop-types';
import { ControlPlaneTarget } from '../control-plane/target';

const DRA_ALERT_THRESHOLDS: StructType = struct('DraAlertThresholds', () =>
  Object.fromEntries(Object.keys(DEFAULT_THRESHOLDS).map(key => [key, optional(number)])));

/** The JavaScript types of `DraMonitoringProps` (src/common/prop-types.ts), checked before every other rule. */
export const DRA_MONITORING_PROPS: StructType = struct('DraMonitoringProps', () => ({
  drivers: optional(listOf(draDriverReference)),
  name: optional(string),
  namespace: optional(string),
  ruleLabels: optional(stringMap),
  scrapeLabels: optional(stringMap),
  runbookBaseUrl: required(string),
  controllerManagerSelector: optional(stringMap),
  schedulerSelector: optional(stringMap),
  kubeletSelector: optional(stringMap),
  kubeStateMetricsSelector: optional(stringMap),
  clusterLabel: optional(string),
  thresholds: optional(DRA_ALERT_THRESHOLDS),
  alertFor: optional(string),
  ruleFormat: optional(ownEnum('DraRuleFormat', DraRuleFormat)),
  dashboard: optional(boolean),
  controlPlaneTarget: optional(ownEnum('ControlPlaneTarget', ControlPlaneTarget)),
}));
