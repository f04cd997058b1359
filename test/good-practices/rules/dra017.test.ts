import { DraGoodPractices } from '../../../src';
import { findings, messages } from '../check';
import { installation, objectsOf, pluginContainer } from '../installation';

/** 30 characters: `<driver>-<pod-uid>-reg.sock` in /var/lib/kubelet/plugins_registry is 110 bytes. */
const LONG = 'gpu-partitions.dra.example.com';
/** 28 characters: that path is exactly 108 bytes, which the 1.37 helper keeps and Go cannot bind. */
const EDGE = 'gpu-partition.dra.example.io';
/** 40 characters: the service socket <root>/plugins/<driver>/dra-<pod-uid>.sock is 111 bytes. */
const LONGER = 'accelerator-partitions.dra.example.co.uk';

/** The test installation (maxSurge 1, POD_UID) with another DRIVER_NAME in its plugin container. */
function withDriverName(name: string) {
  const inst = installation();
  pluginContainer(inst).env.find((e: any) => e.name === 'DRIVER_NAME').value = name;
  return inst;
}

/** The test installation without DRIVER_NAME: the driver name comes from elsewhere, or is unknown. */
function unnamed() {
  const inst = installation();
  pluginContainer(inst).env = pluginContainer(inst).env.filter((e: any) => e.name !== 'DRIVER_NAME');
  return inst;
}

describe('DRA017 kubelet plugin socket paths with the pod UID', () => {
  test('passes a short driver name, and a long one without surge', () => {
    expect(messages('DRA017', objectsOf(withDriverName('gpu.example.com')))).toEqual([]);
    const inst = withDriverName(LONG);
    inst.daemonSet.spec.updateStrategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
    expect(messages('DRA017', objectsOf(inst))).toEqual([]);
  });

  test('flags a registration socket over 107 bytes before 1.37, and passes it from 1.37, where the helper shortens the name', () => {
    const objects = objectsOf(withDriverName(LONG));
    expect(findings(objects).filter(f => f.startsWith('DRA017'))).toEqual(['DRA017 DaemonSet gpu-system/gpu-kubelet-plugin']);
    expect(messages('DRA017', objects, { kubernetesVersion: '1.36' })).toEqual([
      `maxSurge 1 names driver ${LONG}'s registration socket /var/lib/kubelet/plugins_registry/${LONG}-<pod-uid>-reg.sock: 110 bytes, `
        + 'and a Unix socket path holds at most 107; kubeletplugin helpers before 1.37 (targeted: 1.36) do not shorten it, '
        + 'so the plugin cannot bind it and never registers with the kubelet',
    ]);
    expect(messages('DRA017', objects, { kubernetesVersion: '1.37' })).toEqual([]);
  });

  test('flags on 1.37 a name whose path is exactly 108 bytes: the helper keeps it (it allows 108), Go refuses to bind it', () => {
    expect(messages('DRA017', objectsOf(withDriverName(EDGE)), { kubernetesVersion: '1.37' })).toEqual([
      expect.stringMatching(new RegExp(`registration socket /var/lib/kubelet/plugins_registry/${EDGE.replace(/\./g, '\\.')}-<pod-uid>-reg\\.sock: 108 bytes.*even the kubeletplugin helper of 1\\.37\\+`)),
    ]);
  });

  test('flags the service socket in every version: no helper shortens it', () => {
    expect(messages('DRA017', objectsOf(withDriverName(LONGER)), { kubernetesVersion: '1.37' })).toEqual([
      `maxSurge 1 names driver ${LONGER}'s service socket /var/lib/kubelet/plugins/${LONGER}/dra-<pod-uid>.sock: 111 bytes, and a Unix socket path holds at most 107; `
        + 'no helper version shortens it (kubernetes#142002), so the plugin cannot serve the kubelet',
    ]);
  });

  test('reads the driver name from --driver-name, a plugins/<driver> hostPath or the one DeviceClass, and the kubelet root from the hostPath', () => {
    const byFlag = unnamed();
    pluginContainer(byFlag).args = ['--driver-name', LONG];
    expect(messages('DRA017', objectsOf(byFlag))).toHaveLength(1);

    const byDataDir = unnamed();
    byDataDir.daemonSet.spec.template.spec.volumes[1].hostPath.path = `/var/lib/kubelet/plugins/${LONG}`;
    expect(messages('DRA017', objectsOf(byDataDir))).toHaveLength(1);

    const deviceClass = (driver: string) => ({
      apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: driver }, spec: { selectors: [{ cel: { expression: `device.driver == "${driver}"` } }] },
    });
    expect(messages('DRA017', [...objectsOf(unnamed()), deviceClass(LONG)])).toHaveLength(1);
    // Two drivers' classes: which one this DaemonSet runs is unknown, so nothing is claimed, and a note says so.
    const report = DraGoodPractices.checkObjects([...objectsOf(unnamed()), deviceClass(LONG), deviceClass('gpu.example.com')]);
    expect(report.findings.filter(f => f.ruleId === 'DRA017')).toEqual([]);
    expect(report.notes).toContainEqual(expect.stringMatching(/^DRA017: DaemonSet gpu-system\/gpu-kubelet-plugin uses maxSurge 1, but its driver name is not in DRIVER_NAME/));

    // The node's path counts, not only the container's: a moved kubelet root (k0s) makes a
    // 26-character name too long that fits under /var/lib/kubelet.
    const name = 'gpu-partitions.example.com';
    expect(messages('DRA017', objectsOf(withDriverName(name)))).toEqual([]);
    const k0s = withDriverName(name);
    k0s.daemonSet.spec.template.spec.volumes[0].hostPath.path = '/var/lib/k0s/kubelet/plugins_registry/';
    expect(messages('DRA017', objectsOf(k0s))).toEqual([expect.stringMatching(/\/var\/lib\/k0s\/kubelet\/plugins_registry\/gpu-partitions\.example\.com-<pod-uid>-reg\.sock: 110 bytes/)]);
  });
});
