/**
 * Side by side with the best existing deployment: the dra-example-driver Helm chart,
 * rendered with its defaults. This test reads ../shared/fixtures/dra-example-driver/
 * rendered-defaults.yaml (CI always has ../shared) and shows that DraDriver, configured
 * like the chart, covers every part of it that a cluster admin needs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { run } from '@bufbuild/cel';
import { parseAllDocuments } from 'yaml';
import { DraDriver, DriverUpgrade } from '../../src';
import { findObject, synthValid, testChart } from '../support/harness';

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'dra-example-driver', 'rendered-defaults.yaml');
const chartObjects: any[] = parseAllDocuments(fs.readFileSync(FIXTURE, 'utf-8')).map(d => d.toJSON()).filter(o => o);

/** Settings of the example driver's own binary: driver-specific, passed through `env`. */
const DRIVER_SPECIFIC_ENV = [
  'DRIVER_NAME', 'DEVICE_PROFILE', 'NUM_DEVICES', 'GPU_DEVICE_STATUS', 'GPU_ALLOW_MULTIPLE_ALLOCATIONS',
  'GPU_PARTITIONS', 'CPU_NUMA_NODES', 'CPUS_PER_NUMA_NODE', 'BINDING_CONDITIONS',
];

const chartDaemonSet = findObject(chartObjects, 'DaemonSet');
const chartContainer = chartDaemonSet.spec.template.spec.containers[0];

function synthLikeTheChart(): { driver: DraDriver; objects: any[] } {
  const chart = testChart();
  const driver = new DraDriver(chart, 'example', {
    driverName: 'gpu.example.com',
    image: chartContainer.image,
    namespace: 'dra-example-driver',
    command: chartContainer.command,
    upgrade: DriverUpgrade.seamless(),
    minKubeletVersion: '1.34',
    metricsPort: 8080,
    env: chartContainer.env.filter((e: any) => DRIVER_SPECIFIC_ENV.includes(e.name)),
  });
  return { driver, objects: synthValid(chart) };
}

const { driver, objects } = synthLikeTheChart();
const ours = findObject(objects, 'DaemonSet');
const ourContainer = ours.spec.template.spec.containers[0];

test('the fixture is the chart we think it is', () => {
  expect(chartObjects.map(o => o.kind)).toEqual([
    'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Service', 'DaemonSet',
    'DeviceClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  ]);
});

test('probes: the same gRPC liveness probe with a short grace to stop a plugin that fails it, plus a startup probe', () => {
  expect(ourContainer.livenessProbe).toEqual({ ...chartContainer.livenessProbe, terminationGracePeriodSeconds: 10 });
  expect(ourContainer.startupProbe.grpc).toEqual(chartContainer.livenessProbe.grpc);
});

test('strategy, priority and privileges: the same', () => {
  expect(ours.spec.updateStrategy).toEqual(chartDaemonSet.spec.updateStrategy);
  expect(ours.spec.template.spec.priorityClassName).toBe(chartDaemonSet.spec.template.spec.priorityClassName);
  expect(ourContainer.securityContext).toEqual(chartContainer.securityContext);
  expect(ourContainer.image).toBe(chartContainer.image);
  expect(ourContainer.imagePullPolicy).toBe(chartContainer.imagePullPolicy);
  expect(ourContainer.command).toEqual(chartContainer.command);
});

test('mounts: every chart mount is covered at the same host path; the plugin dir narrowed to this driver', () => {
  const hostPath = (ds: any, volume: string) => ds.spec.template.spec.volumes.find((v: any) => v.name === volume).hostPath.path;
  const ourMounts = ourContainer.volumeMounts.map((m: any) => ({ path: m.mountPath, host: hostPath(ours, m.name) }));
  for (const mount of chartContainer.volumeMounts) {
    expect(hostPath(chartDaemonSet, mount.name)).toBe(mount.mountPath);
    const exact = ourMounts.find((m: any) => m.path === mount.mountPath);
    // The driver only uses <plugins>/<driverName>: mounting just that keeps other plugins' sockets out of reach.
    const narrowed = ourMounts.find((m: any) => m.path === `${mount.mountPath}/gpu.example.com`);
    const covering = exact ?? narrowed;
    expect(covering).toBeDefined();
    expect(covering.host).toBe(covering.path);
  }
  expect(ourMounts).toHaveLength(chartContainer.volumeMounts.length);
});

test('env: every chart variable is present with the same value; the library sets all but the driver-specific ones', () => {
  const ourEnv = new Map(ourContainer.env.map((e: any) => [e.name, e]));
  for (const variable of chartContainer.env) {
    expect(ourEnv.get(variable.name)).toEqual(variable);
  }
  const setByLibrary = chartContainer.env.map((e: any) => e.name).filter((n: string) => !DRIVER_SPECIFIC_ENV.includes(n)).sort();
  expect(setByLibrary).toEqual(['CDI_ROOT', 'HEALTHCHECK_PORT', 'KUBELET_PLUGINS_DIRECTORY_PATH', 'KUBELET_REGISTRAR_DIRECTORY_PATH', 'METRICS_PORT', 'NAMESPACE', 'NODE_NAME', 'POD_UID']);
});

test('ports and metrics Service: the same', () => {
  for (const port of chartContainer.ports) {
    expect(ourContainer.ports).toContainEqual(port);
  }
  const chartService = findObject(chartObjects, 'Service');
  const ourService = findObject(objects, 'Service');
  expect(ourService.spec.ports).toEqual(chartService.spec.ports);
});

test('RBAC: least privilege, a subset of the chart\'s rules; the chart\'s claim status grant only for status writers', () => {
  const grants = (rules: any[]) => rules.flatMap(r => r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${res} ${v}`)));
  const chartGrants = grants(findObject(chartObjects, 'ClusterRole').rules);
  const ourGrants = grants(findObject(objects, 'ClusterRole').rules);
  expect(ourGrants.filter(g => !chartGrants.includes(g))).toEqual([]);
  expect(chartGrants.filter(g => !ourGrants.includes(g)).sort()).toEqual([
    'resourceclaims list', 'resourceclaims watch',
    'resourceclaims/driver associated-node:patch', 'resourceclaims/driver associated-node:update', 'resourceclaims/status update',
    'resourceslices get', 'resourceslices patch',
  ]);
  const chart = testChart();
  const statusWriter = new DraDriver(chart, 'example', { driverName: 'gpu.example.com', image: chartContainer.image, writesDeviceStatus: true });
  expect(grants(statusWriter.clusterRole.toJson().rules)).toContain('resourceclaims/status update');
});

test('ResourceSlice guard: the chart\'s CEL, matching our ServiceAccount', () => {
  const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
  const chartPolicy = findObject(chartObjects, 'ValidatingAdmissionPolicy').spec;
  const ourPolicy = findObject(objects, 'ValidatingAdmissionPolicy').spec;
  expect(ourPolicy.failurePolicy).toBe(chartPolicy.failurePolicy);
  expect(ourPolicy.matchConstraints.resourceRules[0].operations).toEqual(chartPolicy.matchConstraints.resourceRules[0].operations);
  expect(ourPolicy.matchConstraints.resourceRules[0].resources).toEqual(chartPolicy.matchConstraints.resourceRules[0].resources);
  expect(ourPolicy.variables.map((v: any) => [v.name, squash(v.expression)]))
    .toEqual(chartPolicy.variables.map((v: any) => [v.name, squash(v.expression)]));
  expect(ourPolicy.validations.map((v: any) => squash(v.expression)))
    .toEqual(chartPolicy.validations.map((v: any) => squash(v.expression)));
  expect(ourPolicy.matchConditions[0].expression)
    .toBe(`request.userInfo.username == "system:serviceaccount:dra-example-driver:${driver.serviceAccountName}"`);
  expect(findObject(objects, 'ValidatingAdmissionPolicyBinding').spec.validationActions)
    .toEqual(findObject(chartObjects, 'ValidatingAdmissionPolicyBinding').spec.validationActions);
});

test('DeviceClass: same name, selects the same devices', () => {
  const chartClass = findObject(chartObjects, 'DeviceClass');
  const ourClass = findObject(objects, 'DeviceClass', chartClass.metadata.name);
  for (const device of [{ driver: 'gpu.example.com' }, { driver: 'other.example.com' }]) {
    const verdict = (c: any) => c.spec.selectors.every((s: any) => run(s.cel.expression, { device }) === true);
    expect(verdict(ourClass)).toBe(verdict(chartClass));
  }
});

test('what the chart lacks: drain-late tolerations and grace period, ServiceMonitor, privileged namespace', () => {
  expect(chartDaemonSet.spec.template.spec.tolerations).toBeUndefined();
  expect(ours.spec.template.spec.tolerations.map((t: any) => t.key)).toEqual(['ToBeDeletedByClusterAutoscaler', 'karpenter.sh/disrupted']);
  expect(chartDaemonSet.spec.template.spec.terminationGracePeriodSeconds).toBeUndefined();
  expect(ours.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
  expect(chartObjects.filter(o => o.kind === 'ServiceMonitor')).toHaveLength(0);
  expect(findObject(objects, 'ServiceMonitor').metadata.name).toBe(driver.metricsJob);
  expect(findObject(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
});
