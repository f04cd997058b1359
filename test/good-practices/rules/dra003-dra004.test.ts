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
