// Two objects with one API group, kind, namespace and name in one App: refused at synth time
// naming both construct paths.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ControlPlaneTarget, DraCluster, DraDriver, DraDriverProps, DraMonitoring, DraRbac, DraTunedControlPlane } from '../src';
import { refusal } from './support/refusal';

const RUNBOOKS = 'https://git.example.com/platform/dra/blob/main/runbooks.md';

const DRIVER: DraDriverProps = { driverName: 'gpu.example.com', image: 'registry.example.com/gpu/plugin:v1.0.0' };

describe('duplicate objects across constructs are refused naming both paths', () => {
  test('two DraDrivers with one driverName', () => {
    const chart = Testing.chart();
    new DraDriver(chart, 'a', DRIVER);
    const error = refusal(() => new DraDriver(chart, 'b', DRIVER));
    expect(error.constructPath).toBe('test/b');
    expect(error.message).toMatch(/^DraDriver 'b' \(test\/b\): Namespace 'gpu-example-com' 'test\/b\/namespace and test\/a\/namespace' two objects with one API group/);
  });

  test('default names that collide: gpu-x.example.com and gpu.x-example.com', () => {
    const chart = Testing.chart();
    new DraDriver(chart, 'a', { ...DRIVER, driverName: 'gpu-x.example.com' });
    expect(refusal(() => new DraDriver(chart, 'b', { ...DRIVER, driverName: 'gpu.x-example.com', createNamespace: false })).message)
      .toMatch(/ServiceAccount 'gpu-x-example-com\/gpu-x-example-com-kubelet-plugin' 'test\/b\/service-account and test\/a\/service-account' .*; set `name` \(the prefix of the driver's object names/);
  });

  test('two drivers in one namespace, each creating it', () => {
    const chart = Testing.chart();
    new DraDriver(chart, 'a', { ...DRIVER, namespace: 'dra' });
    const error = refusal(() => new DraDriver(chart, 'b', { ...DRIVER, driverName: 'nic.example.com', namespace: 'dra' }));
    expect(error.prop).toBe("Namespace 'dra'");
    expect(error.message).toMatch(/drivers that share namespace 'dra' create it once: set createNamespace: false on all but one$/);
  });

  test('two drivers in one namespace, the second not creating it, is fine', () => {
    const chart = Testing.chart();
    new DraDriver(chart, 'a', { ...DRIVER, namespace: 'dra' });
    expect(() => new DraDriver(chart, 'b', { ...DRIVER, driverName: 'nic.example.com', namespace: 'dra', createNamespace: false })).not.toThrow();
  });

  test('DeviceClass names across drivers', () => {
    const chart = Testing.chart();
    new DraDriver(chart, 'a', { ...DRIVER, deviceClasses: [{ name: 'gpu' }] });
    const error = refusal(() => new DraDriver(chart, 'b', { ...DRIVER, driverName: 'nic.example.com', deviceClasses: [{ name: 'gpu' }] }));
    expect(error.prop).toBe("DeviceClass 'gpu'");
    expect(error.value).toBe('test/b/device-class-0 and test/a/device-class-0');
    expect(error.message).toMatch(/name it otherwise in deviceClasses/);
  });

  test('DeviceClass names across drivers inside DraCluster: blamed on the driver, not on monitoring', () => {
    const error = refusal(() => new DraCluster(Testing.chart(), 'cluster', {
      drivers: [{ ...DRIVER, deviceClasses: [{ name: 'gpu' }] }, { ...DRIVER, driverName: 'nic.example.com', deviceClasses: [{ name: 'gpu' }] }],
      monitoring: { runbookBaseUrl: RUNBOOKS },
      goodPractices: false,
    }));
    expect(error.message).toMatch(/^DraDriver 'nic.example.com' \(test\/cluster\/nic.example.com\): DeviceClass 'gpu'/);
  });

  test('a DraRbac admin-access namespace equal to a driver namespace (two Namespace objects, different labels)', () => {
    const chart = Testing.chart();
    const gpu = new DraDriver(chart, 'gpu', DRIVER);
    const error = refusal(() => new DraRbac(chart, 'rbac', { admins: [kplus.Group.fromName(chart, 'g', 'platform')], adminAccessNamespaces: [gpu.namespace] }));
    expect(error.value).toBe('test/rbac/admin-access-gpu-example-com and test/gpu/namespace');
  });

  test('two DraRbac with default names', () => {
    const chart = Testing.chart();
    new DraRbac(chart, 'a', { admins: [kplus.Group.fromName(chart, 'g', 'platform')] });
    expect(refusal(() => new DraRbac(chart, 'b', { admins: [kplus.Group.fromName(chart, 'h', 'platform')] })).prop).toBe("ClusterRole 'dra-admin'");
  });

  test('two DraMonitoring with default names', () => {
    const chart = Testing.chart();
    new DraMonitoring(chart, 'a', { runbookBaseUrl: RUNBOOKS });
    expect(refusal(() => new DraMonitoring(chart, 'b', { runbookBaseUrl: RUNBOOKS })).constructPath).toBe('test/b');
  });

  test('two DraClusters with default monitoring names', () => {
    const app = new App();
    new DraCluster(new Chart(app, 'a'), 'a', { monitoring: { runbookBaseUrl: RUNBOOKS }, goodPractices: false });
    expect(refusal(() => new DraCluster(new Chart(app, 'b'), 'b', { monitoring: { runbookBaseUrl: RUNBOOKS }, goodPractices: false })).constructPath).toBe('b/b/monitoring');
  });

  test('two control-plane tunings writing the same node files', () => {
    const app = new App();
    const limits = { controllerManager: { qps: 100, burst: 200 }, scheduler: { qps: 100, burst: 200 } };
    new DraTunedControlPlane(new Chart(app, 'a'), 'cp', { target: ControlPlaneTarget.K3S, ...limits });
    const error = refusal(() => new DraTunedControlPlane(new Chart(app, 'b'), 'cp', { target: ControlPlaneTarget.K3S, ...limits }));
    expect(error.rule).toMatch(/^writes the node file \S+, which DraTunedControlPlane 'cp' \(a\/cp\) writes too/);
  });

  test('a hand-written object added after a construct fails synthesis, naming both paths, and nothing is written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dra-duplicates-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'platform');
    new DraDriver(chart, 'gpu', DRIVER);
    new ApiObject(chart, 'mine', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'gpu-example-com-kubelet-plugin', namespace: 'gpu-example-com' } });
    expect(() => app.synth()).toThrow(/ServiceAccount 'gpu-example-com\/gpu-example-com-kubelet-plugin' is made twice, by platform\/gpu\/service-account and platform\/mine/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('the same name in another namespace, or of another kind or group, is no duplicate', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'one' } });
    new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'two' } });
    new ApiObject(chart, 'c', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'one' } });
    new DraDriver(chart, 'gpu', DRIVER);
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});
