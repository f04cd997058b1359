import { findings, messages } from '../check';
import { clusterRole, installation, objectsOf, role } from '../installation';

describe('DRA015 resourceclaims/driver granted without resourceNames', () => {
  test('passes the driver verbs limited to the driver\'s name (DraDriver\'s writesDeviceStatus, the CPU and dranet charts)', () => {
    const inst = installation();
    inst.clusterRole.rules.push({
      apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], resourceNames: ['gpu.example.com'], verbs: ['associated-node:update', 'associated-node:patch'],
    });
    expect(messages('DRA015', objectsOf(inst))).toEqual([]);
  });

  test('flags a rule without resourceNames, in a ClusterRole or a Role, bound or not', () => {
    const inst = installation();
    inst.clusterRole.rules.push({ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], verbs: ['associated-node:update', 'associated-node:patch'] });
    const controller = role('nic-controller', 'nic-system', [{ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], verbs: ['arbitrary-node:update'] }]);
    expect(findings([...objectsOf(inst), controller]).filter(f => f.startsWith('DRA015'))).toEqual([
      'DRA015 ClusterRole gpu-kubelet-plugin',
      'DRA015 Role nic-system/nic-controller',
    ]);
    expect(messages('DRA015', objectsOf(inst))).toEqual([
      'rules[3] grants associated-node:update, associated-node:patch on resourceclaims/driver without resourceNames: '
        + 'whoever ClusterRole gpu-kubelet-plugin is bound to may write the device status of every driver\'s claims, not one driver\'s',
    ]);
  });

  test('flags */driver without resourceNames: it covers resourceclaims/driver', () => {
    const wide = clusterRole('status-everywhere', [{ apiGroups: ['resource.k8s.io'], resources: ['*/driver'], verbs: ['arbitrary-node:patch'] }]);
    expect(messages('DRA015', [wide])).toEqual([expect.stringMatching(/^rules\[0\] grants arbitrary-node:patch on \*\/driver without resourceNames/)]);
  });

  test('ignores other resource.k8s.io rules and other groups\' resources of that name', () => {
    const other = clusterRole('other', [
      { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/status'], verbs: ['update'] },
      { apiGroups: ['example.com'], resources: ['resourceclaims/driver'], verbs: ['update'] },
    ]);
    expect(messages('DRA015', [other])).toEqual([]);
  });
});
