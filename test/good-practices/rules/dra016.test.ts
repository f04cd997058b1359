import { findings, messages } from '../check';
import { installation, objectsOf, USERNAME } from '../installation';

const TAINT_RULE_WRITES = { apiGroups: ['resource.k8s.io'], resources: ['devicetaintrules'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] };

/** A policy, enforced, that confines the plugin's DeviceTaintRules to its own driver. */
function taintRuleGuard(username: string, validationActions = ['Deny']): any[] {
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'gaudi-devicetaintrules' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: ['resource.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['devicetaintrules'] }] },
        matchConditions: [{ name: 'plugin', expression: `request.userInfo.username == "${username}"` }],
        validations: [{ expression: '(request.operation == "DELETE" ? oldObject : object).spec.deviceSelector.driver == "gaudi.intel.com"' }],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'gaudi-devicetaintrules' },
      spec: { policyName: 'gaudi-devicetaintrules', validationActions },
    },
  ];
}

describe('DRA016 kubelet plugin granted DeviceTaintRule writes', () => {
  test('passes a plugin that reads DeviceTaintRules only, and one whose writes an enforced policy confines', () => {
    const reads = installation();
    reads.clusterRole.rules.push({ ...TAINT_RULE_WRITES, verbs: ['get', 'list', 'watch'] });
    expect(messages('DRA016', objectsOf(reads))).toEqual([]);
    const writes = installation();
    writes.clusterRole.rules.push(TAINT_RULE_WRITES);
    expect(messages('DRA016', [...objectsOf(writes), ...taintRuleGuard(USERNAME)])).toEqual([]);
  });

  test('flags the writes with no policy, with a policy that only warns, and with one that names another account', () => {
    const inst = installation();
    inst.clusterRole.rules.push(TAINT_RULE_WRITES);
    expect(findings(objectsOf(inst)).filter(f => f.startsWith('DRA016'))).toEqual(['DRA016 ClusterRoleBinding gpu-kubelet-plugin']);
    expect(messages('DRA016', objectsOf(inst))).toEqual([
      'grants kubelet plugin ServiceAccount gpu-system/gpu-kubelet-plugin create, update, patch, delete on devicetaintrules through ClusterRole gpu-kubelet-plugin, '
        + 'and no enforced ValidatingAdmissionPolicy on devicetaintrules writes names it: any node\'s plugin may taint, and evict the pods of, any driver\'s devices on any node',
    ]);
    expect(messages('DRA016', [...objectsOf(inst), ...taintRuleGuard(USERNAME, ['Warn'])])).toHaveLength(1);
    expect(messages('DRA016', [...objectsOf(inst), ...taintRuleGuard('system:serviceaccount:other:plugin')])).toHaveLength(1);
  });

  test('ignores accounts that are not a kubelet plugin\'s (a central controller may write the rules)', () => {
    const inst = installation();
    inst.clusterRole.rules.push(TAINT_RULE_WRITES);
    expect(messages('DRA016', [inst.clusterRole, inst.clusterRoleBinding])).toEqual([]);
  });
});
