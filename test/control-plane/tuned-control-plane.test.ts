import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  JSON_PATCH, K3S_CONFIG, KUBE_SCHEDULER_CONFIGURATION_V1, RKE2_CONFIG, TALOS_CONTROL_PLANE_PATCH,
  Shape, registerControlPlaneKinds, shapeErrors,
} from './upstream-types';
import { ControlPlaneSizing, ControlPlaneTarget, DraTunedControlPlane, DraTunedControlPlaneProps } from '../../src';
import { findObject, synthValid, testChart } from '../support/harness';

registerControlPlaneKinds();

const PAGE_SCALE = { nodes: 100, podCreationQps: 10, claimsPerPod: 1 };

function build(props: Partial<DraTunedControlPlaneProps> & { target: ControlPlaneTarget }, chart: Chart = testChart()) {
  const tuning = new DraTunedControlPlane(chart, 'tuning', { scale: PAGE_SCALE, ...props });
  return { chart, tuning, objects: synthValid(chart), files: tuning.files() };
}

/** The parsed YAML of a file (without its generated-by comment), checked against its upstream type. */
function yamlFile(files: { [path: string]: string }, name: string, shape: Shape): any {
  expect(Object.keys(files)).toContain(name);
  const value = parse(files[name]);
  expect(shapeErrors(value, shape)).toEqual([]);
  return value;
}

function expectSchedulerConfig(text: string, kubeconfig: string, qps: number, burst: number, extra: object = {}) {
  const config = parse(text);
  expect(shapeErrors(config, KUBE_SCHEDULER_CONFIGURATION_V1)).toEqual([]);
  expect(config).toEqual({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    clientConnection: { kubeconfig, qps, burst },
    ...extra,
  });
}

/**
 * How k3s and RKE2 merge `config.yaml` and its `config.yaml.d/*.yaml` drop-ins, in order
 * (k3s pkg/configfilearg/parser.go, which RKE2 uses): a plain key replaces what earlier
 * files set, `key+` appends to it. Repeated flags then reach the component in that order,
 * and the last one wins.
 */
function mergeRancherConfigFiles(configs: Array<{ [key: string]: any }>): { [key: string]: any } {
  const merged: { [key: string]: any } = {};
  for (const config of configs) {
    for (const [rawKey, value] of Object.entries(config)) {
      const key = rawKey.replace(/\+$/, '');
      merged[key] = rawKey.endsWith('+') && key in merged ? [...[merged[key]].flat(), ...[value].flat()] : value;
    }
  }
  return merged;
}

/** kubeadm's generated static Pod manifests, trimmed to what the patches touch. */
function kubeadmStaticPod(component: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: component, namespace: 'kube-system' },
    spec: {
      containers: [{
        name: component,
        command: [component, `--kubeconfig=/etc/kubernetes/${component === 'kube-scheduler' ? 'scheduler' : 'controller-manager'}.conf`, '--leader-elect=true'],
        volumeMounts: [{ name: 'kubeconfig', mountPath: '/etc/kubernetes/scheduler.conf', readOnly: true }],
      }],
      volumes: [{ name: 'kubeconfig', hostPath: { path: '/etc/kubernetes/scheduler.conf', type: 'FileOrCreate' } }],
    },
  };
}

/** RFC 6902 `add`, enough for kubeadm's `+json` patches. */
function applyJsonPatch(doc: any, ops: any[]): any {
  const out = JSON.parse(JSON.stringify(doc));
  for (const op of ops) {
    expect(op.op).toBe('add');
    const parts = op.path.split('/').slice(1);
    const last = parts.pop();
    const parent = parts.reduce((node: any, key: string) => node[key], out);
    if (Array.isArray(parent) && last === '-') {
      parent.push(op.value);
    } else {
      parent[last] = op.value;
    }
  }
  return out;
}

describe('DraTunedControlPlane values', () => {
  test('takes the model for the declared scale and exposes it', () => {
    const { tuning } = build({ target: ControlPlaneTarget.KUBEADM });
    expect([tuning.controllerManagerQps, tuning.controllerManagerBurst, tuning.schedulerQps, tuning.schedulerBurst]).toEqual([100, 150, 100, 100]);
    expect(tuning.recommendation?.rationale).toContain('kube-controller-manager: pod-rate term');
    expect(tuning.controllerManagerFlags).toEqual(['--kube-api-qps=100', '--kube-api-burst=150']);
    expect(parse(tuning.schedulerConfiguration).clientConnection).toEqual({ kubeconfig: '/etc/kubernetes/scheduler.conf', qps: 100, burst: 100 });
  });

  test('the model\'s warnings beyond its calibrated range are on the construct, without changing the output', () => {
    const scale = { nodes: 8000, podCreationQps: 30 };
    const first = build({ target: ControlPlaneTarget.K3S, scale });
    expect(first.tuning.warnings).toEqual(ControlPlaneSizing.recommend(scale).warnings);
    expect(first.tuning.warnings).toHaveLength(2);
    expect(first.tuning.warnings[0]).toContain('8000 nodes is beyond the 5000-node limit');
    const again = build({ target: ControlPlaneTarget.K3S, scale });
    expect(again.files).toEqual(first.files);
    expect(build({ target: ControlPlaneTarget.K3S }).tuning.warnings).toEqual([]);
    // a component from the model keeps the warnings; none does when both are explicit
    expect(build({ target: ControlPlaneTarget.K3S, scale, scheduler: { qps: 1500, burst: 1500 } }).tuning.warnings).toHaveLength(2);
    expect(build({
      target: ControlPlaneTarget.K3S, scale, controllerManager: { qps: 1500, burst: 1500 }, scheduler: { qps: 1500, burst: 1500 },
    }).tuning.warnings).toEqual([]);
  });

  test('synthesis says the model\'s warnings once, through warn (console.warn)', () => {
    const warned = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const chart = Testing.chart();
      new DraTunedControlPlane(chart, 'cp', { target: ControlPlaneTarget.KUBEADM, scale: { nodes: 8000, podCreationQps: 30 } });
      Testing.synth(chart);
      Testing.synth(chart);
      expect(warned.mock.calls.map(call => String(call[0]))).toEqual(ControlPlaneSizing.recommend({ nodes: 8000, podCreationQps: 30 }).warnings
        .map(text => `DraTunedControlPlane 'test/cp': warning: ${text}`));
    } finally {
      warned.mockRestore();
    }
  });

  test('explicit values override the model per component', () => {
    const { tuning } = build({ target: ControlPlaneTarget.KUBEADM, controllerManager: { qps: 300, burst: 600 } });
    expect([tuning.controllerManagerQps, tuning.controllerManagerBurst]).toEqual([300, 600]);
    expect([tuning.schedulerQps, tuning.schedulerBurst]).toEqual([100, 100]);
  });

  test('explicit values for both components need no scale', () => {
    const { tuning } = build({
      target: ControlPlaneTarget.KUBEADM,
      scale: undefined,
      controllerManager: { qps: 75, burst: 150 },
      scheduler: { qps: 60.5, burst: 120 },
    });
    expect(tuning.recommendation).toBeUndefined();
    expect(tuning.controllerManagerFlags).toEqual(['--kube-api-qps=75', '--kube-api-burst=150']);
    expect(parse(tuning.schedulerConfiguration).clientConnection).toMatchObject({ qps: 60.5, burst: 120 });
  });

  test('the same input gives byte-identical output', () => {
    const render = () => {
      const { objects, files } = build({ target: ControlPlaneTarget.CLUSTER_API, objectName: 'prod-control-plane' });
      return JSON.stringify({ objects, files });
    };
    expect(render()).toBe(render());
  });
});

describe('kubeadm (ClusterConfiguration v1beta4)', () => {
  test('controller-manager flags as a list of {name, value}, scheduler wired to its config file', () => {
    const { objects, files } = build({ target: ControlPlaneTarget.KUBEADM });
    expect(objects).toHaveLength(1);
    expect(objects[0]).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      controllerManager: {
        extraArgs: [{ name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '150' }],
      },
      scheduler: {
        extraArgs: [{ name: 'config', value: '/etc/kubernetes/kube-scheduler-config.yaml' }],
        extraVolumes: [{
          name: 'kube-scheduler-config',
          hostPath: '/etc/kubernetes/kube-scheduler-config.yaml',
          mountPath: '/etc/kubernetes/kube-scheduler-config.yaml',
          readOnly: true,
          pathType: 'File',
        }],
      },
    });
    expect(Object.keys(files)).toEqual(['etc/kubernetes/kube-scheduler-config.yaml']);
    expectSchedulerConfig(files['etc/kubernetes/kube-scheduler-config.yaml'], '/etc/kubernetes/scheduler.conf', 100, 100);
  });

  test('never tunes the scheduler through its deprecated flags', () => {
    const { objects, files } = build({ target: ControlPlaneTarget.KUBEADM });
    const schedulerArgs = objects[0].scheduler.extraArgs.map((a: any) => a.name);
    expect(schedulerArgs).not.toContain('kube-api-qps');
    expect(schedulerArgs).not.toContain('kube-api-burst');
    expect(JSON.stringify(files)).not.toContain('kube-api-qps');
  });

  test('the mounted file is the one --config names', () => {
    const { objects } = build({ target: ControlPlaneTarget.KUBEADM, schedulerConfigPath: '/etc/kubernetes/dra/scheduler.yaml' });
    const { scheduler } = objects[0];
    expect(scheduler.extraArgs).toEqual([{ name: 'config', value: '/etc/kubernetes/dra/scheduler.yaml' }]);
    expect(scheduler.extraVolumes[0]).toMatchObject({ hostPath: '/etc/kubernetes/dra/scheduler.yaml', mountPath: '/etc/kubernetes/dra/scheduler.yaml' });
  });

  test('concurrentResourceClaimSyncs on 1.36 becomes a controller-manager arg', () => {
    const { objects } = build({ target: ControlPlaneTarget.KUBEADM, kubernetesVersion: 'v1.36.0', concurrentResourceClaimSyncs: 100 });
    expect(objects[0].controllerManager.extraArgs).toContainEqual({ name: 'concurrent-resourceclaim-syncs', value: '100' });
  });
});

describe('kubeadm --patches', () => {
  test('JSON patches that add the flags, the --config flag and its mount to the static Pods', () => {
    const { objects, files } = build({ target: ControlPlaneTarget.KUBEADM_PATCHES });
    expect(objects).toEqual([]);
    expect(Object.keys(files).sort()).toEqual([
      'etc/kubernetes/kube-scheduler-config.yaml',
      'etc/kubernetes/patches/kube-controller-manager+json.yaml',
      'etc/kubernetes/patches/kube-scheduler+json.yaml',
    ]);
    const cmPatch = yamlFile(files, 'etc/kubernetes/patches/kube-controller-manager+json.yaml', JSON_PATCH);
    const schedPatch = yamlFile(files, 'etc/kubernetes/patches/kube-scheduler+json.yaml', JSON_PATCH);

    const cm = applyJsonPatch(kubeadmStaticPod('kube-controller-manager'), cmPatch);
    expect(cm.spec.containers[0].command.slice(-2)).toEqual(['--kube-api-qps=100', '--kube-api-burst=150']);

    const sched = applyJsonPatch(kubeadmStaticPod('kube-scheduler'), schedPatch).spec;
    expect(sched.containers[0].command).toContain('--config=/etc/kubernetes/kube-scheduler-config.yaml');
    const mount = sched.containers[0].volumeMounts.find((m: any) => m.mountPath === '/etc/kubernetes/kube-scheduler-config.yaml');
    const volume = sched.volumes.find((v: any) => v.name === mount.name);
    expect(volume.hostPath).toEqual({ path: '/etc/kubernetes/kube-scheduler-config.yaml', type: 'File' });
    expectSchedulerConfig(files['etc/kubernetes/kube-scheduler-config.yaml'], '/etc/kubernetes/scheduler.conf', 100, 100);
  });
});

describe('Cluster API KubeadmControlPlane', () => {
  test('v1beta2: list-form extraArgs and the scheduler config shipped in kubeadmConfigSpec.files', () => {
    const { objects, files } = build({ target: ControlPlaneTarget.CLUSTER_API, objectName: 'prod-control-plane', namespace: 'clusters' });
    expect(files).toEqual({});
    const kcp = findObject(objects, 'KubeadmControlPlane', 'prod-control-plane');
    expect(kcp.apiVersion).toBe('controlplane.cluster.x-k8s.io/v1beta2');
    expect(kcp.metadata).toMatchObject({ name: 'prod-control-plane', namespace: 'clusters' });
    expect(kcp.metadata.labels['app.kubernetes.io/part-of']).toBe('cdk8s-dra');
    const spec = kcp.spec.kubeadmConfigSpec;
    expect(spec.clusterConfiguration.controllerManager.extraArgs).toEqual([
      { name: 'kube-api-qps', value: '100' }, { name: 'kube-api-burst', value: '150' },
    ]);
    expect(spec.clusterConfiguration.scheduler.extraArgs).toEqual([{ name: 'config', value: '/etc/kubernetes/kube-scheduler-config.yaml' }]);
    expect(spec.clusterConfiguration.scheduler.extraVolumes).toEqual([{
      name: 'kube-scheduler-config',
      hostPath: '/etc/kubernetes/kube-scheduler-config.yaml',
      mountPath: '/etc/kubernetes/kube-scheduler-config.yaml',
      readOnly: true,
      pathType: 'File',
    }]);
    expect(spec.files).toHaveLength(1);
    expect(spec.files[0]).toMatchObject({ path: '/etc/kubernetes/kube-scheduler-config.yaml', owner: 'root:root', permissions: '0644' });
    expectSchedulerConfig(spec.files[0].content, '/etc/kubernetes/scheduler.conf', 100, 100);
  });

  test('v1beta1: map-form extraArgs', () => {
    const { objects } = build({ target: ControlPlaneTarget.CLUSTER_API_V1BETA1, objectName: 'prod-control-plane' });
    const kcp = findObject(objects, 'KubeadmControlPlane', 'prod-control-plane');
    expect(kcp.apiVersion).toBe('controlplane.cluster.x-k8s.io/v1beta1');
    expect(kcp.metadata.namespace).toBeUndefined();
    const cc = kcp.spec.kubeadmConfigSpec.clusterConfiguration;
    expect(cc.controllerManager.extraArgs).toEqual({ 'kube-api-qps': '100', 'kube-api-burst': '150' });
    expect(cc.scheduler.extraArgs).toEqual({ config: '/etc/kubernetes/kube-scheduler-config.yaml' });
  });
});

describe('k3s and RKE2', () => {
  test('k3s: a config.yaml drop-in with -arg lists and the scheduler config naming k3s\'s kubeconfig', () => {
    const { objects, files } = build({ target: ControlPlaneTarget.K3S });
    expect(objects).toEqual([]);
    const config = yamlFile(files, 'etc/rancher/k3s/config.yaml.d/90-cdk8s-dra-control-plane.yaml', K3S_CONFIG);
    expect(config).toEqual({
      'kube-controller-manager-arg+': ['kube-api-qps=100', 'kube-api-burst=150'],
      'kube-scheduler-arg+': ['config=/etc/rancher/k3s/kube-scheduler-config.yaml'],
    });
    // k3s passes --profiling=false, which --config silences: the file keeps it off
    expectSchedulerConfig(files['etc/rancher/k3s/kube-scheduler-config.yaml'], '/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig', 100, 100, { enableProfiling: false });
  });

  test('RKE2: the scheduler runs as a static Pod, so its config file is mounted', () => {
    const { files } = build({ target: ControlPlaneTarget.RKE2 });
    const config = yamlFile(files, 'etc/rancher/rke2/config.yaml.d/90-cdk8s-dra-control-plane.yaml', RKE2_CONFIG);
    expect(config).toEqual({
      'kube-controller-manager-arg+': ['kube-api-qps=100', 'kube-api-burst=150'],
      'kube-scheduler-arg+': ['config=/etc/rancher/rke2/kube-scheduler-config.yaml'],
      'kube-scheduler-extra-mount+': ['/etc/rancher/rke2/kube-scheduler-config.yaml:/etc/rancher/rke2/kube-scheduler-config.yaml'],
    });
    expectSchedulerConfig(files['etc/rancher/rke2/kube-scheduler-config.yaml'], '/var/lib/rancher/rke2/server/cred/scheduler.kubeconfig', 100, 100, { enableProfiling: false });
  });

  test('the drop-in appends to the args config.yaml sets (bind-address for Prometheus survives), and its values come last', () => {
    const userConfig = {
      'kube-controller-manager-arg': ['bind-address=0.0.0.0', 'kube-api-qps=50'],
      'kube-scheduler-arg': ['bind-address=0.0.0.0'],
      'kube-scheduler-extra-mount': ['/etc/rancher/rke2/audit:/etc/rancher/rke2/audit'],
    };
    const { files } = build({ target: ControlPlaneTarget.RKE2 });
    const merged = mergeRancherConfigFiles([userConfig, yamlFile(files, 'etc/rancher/rke2/config.yaml.d/90-cdk8s-dra-control-plane.yaml', RKE2_CONFIG)]);
    expect(merged['kube-controller-manager-arg']).toEqual(['bind-address=0.0.0.0', 'kube-api-qps=50', 'kube-api-qps=100', 'kube-api-burst=150']);
    expect(merged['kube-scheduler-arg']).toEqual(['bind-address=0.0.0.0', 'config=/etc/rancher/rke2/kube-scheduler-config.yaml']);
    expect(merged['kube-scheduler-extra-mount']).toEqual([
      '/etc/rancher/rke2/audit:/etc/rancher/rke2/audit',
      '/etc/rancher/rke2/kube-scheduler-config.yaml:/etc/rancher/rke2/kube-scheduler-config.yaml',
    ]);
  });
});

describe('Talos', () => {
  test('a machine-config patch: controller-manager extraArgs map, scheduler config in cluster.scheduler.config', () => {
    const { objects, files } = build({ target: ControlPlaneTarget.TALOS });
    expect(objects).toEqual([]);
    const patch = yamlFile(files, 'talos/controlplane-patch.yaml', TALOS_CONTROL_PLANE_PATCH);
    expect(patch).toEqual({
      cluster: {
        controllerManager: { extraArgs: { 'kube-api-qps': '100', 'kube-api-burst': '150' } },
        scheduler: {
          config: {
            apiVersion: 'kubescheduler.config.k8s.io/v1',
            kind: 'KubeSchedulerConfiguration',
            clientConnection: { qps: 100, burst: 100 },
          },
        },
      },
    });
  });
});

describe('kops', () => {
  test('Cluster spec fields: QPS as resource.Quantity strings, bursts as integers', () => {
    const { objects, files } = build({ target: ControlPlaneTarget.KOPS, objectName: 'prod.k8s.example.com' });
    expect(files).toEqual({});
    const cluster = findObject(objects, 'Cluster', 'prod.k8s.example.com');
    expect(cluster.apiVersion).toBe('kops.k8s.io/v1alpha2');
    expect(cluster.spec).toEqual({
      kubeControllerManager: { kubeAPIQPS: '100', kubeAPIBurst: 150 },
      kubeScheduler: { qps: '100', burst: 100 },
    });
  });
});

describe('bare flags', () => {
  test('controller-manager flags, the scheduler --config flag and its file', () => {
    const { files } = build({ target: ControlPlaneTarget.FLAGS, schedulerKubeconfigPath: '/srv/kubernetes/kube-scheduler/kubeconfig' });
    expect(files['flags/kube-controller-manager.args']).toBe('--kube-api-qps=100\n--kube-api-burst=150\n');
    expect(files['flags/kube-scheduler.args']).toBe('--config=/etc/kubernetes/kube-scheduler-config.yaml\n');
    expectSchedulerConfig(files['etc/kubernetes/kube-scheduler-config.yaml'], '/srv/kubernetes/kube-scheduler/kubeconfig', 100, 100);
  });
});

describe('writeFiles', () => {
  test('writes files() under the directory, mirroring node paths, and nothing into the chart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cp-'));
    const { tuning, objects } = build({ target: ControlPlaneTarget.K3S });
    const written = tuning.writeFiles(dir);
    expect(written).toEqual([
      path.join(dir, 'etc/rancher/k3s/config.yaml.d/90-cdk8s-dra-control-plane.yaml'),
      path.join(dir, 'etc/rancher/k3s/kube-scheduler-config.yaml'),
    ]);
    for (const [relativePath, content] of Object.entries(tuning.files())) {
      expect(fs.readFileSync(path.join(dir, relativePath), 'utf-8')).toBe(content);
    }
    expect(objects).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Every file under `dir`, relative, sorted. */
  const filesUnder = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter(f => fs.statSync(path.join(dir, f)).isFile()).sort();

  test('switching the target removes the files written for the old one, and the folders it emptied', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cp-'));
    build({ target: ControlPlaneTarget.K3S }).tuning.writeFiles(dir);
    const kubeadm = build({ target: ControlPlaneTarget.KUBEADM }).tuning;
    kubeadm.writeFiles(dir);
    expect(filesUnder(dir)).toEqual(['.cdk8s-dra-files', ...Object.keys(kubeadm.files())].sort());
    expect(fs.existsSync(path.join(dir, 'etc/rancher'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('files it did not write stay, and so does a list entry outside the directory', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cp-'));
    const dir = path.join(parent, 'nodes');
    fs.mkdirSync(path.join(dir, 'etc/rancher/k3s'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'etc/rancher/k3s/registries.yaml'), 'mirrors: {}\n');
    fs.writeFileSync(path.join(parent, 'outside.yaml'), 'keep\n');
    build({ target: ControlPlaneTarget.K3S }).tuning.writeFiles(dir);
    fs.appendFileSync(path.join(dir, '.cdk8s-dra-files'), '../outside.yaml\n');
    build({ target: ControlPlaneTarget.TALOS }).tuning.writeFiles(dir);
    expect(filesUnder(dir)).toEqual(['.cdk8s-dra-files', 'etc/rancher/k3s/registries.yaml', 'talos/controlplane-patch.yaml']);
    expect(fs.readFileSync(path.join(parent, 'outside.yaml'), 'utf-8')).toBe('keep\n');
    fs.rmSync(parent, { recursive: true, force: true });
  });
});

describe('snapshots (second line: the tests above check the shapes)', () => {
  test.each(Object.values(ControlPlaneTarget))('%s', target => {
    const named = [ControlPlaneTarget.CLUSTER_API, ControlPlaneTarget.CLUSTER_API_V1BETA1, ControlPlaneTarget.KOPS].includes(target);
    const { objects, files } = build({
      target,
      objectName: named ? 'prod' : undefined,
      schedulerKubeconfigPath: target === ControlPlaneTarget.FLAGS ? '/etc/kubernetes/scheduler.conf' : undefined,
    });
    expect({ objects, files }).toMatchSnapshot();
  });
});

describe('bad input stops synthesis with a clear message and creates nothing', () => {
  const cases: Array<[string, Partial<DraTunedControlPlaneProps> & { target: ControlPlaneTarget }, string]> = [
    ['qps not positive', { target: ControlPlaneTarget.KUBEADM, controllerManager: { qps: 0, burst: 150 } },
      "DraTunedControlPlane 'tuning' (test/tuning): controllerManager.qps 0 must be a positive finite number"],
    ['qps not finite', { target: ControlPlaneTarget.KUBEADM, scheduler: { qps: Infinity, burst: 150 } },
      'scheduler.qps Infinity must be a positive finite number'],
    ['qps NaN', { target: ControlPlaneTarget.KUBEADM, scheduler: { qps: NaN, burst: 150 } },
      'scheduler.qps NaN must be a positive finite number'],
    ['burst not whole', { target: ControlPlaneTarget.KUBEADM, controllerManager: { qps: 75, burst: 150.5 } },
      'controllerManager.burst 150.5 must be a positive whole number'],
    ['burst below qps', { target: ControlPlaneTarget.KUBEADM, controllerManager: { qps: 200, burst: 150 } },
      'controllerManager.burst 150 must be at least controllerManager.qps (200)'],
    ['below the component default', { target: ControlPlaneTarget.KUBEADM, scheduler: { qps: 40, burst: 100 } },
      'scheduler.qps 40 must be at least the component default 50'],
    ['no scale and one component', { target: ControlPlaneTarget.KUBEADM, scale: undefined, controllerManager: { qps: 75, burst: 150 } },
      "DraTunedControlPlane 'tuning' (test/tuning): scale is required unless both controllerManager and scheduler are given"],
    ['a scale the model refuses', { target: ControlPlaneTarget.KUBEADM, scale: { nodes: -3, podCreationQps: 10 } },
      "DraTunedControlPlane 'tuning' (test/tuning): scale.nodes -3 must be a positive finite number"],
    ['claim syncs without a version', { target: ControlPlaneTarget.KUBEADM, concurrentResourceClaimSyncs: 100 },
      'concurrentResourceClaimSyncs 100 needs kubernetesVersion 1.36 or later (got none)'],
    ['claim syncs on 1.35', { target: ControlPlaneTarget.KUBEADM, concurrentResourceClaimSyncs: 100, kubernetesVersion: '1.35' },
      'concurrentResourceClaimSyncs 100 needs kubernetesVersion 1.36 or later (got 1.35)'],
    ['claim syncs on kops', { target: ControlPlaneTarget.KOPS, objectName: 'prod', concurrentResourceClaimSyncs: 100, kubernetesVersion: '1.36' },
      'concurrentResourceClaimSyncs 100 cannot be expressed for target kops'],
    ['claim syncs not whole', { target: ControlPlaneTarget.KUBEADM, concurrentResourceClaimSyncs: 1.5, kubernetesVersion: '1.36' },
      'concurrentResourceClaimSyncs 1.5 must be a positive whole number'],
    ['version below 1.34', { target: ControlPlaneTarget.KUBEADM, kubernetesVersion: '1.33' },
      "kubernetesVersion '1.33' must be 1.34 or later"],
    ['version garbage', { target: ControlPlaneTarget.KUBEADM, kubernetesVersion: 'latest' },
      "kubernetesVersion 'latest' must be a Kubernetes version"],
    ['Cluster API without a name', { target: ControlPlaneTarget.CLUSTER_API },
      'objectName is required for target cluster-api'],
    ['a name where there is no object', { target: ControlPlaneTarget.K3S, objectName: 'prod' },
      "objectName 'prod' cannot be set for target k3s"],
    ['a bad name', { target: ControlPlaneTarget.KOPS, objectName: 'Prod_Cluster' },
      "objectName 'Prod_Cluster' must be a DNS subdomain"],
    ['namespace outside Cluster API', { target: ControlPlaneTarget.KOPS, objectName: 'prod', namespace: 'x' },
      "namespace 'x' cannot be set for target kops"],
    ['scheduler config path on Talos', { target: ControlPlaneTarget.TALOS, schedulerConfigPath: '/etc/x.yaml' },
      "schedulerConfigPath '/etc/x.yaml' cannot be set for target talos"],
    ['scheduler kubeconfig on kops', { target: ControlPlaneTarget.KOPS, objectName: 'prod', schedulerKubeconfigPath: '/x' },
      "schedulerKubeconfigPath '/x' cannot be set for target kops"],
    ['relative scheduler config path', { target: ControlPlaneTarget.KUBEADM, schedulerConfigPath: 'etc/x.yaml' },
      "schedulerConfigPath 'etc/x.yaml' must be an absolute path"],
    ['scheduler config path climbing out', { target: ControlPlaneTarget.KUBEADM, schedulerConfigPath: '/etc/../tmp/x.yaml' },
      "schedulerConfigPath '/etc/../tmp/x.yaml' must be an absolute path without \"..\""],
    ['relative scheduler kubeconfig', { target: ControlPlaneTarget.K3S, schedulerKubeconfigPath: 'scheduler.kubeconfig' },
      "schedulerKubeconfigPath 'scheduler.kubeconfig' must be an absolute path"],
    ['burst below the component default', { target: ControlPlaneTarget.KUBEADM, controllerManager: { qps: 20, burst: 25 } },
      'controllerManager.burst 25 must be at least the component default 30'],
    ['a bad namespace', { target: ControlPlaneTarget.CLUSTER_API, objectName: 'prod', namespace: 'Clusters' },
      "namespace 'Clusters' must be a DNS label"],
    ['flags without the scheduler kubeconfig', { target: ControlPlaneTarget.FLAGS },
      'schedulerKubeconfigPath is required for target flags: kube-scheduler ignores --kubeconfig once --config is set'],
    ['unknown target', { target: 'eks' as ControlPlaneTarget },
      "target 'eks' must be one of kubeadm, kubeadm-patches"],
  ];

  test.each(cases)('%s', (_name, props, message) => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new DraTunedControlPlane(chart, 'tuning', { scale: PAGE_SCALE, ...props })).toThrow(message);
    expect(Testing.synth(chart)).toEqual([]);
  });
});

describe('a chart of its own', () => {
  test('the quick start: the chart synthesizes into its own file, node files go through writeFiles', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cp-app-'));
    const app = Testing.app({ outdir });
    const tuning = new DraTunedControlPlane(new Chart(app, 'control-plane'), 'tuning', {
      target: ControlPlaneTarget.KUBEADM,
      scale: PAGE_SCALE,
    });
    app.synth();
    const documents = fs.readFileSync(path.join(outdir, 'control-plane.k8s.yaml'), 'utf-8');
    expect(parse(documents).kind).toBe('ClusterConfiguration');
    expect(documents).not.toContain('KubeSchedulerConfiguration');
    tuning.writeFiles(path.join(outdir, 'nodes'));
    expect(fs.existsSync(path.join(outdir, 'nodes/etc/kubernetes/kube-scheduler-config.yaml'))).toBe(true);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('kubeadm config next to applyable objects fails synthesis', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cluster');
    new DraTunedControlPlane(chart, 'tuning', { target: ControlPlaneTarget.KUBEADM, scale: PAGE_SCALE });
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    expect(() => app.synth()).toThrow(
      "DraTunedControlPlane 'tuning' (cluster/tuning): its chart 'cluster' also holds ConfigMap 'settings'; give kubeadm config a chart of its own",
    );
  });

  test('Cluster API objects may share the management cluster\'s chart', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'management');
    new DraTunedControlPlane(chart, 'tuning', { target: ControlPlaneTarget.CLUSTER_API, objectName: 'prod', scale: PAGE_SCALE });
    new ApiObject(chart, 'cluster', { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'prod' } });
    expect(() => app.synth()).not.toThrow();
  });
});
