import { RULE_IDS } from '../../common/good-practice-ids';
import { GoodPracticeRule } from '../engine/finding';
import { ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';
import { componentFlags, originOf } from '../inputs/control-plane-args';

const DEPRECATED = ['kube-api-qps', 'kube-api-burst'];

/** DRA010: scheduler client tuning goes in its configuration file, where it takes effect. */
export class SchedulerDeprecatedFlagsRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.schedulerDeprecatedFlags,
    severity: FindingSeverity.ERROR,
    title: 'kube-scheduler client QPS set through deprecated flags while a config file is used',
    practice: '"Monitor and tune components for higher load": if kube-scheduler\'s QPS and burst are too low, binding pods to nodes is slow. '
      + 'kube-scheduler ignores the deprecated --kube-api-qps/--kube-api-burst when it runs with --config, so this tuning silently does nothing.',
    fix: 'Remove --kube-api-qps/--kube-api-burst and set clientConnection.qps/burst in the KubeSchedulerConfiguration passed with --config '
      + '(DraTunedControlPlane generates it).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const s of componentFlags(index)) {
      if (s.component !== 'kube-scheduler' || !s.flags.has('config')) continue;
      const ignored = DEPRECATED.filter(flag => s.flags.has(flag));
      if (ignored.length > 0) {
        violations.push({
          source: originOf(s, ignored[0]),
          message: `${s.field} sets ${ignored.map(f => `--${f}=${s.flags.get(f)}`).join(' ')} together with --config=${s.flags.get('config')}: `
            + 'kube-scheduler ignores these flags when a config file is used',
        });
      }
    }
    return { violations };
  }
}
