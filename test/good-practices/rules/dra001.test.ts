import { DraGoodPractices } from '../../../src';
import { findings, messages } from '../check';
import { installation, objectsOf, pluginContainer } from '../installation';

describe('DRA001 driver liveness probe', () => {
  test('passes a gRPC liveness probe on the plugin container', () => {
    expect(messages('DRA001', objectsOf(installation()))).toEqual([]);
  });

  test('flags a plugin container without a liveness probe', () => {
    const inst = installation();
    delete pluginContainer(inst).livenessProbe;
    expect(findings(objectsOf(inst))).toEqual(['DRA001 DaemonSet gpu-system/gpu-kubelet-plugin']);
    expect(messages('DRA001', objectsOf(inst))).toEqual([
      "kubelet plugin container 'plugin' has no livenessProbe (gRPC, HTTP GET, TCP or exec); the page says to give the driver a liveness probe so a plugin that stops answering is restarted",
    ]);
  });

  test.each([
    ['an HTTP GET', { httpGet: { path: '/healthz', port: 8080 } }],
    ['a TCP', { tcpSocket: { port: 8080 } }],
    ['an exec', { exec: { command: ['/bin/health'] } }],
  ])('passes %s liveness probe: any probe the driver answers restarts it (drivers without a gRPC health service)', (_, probe) => {
    const inst = installation();
    pluginContainer(inst).livenessProbe = probe;
    expect(messages('DRA001', objectsOf(inst))).toEqual([]);
  });

  test('flags a probe without a handler, and names the choices in its fix', () => {
    const inst = installation();
    pluginContainer(inst).livenessProbe = { periodSeconds: 10 };
    expect(messages('DRA001', objectsOf(inst))).toEqual([expect.stringContaining("container 'plugin' has no livenessProbe (gRPC, HTTP GET, TCP or exec)")]);
    const fix = DraGoodPractices.checkObjects(objectsOf(inst)).findings[0].fix;
    expect(fix).toMatch(/gRPC .*HEALTHCHECK_PORT.*HTTP GET .*httpGet.*exec\/tcpSocket.*DraDriver's probe choice/);
  });

  test('flags a gRPC probe on port 0 (a random port cannot be probed)', () => {
    const inst = installation();
    pluginContainer(inst).livenessProbe = { grpc: { port: 0 } };
    expect(messages('DRA001', objectsOf(inst))).toEqual([expect.stringContaining('on port 0, which cannot be probed')]);
  });

  test('flags a probe on another port than the driver\'s health service, or on a turned-off one', () => {
    const inst = installation();
    pluginContainer(inst).env.push({ name: 'HEALTHCHECK_PORT', value: '51516' });
    expect(messages('DRA001', objectsOf(inst))).toEqual([expect.stringContaining("container 'plugin' probes gRPC port 51515, but the driver serves its health service on 51516")]);

    const off = installation();
    pluginContainer(off).args = ['--healthcheck-port', '-1'];
    expect(messages('DRA001', objectsOf(off))).toEqual([expect.stringContaining("probes gRPC port 51515, but the driver's health service is turned off (healthcheck port -1)")]);

    const same = installation();
    pluginContainer(same).args = ['--healthcheck-port=51515'];
    pluginContainer(same).env.push({ name: 'HEALTHCHECK_PORT', value: '51515' });
    expect(messages('DRA001', objectsOf(same))).toEqual([]);
  });

  test('recognises drivers under a relocated kubelet root, and ignores DaemonSets that are not DRA drivers', () => {
    const inst = installation();
    delete pluginContainer(inst).livenessProbe;
    inst.daemonSet.spec.template.spec.volumes[0].hostPath.path = '/var/lib/k0s/kubelet/plugins_registry/';
    expect(findings([inst.daemonSet]).filter(f => f.startsWith('DRA001'))).toHaveLength(1);

    const logging = installation().daemonSet;
    delete logging.spec.template.spec.containers[0].livenessProbe;
    logging.spec.template.spec.volumes = [{ name: 'plugins-registry', hostPath: { path: '/var/log' } }];
    expect(findings([logging])).toEqual([]);
  });

  test('recognises a driver by an extra registration directory', () => {
    const inst = installation();
    delete pluginContainer(inst).livenessProbe;
    inst.daemonSet.spec.template.spec.volumes[0].hostPath.path = '/opt/kubelet/registry';
    expect(messages('DRA001', [inst.daemonSet])).toEqual([]);
    expect(messages('DRA001', [inst.daemonSet], { registrationDirs: ['/opt/kubelet/registry/'] })).toHaveLength(1);
  });

  test('ignores CSI node plugins, which register through the same directory via node-driver-registrar', () => {
    const inst = installation();
    const spec = inst.daemonSet.spec.template.spec;
    delete spec.containers[0].livenessProbe;
    spec.containers.push({
      name: 'node-driver-registrar',
      image: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0',
      volumeMounts: [{ name: 'plugins-registry', mountPath: '/registration' }],
    });
    expect(findings([inst.daemonSet])).toEqual([]);
  });
});
