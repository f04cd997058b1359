import { findings, messages } from '../check';
import { installation, objectsOf } from '../installation';

function withStrategy(updateStrategy: any): any[] {
  const inst = installation();
  inst.daemonSet.spec.updateStrategy = updateStrategy;
  return objectsOf(inst);
}

describe('DRA013 kubelet plugin rollout', () => {
  test('passes a seamless upgrade, the default one node at a time, and OnDelete', () => {
    expect(messages('DRA013', objectsOf(installation()))).toEqual([]);
    expect(messages('DRA013', withStrategy(undefined))).toEqual([]);
    expect(messages('DRA013', withStrategy({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }))).toEqual([]);
    expect(messages('DRA013', withStrategy({ type: 'OnDelete' }))).toEqual([]);
    expect(messages('DRA013', withStrategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', maxUnavailable: 0 } }))).toEqual([]);
  });

  test('flags maxUnavailable 100% without a surge (NVIDIA\'s chart): every node loses its plugin at once', () => {
    const objects = withStrategy({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%' } });
    expect(findings(objects).filter(f => f.startsWith('DRA013'))).toEqual(['DRA013 DaemonSet gpu-system/gpu-kubelet-plugin']);
    expect(messages('DRA013', objects)).toEqual([
      'maxUnavailable "100%" without maxSurge stops the kubelet plugin on every node at once: no pod with a claim can start there until the new plugin registers',
    ]);
  });

  test('flags more than one node at once; a percentage is judged against the declared scale', () => {
    expect(messages('DRA013', withStrategy({ rollingUpdate: { maxUnavailable: 3 } }))).toEqual([expect.stringContaining('on 3 nodes at once')]);
    const tenPercent = withStrategy({ rollingUpdate: { maxUnavailable: '10%' } });
    expect(messages('DRA013', tenPercent)).toEqual([expect.stringContaining('on 10% of its nodes at once')]);
    expect(messages('DRA013', tenPercent, { scale: { nodes: 8, podCreationQps: 1 } })).toEqual([]);
    expect(messages('DRA013', tenPercent, { scale: { nodes: 100, podCreationQps: 1 } })).toEqual([expect.stringContaining('(10 of the declared 100 nodes)')]);
  });
});
