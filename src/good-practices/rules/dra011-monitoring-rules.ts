import { RULE_IDS } from '../../common/good-practice-ids';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';

/** The page's metric families, each with how to tell a rule expression uses it. */
const SIGNALS: Array<{ name: string; matches: (expr: string) => boolean }> = [
  {
    name: 'kube-controller-manager ResourceClaim workqueue (workqueue_*{name="resource_claim"})',
    matches: expr => /workqueue_\w+/.test(expr) && expr.includes('resource_claim'),
  },
  {
    name: 'kube-scheduler latency (scheduler_pod_scheduling_sli_duration_seconds, scheduler_scheduling_algorithm_duration_seconds)',
    matches: expr => expr.includes('scheduler_pod_scheduling_sli_duration_seconds') || expr.includes('scheduler_scheduling_algorithm_duration_seconds'),
  },
  {
    name: 'kubelet DRA operations (dra_operations_duration_seconds)',
    matches: expr => expr.includes('dra_operations_duration_seconds'),
  },
  {
    name: 'kubelet plugin gRPC operations (dra_grpc_operations_duration_seconds)',
    matches: expr => expr.includes('dra_grpc_operations_duration_seconds'),
  },
];

/** DRA011: an app that deploys drivers watches the page's metrics. */
export class MonitoringRulesRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.monitoringRules,
    severity: FindingSeverity.WARNING,
    title: 'Drivers deployed without alert or recording rules for the page\'s metrics',
    practice: '"Monitor and tune components for higher load": the ResourceClaim controller workqueue, scheduler latency, kubelet DRA operations '
      + 'and the plugin\'s gRPC operations tell whether QPS, burst and the driver keep up; without rules nobody sees them degrade.',
    fix: 'Add PrometheusRule objects (or Prometheus rule files in ConfigMaps) whose expressions use these metrics (DraMonitoring generates them).',
  };

  public check(index: ObjectIndex): RuleResult {
    if (index.drivers.length === 0) return { violations: [] };
    const expressions: string[] = [];
    for (const source of index.ofKind('PrometheusRule')) {
      for (const group of asArray(source.object.spec?.groups)) {
        for (const rule of asArray(group?.rules)) {
          if (rule?.expr !== undefined) expressions.push(String(rule.expr));
        }
      }
    }
    // Rule files mounted into Prometheus from ConfigMaps: the expressions are inside the file text.
    for (const source of index.ofKind('ConfigMap')) {
      for (const value of Object.values(source.object.data ?? {})) {
        if (typeof value === 'string' && value.includes('groups') && value.includes('expr')) expressions.push(value);
      }
    }
    const missing = SIGNALS.filter(signal => !expressions.some(signal.matches)).map(signal => signal.name);
    if (missing.length === 0) return { violations: [] };
    const violations: Violation[] = [{
      // One finding per input, on the first driver: the rules are per cluster, not per driver.
      source: index.drivers[0].source,
      message: `this input deploys DRA driver(s) but no alert or recording rule uses ${missing.join('; ')}`,
    }];
    return { violations };
  }
}
