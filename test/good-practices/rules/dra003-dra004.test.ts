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

describe('DRA004 kept through autoscaler drains', () => {
  const KARPENTER = 'a toleration for karpenter.sh/disrupted:NoSchedule (Karpenter)';
  const CA = 'the annotation cluster-autoscaler.kubernetes.io/enable-ds-eviction: "false" (Cluster Autoscaler)';

  test('passes the Karpenter toleration with Cluster Autoscaler\'s opt-out annotation', () => {
    expect(messages('DRA004', objectsOf(installation()))).toEqual([]);
  });

  test('passes a blanket toleration (operator Exists, no key) with the annotation', () => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [{ operator: 'Exists' }];
    expect(messages('DRA004', objectsOf(inst))).toEqual([]);
  });

  test('flags a missing Karpenter toleration', () => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [{ key: 'ToBeDeletedByClusterAutoscaler', operator: 'Exists', effect: 'NoSchedule' }];
    expect(messages('DRA004', objectsOf(inst))).toEqual([`the pod template lacks ${KARPENTER}`]);
  });

  test('flags a missing annotation even with the Cluster Autoscaler toleration: the toleration does not stop its eviction', () => {
    const inst = installation();
    inst.daemonSet.spec.template.metadata.annotations = {};
    expect(messages('DRA004', objectsOf(inst))).toEqual([`the pod template lacks ${CA}`]);
  });

  test('flags the annotation when it opts in, and names the annotation in the fix', () => {
    const inst = installation();
    inst.daemonSet.spec.template.metadata.annotations = { 'cluster-autoscaler.kubernetes.io/enable-ds-eviction': 'true' };
    expect(messages('DRA004', objectsOf(inst))).toEqual([`the pod template lacks ${CA}`]);
    expect(DraGoodPractices.rules().find(r => r.id === 'DRA004')?.fix).toContain('cluster-autoscaler.kubernetes.io/enable-ds-eviction: "false"');
  });

  test.each([
    [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }],
    [{ key: 'karpenter.sh/disrupted', operator: 'Equal', effect: 'NoSchedule' }],
    [{ key: 'karpenter.sh/disrupted', operator: 'Equal', value: '', effect: 'NoSchedule' }],
  ])('passes %j: Karpenter\'s taint has no value, so Equal with an empty value matches it', karpenter => {
    const inst = installation();
    inst.daemonSet.spec.template.spec.tolerations = [karpenter];
    expect(messages('DRA004', objectsOf(inst))).toEqual([]);
  });

  test('flags tolerations that cannot match Karpenter\'s taint: Equal with a value, or the wrong effect', () => {
    for (const karpenter of [
      { key: 'karpenter.sh/disrupted', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      { key: 'karpenter.sh/disrupted', operator: 'Exists', effect: 'NoExecute' },
    ]) {
      const inst = installation();
      inst.daemonSet.spec.template.spec.tolerations = [karpenter];
      expect(messages('DRA004', objectsOf(inst))).toEqual([`the pod template lacks ${KARPENTER}`]);
    }
  });

  test('names both when both are missing', () => {
    const inst = installation();
    inst.daemonSet.spec.template.metadata.annotations = {};
    inst.daemonSet.spec.template.spec.tolerations = [];
    expect(messages('DRA004', objectsOf(inst))).toEqual([`the pod template lacks ${KARPENTER} and ${CA}`]);
  });
});
