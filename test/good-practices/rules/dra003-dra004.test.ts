import { DraGoodPractices } from '../../../src';
import { findings, messages } from '../check';
import { installation, objectsOf } from '../installation';

describe('DRA003 driver priority', () => {
  test('passes system-node-critical', () => {
    expect(messages('DRA003', objectsOf(installation()))).toEqual([]);
  });

  test.each([
    [undefined, 'priorityClassName is not set, not system-node-critical'],
    ['system-cluster-critical', "priorityClassName is 'system-cluster-critical', not system-node-critical"],
  ])('flags priorityClassName %s', (priority, message) => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.priorityClassName = priority;
    expect(findings(objectsOf(inst))).toEqual(['DRA003 DaemonSet gpu-system/gpu-kubelet-plugin']);
    expect(messages('DRA003', objectsOf(inst))).toEqual([expect.stringContaining(message)]);
  });
});

describe('DRA004 drain-late tolerations', () => {
  test('passes tolerations for both autoscaler drain taints', () => {
    expect(messages('DRA004', objectsOf(installation()))).toEqual([]);
  });

  test('passes a blanket toleration (operator Exists, no key)', () => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [{ operator: 'Exists' }];
    expect(messages('DRA004', objectsOf(inst))).toEqual([]);
  });

  test('flags missing tolerations, naming each missing taint', () => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [{ key: 'karpenter.sh/disrupted', operator: 'Exists', effect: 'NoSchedule' }];
    expect(messages('DRA004', objectsOf(inst))).toEqual(['the pod template does not tolerate the drain taint(s) ToBeDeletedByClusterAutoscaler:NoSchedule']);
  });

  test('passes Cluster Autoscaler\'s opt-out annotation in place of its toleration', () => {
    const inst = installation();
    inst.daemonSet.spec.template.metadata.annotations = { 'cluster-autoscaler.kubernetes.io/enable-ds-eviction': 'false' };
    inst.daemonSet.spec.template.spec.tolerations = [{ key: 'karpenter.sh/disrupted', operator: 'Exists', effect: 'NoSchedule' }];
    expect(messages('DRA004', objectsOf(inst))).toEqual([]);
  });

  test('flags the annotation when it opts in, and names the annotation in the fix', () => {
    const inst = installation();
    inst.daemonSet.spec.template.metadata.annotations = { 'cluster-autoscaler.kubernetes.io/enable-ds-eviction': 'true' };
    inst.daemonSet.spec.template.spec.tolerations = [{ key: 'karpenter.sh/disrupted', operator: 'Exists', effect: 'NoSchedule' }];
    expect(messages('DRA004', objectsOf(inst))).toEqual(['the pod template does not tolerate the drain taint(s) ToBeDeletedByClusterAutoscaler:NoSchedule']);
    expect(DraGoodPractices.rules().find(r => r.id === 'DRA004')?.fix).toContain('cluster-autoscaler.kubernetes.io/enable-ds-eviction: "false"');
  });

  test.each([
    [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }],
    [{ key: 'karpenter.sh/disrupted', operator: 'Equal', effect: 'NoSchedule' }],
    [{ key: 'karpenter.sh/disrupted', operator: 'Equal', value: '', effect: 'NoSchedule' }],
  ])('passes %j: Karpenter\'s taint has no value, so Equal with an empty value matches it', karpenter => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [{ key: 'ToBeDeletedByClusterAutoscaler', operator: 'Exists', effect: 'NoSchedule' }, karpenter];
    expect(messages('DRA004', objectsOf(inst))).toEqual([]);
  });

  test('flags Equal with a value against Karpenter\'s value-less taint, and Equal against the Cluster Autoscaler timestamp', () => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [
      { key: 'ToBeDeletedByClusterAutoscaler', effect: 'NoSchedule' },
      { key: 'karpenter.sh/disrupted', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ];
    expect(messages('DRA004', objectsOf(inst))).toEqual([
      'the pod template does not tolerate the drain taint(s) ToBeDeletedByClusterAutoscaler:NoSchedule, karpenter.sh/disrupted:NoSchedule',
    ]);
  });

  test('flags tolerations that cannot match: wrong effect, or Equal against the autoscaler\'s timestamp value', () => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [
      { key: 'ToBeDeletedByClusterAutoscaler', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      { key: 'karpenter.sh/disrupted', operator: 'Exists', effect: 'NoExecute' },
    ];
    expect(messages('DRA004', objectsOf(inst))).toEqual([
      'the pod template does not tolerate the drain taint(s) ToBeDeletedByClusterAutoscaler:NoSchedule, karpenter.sh/disrupted:NoSchedule',
    ]);
  });
});
