import { findings, messages } from '../check';
import { kubeadmV1beta4, staticPod } from '../control-plane-objects';

describe('DRA010 scheduler QPS through deprecated flags while a config file is used', () => {
  test('passes a scheduler tuned in its config file, or through flags without a config file', () => {
    const objects = [
      kubeadmV1beta4([], [{ name: 'config', value: '/etc/kubernetes/scheduler-config.yaml' }]),
      staticPod('kube-scheduler', ['--kube-api-qps=100', '--kube-api-burst=100']),
    ];
    expect(messages('DRA010', objects)).toEqual([]);
  });

  test('flags kubeadm scheduler.extraArgs that combine config with kube-api-qps/burst', () => {
    const objects = [kubeadmV1beta4([], [
      { name: 'config', value: '/etc/kubernetes/scheduler-config.yaml' },
      { name: 'kube-api-qps', value: '100' },
      { name: 'kube-api-burst', value: '200' },
    ])];
    expect(findings(objects)).toEqual(['DRA010 ClusterConfiguration <unnamed>']);
    expect(messages('DRA010', objects)).toEqual([
      'scheduler.extraArgs sets --kube-api-qps=100 --kube-api-burst=200 together with --config=/etc/kubernetes/scheduler-config.yaml: '
        + 'kube-scheduler ignores these flags when a config file is used',
    ]);
  });

  test('flags a static Pod whose command passes both', () => {
    const pod = staticPod('kube-scheduler', ['--config', '/etc/kubernetes/scheduler.yaml', '--kube-api-qps=300']);
    pod.spec.containers[0].command[0] = '/usr/local/bin/kube-scheduler';
    expect(findings([pod])).toEqual(['DRA010 Pod kube-system/kube-scheduler']);
  });
});
