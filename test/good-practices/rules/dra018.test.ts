import { findings, messages } from '../check';
import { kubeadmV1beta4, staticPod } from '../control-plane-objects';

const GATE = 'DynamicResourceAllocation=true';

/** A kubeadm ClusterConfiguration giving the API server and the scheduler `gates`. */
function kubeadm(gates: string): any {
  return { ...kubeadmV1beta4([], [{ name: 'feature-gates', value: gates }]), apiServer: { extraArgs: [{ name: 'feature-gates', value: gates }] } };
}

describe('DRA018 a DRA feature gate the target Kubernetes removed', () => {
  test('passes the gate up to 1.37, where every component still knows it (locked on), and other gates on 1.38', () => {
    expect(messages('DRA018', [kubeadm(GATE)], { kubernetesVersion: '1.37' })).toEqual([]);
    expect(messages('DRA018', [kubeadm('DRAPartitionableDevices=true,DRAConsumableCapacity=true')], { kubernetesVersion: '1.38' })).toEqual([]);
    expect(messages('DRA018', [staticPod('kube-scheduler', [`--feature-gates=${GATE}`])])).toEqual([]);
  });

  test('flags kubeadm extraArgs of kube-apiserver and kube-scheduler naming DynamicResourceAllocation on 1.38, whatever its value', () => {
    expect(findings([kubeadm(`DRAPartitionableDevices=true, ${GATE}`)], { kubernetesVersion: '1.38' }))
      .toEqual(['DRA018 ClusterConfiguration <unnamed>', 'DRA018 ClusterConfiguration <unnamed>']);
    expect(messages('DRA018', [kubeadm(GATE)], { kubernetesVersion: '1.38' })).toEqual([
      `apiServer.extraArgs gives kube-apiserver --feature-gates=${GATE}: kube-apiserver of Kubernetes 1.38 does not know DynamicResourceAllocation (removed in 1.38) `
        + 'and exits at start (unrecognized feature gate)',
      `scheduler.extraArgs gives kube-scheduler --feature-gates=${GATE}: kube-scheduler of Kubernetes 1.38 does not know DynamicResourceAllocation (removed in 1.38) `
        + 'and exits at start (unrecognized feature gate)',
    ]);
    expect(messages('DRA018', [kubeadm('DynamicResourceAllocation=false')], { kubernetesVersion: '1.38' })).toHaveLength(2);
  });

  test('flags static Pods, k3s/RKE2 *-arg keys, Talos extraArgs and KubeletConfiguration featureGates', () => {
    const options = { kubernetesVersion: '1.38' };
    expect(findings([staticPod('kube-controller-manager', ['--feature-gates', GATE])], options)).toEqual(['DRA018 Pod kube-system/kube-controller-manager']);
    expect(messages('DRA018', [{ 'kube-apiserver-arg': [`feature-gates=${GATE}`] }], options)).toEqual([
      expect.stringMatching(/^kube-apiserver-arg gives kube-apiserver --feature-gates=DynamicResourceAllocation=true: /),
    ]);
    expect(messages('DRA018', [{ machine: { type: 'controlplane' }, cluster: { apiServer: { extraArgs: { 'feature-gates': GATE } } } }], options)).toEqual([
      expect.stringMatching(/^cluster.apiServer.extraArgs gives kube-apiserver /),
    ]);
    const kubelet = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', featureGates: { DynamicResourceAllocation: true } };
    expect(messages('DRA018', [kubelet], options)).toEqual([
      'featureGates sets DynamicResourceAllocation: true: the kubelet of Kubernetes 1.38 does not know DynamicResourceAllocation (removed in 1.38) '
        + 'and exits at start (unrecognized feature gate)',
    ]);
    expect(messages('DRA018', [kubelet], { kubernetesVersion: '1.37' })).toEqual([]);
  });
});
