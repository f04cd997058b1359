// Reads ../shared/fixtures (real upstream manifests, always present next to the repo in CI).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, Testing } from 'cdk8s';
import { installation, objectsOf } from './installation';
import { DraGoodPractices } from '../../src';
import { synthValid } from '../support/harness';

const EXAMPLE_DRIVER = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'dra-example-driver', 'rendered-defaults.yaml');

function appIn(outdir: string): App {
  return new App({ outdir });
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dra-good-practices-'));
}

function compliantChart(app: App, id = 'platform'): Chart {
  const chart = new Chart(app, id);
  objectsOf(installation()).forEach((object, i) => new ApiObject(chart, `object${i}`, object));
  return chart;
}

describe('DraGoodPractices.of(app)', () => {
  test('fails synthesis of an Included vendor chart with every finding listed, and writes no file', () => {
    const outdir = tmpdir();
    const app = appIn(outdir);
    const chart = new Chart(app, 'vendor');
    new Include(chart, 'example-driver', { url: EXAMPLE_DRIVER });
    DraGoodPractices.of(app);

    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[DraGoodPractices] the app breaks DRA good practices');
    expect(message).toContain('DaemonSet dra-example-driver/dra-example-driver-kubeletplugin  (vendor/example-driver/');
    expect(message).toMatch(/warning DRA004 {2}the pod template lacks a toleration for karpenter.sh\/disrupted/);
    expect(message).toMatch(/warning DRA011 {2}this input deploys DRA driver\(s\) but no alert or recording rule/);
    expect(message).toMatch(/warning DRA014 {2}grants kubelet plugin ServiceAccount dra-example-driver\/dra-example-driver-service-account resourceclaims list, watch/);
    expect(message).toContain('fix: Add the toleration');
    expect(message).toContain('0 errors, 3 warnings in 8 objects');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('passes a compliant app, whose objects are valid against the official schema', () => {
    const app = Testing.app();
    const chart = compliantChart(app);
    DraGoodPractices.of(app, { minKubeletVersion: '1.34', scale: { nodes: 100, podCreationQps: 10 } });
    expect(synthValid(chart)).toHaveLength(7);
  });

  test('fails on our own constructs\' objects as well: a chart is checked with the rest of the app', () => {
    const app = Testing.app();
    const chart = compliantChart(app);
    const inst = installation();
    inst.clusterRole.rules[0].verbs = ['*'];
    new ApiObject(chart, 'broad', { ...inst.clusterRole, metadata: { name: 'broad' } });
    DraGoodPractices.of(app);
    expect(() => Testing.synth(chart)).toThrow(/ClusterRole broad {2}\(platform\/broad\)\n {2}error {3}DRA007 {2}rules\[0\] uses \* in verbs/);
  });

  test('suppressions accept findings under a construct, and are reported with their reasons', () => {
    const outdir = tmpdir();
    const app = appIn(outdir);
    const chart = new Chart(app, 'vendor');
    const vendor = new Include(chart, 'example-driver', { url: EXAMPLE_DRIVER });
    DraGoodPractices.of(app);
    DraGoodPractices.suppress(vendor, 'DRA004', 'no autoscaler in this cluster');
    DraGoodPractices.suppress(chart, 'DRA011', 'alerts live in the monitoring repo');
    DraGoodPractices.suppress(chart, 'DRA014', 'the driver writes device status');

    const report = DraGoodPractices.of(app).report();
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map(s => `${s.finding.ruleId}: ${s.reason}`)).toEqual([
      'DRA004: no autoscaler in this cluster',
      'DRA011: alerts live in the monitoring repo',
      'DRA014: the driver writes device status',
    ]);

    const stderr = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      app.synth();
      expect(stderr.mock.calls.map(c => String(c[0])).join('')).toMatch(/Suppressed:\n {2}DRA004 on DaemonSet dra-example-driver\/dra-example-driver-kubeletplugin .*: no autoscaler in this cluster/);
    } finally {
      stderr.mockRestore();
    }
    expect(fs.readdirSync(outdir)).toEqual(['vendor.k8s.yaml']);
  });

  test('suppressions are written into the YAML, so `check` on the output accepts what synthesis accepted', () => {
    const outdir = tmpdir();
    const app = appIn(outdir);
    const chart = new Chart(app, 'vendor');
    DraGoodPractices.suppress(chart, 'DRA011', 'alerts live in the monitoring repo');
    // Added after the suppression: covered all the same.
    const vendor = new Include(chart, 'example-driver', { url: EXAMPLE_DRIVER });
    DraGoodPractices.suppress(vendor, 'DRA004', 'no autoscaler in this cluster');
    DraGoodPractices.suppress(vendor, 'DRA014', 'the driver writes device status');
    DraGoodPractices.of(app);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synth();
    } finally {
      stderr.mockRestore();
    }
    const fromYaml = DraGoodPractices.checkPaths([outdir]);
    expect(fromYaml.findings).toEqual([]);
    // In the order of the objects in the file: the ClusterRoleBinding comes before the DaemonSet.
    expect(fromYaml.suppressed.map(s => `${s.finding.ruleId}: ${s.reason}`)).toEqual([
      'DRA014: the driver writes device status',
      'DRA004: no autoscaler in this cluster',
      'DRA011: alerts live in the monitoring repo',
    ]);
  });

  test('on success, says on stderr which rules could not run; silent when everything ran', () => {
    const stderr = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const app = appIn(tmpdir());
      compliantChart(app, 'one');
      // A second chart (of other objects: the same ones twice would be duplicates).
      new ApiObject(new Chart(app, 'two'), 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'apps' } });
      DraGoodPractices.of(app);
      app.synth();
      // Once, although cdk8s validates the app again for each chart.
      expect(stderr).toHaveBeenCalledTimes(1);
      expect(String(stderr.mock.calls[0][0])).toMatch(/^DraGoodPractices: Notes:\n {2}DRA002: .*\n {2}DRA009 did not run: no cluster scale declared/);

      stderr.mockClear();
      const declared = appIn(tmpdir());
      const chart = compliantChart(declared);
      // The control plane's settings, as a kubeadm ClusterConfiguration tuned for the scale.
      new ApiObject(chart, 'kubeadm', {
        apiVersion: 'kubeadm.k8s.io/v1beta4',
        kind: 'ClusterConfiguration',
        controllerManager: { extraArgs: [{ name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '150' }] },
        scheduler: { extraArgs: [{ name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '100' }] },
      });
      DraGoodPractices.of(declared, { minKubeletVersion: '1.34', scale: { nodes: 100, podCreationQps: 10 } });
      declared.synth();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
    }
  });

  test('a suppression on one object does not cover its siblings', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'rbac');
    const inst = installation();
    const roleA = new ApiObject(chart, 'a', { ...inst.clusterRole, metadata: { name: 'a' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
    new ApiObject(chart, 'b', { ...inst.clusterRole, metadata: { name: 'b' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
    DraGoodPractices.suppress(roleA, 'DRA007', 'break-glass role');
    const report = DraGoodPractices.of(app).report();
    expect(report.findings.map(f => `${f.ruleId} ${f.object.name} ${f.object.location}`)).toEqual(['DRA007 b rbac/b']);
    expect(report.suppressed.map(s => s.finding.object.name)).toEqual(['a']);
  });

  test('a suppression needs a known rule id and a non-empty reason', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => DraGoodPractices.suppress(chart, 'DRA004', '  '))
      .toThrow("Chart 'c' (c): reason '  ' must explain why DRA004 is suppressed");
    expect(() => DraGoodPractices.suppress(chart, 'DRA999', 'because'))
      .toThrow(/^Chart 'c' \(c\): ruleId 'DRA999' must be one of DRA001, DRA002, .*, DRA018$/);
  });

  test('of(app) returns the same checker; options are given once', () => {
    const app = Testing.app();
    const first = DraGoodPractices.of(app, { minKubeletVersion: '1.34' });
    expect(DraGoodPractices.of(app)).toBe(first);
    expect(() => DraGoodPractices.of(app, {})).toThrow(/options \{\} cannot be given twice/);
  });

  test('bad options stop the app before anything is checked', () => {
    expect(() => DraGoodPractices.of(Testing.app(), { minKubeletVersion: '1.x' }))
      .toThrow(/^DraGoodPractices: minKubeletVersion '1.x' must be a Kubernetes version such as 1.33 or v1.34.2$/);
  });
});
