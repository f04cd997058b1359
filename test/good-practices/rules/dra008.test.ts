import { DraGoodPractices } from '../../../src';
import { findings, messages } from '../check';
import { installation, objectsOf, USERNAME } from '../installation';

const ALL_DENIED_WRITES = "CREATE/UPDATE/DELETE of another node's slice, CREATE/UPDATE/DELETE of an allNodes slice, "
  + 'CREATE/UPDATE/DELETE of a nodeSelector slice, CREATE of an allNodes slice with a token that carries no node name';

function notes(objects: any[], options = {}): string[] {
  return DraGoodPractices.checkObjects(objects, options).notes.filter(n => n.startsWith('DRA008'));
}

describe('DRA008 ResourceSlice guard, by evaluating the policies', () => {
  test('passes a driver whose writes of other nodes\' slices are all denied by an enforced policy', () => {
    expect(messages('DRA008', objectsOf(installation()))).toEqual([]);
    expect(notes(objectsOf(installation()))).toEqual([]);
  });

  test('passes a policy that names no ServiceAccount (it applies to every user)', () => {
    const inst = installation();
    delete inst.policy.spec.matchConditions;
    expect(messages('DRA008', objectsOf(inst))).toEqual([]);
  });

  test('flags a driver without any policy, listing what it can write', () => {
    const inst = installation();
    const objects = objectsOf(inst).filter(o => o !== inst.policy && o !== inst.policyBinding);
    expect(findings(objects)).toEqual(['DRA008 ClusterRoleBinding gpu-kubelet-plugin']);
    expect(messages('DRA008', objects)).toEqual([
      'grants ServiceAccount gpu-system/gpu-kubelet-plugin write on resourceslices, but no ValidatingAdmissionPolicy restricts its ResourceSlice writes to its own node; '
        + `admitted: ${ALL_DENIED_WRITES}`,
    ]);
  });

  test('flags a policy whose username is another ServiceAccount (NVIDIA issue #1317): its match condition is false for the driver', () => {
    const inst = installation();
    inst.policy.spec.matchConditions[0].expression = 'request.userInfo.username == "system:serviceaccount:gpu-system:gpu-driver-sa"';
    expect(messages('DRA008', objectsOf(inst))).toEqual([
      'grants ServiceAccount gpu-system/gpu-kubelet-plugin write on resourceslices, but ValidatingAdmissionPolicy gpu-resourceslices\'s matchConditions leave out '
        + `${USERNAME} (they name system:serviceaccount:gpu-system:gpu-driver-sa), so it never applies to this driver; admitted: ${ALL_DENIED_WRITES}`,
    ]);
  });

  test('flags a policy with the right username that still admits allNodes and nodeSelector slices from any node (NVIDIA\'s validation)', () => {
    const inst = installation();
    inst.policy.spec.variables.push(
      { name: 'nodeSelectorValue', expression: '(request.operation == "DELETE" ? oldObject : object).spec.?nodeSelector.orValue(null)' },
      { name: 'allNodesValue', expression: '(request.operation == "DELETE" ? oldObject : object).spec.?allNodes.orValue(false)' },
    );
    inst.policy.spec.validations[1].expression = 'variables.userNodeName == variables.objectNodeName || variables.allNodesValue == true || variables.nodeSelectorValue != null';
    expect(messages('DRA008', objectsOf(inst))).toEqual([
      'grants ServiceAccount gpu-system/gpu-kubelet-plugin write on resourceslices, but ValidatingAdmissionPolicy gpu-resourceslices\'s validations let them through; '
        + 'admitted: CREATE/UPDATE/DELETE of an allNodes slice, CREATE/UPDATE/DELETE of a nodeSelector slice',
    ]);
  });

  test('flags a policy that matches only v1beta1, which 1.34 does not serve by default, while the driver writes through v1', () => {
    const inst = installation();
    inst.policy.spec.matchConstraints.resourceRules[0].apiVersions = ['v1beta1'];
    expect(messages('DRA008', objectsOf(inst))).toEqual([
      'grants ServiceAccount gpu-system/gpu-kubelet-plugin write on resourceslices, but ValidatingAdmissionPolicy gpu-resourceslices does not match them '
        + '(its rules name resource.k8s.io v1beta1 and operations CREATE, UPDATE, DELETE; Kubernetes 1.34 serves resourceslices through v1 by default); '
        + `admitted: ${ALL_DENIED_WRITES}`,
    ]);
  });

  test('flags a policy that misses DELETE, and one that never checks the token has a node name', () => {
    const partial = installation();
    partial.policy.spec.matchConstraints.resourceRules[0].operations = ['CREATE', 'UPDATE'];
    expect(messages('DRA008', objectsOf(partial))).toEqual([expect.stringMatching(
      /does not match them .*; admitted: DELETE of another node's slice, DELETE of an allNodes slice, DELETE of a nodeSelector slice$/)]);

    const unchecked = installation();
    unchecked.policy.spec.validations.shift();
    expect(messages('DRA008', objectsOf(unchecked))).toEqual([expect.stringMatching(
      /validations let them through; admitted: CREATE of an allNodes slice with a token that carries no node name$/)]);
  });

  test('flags a policy that is not enforced with Deny', () => {
    const inst = installation();
    inst.policyBinding.spec.validationActions = ['Audit'];
    expect(messages('DRA008', objectsOf(inst))).toEqual([expect.stringContaining(
      'ValidatingAdmissionPolicy gpu-resourceslices has no ValidatingAdmissionPolicyBinding with validationActions [Deny] for them; admitted: ')]);
  });

  test('"cannot evaluate" is a note, not a pass and not a finding', () => {
    const inst = installation();
    inst.policy.spec.validations.push({ expression: 'authorizer.group("resource.k8s.io").resource("resourceslices").check("create").allowed()' });
    // Without the node-name validations, only the unevaluable expression could deny.
    inst.policy.spec.validations.splice(0, 2);
    expect(messages('DRA008', objectsOf(inst))).toEqual([]);
    expect(notes(objectsOf(inst))).toEqual([expect.stringMatching(
      /^DRA008: cannot evaluate whether ServiceAccount gpu-system\/gpu-kubelet-plugin is confined to its node's ResourceSlices \(not a pass\): ValidatingAdmissionPolicy gpu-resourceslices: its expression .* calls the authorizer/)]);
  });

  test('an expression that errors falls under failurePolicy', () => {
    const inst = installation();
    // Strict access to the node-name claim errors without it: Fail denies, Ignore admits.
    inst.policy.spec.validations[0].expression = 'request.userInfo.extra["authentication.kubernetes.io/node-name"][0] != ""';
    expect(messages('DRA008', objectsOf(inst))).toEqual([]);
    inst.policy.spec.failurePolicy = 'Ignore';
    expect(messages('DRA008', objectsOf(inst))).toEqual([expect.stringMatching(/admitted: CREATE of an allNodes slice with a token that carries no node name$/)]);
  });

  test('notes a policy that would deny the driver its own node\'s slices', () => {
    const inst = installation();
    inst.policy.spec.validations[1].expression = 'variables.userNodeName != variables.objectNodeName';
    expect(notes(objectsOf(inst))).toContainEqual(expect.stringMatching(
      /^DRA008: ValidatingAdmissionPolicy gpu-resourceslices denies ServiceAccount gpu-system\/gpu-kubelet-plugin CREATE\/UPDATE\/DELETE of its own node's slice .*cannot publish its own devices$/));
  });

  test('notes a matchPolicy Exact policy that opt-in API versions would go around', () => {
    const inst = installation();
    inst.policy.spec.matchConstraints.matchPolicy = 'Exact';
    expect(messages('DRA008', objectsOf(inst))).toEqual([]);
    expect(notes(objectsOf(inst))).toEqual([
      expect.stringMatching(/^DRA008: where resource.k8s.io\/v1beta1 is enabled \(--runtime-config\), the policies admit .* through v1beta1: /),
      expect.stringMatching(/^DRA008: where resource.k8s.io\/v1beta2 is enabled/),
    ]);
    // With Equivalent matching (the default), a v1 rule also covers writes through v1beta1 and v1beta2.
    expect(notes(objectsOf(installation()))).toEqual([]);
  });

  test('a validating webhook on ResourceSlices makes the verdict unknown: a note', () => {
    const inst = installation();
    const objects = objectsOf(inst).filter(o => o !== inst.policy && o !== inst.policyBinding);
    const webhook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'slice-guard' },
      webhooks: [{ name: 'slices.example.com', rules: [{ apiGroups: ['resource.k8s.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['resourceslices'] }] }],
    };
    expect(messages('DRA008', [...objects, webhook])).toEqual([]);
    expect(notes([...objects, webhook])).toEqual([expect.stringContaining('ValidatingWebhookConfiguration slice-guard also receives ResourceSlice writes')]);
  });

  test('checks declared driver ServiceAccounts and those a node-restricting policy names, without a DaemonSet', () => {
    const inst = installation();
    const objects = [inst.clusterRole, inst.clusterRoleBinding];
    expect(messages('DRA008', objects)).toEqual([]);
    expect(messages('DRA008', objects, { driverServiceAccounts: ['gpu-system:gpu-kubelet-plugin'] })).toHaveLength(1);
    const neverApplies = installation().policy;
    neverApplies.spec.matchConstraints.resourceRules[0].apiVersions = ['v1alpha3'];
    expect(messages('DRA008', [...objects, neverApplies, inst.policyBinding])).toEqual([expect.stringContaining('does not match them')]);
  });

  test('evaluates through the versions of the declared Kubernetes version; refuses versions it does not know', () => {
    expect(messages('DRA008', objectsOf(installation()), { kubernetesVersion: 'v1.35.2' })).toEqual([]);
    expect(() => DraGoodPractices.checkObjects([], { kubernetesVersion: '1.33' })).toThrow(/kubernetesVersion '1.33' must be 1.34 or later/);
    expect(() => DraGoodPractices.checkObjects([], { kubernetesVersion: 'latest' })).toThrow(/kubernetesVersion 'latest' must be/);
  });
});
