import { ControlPlaneSizing } from '../../control-plane/sizing';
import { componentFlags } from '../control-plane-args';
import { RuleInfo } from '../finding';
import { describeRef, ObjectIndex, SourcedObject } from '../object-index';
import { Rule, RuleResult, Violation } from '../rule';
import { Severity } from '../severity';

/** Component defaults (kube-controller-manager flags, KubeSchedulerConfiguration.clientConnection). */
const DEFAULTS = {
  'kube-controller-manager': { qps: 20, burst: 30 },
  'kube-scheduler': { qps: 50, burst: 100 },
};

/** DRA009: control-plane client QPS/burst at least what the sizing model recommends for the declared scale. */
export class ControlPlaneSizingRule implements Rule {
  public readonly info: RuleInfo = {
    id: 'DRA009',
    severity: Severity.ERROR,
    title: 'kube-controller-manager (or kube-scheduler) client QPS/burst below the sizing model for the declared scale',
    practice: '"Monitor and tune components for higher load": with DRA, the QPS and burst of kube-controller-manager\'s client are critical during '
      + 'scheduling (the page\'s 100-node test needed at least 75/150); too low, and ResourceClaims are created late and pods start late.',
    fix: 'Raise --kube-api-qps/--kube-api-burst of kube-controller-manager (and the scheduler\'s clientConnection.qps/burst) to at least the values of '
      + '`cdk8s-dra plan` for your scale (DraTunedControlPlane sets them), then confirm with rest_client_rate_limiter_duration_seconds.',
  };

  public check(index: ObjectIndex): RuleResult {
    const scale = index.options.scale;
    const sources = componentFlags(index);
    const schedulerConfigs = index.ofKind('KubeSchedulerConfiguration');
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
    const violations: Violation[] = [];
    const compare = (source: SourcedObject, component: keyof typeof wanted, where: string, qps: number, burst: number) => {
      const want = wanted[component];
      if (qps < want.qps || burst < want.burst) {
        violations.push({
          source,
          message: `${component} client QPS/burst ${qps}/${burst} (${where}) is below ${want.qps}/${want.burst}, `
            + `the sizing model's recommendation for ${scale.nodes} nodes at ${scale.podCreationQps} pods/s`,
        });
      }
    };
    const notes: string[] = [];
    for (const s of sources) {
      // A scheduler run with --config takes its client settings from that file (checked below), not from flags.
      if (s.component === 'kube-scheduler' && s.flags.has('config')) {
        if (schedulerConfigs.length === 0) {
          notes.push(`DRA009: kube-scheduler in ${describeRef(s.source.ref)} reads --config=${s.flags.get('config')}, which is not in the input; `
            + `check that its clientConnection sets at least qps ${rec.schedulerQps} and burst ${rec.schedulerBurst}`);
        }
        continue;
      }
      const defaults = DEFAULTS[s.component];
      compare(s.source, s.component, s.field,
        numberOr(s.flags.get('kube-api-qps'), defaults.qps), numberOr(s.flags.get('kube-api-burst'), defaults.burst));
    }
    for (const source of schedulerConfigs) {
      const connection = source.object.clientConnection ?? {};
      compare(source, 'kube-scheduler', 'clientConnection',
        numberOr(connection.qps, DEFAULTS['kube-scheduler'].qps), numberOr(connection.burst, DEFAULTS['kube-scheduler'].burst));
    }
    if (!sources.some(s => s.component === 'kube-controller-manager')) {
      notes.push('DRA009: no kube-controller-manager settings in the input (kubeadm ClusterConfiguration, Cluster API KubeadmControlPlane, static Pod); '
        + `for the declared scale set --kube-api-qps=${rec.controllerManagerQps} --kube-api-burst=${rec.controllerManagerBurst} wherever it is configured`);
    }
    return { violations, notes };
  }
}

function numberOr(value: unknown, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}
