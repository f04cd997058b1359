import { CA_DS_EVICTION_ANNOTATION, CLUSTER_AUTOSCALER_TAINT, KARPENTER_DISRUPTED_TAINT } from '../../common/drain';
import { RULE_IDS } from '../../common/good-practice-ids';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';


/** DRA004: node autoscalers' drains do not take the driver away before its pods. */
export class DrainTolerationsRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.drainTolerations,
    severity: FindingSeverity.WARNING,
    title: 'Driver kubelet plugin not kept through autoscaler drains',
    practice: '"When draining a node, drain the DRA driver as late as possible": Karpenter evicts the pods that do not tolerate its '
      + `${KARPENTER_DISRUPTED_TAINT} taint, and Cluster Autoscaler evicts DaemonSet pods on the nodes it removes unless they are annotated `
      + `${CA_DS_EVICTION_ANNOTATION}: "false" (tolerating its ${CLUSTER_AUTOSCALER_TAINT} taint does not stop that). `
      + 'Evicted too early, the driver cannot clean up the claims of the pods still on the node.',
    fix: `Add the toleration {key: ${KARPENTER_DISRUPTED_TAINT}, operator: Exists, effect: NoSchedule} and the pod-template annotation `
      + `${CA_DS_EVICTION_ANNOTATION}: "false"; tolerate {key: ${CLUSTER_AUTOSCALER_TAINT}, operator: Exists, effect: NoSchedule} too `
      + 'for custom drain logic that follows that taint (DraDriver does all three).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    for (const driver of index.drivers) {
      const tolerations = asArray(driver.podSpec.tolerations);
      const annotations = driver.source.object.spec?.template?.metadata?.annotations ?? {};
      const missing = [
        ...(tolerations.some(t => tolerates(t, KARPENTER_DISRUPTED_TAINT)) ? [] : [`a toleration for ${KARPENTER_DISRUPTED_TAINT}:NoSchedule (Karpenter)`]),
        ...(annotations[CA_DS_EVICTION_ANNOTATION] === 'false' ? [] : [`the annotation ${CA_DS_EVICTION_ANNOTATION}: "false" (Cluster Autoscaler)`]),
      ];
      if (missing.length > 0) {
        violations.push({ source: driver.source, message: `the pod template lacks ${missing.join(' and ')}` });
      }
    }
    return { violations };
  }
}

/**
 * Whether a toleration matches the value-less NoSchedule taint `key`: `Exists`, or `Equal`
 * (the default operator) with an empty value.
 */
function tolerates(toleration: any, key: string): boolean {
  if (typeof toleration !== 'object' || toleration === null) return false;
  if (toleration.effect !== undefined && toleration.effect !== '' && toleration.effect !== 'NoSchedule') return false;
  const keyMatches = toleration.key === undefined || toleration.key === '' || toleration.key === key;
  if (toleration.operator === 'Exists') return keyMatches;
  const equal = toleration.operator === undefined || toleration.operator === '' || toleration.operator === 'Equal';
  return equal && toleration.key === key && (toleration.value ?? '') === '';
}
