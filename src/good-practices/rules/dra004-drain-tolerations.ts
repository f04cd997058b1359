import { GoodPracticeRule } from '../finding';
import { asArray, ObjectIndex } from '../object-index';
import { Rule, RuleResult, Violation } from '../rule';
import { FindingSeverity } from '../severity';

/** Taints node autoscalers put on nodes they are about to remove. */
const DRAIN_TAINTS = ['ToBeDeletedByClusterAutoscaler', 'karpenter.sh/disrupted'];

/** DRA004: autoscaler drain taints do not take the driver away before its pods. */
export class DrainTolerationsRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: 'DRA004',
    severity: FindingSeverity.WARNING,
    title: 'Driver kubelet plugin without drain-late tolerations',
    practice: '"When draining a node, drain the DRA driver as late as possible": Cluster Autoscaler and Karpenter taint a node before draining it; '
      + 'a driver that does not tolerate those taints can be removed by custom drain logic before the pods whose claims it must clean up.',
    fix: 'Add tolerations {key: ToBeDeletedByClusterAutoscaler, operator: Exists, effect: NoSchedule} and '
      + '{key: karpenter.sh/disrupted, operator: Exists, effect: NoSchedule} to the pod template (DraDriver does this).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const driver of index.drivers) {
      const tolerations = asArray(driver.podSpec.tolerations);
      const missing = DRAIN_TAINTS.filter(key => !tolerations.some(t => tolerates(t, key)));
      if (missing.length > 0) {
        violations.push({
          source: driver.source,
          message: `the pod template does not tolerate the drain taint(s) ${missing.map(k => `${k}:NoSchedule`).join(', ')}`,
        });
      }
    }
    return { violations };
  }
}

/** Whether a toleration matches a NoSchedule taint `key` whatever its value (CA's value is a timestamp). */
function tolerates(toleration: any, key: string): boolean {
  if (toleration?.effect !== undefined && toleration.effect !== '' && toleration.effect !== 'NoSchedule') return false;
  const exists = toleration?.operator === 'Exists';
  return exists && (toleration.key === undefined || toleration.key === '' || toleration.key === key);
}
