import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DraGoodPractices } from '../../../src';
import { findings, messages } from '../check';
import { schedulerConfiguration } from '../control-plane-objects';

// ControlPlaneSizing.recommend({ nodes: 100, podCreationQps: 10 }): controller-manager 100/150, scheduler 100/100.
const scale = { nodes: 100, podCreationQps: 10 };
const BELOW = 'the sizing model\'s recommendation for 100 nodes at 10 pods/s';

/** Writes files (relative path → text) under a fresh directory and returns it. */
function tree(files: { [relativePath: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-node-configs-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const K3S_SCHEDULER_CONFIG = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nclientConnection:\n  qps: 100\n  burst: 100\n';

describe('k3s and RKE2 config files (DRA009, DRA010)', () => {
  test('passes tuned kube-controller-manager-arg+ and a scheduler config file, the way DraTunedControlPlane writes them', () => {
    const dropIn = {
      'kube-controller-manager-arg+': ['kube-api-qps=100', 'kube-api-burst=150'],
      'kube-scheduler-arg+': ['config=/etc/rancher/k3s/kube-scheduler-config.yaml'],
    };
    const report = DraGoodPractices.checkObjects([dropIn, schedulerConfiguration(100, 100)], { scale });
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([]);
  });

  test('flags a too-low kube-controller-manager-arg, named as a k3s/RKE2 config, and a scheduler left at its defaults', () => {
    const config = { 'kube-controller-manager-arg': ['kube-api-qps=50', 'kube-api-burst=150'], 'kube-scheduler-arg': ['v=2'] };
    expect(findings([config], { scale })).toEqual(['DRA009 k3s/RKE2 config <unnamed>', 'DRA009 k3s/RKE2 config <unnamed>']);
    expect(messages('DRA009', [config], { scale })).toEqual([
      `kube-controller-manager client QPS/burst 50/150 (kube-controller-manager-arg) is below 100/150, ${BELOW}`,
      `kube-scheduler client QPS/burst 50/100 (kube-scheduler-arg) is below 100/100, ${BELOW}`,
    ]);
  });

  test('RKE2 (told apart by its extra-mount keys): tuned passes, too low is flagged', () => {
    const rke2 = (qps: number) => ({
      'kube-controller-manager-arg+': [`kube-api-qps=${qps}`, 'kube-api-burst=150'],
      'kube-scheduler-arg+': ['config=/etc/rancher/rke2/kube-scheduler-config.yaml'],
      'kube-scheduler-extra-mount+': ['/etc/rancher/rke2/kube-scheduler-config.yaml:/etc/rancher/rke2/kube-scheduler-config.yaml'],
    });
    expect(findings([rke2(100), schedulerConfiguration(100, 100)], { scale })).toEqual([]);
    expect(findings([rke2(75), schedulerConfiguration(100, 100)], { scale })).toEqual(['DRA009 RKE2 config <unnamed>']);
  });

  test('documents passed without a file merge in their order: a plain key replaces, a + key appends, the last flag wins', () => {
    const base = { 'kube-controller-manager-arg': ['kube-api-qps=50', 'kube-api-burst=150'] };
    const append = { 'kube-controller-manager-arg+': ['kube-api-qps=100'] };
    const replace = { 'kube-controller-manager-arg': ['kube-api-qps=100'] };
    expect(findings([base, append], { scale })).toEqual([]);
    // The later plain key drops the earlier burst: back to the default 30.
    expect(messages('DRA009', [base, append, replace], { scale })).toEqual([
      `kube-controller-manager client QPS/burst 100/30 (kube-controller-manager-arg) is below 100/150, ${BELOW}`,
    ]);
    expect(findings([append, base], { scale })).toEqual(['DRA009 k3s/RKE2 config <unnamed>']);
  });

  test('files merge the way k3s reads them (config.yaml, then config.yaml.d/ by name), whatever order they are given in', () => {
    const dir = tree({
      'etc/rancher/k3s/config.yaml': 'kube-controller-manager-arg:\n  - kube-api-qps=50\n  - kube-api-burst=150\n',
      'etc/rancher/k3s/config.yaml.d/10-tune.yaml': 'kube-controller-manager-arg+:\n  - kube-api-qps=100\n',
      'etc/rancher/k3s/kube-scheduler-config.yaml': K3S_SCHEDULER_CONFIG,
    });
    const k3s = path.join(dir, 'etc/rancher/k3s');
    const files = [path.join(k3s, 'config.yaml.d/10-tune.yaml'), path.join(k3s, 'config.yaml')];
    expect(DraGoodPractices.checkPaths(files, { scale }).findings).toEqual([]);

    fs.writeFileSync(path.join(k3s, 'config.yaml.d/20-reset.yaml'), 'kube-controller-manager-arg:\n  - kube-api-qps=100\n');
    const report = DraGoodPractices.checkPaths([dir], { scale });
    // The finding names the file that set the effective flags.
    expect(report.findings.map(f => [f.ruleId, f.object.kind, f.object.name, f.object.location])).toEqual([
      ['DRA009', 'k3s config', '20-reset.yaml', `${path.join(k3s, 'config.yaml.d/20-reset.yaml')}:1`],
    ]);
    expect(DraGoodPractices.formatReport(report)).toContain(`k3s config 20-reset.yaml  (${path.join(k3s, 'config.yaml.d/20-reset.yaml')}:1)`);
    // Each node's directory is merged on its own.
    const other = tree({ 'etc/rancher/k3s/config.yaml': 'kube-controller-manager-arg: [kube-api-qps=100, kube-api-burst=150]\n' });
    expect(DraGoodPractices.checkPaths([other, dir], { scale }).findings.map(f => f.object.name)).toEqual(['20-reset.yaml']);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(other, { recursive: true, force: true });
  });

  test('DRA010 flags kube-api-qps in kube-scheduler-arg together with config=, also when a later drop-in appends it', () => {
    const config = { 'kube-scheduler-arg': ['config=/etc/rancher/k3s/kube-scheduler-config.yaml', 'kube-api-qps=100'] };
    expect(findings([config])).toEqual(['DRA010 k3s/RKE2 config <unnamed>']);
    expect(messages('DRA010', [config])).toEqual([
      'kube-scheduler-arg sets --kube-api-qps=100 together with --config=/etc/rancher/k3s/kube-scheduler-config.yaml: '
        + 'kube-scheduler ignores these flags when a config file is used',
    ]);
    expect(findings([{ 'kube-scheduler-arg': ['kube-api-qps=100', 'kube-api-burst=100'] }])).toEqual([]);

    const dir = tree({
      'etc/rancher/rke2/config.yaml': 'kube-scheduler-arg: [config=/etc/rancher/rke2/kube-scheduler-config.yaml]\n',
      'etc/rancher/rke2/config.yaml.d/50-qps.yaml': 'kube-scheduler-arg+: [kube-api-qps=200]\n',
    });
    expect(DraGoodPractices.checkPaths([dir]).findings.map(f => `${f.ruleId} ${f.object.kind} ${f.object.name}`)).toEqual(['DRA010 RKE2 config 50-qps.yaml']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a config= file that is not in the input gets a note naming the config file', () => {
    const report = DraGoodPractices.checkObjects([{
      'kube-controller-manager-arg': ['kube-api-qps=100', 'kube-api-burst=150'],
      'kube-scheduler-arg': ['config=/etc/rancher/k3s/sched.yaml'],
    }], { scale });
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([
      'DRA009: kube-scheduler in k3s/RKE2 config <unnamed> reads --config=/etc/rancher/k3s/sched.yaml, which is not in the input; '
        + 'check that its clientConnection sets at least qps 100 and burst 100',
    ]);
  });
});

describe('Talos machine configs and patches (DRA009, DRA010)', () => {
  const talos = (cmQps: string, schedulerQps: number, schedulerExtraArgs?: object) => ({
    machine: { kubelet: { extraArgs: { 'max-pods': '250' } } },
    cluster: {
      controllerManager: { extraArgs: { 'kube-api-qps': cmQps, 'kube-api-burst': '150' } },
      scheduler: {
        ...(schedulerExtraArgs ? { extraArgs: schedulerExtraArgs } : {}),
        config: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', clientConnection: { qps: schedulerQps, burst: 100 } },
      },
    },
  });

  test('passes a tuned patch', () => {
    const report = DraGoodPractices.checkObjects([talos('100', 100)], { scale });
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([]);
  });

  test('flags too-low controllerManager.extraArgs and scheduler.config, named as a Talos machine config', () => {
    expect(findings([talos('50', 60)], { scale })).toEqual(['DRA009 Talos machine config <unnamed>', 'DRA009 Talos machine config <unnamed>']);
    expect(messages('DRA009', [talos('50', 60)], { scale })).toEqual([
      `kube-controller-manager client QPS/burst 50/150 (cluster.controllerManager.extraArgs) is below 100/150, ${BELOW}`,
      `kube-scheduler client QPS/burst 60/100 (cluster.scheduler.config) is below 100/100, ${BELOW}`,
    ]);
    // Without extraArgs the controller manager runs with its defaults.
    expect(messages('DRA009', [{ cluster: { controllerManager: {} } }], { scale })).toEqual([
      `kube-controller-manager client QPS/burst 20/30 (cluster.controllerManager.extraArgs) is below 100/150, ${BELOW}`,
    ]);
  });

  test('DRA010 flags kube-api-qps in cluster.scheduler.extraArgs: Talos runs the scheduler with its own config file', () => {
    const patch = talos('100', 100, { 'kube-api-qps': '300' });
    expect(findings([patch], { scale })).toEqual(['DRA010 Talos machine config <unnamed>']);
    expect(messages('DRA010', [patch])).toEqual([
      'cluster.scheduler.extraArgs sets --kube-api-qps=300 together with --config=<written by Talos>: '
        + 'kube-scheduler ignores these flags when a config file is used',
    ]);
  });

  test('a patch with neither controllerManager nor scheduler is not read; a file names its findings', () => {
    const dir = tree({
      'machine.yaml': 'machine:\n  install:\n    disk: /dev/sda\n',
      'talos/controlplane-patch.yaml': '# patch\ncluster:\n  controllerManager:\n    extraArgs:\n      kube-api-qps: "20"\n',
    });
    const report = DraGoodPractices.checkPaths([dir], { scale });
    expect(report.notes).toContainEqual(`${path.join(dir, 'machine.yaml')}: document 1 (line 1): not a Kubernetes object (no apiVersion and kind): skipped`);
    expect(report.findings.map(f => [f.ruleId, f.object.kind, f.object.name, f.object.location])).toEqual([
      ['DRA009', 'Talos machine config', 'controlplane-patch.yaml', `${path.join(dir, 'talos/controlplane-patch.yaml')}:2`],
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
