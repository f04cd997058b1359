// DraTunedControlPlane's renderings read by the real binaries of the test version (npm run cluster:build):
// kubeadm validates and expands the kubeadm documents and patches into the static Pod manifests a
// node would run, and kube-scheduler and kube-controller-manager start with each rendering's
// config file and flags against a dedicated control plane; their /configz must show the QPS and
// burst ControlPlaneSizing recommends. Reads nothing from ../shared.
//
// What the test rewrites, and only that, because it must point at the test cluster, not a node:
// - kubeadm: `kubernetesVersion: <the binaries' release>` (the library writes none, and without it kubeadm looks up
//   the `stable-1` label online), an InitConfiguration with a non-loopback advertiseAddress (kubeadm
//   refuses to pick one from `lo`; it only lands in the API server's manifest, which no test runs)
//   and, for patches, `patches.directory`;
// - every component: kubeconfig flags and `clientConnection.kubeconfig` name the test cluster's admin
//   kubeconfig (an identity does not change a client's rate limit), `--root-ca-file` and
//   `--service-account-private-key-file` its files, `--bind-address=127.0.0.1 --secure-port` a free
//   loopback port; kubeadm's own CA flags (`--client-ca-file`, `--requestheader-client-ca-file`,
//   `--cluster-signing-*`) are dropped, the test cluster has no such CA; kube-controller-manager gets
//   `-v=1` so it logs its flags;
// - distributions that build the rest of the command line themselves (k3s, RKE2, Talos, bare flags):
//   the test stands in for them with only those connection flags.
// Leader election is left as rendered (on): one component of each kind runs at a time.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { StartedComponent, componentConfigz, startComponent, stopComponents, stopWatchdog } from '../../harness/cluster/components';
import { ControlPlaneState, startControlPlane, stopControlPlane } from '../../harness/cluster/control-plane';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { binariesDir, binariesVersion, freePort, startWatchdog } from '../../harness/cluster/processes';
import { ClusterScale, ControlPlaneSizing, ControlPlaneTarget, DraTunedControlPlane, DraTunedControlPlaneProps } from '../../src';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES } from '../../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

/** Distinct QPS and burst for both components, all above the defaults: a swapped or dropped value shows. */
const SCALE: ClusterScale = { nodes: 100, podCreationQps: 20, claimsPerPod: 1 };
/** The scales examples/gpu-kubeadm/main.ts and examples/gpu-nic-k3s/main.ts declare. */
const GPU_KUBEADM_SCALE: ClusterScale = { nodes: 100, podCreationQps: 10, claimsPerPod: 1 };
const GPU_NIC_K3S_SCALE: ClusterScale = { nodes: 40, podCreationQps: 5, claimsPerPod: 2 };

/** The command lines a node would run the two components with, and where their files are. */
interface NodeReading {
  /** kube-controller-manager's arguments as the node passes them (node paths, unrewritten). */
  readonly controllerManagerArgs: string[];
  /** kube-scheduler's arguments; `--config` is a path the component sees. */
  readonly schedulerArgs: string[];
  /** The file on the node's disk behind the scheduler's `--config` path (under the rendering's output root). */
  readonly schedulerConfigFile: string;
}

let cluster: ControlPlaneState;
let work: string;
let binaries: string;
let watchdog: number;

beforeAll(async () => {
  binaries = binariesDir();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-renderings-'));
  cluster = await startControlPlane(path.join(work, 'control-plane'), { components: false });
  watchdog = startWatchdog(process.pid, cluster.processes.map(p => p.pid));
}, 300_000);

afterAll(async () => {
  if (cluster) {
    await stopControlPlane(cluster);
    stopWatchdog(watchdog);
  }
  fs.rmSync(work, { recursive: true, force: true });
}, 60_000);

/** The rendering for `target` at SCALE: the chart's documents and the files, written under `<work>/<name>/node`. */
function render(name: string, props: Partial<DraTunedControlPlaneProps> & { target: ControlPlaneTarget }) {
  const chart = new Chart(Testing.app(), 'control-plane');
  const tuning = new DraTunedControlPlane(chart, 'tuning', { scale: SCALE, ...props });
  const documents: any[] = Testing.synth(chart);
  const root = path.join(work, name, 'node');
  tuning.writeFiles(root);
  return { documents, root };
}

/** Runs kubeadm; returns what it printed (stdout and stderr), throws with it when kubeadm fails. */
function kubeadm(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const run = spawnSync(path.join(binaries, 'kubeadm'), args, { encoding: 'utf-8', env: { ...process.env, ...env } });
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) {
    throw new Error(`kubeadm ${args.join(' ')} failed:\n${output}`);
  }
  return output;
}

function writeYaml(file: string, ...documents: any[]): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, documents.map(d => stringify(d)).join('---\n'));
  return file;
}

/** A ClusterConfiguration as the library wrote it, plus the one field kubeadm would otherwise fetch online. */
function offline(clusterConfiguration: any): any {
  expect(clusterConfiguration.kubernetesVersion).toBeUndefined();
  return { ...clusterConfiguration, kubernetesVersion: binariesVersion(binaries) };
}

/** `kubeadm config validate` on `document`: its stdout on success, throws with kubeadm's message otherwise. */
function kubeadmValidate(dir: string, name: string, document: any): string {
  return kubeadm(['config', 'validate', '--config', writeYaml(path.join(dir, `${name}.yaml`), document)]);
}

/**
 * The static Pod manifests `kubeadm init phase control-plane all --dry-run` generates from
 * `clusterConfiguration` (and the `--patches` files in `patchesDir`), with kubeadm's log.
 */
function kubeadmManifests(dir: string, clusterConfiguration: any, patchesDir?: string) {
  const init = {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'InitConfiguration',
    localAPIEndpoint: { advertiseAddress: '192.0.2.10' },
    ...(patchesDir ? { patches: { directory: patchesDir } } : {}),
  };
  const config = writeYaml(path.join(dir, 'kubeadm-init.yaml'), init, clusterConfiguration);
  const manifests = path.join(dir, 'manifests');
  fs.mkdirSync(manifests, { recursive: true });
  const log = kubeadm(['init', 'phase', 'control-plane', 'all', '--config', config, '--dry-run'], { KUBEADM_INIT_DRYRUN_DIR: manifests });
  // `init` only warns where `config validate` refuses (unknown fields): no warning may name the config.
  expect(log).not.toMatch(/unmarshaling configuration|unknown field|deprecated/i);
  const pod = (component: string) => parse(fs.readFileSync(path.join(manifests, `${component}.yaml`), 'utf-8'));
  return { log, controllerManager: pod('kube-controller-manager'), scheduler: pod('kube-scheduler') };
}

/** The file on the host behind `containerPath` in a static Pod: its volumeMount's hostPath volume. */
function hostPathOf(pod: any, containerPath: string): string {
  const container = pod.spec.containers[0];
  const mount = (container.volumeMounts ?? []).find((m: any) => m.mountPath === containerPath);
  expect(mount).toBeDefined();
  const volume = pod.spec.volumes.find((v: any) => v.name === mount.name);
  return volume.hostPath.path;
}

function flagValue(args: string[], flag: string): string {
  const values = args.filter(a => a.startsWith(`--${flag}=`)).map(a => a.slice(flag.length + 3));
  expect(values).toHaveLength(1);
  return values[0];
}

/** What kubeadm's generated static Pods run: their command lines and the scheduler config's host file. */
function readStaticPods(root: string, pods: { controllerManager: any; scheduler: any }): NodeReading {
  const schedulerArgs: string[] = pods.scheduler.spec.containers[0].command.slice(1);
  const controllerManagerArgs: string[] = pods.controllerManager.spec.containers[0].command.slice(1);
  const hostFile = hostPathOf(pods.scheduler, flagValue(schedulerArgs, 'config'));
  return { controllerManagerArgs, schedulerArgs, schedulerConfigFile: path.join(root, hostFile) };
}

/** k3s and RKE2 turn each `name=value` of a `*-arg` config key into `--name=value`. */
function rancherFlags(values: string[]): string[] {
  return values.map(v => `--${v}`);
}

/** Node paths the test cluster has its own file for. */
function rewriteNodePaths(args: string[]): string[] {
  const replacements: { [flag: string]: string } = {
    'kubeconfig': cluster.kubeconfig,
    'authentication-kubeconfig': cluster.kubeconfig,
    'authorization-kubeconfig': cluster.kubeconfig,
    'root-ca-file': cluster.caFile,
    'service-account-private-key-file': path.join(cluster.dir, 'sa.key'),
  };
  const dropped = ['client-ca-file', 'requestheader-client-ca-file', 'cluster-signing-cert-file', 'cluster-signing-key-file'];
  return args
    .filter(a => !dropped.some(flag => a.startsWith(`--${flag}=`)))
    .map(a => {
      const flag = a.replace(/^--/, '').split('=')[0];
      return flag in replacements ? `--${flag}=${replacements[flag]}` : a;
    });
}

/** The rendering's arguments on the test cluster: node paths rewritten, missing connection flags added, a free port. */
function onTestCluster(args: string[], port: number): string[] {
  expect(args.filter(a => a.startsWith('--secure-port='))).toEqual([]);
  const rewritten = rewriteNodePaths(args);
  const connection = ['kubeconfig', 'authentication-kubeconfig', 'authorization-kubeconfig']
    .filter(flag => !rewritten.some(a => a.startsWith(`--${flag}=`)))
    .map(flag => `--${flag}=${cluster.kubeconfig}`);
  return [...connection, ...rewritten, '--bind-address=127.0.0.1', `--secure-port=${port}`];
}

/** The library's scheduler config with only `clientConnection.kubeconfig` pointed at the test cluster. */
function schedulerConfigOnTestCluster(nodeFile: string, out: string): string {
  const config = parse(fs.readFileSync(nodeFile, 'utf-8'));
  return writeYaml(out, { ...config, clientConnection: { ...config.clientConnection, kubeconfig: cluster.kubeconfig } });
}

interface RunningComponents {
  readonly scheduler: any;
  readonly controllerManager: any;
  readonly controllerManagerLog: string;
}

/**
 * Starts kube-controller-manager and kube-scheduler as `reading` says, waits until both are
 * healthy, and returns the configuration each reports at /configz (then stops them).
 */
async function runOnTestCluster(name: string, reading: NodeReading): Promise<RunningComponents> {
  const dir = path.join(work, name, 'run');
  fs.mkdirSync(dir, { recursive: true });
  const schedulerConfig = schedulerConfigOnTestCluster(reading.schedulerConfigFile, path.join(dir, 'kube-scheduler-config.yaml'));
  const schedulerArgs = reading.schedulerArgs.map(a => (a.startsWith('--config=') ? `--config=${schedulerConfig}` : a));
  const [kcmPort, schedulerPort] = [await freePort(), await freePort()];
  const started: StartedComponent[] = [];
  try {
    started.push(await startComponent(dir, 'kube-controller-manager', path.join(binaries, 'kube-controller-manager'),
      [...onTestCluster(reading.controllerManagerArgs, kcmPort), '-v=1'], kcmPort));
    started.push(await startComponent(dir, 'kube-scheduler', path.join(binaries, 'kube-scheduler'),
      onTestCluster(schedulerArgs, schedulerPort), schedulerPort));
    const [controllerManager, scheduler] = await Promise.all(started.map(c => componentConfigz(c.port, cluster.adminToken)));
    return { controllerManager, scheduler, controllerManagerLog: fs.readFileSync(started[0].log, 'utf-8') };
  } finally {
    await stopComponents(started);
  }
}

/**
 * The client QPS/burst each running component reports, next to what the model recommends for `scale`.
 * /configz shows the internal config types (Go field names: ClientConnection.QPS) up to 1.35; from
 * 1.36 both components convert to their versioned types first (cmd/kube-scheduler/app/server.go,
 * cmd/kube-controller-manager/app/controllermanager.go), whose JSON names are `qps` and `burst`
 * (and the scheduler's `clientConnection`; the controller-manager's Generic.ClientConnection has no tags).
 */
function clientRates(running: RunningComponents) {
  const rate = (connection: any) => ({ qps: connection.QPS ?? connection.qps, burst: connection.Burst ?? connection.burst });
  const scheduler = running.scheduler.componentconfig;
  return {
    controllerManager: rate(running.controllerManager['kubecontrollermanager.config.k8s.io'].Generic.ClientConnection),
    scheduler: rate(scheduler.ClientConnection ?? scheduler.clientConnection),
  };
}

/** Whether the running scheduler reports profiling on (EnableProfiling up to 1.35, enableProfiling from 1.36). */
function schedulerProfiling(running: RunningComponents): boolean {
  const scheduler = running.scheduler.componentconfig;
  return scheduler.EnableProfiling ?? scheduler.enableProfiling;
}

function recommended(scale: ClusterScale) {
  const r = ControlPlaneSizing.recommend(scale);
  return {
    controllerManager: { qps: r.controllerManagerQps, burst: r.controllerManagerBurst },
    scheduler: { qps: r.schedulerQps, burst: r.schedulerBurst },
  };
}

test('the scale used gives distinct values above the component defaults, so a dropped or swapped one shows', () => {
  expect(recommended(SCALE)).toEqual({ controllerManager: { qps: 150, burst: 300 }, scheduler: { qps: 100, burst: 175 } });
});

describe('kubeadm', () => {
  test('KUBEADM: kubeadm validates the ClusterConfiguration and the static Pods it generates run with the library\'s rates', async () => {
    const { documents, root } = render('kubeadm', { target: ControlPlaneTarget.KUBEADM });
    const dir = path.join(work, 'kubeadm');
    const clusterConfiguration = offline(documents[0]);
    expect(kubeadmValidate(dir, 'cluster-configuration', clusterConfiguration)).toMatch(/^ok/);
    const reading = readStaticPods(root, kubeadmManifests(dir, clusterConfiguration));
    const running = await runOnTestCluster('kubeadm', reading);
    expect(clientRates(running)).toEqual(recommended(SCALE));
    expect(running.controllerManagerLog).toContain(`FLAG: --kube-api-qps="${recommended(SCALE).controllerManager.qps}"`);
  }, 240_000);

  test('KUBEADM with its own schedulerConfigPath and schedulerKubeconfigPath: kubeadm validates it, mounts the file there, and it runs at the library\'s rates', async () => {
    const { documents, root } = render('kubeadm-paths', {
      target: ControlPlaneTarget.KUBEADM,
      schedulerConfigPath: '/etc/kubernetes/scheduler/dra.yaml',
      schedulerKubeconfigPath: '/etc/kubernetes/scheduler-dra.conf',
    });
    const dir = path.join(work, 'kubeadm-paths');
    const clusterConfiguration = offline(documents[0]);
    expect(kubeadmValidate(dir, 'cluster-configuration', clusterConfiguration)).toMatch(/^ok/);
    const reading = readStaticPods(root, kubeadmManifests(dir, clusterConfiguration));
    expect(reading.schedulerConfigFile).toBe(path.join(root, 'etc/kubernetes/scheduler/dra.yaml'));
    expect(parse(fs.readFileSync(reading.schedulerConfigFile, 'utf-8')).clientConnection.kubeconfig).toBe('/etc/kubernetes/scheduler-dra.conf');
    expect(clientRates(await runOnTestCluster('kubeadm-paths', reading))).toEqual(recommended(SCALE));
  }, 240_000);

  test('KUBEADM_PATCHES: kubeadm applies the patches over a config that already sets 20/30, and the appended flags win', async () => {
    const { root } = render('kubeadm-patches', { target: ControlPlaneTarget.KUBEADM_PATCHES });
    const dir = path.join(work, 'kubeadm-patches');
    // An existing cluster's own config, with the controller-manager defaults spelled out.
    const existing = {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      kubernetesVersion: binariesVersion(binaries),
      controllerManager: { extraArgs: [{ name: 'kube-api-qps', value: '20' }, { name: 'kube-api-burst', value: '30' }] },
    };
    const pods = kubeadmManifests(dir, existing, path.join(root, 'etc/kubernetes/patches'));
    for (const component of ['kube-controller-manager', 'kube-scheduler']) {
      expect(pods.log).toContain(`[patches] Applied patch of type "application/json-patch+json" to target "${component}"`);
    }
    const reading = readStaticPods(root, pods);
    expect(reading.controllerManagerArgs).toEqual(expect.arrayContaining(['--kube-api-qps=20', '--kube-api-burst=30']));
    const running = await runOnTestCluster('kubeadm-patches', reading);
    expect(clientRates(running)).toEqual(recommended(SCALE));
  }, 240_000);

  test('examples/gpu-kubeadm/dist: kubeadm validates the committed ClusterConfiguration; the components run with the example\'s rates', async () => {
    const dist = path.join(EXAMPLES, 'gpu-kubeadm', 'dist');
    const dir = path.join(work, 'example-gpu-kubeadm');
    const [document] = parseAllDocuments(fs.readFileSync(path.join(dist, 'cluster-control-plane.k8s.yaml'), 'utf-8')).map(d => d.toJSON());
    const clusterConfiguration = offline(document);
    expect(kubeadmValidate(dir, 'cluster-configuration', clusterConfiguration)).toMatch(/^ok/);
    const reading = readStaticPods(path.join(dist, 'nodes'), kubeadmManifests(dir, clusterConfiguration));
    expect(clientRates(await runOnTestCluster('example-gpu-kubeadm', reading))).toEqual(recommended(GPU_KUBEADM_SCALE));
  }, 240_000);

  test('kubeadm is strict: the library\'s ClusterConfiguration with map-form extraArgs, or with the metadata cdk8s would add, is refused', () => {
    const { documents } = render('kubeadm-refusals', { target: ControlPlaneTarget.KUBEADM });
    const dir = path.join(work, 'kubeadm-refusals');
    const document = offline(documents[0]);
    const asMap = (args: Array<{ name: string; value: string }>) => Object.fromEntries(args.map(a => [a.name, a.value]));
    const mapForm = { ...document, controllerManager: { ...document.controllerManager, extraArgs: asMap(document.controllerManager.extraArgs) } };
    expect(() => kubeadmValidate(dir, 'map-args', mapForm))
      .toThrow(/cannot unmarshal object into Go struct field ControlPlaneComponent.controllerManager.extraArgs/);
    // ConfigDocument drops the metadata cdk8s gives every ApiObject: `kubeadm init` would only warn, validate refuses.
    expect(() => kubeadmValidate(dir, 'with-metadata', { ...document, metadata: { name: 'tuning' } })).toThrow(/unknown field "metadata"/);
  });
});

describe('Cluster API', () => {
  // The KubeadmControlPlane itself is read by Cluster API's controllers, which do not run here
  // (test/control-plane checks it against the upstream types). Its kubeadm bootstrap writes
  // `files` to disk as they are and hands `clusterConfiguration` to kubeadm as a v1beta4
  // ClusterConfiguration (v1beta2's controllerManager/scheduler fields are v1beta4's, field for field).
  test('CLUSTER_API (v1beta2): the embedded ClusterConfiguration validates and, with the embedded file, runs at the library\'s rates', async () => {
    const { documents } = render('cluster-api', { target: ControlPlaneTarget.CLUSTER_API, objectName: 'workload' });
    const dir = path.join(work, 'cluster-api');
    const root = path.join(dir, 'node');
    const spec = documents[0].spec.kubeadmConfigSpec;
    for (const file of spec.files) {
      fs.mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
      fs.writeFileSync(path.join(root, file.path), file.content);
    }
    const clusterConfiguration = offline({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration', ...spec.clusterConfiguration });
    expect(kubeadmValidate(dir, 'cluster-configuration', clusterConfiguration)).toMatch(/^ok/);
    const reading = readStaticPods(root, kubeadmManifests(dir, clusterConfiguration));
    expect(clientRates(await runOnTestCluster('cluster-api', reading))).toEqual(recommended(SCALE));
  }, 240_000);
});

/**
 * What a k3s server reads from the node files under `root`: the config.yaml.d drop-in's arg lists,
 * and the scheduler file its --config names (k3s runs the scheduler in its own process, so the
 * flag names the node file itself).
 */
function k3sReading(root: string): NodeReading {
  const dropIn = parse(fs.readFileSync(path.join(root, 'etc/rancher/k3s/config.yaml.d/90-cdk8s-dra-control-plane.yaml'), 'utf-8'));
  const schedulerArgs = rancherFlags(dropIn['kube-scheduler-arg+']);
  return {
    controllerManagerArgs: rancherFlags(dropIn['kube-controller-manager-arg+']),
    schedulerArgs,
    schedulerConfigFile: path.join(root, flagValue(schedulerArgs, 'config')),
  };
}

describe('k3s and RKE2', () => {
  test('K3S: the config.yaml.d drop-in\'s arg lists and the scheduler file run at the library\'s rates, with profiling off', async () => {
    const { root } = render('k3s', { target: ControlPlaneTarget.K3S });
    const running = await runOnTestCluster('k3s', k3sReading(root));
    expect(clientRates(running)).toEqual(recommended(SCALE));
    expect(schedulerProfiling(running)).toBe(false);
  }, 240_000);

  test('RKE2: the drop-in\'s arg lists, through its kube-scheduler-extra-mount, run at the library\'s rates, with profiling off', async () => {
    const { root } = render('rke2', { target: ControlPlaneTarget.RKE2 });
    const dropIn = parse(fs.readFileSync(path.join(root, 'etc/rancher/rke2/config.yaml.d/90-cdk8s-dra-control-plane.yaml'), 'utf-8'));
    // RKE2 runs the scheduler as a static Pod: --config is a container path, the extra mount maps it to the host.
    const schedulerArgs = rancherFlags(dropIn['kube-scheduler-arg+']);
    const mounts = (dropIn['kube-scheduler-extra-mount+'] as string[]).map(m => m.split(':'));
    const hostFile = mounts.find(([, container]) => container === flagValue(schedulerArgs, 'config'))?.[0];
    expect(hostFile).toBeDefined();
    const reading: NodeReading = {
      controllerManagerArgs: rancherFlags(dropIn['kube-controller-manager-arg+']),
      schedulerArgs,
      schedulerConfigFile: path.join(root, hostFile!),
    };
    const running = await runOnTestCluster('rke2', reading);
    expect(clientRates(running)).toEqual(recommended(SCALE));
    expect(schedulerProfiling(running)).toBe(false);
  }, 240_000);

  test('examples/gpu-nic-k3s/dist: the committed drop-in and scheduler file run with the example\'s rates', async () => {
    const root = path.join(EXAMPLES, 'gpu-nic-k3s', 'dist', 'nodes');
    expect(clientRates(await runOnTestCluster('example-gpu-nic-k3s', k3sReading(root)))).toEqual(recommended(GPU_NIC_K3S_SCALE));
  }, 240_000);
});

/** What a node runs from the bare-flags rendering: its two argument files and the scheduler's config. */
function flagsReading(root: string): NodeReading {
  const lines = (file: string) => fs.readFileSync(path.join(root, file), 'utf-8').split('\n').filter(l => l !== '');
  const schedulerArgs = lines('flags/kube-scheduler.args');
  return {
    controllerManagerArgs: lines('flags/kube-controller-manager.args'),
    schedulerArgs,
    schedulerConfigFile: path.join(root, flagValue(schedulerArgs, 'config')),
  };
}

describe('Talos and bare flags', () => {
  test('TALOS: the patch\'s controllerManager.extraArgs and scheduler.config run at the library\'s rates', async () => {
    const { root } = render('talos', { target: ControlPlaneTarget.TALOS });
    const patch = parse(fs.readFileSync(path.join(root, 'talos/controlplane-patch.yaml'), 'utf-8'));
    // Talos merges scheduler.config over the KubeSchedulerConfiguration it writes itself; the test
    // writes the patch's document alone, and the kubeconfig Talos's own would add.
    const schedulerConfigFile = writeYaml(path.join(work, 'talos', 'scheduler-config.yaml'), patch.cluster.scheduler.config);
    const reading: NodeReading = {
      controllerManagerArgs: Object.entries(patch.cluster.controllerManager.extraArgs as { [k: string]: string }).map(([k, v]) => `--${k}=${v}`),
      schedulerArgs: [`--config=${schedulerConfigFile}`],
      schedulerConfigFile,
    };
    expect(clientRates(await runOnTestCluster('talos', reading))).toEqual(recommended(SCALE));
  }, 240_000);

  test('kube-scheduler ignores --kube-api-qps/--kube-api-burst once --config is set: why every rendering uses the file', async () => {
    const { root } = render('ignored-flags', { target: ControlPlaneTarget.FLAGS, schedulerKubeconfigPath: '/etc/kubernetes/scheduler.conf' });
    const schedulerArgs = fs.readFileSync(path.join(root, 'flags/kube-scheduler.args'), 'utf-8').split('\n').filter(l => l !== '');
    const reading: NodeReading = {
      controllerManagerArgs: fs.readFileSync(path.join(root, 'flags/kube-controller-manager.args'), 'utf-8').split('\n').filter(l => l !== ''),
      schedulerArgs: [...schedulerArgs, '--kube-api-qps=999', '--kube-api-burst=999'],
      schedulerConfigFile: path.join(root, flagValue(schedulerArgs, 'config')),
    };
    expect(clientRates(await runOnTestCluster('ignored-flags', reading)).scheduler).toEqual(recommended(SCALE).scheduler);
  }, 240_000);

  test('FLAGS: the bare flag lists and the scheduler file run at the library\'s rates', async () => {
    const { root } = render('flags', { target: ControlPlaneTarget.FLAGS, schedulerKubeconfigPath: '/etc/kubernetes/scheduler.conf' });
    expect(clientRates(await runOnTestCluster('flags', flagsReading(root)))).toEqual(recommended(SCALE));
  }, 240_000);
});

describe('--concurrent-resourceclaim-syncs, from 1.36', () => {
  const version = testKubernetesMinor();
  const since = KUBERNETES_CHANGES.concurrentResourceClaimSyncs;

  if (isAtLeast(parseKubernetesVersion(version)!, since)) {
    test(`${version}: kube-controller-manager runs the rendered --concurrent-resourceclaim-syncs, as /configz shows`, async () => {
      const { root } = render('claim-syncs', {
        target: ControlPlaneTarget.FLAGS, schedulerKubeconfigPath: '/etc/kubernetes/scheduler.conf', concurrentResourceClaimSyncs: 120, kubernetesVersion: version,
      });
      const running = await runOnTestCluster('claim-syncs', flagsReading(root));
      expect(running.controllerManager['kubecontrollermanager.config.k8s.io'].ResourceClaimController.ConcurrentSyncs).toBe(120);
    }, 240_000);
  } else {
    test(`${version}: the library refuses the flag, and kube-controller-manager would not start with it`, async () => {
      expect(() => render('claim-syncs-refused', { target: ControlPlaneTarget.FLAGS, concurrentResourceClaimSyncs: 120, kubernetesVersion: version }))
        .toThrow(`concurrentResourceClaimSyncs 120 needs kubernetesVersion ${formatMinor(since)} or later (got ${version})`);
      // The flag as a ${formatMinor(since)} rendering writes it, given to this version's kube-controller-manager.
      const { root } = render('claim-syncs-newer', {
        target: ControlPlaneTarget.FLAGS, schedulerKubeconfigPath: '/etc/kubernetes/scheduler.conf', concurrentResourceClaimSyncs: 120, kubernetesVersion: formatMinor(since),
      });
      await expect(runOnTestCluster('claim-syncs-newer', flagsReading(root))).rejects.toThrow(/kube-controller-manager exited during start-up:[\s\S]*unknown flag: --concurrent-resourceclaim-syncs/);
    }, 240_000);
  }
});
