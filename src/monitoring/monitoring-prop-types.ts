import { DEFAULT_THRESHOLDS } from './default-thresholds';
import { DraRuleFormat } from './dra-monitoring';
import { boolean, draDriverReference, listOf, number, oneOf, optional, PropSchema, record, required, string, stringMap } from '../common/prop-types';
import { ControlPlaneTarget } from '../control-plane/target';

/** The JavaScript types of `DraMonitoringProps` (src/common/prop-types.ts), checked before every other rule. */
export function draMonitoringPropTypes(): PropSchema {
  return {
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
    thresholds: optional(record(Object.fromEntries(Object.keys(DEFAULT_THRESHOLDS).map(key => [key, optional(number)])))),
    alertFor: optional(string),
    ruleFormat: optional(oneOf(Object.values(DraRuleFormat))),
    dashboard: optional(boolean),
    controlPlaneTarget: optional(oneOf(Object.values(ControlPlaneTarget))),
  };
}
