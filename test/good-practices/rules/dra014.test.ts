import { findings, messages } from '../check';
import { installation, objectsOf } from '../installation';

const HELPER = 'the kubeletplugin helper needs resourceclaims get; resourceslices list, watch, create, update, delete; nodes get';

describe('DRA014 kubelet plugin claim access', () => {
  test('passes what the kubeletplugin helper needs', () => {
    expect(messages('DRA014', objectsOf(installation()))).toEqual([]);
  });

  test('flags claim list/watch and claim status writes granted cluster-wide (the example driver\'s chart), citing what the helper needs', () => {
    const inst = installation();
    inst.clusterRole.rules[0].verbs = ['get', 'list', 'watch'];
    inst.clusterRole.rules.push({ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/status'], verbs: ['update'] });
    expect(findings(objectsOf(inst))).toEqual(['DRA014 ClusterRoleBinding gpu-kubelet-plugin']);
    expect(messages('DRA014', objectsOf(inst))).toEqual([
      'grants kubelet plugin ServiceAccount gpu-system/gpu-kubelet-plugin resourceclaims list, watch (every claim of every namespace, from every node) '
        + 'and resourceclaims/status update (before 1.36, any node\'s plugin can rewrite the status of any claim) through ClusterRole gpu-kubelet-plugin; '
        + HELPER,
    ]);
  });

  test('from 1.36 status writes are authorized per node: only list/watch is flagged then', () => {
    const inst = installation();
    inst.clusterRole.rules.push({ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/status'], verbs: ['patch'] });
    expect(messages('DRA014', objectsOf(inst))).toHaveLength(1);
    expect(messages('DRA014', objectsOf(inst), { kubernetesVersion: '1.36' })).toEqual([]);
    inst.clusterRole.rules[0].verbs = ['*'];
    expect(messages('DRA014', objectsOf(inst), { kubernetesVersion: '1.36' })).toEqual([expect.stringMatching(/^grants kubelet plugin .* resourceclaims \* \(every claim/)]);
  });

  test('flags, on every version, the arbitrary-node device status verbs and claim allocation writes: any node\'s plugin would reach every claim', () => {
    const inst = installation();
    inst.clusterRole.rules.push(
      { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], resourceNames: ['gpu.example.com'], verbs: ['associated-node:patch', 'arbitrary-node:patch'] },
      { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/binding'], verbs: ['update'] },
    );
    expect(messages('DRA014', objectsOf(inst), { kubernetesVersion: '1.37' })).toEqual([
      'grants kubelet plugin ServiceAccount gpu-system/gpu-kubelet-plugin resourceclaims/driver arbitrary-node:patch (device status of claims on every node, not only its own) '
        + 'and resourceclaims/binding update (the allocation and reservations of every claim) through ClusterRole gpu-kubelet-plugin; ' + HELPER,
    ]);
  });

  test('passes the associated-node verbs, and reads */driver as covering resourceclaims/driver', () => {
    const inst = installation();
    inst.clusterRole.rules.push({ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], resourceNames: ['gpu.example.com'], verbs: ['associated-node:patch'] });
    expect(messages('DRA014', objectsOf(inst), { kubernetesVersion: '1.37' })).toEqual([]);
    inst.clusterRole.rules.push({ apiGroups: ['resource.k8s.io'], resources: ['*/driver'], resourceNames: ['gpu.example.com'], verbs: ['*'] });
    expect(messages('DRA014', objectsOf(inst), { kubernetesVersion: '1.37' })).toEqual([expect.stringContaining('resourceclaims/driver * (device status of claims on every node')]);
  });

  test('ignores ServiceAccounts that are not a kubelet plugin\'s', () => {
    const inst = installation();
    inst.clusterRole.rules[0].verbs = ['get', 'list', 'watch'];
    expect(messages('DRA014', [inst.clusterRole, inst.clusterRoleBinding])).toEqual([]);
  });
});
