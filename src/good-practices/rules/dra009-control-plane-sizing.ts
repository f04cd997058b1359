import { RULE_IDS } from '../../common/good-practice-ids';
import { ControlPlaneSizing } from '../../control-plane/sizing';
import { GoodPracticeRule } from '../engine/finding';
import { describeRef, ObjectIndex } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { FindingSeverity } from '../engine/severity';
import { clientSettings } from '../inputs/control-plane-args';

/** DRA009: control-plane client QPS/burst at least what the sizing model recommends for the declared scale. */
export class ControlPlaneSizingRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.controlPlaneSizing,
    severity: FindingSeverity.ERROR,
    title: 'kube-controller-manager (or kube-scheduler) client QPS/burst below the sizing model for the declared scale',
    practice: '"Monitor and tune components for higher load": with DRA, the QPS and burst of kube-controller-manager\'s client are critical during '
      + 'scheduling (the page\'s 100-node test needed at least 75/150); too low, and ResourceClaims are created late and pods start late.',
    fix: 'Raise --kube-api-qps/--kube-api-burst of kube-controller-manager (and the scheduler\'s clientConnection.qps/burst) to at least the values of '
      + '`cdk8s-dra plan` for your scale (DraTunedControlPlane sets them), then confirm with rest_client_rate_limiter_duration_seconds.',
  };

  public check(index: ObjectIndex): RuleResult {
    const scale = index.options.scale;
    if (!scale) {
      return {
        violations: [],
        notes: ['DRA009 did not run: no cluster scale declared (scale option, or --nodes and --pod-creation-qps), so client QPS/burst cannot be compared with the sizing model'],
      };
    }
    const rec = ControlPlaneSizing.recommend(scale);
    const wanted = {
      'kube-controller-manager': { qps: rec.controllerManagerQps, burst: rec.controllerManagerBurst },
      'kube-scheduler': { qps: rec.schedulerQps, burst: rec.schedulerBurst },
    };
    const { settings, unresolved } = clientSettings(index);
    const violations: Violation[] = [];
    for (const s of settings) {
      const want = wanted[s.component];
      if (s.qps < want.qps || s.burst < want.burst) {
        violations.push({
          source: s.source,
          message: `${s.component} client QPS/burst ${s.qps}/${s.burst} (${s.field}) is below ${want.qps}/${want.burst}, `
            + `the sizing model's recommendation for ${scale.nodes} nodes at ${scale.podCreationQps} pods/s`,
        });
      }
    }
    const notes = unresolved.map(u => `DRA009: kube-scheduler in ${describeRef(u.source.ref)} reads --config=${u.path}, which is not in the input; `
      + `check that its clientConnection sets at least qps ${rec.schedulerQps} and burst ${rec.schedulerBurst}`);
    if (!settings.some(s => s.component === 'kube-controller-manager')) {
      notes.push('DRA009: no kube-controller-manager settings in the input (kubeadm ClusterConfiguration, Cluster API KubeadmControlPlane, kops Cluster, '
        + `static Pod, k3s/RKE2 config file, Talos machine config); for the declared scale set --kube-api-qps=${rec.controllerManagerQps} --kube-api-burst=${rec.controllerManagerBurst} wherever it is configured`);
    }
    return { violations, notes };
  }
}
