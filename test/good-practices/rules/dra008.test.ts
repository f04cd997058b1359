import { findings, messages } from '../check';
import { installation, objectsOf, USERNAME } from '../installation';

describe('DRA008 ResourceSlice guard', () => {
  test('passes a driver whose ResourceSlice writes are restricted to its node by an enforced policy', () => {
    expect(messages('DRA008', objectsOf(installation()))).toEqual([]);
  });

  test('passes a policy that names no ServiceAccount (it applies to every user)', () => {
    const inst = installation();
    delete inst.policy.spec.matchConditions;
    expect(messages('DRA008', objectsOf(inst))).toEqual([]);
  });

  test('flags a driver without any policy', () => {
    const inst = installation();
    const objects = objectsOf(inst).filter(o => o !== inst.policy && o !== inst.policyBinding);
    expect(findings(objects)).toEqual(['DRA008 ClusterRoleBinding gpu-kubelet-plugin']);
    expect(messages('DRA008', objects)).toEqual([
      'grants ServiceAccount gpu-system/gpu-kubelet-plugin write on resourceslices, but no ValidatingAdmissionPolicy restricts its ResourceSlice writes to its own node',
    ]);
  });

  test('flags a policy whose username is another ServiceAccount (NVIDIA issue #1317)', () => {
    const inst = installation();
    inst.policy.spec.matchConditions[0].expression = 'request.userInfo.username == "system:serviceaccount:gpu-system:gpu-driver-sa"';
    expect(messages('DRA008', objectsOf(inst))).toEqual([
      'grants ServiceAccount gpu-system/gpu-kubelet-plugin write on resourceslices, but the ResourceSlice policies match other usernames '
        + `(ValidatingAdmissionPolicy gpu-resourceslices: system:serviceaccount:gpu-system:gpu-driver-sa), not ${USERNAME}, so they never apply to this driver`,
    ]);
  });

  test('flags a policy that is not enforced with Deny', () => {
    const inst = installation();
    inst.policyBinding.spec.validationActions = ['Audit'];
    expect(messages('DRA008', objectsOf(inst))).toEqual([expect.stringContaining(
      `the node-restricting policy gpu-resourceslices for ${USERNAME} has no ValidatingAdmissionPolicyBinding with validationActions [Deny]`)]);
  });

  test('does not count a policy that never compares the node name, or that misses DELETE', () => {
    const inst = installation();
    inst.policy.spec.variables = [];
    inst.policy.spec.validations = [{ expression: 'true' }];
    expect(messages('DRA008', objectsOf(inst))).toEqual([expect.stringContaining('no ValidatingAdmissionPolicy restricts')]);

    const partial = installation();
    partial.policy.spec.matchConstraints.resourceRules[0].operations = ['CREATE', 'UPDATE'];
    expect(messages('DRA008', objectsOf(partial))).toEqual([expect.stringContaining('no ValidatingAdmissionPolicy restricts')]);
  });

  test('checks declared driver ServiceAccounts without a DaemonSet', () => {
    const inst = installation();
    const objects = [inst.clusterRole, inst.clusterRoleBinding];
    expect(messages('DRA008', objects)).toEqual([]);
    expect(messages('DRA008', objects, { driverServiceAccounts: ['gpu-system:gpu-kubelet-plugin'] })).toHaveLength(1);
  });
});
