import { DraGoodPractices } from '../../../src';
import { expectValidObjects } from '../../support/harness';
import { findings, messages } from '../check';
import { kubeadmControlPlane, kubeadmV1beta3, kubeadmV1beta4, schedulerConfiguration, staticPod } from '../control-plane-objects';

// ControlPlaneSizing.recommend({ nodes: 100, podCreationQps: 10 }): controller-manager 100/150, scheduler 100/100.
const scale = { nodes: 100, podCreationQps: 10 };

describe('DRA009 control-plane client QPS/burst against the sizing model', () => {
  test('passes settings at or above the recommendation, in every place they are read from', () => {
    const schedulerConfigFile = [{ name: 'config', value: '/etc/kubernetes/scheduler.yaml' }];
    const objects = [
      kubeadmV1beta4([{ name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '150' }], schedulerConfigFile),
      kubeadmV1beta3({ 'kube-api-qps': '200', 'kube-api-burst': '300' }, { 'kube-api-qps': '100', 'kube-api-burst': '100' }),
      kubeadmControlPlane([{ name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '150' }], schedulerConfigFile),
      staticPod('kube-controller-manager', ['--kube-api-qps=120', '--kube-api-burst', '150']),
      schedulerConfiguration(100, 100),
    ];
    expect(messages('DRA009', objects, { scale })).toEqual([]);
  });

  test('flags each source below the recommendation, with the values and the scale', () => {
    const tunedScheduler = [{ name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '100' }];
    const objects = [
      kubeadmV1beta4([{ name: 'kube-api-qps', value: '75' }, { name: 'kube-api-burst', value: '150' }], tunedScheduler),
      kubeadmControlPlane([{ name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '100' }], tunedScheduler),
      staticPod('kube-controller-manager', ['--leader-elect=true']),
    ];
    expectValidObjects([objects[2]]);
    expect(findings(objects, { scale })).toEqual([
      'DRA009 ClusterConfiguration <unnamed>',
      'DRA009 KubeadmControlPlane clusters/prod-control-plane',
      'DRA009 Pod kube-system/kube-controller-manager',
    ]);
    expect(messages('DRA009', objects, { scale })).toEqual([
      'kube-controller-manager client QPS/burst 75/150 (controllerManager.extraArgs) is below 100/150, the sizing model\'s recommendation for 100 nodes at 10 pods/s',
      'kube-controller-manager client QPS/burst 100/100 (spec.kubeadmConfigSpec.clusterConfiguration.controllerManager.extraArgs) is below 100/150, '
        + 'the sizing model\'s recommendation for 100 nodes at 10 pods/s',
      // No flags: the component defaults 20/30 apply.
      'kube-controller-manager client QPS/burst 20/30 (spec.containers[kube-controller-manager].command) is below 100/150, '
        + 'the sizing model\'s recommendation for 100 nodes at 10 pods/s',
    ]);
  });

  test('checks the scheduler: its config file\'s clientConnection, or its flags when it runs without one', () => {
    expect(messages('DRA009', [schedulerConfiguration()], { scale })).toEqual([
      expect.stringMatching(/^kube-scheduler client QPS\/burst 50\/100 \(clientConnection\) is below 100\/100/),
    ]);
    expect(messages('DRA009', [staticPod('kube-scheduler', ['--kube-api-qps=60', '--kube-api-burst=100'])], { scale })).toEqual([
      expect.stringMatching(/^kube-scheduler client QPS\/burst 60\/100 .* is below 100\/100/),
    ]);
    // With --config the flags are ignored (DRA010's business): nothing to compare here.
    expect(messages('DRA009', [staticPod('kube-scheduler', ['--config=/etc/kubernetes/scheduler.yaml', '--kube-api-qps=60'])], { scale })).toEqual([]);
  });

  test('reads the scheduler config file a KubeadmControlPlane writes at its --config path', () => {
    const kcp = kubeadmControlPlane([{ name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '150' }],
      [{ name: 'config', value: '/etc/kubernetes/kube-scheduler-config.yaml' }]);
    kcp.spec.kubeadmConfigSpec.files = [
      { path: '/etc/kubernetes/other.yaml', content: 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n' },
      {
        path: '/etc/kubernetes/kube-scheduler-config.yaml',
        content: 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nclientConnection:\n  qps: 80\n  burst: 100\n',
      },
    ];
    expect(messages('DRA009', [kcp], { scale })).toEqual([
      'kube-scheduler client QPS/burst 80/100 (spec.kubeadmConfigSpec.files[/etc/kubernetes/kube-scheduler-config.yaml]) is below 100/100, '
        + 'the sizing model\'s recommendation for 100 nodes at 10 pods/s',
    ]);
    kcp.spec.kubeadmConfigSpec.files[1].content = kcp.spec.kubeadmConfigSpec.files[1].content.replace('qps: 80', 'qps: 100');
    expect(DraGoodPractices.checkObjects([kcp], { scale })).toMatchObject({ findings: [], notes: [] });
  });

  test('reads a Cluster API v1beta1 KubeadmControlPlane, whose extraArgs are maps', () => {
    const kcp = kubeadmControlPlane([]);
    kcp.apiVersion = 'controlplane.cluster.x-k8s.io/v1beta1';
    kcp.spec.kubeadmConfigSpec.clusterConfiguration = {
      controllerManager: { extraArgs: { 'kube-api-qps': '50', 'kube-api-burst': '150' } },
      scheduler: { extraArgs: { 'kube-api-qps': '100', 'kube-api-burst': '100' } },
    };
    expect(messages('DRA009', [kcp], { scale })).toEqual([
      'kube-controller-manager client QPS/burst 50/150 (spec.kubeadmConfigSpec.clusterConfiguration.controllerManager.extraArgs) is below 100/150, '
        + 'the sizing model\'s recommendation for 100 nodes at 10 pods/s',
    ]);
  });

  test('reads a kops Cluster spec (Quantity strings and int32 bursts)', () => {
    const cluster = (cmQps: string, schedQps: string) => ({
      apiVersion: 'kops.k8s.io/v1alpha2',
      kind: 'Cluster',
      metadata: { name: 'prod.example.com' },
      spec: { kubeControllerManager: { kubeAPIQPS: cmQps, kubeAPIBurst: 150 }, kubeScheduler: { qps: schedQps, burst: 100 } },
    });
    expect(messages('DRA009', [cluster('100', '100')], { scale })).toEqual([]);
    expect(messages('DRA009', [cluster('50', '100')], { scale })).toEqual([
      expect.stringMatching(/^kube-controller-manager client QPS\/burst 50\/150 \(spec.kubeControllerManager\) is below 100\/150/),
    ]);
    // Fields left out: the components run with their defaults.
    expect(messages('DRA009', [{ ...cluster('1', '1'), spec: {} }], { scale })).toEqual([
      expect.stringMatching(/^kube-controller-manager client QPS\/burst 20\/30 \(spec.kubeControllerManager\) is below 100\/150/),
      expect.stringMatching(/^kube-scheduler client QPS\/burst 50\/100 \(spec.kubeScheduler\) is below 100\/100/),
    ]);
    // A Cluster API Cluster is another kind of thing: not read.
    expect(messages('DRA009', [{ ...cluster('1', '1'), apiVersion: 'cluster.x-k8s.io/v1beta2' }], { scale })).toEqual([]);
  });

  test('reads untuned kubeadm components as running with their defaults', () => {
    const bare = { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration' };
    expect(messages('DRA009', [bare], { scale })).toEqual([
      expect.stringMatching(/^kube-controller-manager client QPS\/burst 20\/30 \(controllerManager.extraArgs\) is below 100\/150/),
      expect.stringMatching(/^kube-scheduler client QPS\/burst 50\/100 \(scheduler.extraArgs\) is below 100\/100/),
    ]);
  });

  test('says when the scheduler reads a config file that is not in the input', () => {
    const report = DraGoodPractices.checkObjects([
      kubeadmV1beta4([{ name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '150' }], [{ name: 'config', value: '/etc/kubernetes/scheduler.yaml' }]),
    ], { scale });
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([
      'DRA009: kube-scheduler in ClusterConfiguration <unnamed> reads --config=/etc/kubernetes/scheduler.yaml, which is not in the input; '
        + 'check that its clientConnection sets at least qps 100 and burst 100',
    ]);
  });

  test('does not run without a declared scale, and says so', () => {
    const report = DraGoodPractices.checkObjects([kubeadmV1beta4([])]);
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([expect.stringMatching(/^DRA009 did not run: no cluster scale declared/)]);
  });

  test('says when the scale is declared but no controller-manager settings are in the input', () => {
    const report = DraGoodPractices.checkObjects([], { scale });
    expect(report.notes).toEqual([expect.stringContaining('DRA009: no kube-controller-manager settings in the input')]);
    expect(report.notes[0]).toContain('--kube-api-qps=100 --kube-api-burst=150');
  });
});
