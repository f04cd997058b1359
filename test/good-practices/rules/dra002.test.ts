import { messages } from '../check';
import { installation, objectsOf, pluginContainer } from '../installation';

describe('DRA002 seamless upgrade', () => {
  test('passes maxSurge 1 with POD_UID on kubelets 1.33+', () => {
    expect(messages('DRA002', objectsOf(installation()), { minKubeletVersion: 'v1.33.0' })).toEqual([]);
  });

  test('flags maxSurge > 0 without POD_UID from metadata.uid', () => {
    const inst = installation();
    pluginContainer(inst).env = pluginContainer(inst).env.filter((e: any) => e.name !== 'POD_UID');
    expect(messages('DRA002', objectsOf(inst), { minKubeletVersion: '1.34' })).toEqual([
      "maxSurge 1 runs two driver pods per node during a rollout, but container 'plugin' has no POD_UID from metadata.uid, so the two instances cannot tell their sockets apart (seamless upgrade)",
    ]);
  });

  test('flags a POD_UID that is not the pod UID, and a percentage surge', () => {
    const inst = installation();
    pluginContainer(inst).env[1] = { name: 'POD_UID', value: 'fixed' };
    inst.daemonSet.spec.updateStrategy.rollingUpdate.maxSurge = '10%';
    expect(messages('DRA002', objectsOf(inst), { minKubeletVersion: '1.34' })).toEqual([expect.stringMatching(/^maxSurge "10%" runs two driver pods/)]);
  });

  test('flags a surge on kubelets declared older than 1.33', () => {
    expect(messages('DRA002', objectsOf(installation()), { minKubeletVersion: '1.32' })).toEqual([
      'maxSurge 1 requests a seamless upgrade, which needs kubelet 1.33+, but the oldest kubelet is declared as 1.32',
    ]);
  });

  test('passes without surge (maxSurge 0, OnDelete) whatever the kubelet version or POD_UID', () => {
    const inst = installation();
    pluginContainer(inst).env = [];
    inst.daemonSet.spec.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
    expect(messages('DRA002', objectsOf(inst), { minKubeletVersion: '1.32' })).toEqual([]);
    inst.daemonSet.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { maxSurge: 1 } };
    expect(messages('DRA002', objectsOf(inst), { minKubeletVersion: '1.32' })).toEqual([]);
  });
});
