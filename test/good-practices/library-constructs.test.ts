import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ControlPlaneTarget, DraDriver, DraGoodPractices, DraMonitoring, DraRbac, DraRuleFormat, DraTunedControlPlane, DriverUpgrade,
} from '../../src';
import { synthValid } from '../support/harness';

// The rules recognise objects by shape, not by class: this keeps them in step with what the
// library's own constructs synthesize (a compliant setup has no finding at all).
const scale = { nodes: 100, podCreationQps: 10 };

function draApp(ruleFormat: DraRuleFormat, target: ControlPlaneTarget) {
  const app = Testing.app();
  const chart = new Chart(app, 'dra');
  const driver = new DraDriver(chart, 'gpu', {
    driverName: 'gpu.example.com',
    image: 'registry.example.com/gpu-driver:v1',
    namespace: 'dra-system',
    upgrade: DriverUpgrade.seamless(),
    minKubeletVersion: '1.34',
    metricsPort: 8080,
  });
  new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: 'https://runbooks.example.com/dra.md', drivers: [driver], ruleFormat });
  new DraRbac(chart, 'rbac', {
    admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins')],
    workloadNamespaces: [{ namespace: 'team-a', operators: [kplus.Group.fromName(chart, 'team-a', 'team-a')] }],
  });
  const controlPlane = new Chart(app, 'control-plane');
  new DraTunedControlPlane(controlPlane, 'tuning', { target, scale, ...(target === ControlPlaneTarget.KUBEADM ? {} : { objectName: 'prod' }) });
  const checks = DraGoodPractices.of(app, { scale, minKubeletVersion: '1.34', adminSubjects: ['Group:platform-admins'] });
  return { chart, checks };
}

describe('the library\'s constructs against the rules', () => {
  test.each([
    [DraRuleFormat.PROMETHEUS_RULE, ControlPlaneTarget.CLUSTER_API],
    [DraRuleFormat.CONFIG_MAP, ControlPlaneTarget.KOPS],
  ])('DraDriver + DraMonitoring (%s) + DraRbac + DraTunedControlPlane (%s): no finding, nothing left unchecked', (ruleFormat, target) => {
    const { chart, checks } = draApp(ruleFormat, target);
    // synthValid synthesizes the app, so the checks run as part of it.
    synthValid(chart);
    const report = checks.report();
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([]);
  });

  test('kubeadm keeps the scheduler config file outside the chart: the report says it was not checked', () => {
    const { checks } = draApp(DraRuleFormat.PROMETHEUS_RULE, ControlPlaneTarget.KUBEADM);
    const report = checks.report();
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([expect.stringMatching(/^DRA009: kube-scheduler in ClusterConfiguration <unnamed> reads --config=.*, which is not in the input/)]);
  });
});
