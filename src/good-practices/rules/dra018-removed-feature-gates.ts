import { RULE_IDS } from '../../common/good-practice-ids';
import { formatMinor, isAtLeast, REMOVED_FEATURE_GATES } from '../../common/kubernetes-versions';
import { GoodPracticeRule } from '../engine/finding';
import { ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { targetVersion } from '../engine/served-apis';
import { FindingSeverity } from '../engine/severity';
import { componentFlags, originOf } from '../inputs/control-plane-args';

/** The gate names of a `--feature-gates` value (`A=true,B=false`). */
function gateNames(value: string): string[] {
  return value.split(',').map(pair => pair.split('=')[0].trim()).filter(name => name.length > 0);
}

/**
 * DRA018: no component of the target Kubernetes is given a DRA feature gate that release
 * removed. A component refuses every gate it does not know and exits before it serves.
 */
export class RemovedFeatureGatesRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.removedFeatureGates,
    severity: FindingSeverity.ERROR,
    title: 'Control-plane component or kubelet given a DRA feature gate the target Kubernetes removed',
    practice: '"DRA driver deployment and maintenance": a cluster upgrade keeps the flags it had. Kubernetes 1.38 removes the DynamicResourceAllocation gate '
      + '(GA in 1.34, locked on since 1.35); kube-apiserver, kube-controller-manager, kube-scheduler and the kubelet exit at start on a gate they do not know '
      + '("unrecognized feature gate"), so the upgraded control plane or node does not come up.',
    fix: 'Remove the gate from --feature-gates (kubeadm extraArgs, static Pods, k3s/RKE2 *-arg, Talos extraArgs) and from KubeletConfiguration featureGates '
      + 'before upgrading: DRA is on without it since 1.34.',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    const target = targetVersion(index.options);
    const release = `Kubernetes ${formatMinor(target)}`;
    const removedFrom = (names: string[]) => names.filter(name =>
      REMOVED_FEATURE_GATES[name] !== undefined && isAtLeast(target, REMOVED_FEATURE_GATES[name]));
    const why = (removed: string[]) => removed.map(name => `${name} (removed in ${formatMinor(REMOVED_FEATURE_GATES[name])})`).join(', ');
    for (const s of componentFlags(index)) {
      const value = s.flags.get('feature-gates');
      const removed = value === undefined ? [] : removedFrom(gateNames(value));
      if (removed.length > 0) {
        violations.push({
          source: originOf(s, 'feature-gates'),
          message: `${s.field} gives ${s.component} --feature-gates=${value}: ${s.component} of ${release} does not know ${why(removed)} and exits at start (unrecognized feature gate)`,
        });
      }
    }
    for (const source of index.ofKind('KubeletConfiguration')) {
      const gates = source.object.featureGates;
      const removed = gates && typeof gates === 'object' ? removedFrom(Object.keys(gates)) : [];
      if (removed.length > 0) {
        violations.push({
          source,
          message: `featureGates sets ${removed.map(name => `${name}: ${gates[name]}`).join(', ')}: the kubelet of ${release} does not know ${why(removed)} and exits at start (unrecognized feature gate)`,
        });
      }
    }
    return { violations };
  }
}
