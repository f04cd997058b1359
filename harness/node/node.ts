import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cniConfig, containerdConfig, ctr, importImage } from './containerd';
import {
  NODE_HOST, addNatRule, aliasKubeletRoot, apiServerNatRules, checkHost, hasSysResource, prepareHost, readSysctls,
  SharedHostDir, releaseHostDir, restoreSysctls, run, shareHostDir, sweepHost,
} from './host';
import { LocalImage, ociArchive } from './images';
import { KUBELET_HEALTHZ_PORT, KUBELET_PORT, kubeletConfig } from './kubelet';
import {
  ControlPlaneState, KUBERNETES_SERVICE_IP, START_TIMEOUT_MS, clientOf, httpOk, logTails, startControlPlane, stopControlPlane,
  waitHealthy, writeKubeconfig,
} from '../cluster/control-plane';
import { KubeClient } from '../cluster/kube-client';
import { NODE_BINARIES } from '../cluster/kubernetes-versions';
import { StartedProcess, binariesDir, isAlive, startProcess, stopProcesses } from '../cluster/processes';

const REPO = path.resolve(__dirname, '..', '..');
const BUILD_SCRIPT = path.join(REPO, 'scripts', 'node', 'build.sh');

/** The images the node has (no registry is reachable): containerd's names for them. */
export const NODE_IMAGES = {
  pause: 'localhost/pause:cdk8s-dra',
  workload: 'localhost/workload:cdk8s-dra',
  /** The example driver's kubelet plugin, and the same binary under a second tag for upgrades. */
  driver: 'localhost/dra-example-driver:v0.4.0',
  driverNext: 'localhost/dra-example-driver:v0.4.0-next',
  /** DRANET's kubelet plugin (github.com/google/dranet v1.0.1), `/dranet` as in its image. */
  dranet: 'localhost/dranet:v1.0.1',
} as const;

/** What a test needs of the node beyond the defaults. */
export interface NodeOptions {
  /**
   * Pods' network namespaces under `/var/run/netns` (a shared mount), as a real node has them:
   * a NIC driver that mounts that directory finds the namespace NRI names.
   * @default false: under containerd's state directory, inside the node's
   */
  readonly netnsUnderRun?: boolean;
  /**
   * Host directories bound onto themselves as shared mounts (with netnsUnderRun, `/var/run/netns`
   * too), made when missing, all undone when the node stops: a plugin's HostToContainer volumes
   * need a shared or slave mount, which a real node has (systemd makes `/` shared) and this
   * machine has not.
   * @default none
   */
  readonly sharedHostDirs?: string[];
  /**
   * A second path of the kubelet root (a bind mount), for a driver whose kubelet paths are
   * hard-coded: DRANET v1.0.1 serves `/var/lib/kubelet/plugins/dra.net` with no flag to move it.
   * @default none
   */
  readonly kubeletRootAlias?: string;
}

/** Everything a test needs to use a running node; written to `<dir>/node.json`. */
export interface NodeState {
  readonly dir: string;
  readonly nodeName: string;
  readonly nodeIp: string;
  readonly kubeletRootDir: string;
  readonly cdiDir: string;
  readonly containerdSocket: string;
  readonly binaries: string;
  readonly controlPlane: ControlPlaneState;
  readonly processes: StartedProcess[];
  /** The kubelet's metrics endpoint; it accepts the admin's token (checked by webhook). */
  readonly kubeletMetricsUrl: string;
  /** The kubelet's own token: `system:node:<nodeName>` in `system:nodes`. */
  readonly kubeletToken: string;
  /** Host settings before the node changed them; restored when it stops. */
  readonly sysctls: { [name: string]: string };
  /** Seconds from the first host change to the Node Ready. */
  readonly startSeconds: number;
  /** Seconds each part took. */
  readonly timings: { [part: string]: number };
  /** containerd's NRI socket. */
  readonly nriSocket: string;
  /** The host directories the node made shared mounts (NodeOptions.sharedHostDirs), undone when it stops. */
  readonly sharedHostDirs: SharedHostDir[];
  /** The kubelet root's second path (NodeOptions.kubeletRootAlias). */
  readonly kubeletRootAlias?: string;
}

const STATE_FILE = path.join(NODE_HOST.dir, 'node.json');
const CONTAINERD_DIR = path.join(NODE_HOST.dir, 'containerd');
const CONTAINERD_SOCKET = path.join(CONTAINERD_DIR, 'containerd.sock');
const SYSCTL_FILE = path.join(NODE_HOST.dir, 'sysctls.json');
/** The host directories the node made shared mounts (NodeOptions.sharedHostDirs). */
const SHARED_DIRS_FILE = path.join(NODE_HOST.dir, 'shared-dirs.json');

/** The node's binaries (`npm run node:build`); fails naming that command when they are missing. */
export function nodeBinariesDir(): string {
  try {
    return execFileSync('bash', [BUILD_SCRIPT, '--where'], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`${stderr || 'the test node\'s binaries are missing'}\n(the node tests need them: npm run node:build)`);
  }
}

/**
 * How long a node test file's set-up may take: waiting for the machine's one node while other
 * files use it (jest runs two files at once; CI and a person may run two suites), then starting it.
 */
export const NODE_SETUP_TIMEOUT_MS = 40 * 60_000;

/** The machine-wide lock on the one test node, held by a `flock` child while this process runs a node. */
const NODE_LOCK_FILE = '/run/cdk8s-dra-node.lock';
let nodeLock: ChildProcess | undefined;

/**
 * Waits until this process holds the test node. The lock is flock(1)'s, held while its `cat` reads
 * this process's pipe: it goes when stopNode ends the pipe, or when this process dies.
 */
async function lockNode(): Promise<void> {
  if (nodeLock) return;
  const holder = spawn('flock', ['-o', NODE_LOCK_FILE, 'sh', '-c', 'echo locked; exec cat > /dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = setTimeout(() => process.stderr.write(`startNode: waiting for the test node, which another test file or run is using (${NODE_LOCK_FILE})\n`), 5_000);
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.once('data', () => resolve());
      holder.once('exit', code => reject(new Error(`flock ${NODE_LOCK_FILE} ended (${code}) before the node was free`)));
      holder.once('error', reject);
    });
  } finally {
    clearTimeout(waiting);
  }
  nodeLock = holder;
}

function unlockNode(): void {
  nodeLock?.stdin?.end();
  nodeLock = undefined;
}

/**
 * Starts a control plane and one real node joined to it: containerd 2 with CDI, Debian's runc and
 * CNI plugins on a private bridge, and the kubelet, under NODE_HOST.dir. Leftovers of an earlier
 * run are swept first. Returns once the Node is Ready; on failure undoes what it did and throws
 * with the log tails.
 */
export async function startNode(options: NodeOptions = {}): Promise<NodeState> {
  checkHost();
  await lockNode();
  try {
    return await startHeldNode(options);
  } catch (error) {
    unlockNode();
    throw error;
  }
}

/** startNode once this process holds the node. */
async function startHeldNode(options: NodeOptions): Promise<NodeState> {
  const binaries = nodeBinariesDir();
  const k8sBinaries = binariesDir([...NODE_BINARIES]);
  const running = readNodeState()?.processes.find(p => isAlive(p.pid));
  if (running) {
    throw new Error(`a test node is already running here (${running.name}, process ${running.pid}): npm run node:down stops it`);
  }
  await teardownNode();
  const begin = Date.now();
  const timings: { [part: string]: number } = {};
  const timed = async <T>(part: string, step: () => Promise<T> | T): Promise<T> => {
    const start = Date.now();
    const result = await step();
    timings[part] = (Date.now() - start) / 1000;
    return result;
  };
  const dir = NODE_HOST.dir;
  fs.mkdirSync(dir, { recursive: true });
  const sysctls = readSysctls();
  fs.writeFileSync(SYSCTL_FILE, JSON.stringify(sysctls));
  const started: StartedProcess[] = [];
  let controlPlane: ControlPlaneState | undefined;
  const sharedHostDirs: SharedHostDir[] = [];
  try {
    // The last run's logs, kept for a look, go now: the tests read this run's kubelet log.
    fs.rmSync(path.join(dir, 'logs'), { recursive: true, force: true });
    for (const sub of ['pki', 'containerd', 'cni/net.d', 'cni/ipam', 'pod-logs', 'images', 'logs']) {
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
    }
    fs.mkdirSync(NODE_HOST.cdiDir, { recursive: true });
    prepareHost();
    const toShare = new Set([...options.netnsUnderRun ? [NODE_HOST.netnsDir] : [], ...options.sharedHostDirs ?? []]);
    for (const hostDir of toShare) {
      const shared = shareHostDir(hostDir);
      if (shared) sharedHostDirs.push(shared);
      // Written at each step: a crashed run's are undone by the next (stopNode).
      fs.writeFileSync(SHARED_DIRS_FILE, JSON.stringify(sharedHostDirs));
    }
    const pki = writePki(path.join(dir, 'pki'));
    const nodeToken = randomBytes(24).toString('hex');

    controlPlane = await timed('control plane', () => startControlPlane(path.join(dir, 'control-plane'), {
      node: {
        address: NODE_HOST.nodeIp,
        name: NODE_HOST.nodeName,
        token: nodeToken,
        kubeletClientCertFile: pki.clientCert,
        kubeletClientKeyFile: pki.clientKey,
      },
    }));
    apiServerNatRules(KUBERNETES_SERVICE_IP, controlPlane.ports.apiServer).forEach(addNatRule);

    const socket = CONTAINERD_SOCKET;
    const withoutSysResource = !hasSysResource();
    const config = path.join(CONTAINERD_DIR, 'config.toml');
    fs.writeFileSync(config, containerdConfig({
      dir: CONTAINERD_DIR,
      socket,
      cdiDir: NODE_HOST.cdiDir,
      cniConfDir: path.join(dir, 'cni', 'net.d'),
      sandboxImage: NODE_IMAGES.pause,
      restrictOomScoreAdj: withoutSysResource,
      nriSocket: NODE_HOST.nriSocket,
      netnsUnderRun: options.netnsUnderRun === true,
    }));
    await timed('containerd', async () => {
      started.push(startProcess(path.join(dir, 'logs'), 'containerd', path.join(binaries, 'containerd'), ['--config', config]));
      await waitHealthy('containerd', started, () => fs.existsSync(socket) && ctrOk(binaries, socket));
    });
    await timed('images', () => {
      for (const image of localImages(binaries)) {
        importImage(binaries, socket, ociArchive(image), path.join(dir, 'images', `${image.name.replace(/[/:]/g, '_')}.tar`));
      }
    });
    fs.writeFileSync(path.join(dir, 'cni', 'net.d', '10-cdk8s-dra.conflist'),
      cniConfig(NODE_HOST.bridge, NODE_HOST.podSubnet, path.join(dir, 'cni', 'ipam')));

    const kubeletConfigFile = path.join(dir, 'kubelet.yaml');
    fs.writeFileSync(kubeletConfigFile, kubeletConfig({
      nodeIp: NODE_HOST.nodeIp,
      cgroupRoot: NODE_HOST.cgroupRoot,
      containerdSocket: socket,
      podLogsDir: path.join(dir, 'pod-logs'),
      clientCaFile: pki.caCert,
      keepOomScoreAdj: withoutSysResource,
    }));
    const kubeconfig = path.join(dir, 'kubelet.kubeconfig');
    writeKubeconfig(kubeconfig, controlPlane.apiServer, controlPlane.caFile, { token: nodeToken });
    await timed('kubelet', async () => {
      started.push(startProcess(path.join(dir, 'logs'), 'kubelet', path.join(k8sBinaries, 'kubelet'), [
        `--config=${kubeletConfigFile}`, `--kubeconfig=${kubeconfig}`,
        `--root-dir=${NODE_HOST.kubeletRootDir}`, `--cert-dir=${path.join(dir, 'pki', 'kubelet')}`,
        `--hostname-override=${NODE_HOST.nodeName}`, `--node-ip=${NODE_HOST.nodeIp}`,
        // V(3): the DRA plugin manager logs each registration and unregistration.
        '--v=3',
      ]));
      await waitHealthy('kubelet', started, () => httpOk(`http://127.0.0.1:${KUBELET_HEALTHZ_PORT}/healthz`));
      const admin = clientOf(controlPlane!);
      await admin.waitFor(`Node ${NODE_HOST.nodeName} Ready`, async () => nodeReady(admin), START_TIMEOUT_MS);
    });
    if (options.kubeletRootAlias) aliasKubeletRoot(options.kubeletRootAlias);
    const state: NodeState = {
      dir,
      nodeName: NODE_HOST.nodeName,
      nodeIp: NODE_HOST.nodeIp,
      kubeletRootDir: NODE_HOST.kubeletRootDir,
      cdiDir: NODE_HOST.cdiDir,
      containerdSocket: socket,
      binaries,
      controlPlane,
      processes: started,
      kubeletMetricsUrl: `https://${NODE_HOST.nodeIp}:${KUBELET_PORT}/metrics`,
      kubeletToken: nodeToken,
      sysctls,
      startSeconds: (Date.now() - begin) / 1000,
      timings,
      nriSocket: NODE_HOST.nriSocket,
      sharedHostDirs,
      kubeletRootAlias: options.kubeletRootAlias,
    };
    fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
    return state;
  } catch (error) {
    const logs = logTails([...controlPlane?.processes ?? [], ...started], 20);
    await stopProcesses(started.map(p => p.pid));
    if (controlPlane) await stopControlPlane(controlPlane);
    sweepHost(CONTAINERD_SOCKET);
    sharedHostDirs.forEach(releaseHostDir);
    restoreSysctls(sysctls);
    throw new Error(`the test node did not start: ${(error as Error).message}\n${logs}`);
  }
}

/**
 * Stops the node and its control plane and puts the machine back as it was: pods are deleted
 * through the API server first, so the kubelet unprepares their claims and tears their networks
 * down; whatever is left is killed and unmounted. Safe to call when nothing runs.
 */
export async function stopNode(): Promise<void> {
  try {
    await teardownNode();
  } finally {
    unlockNode();
  }
}

/** What stopNode does before it lets the node go: also the sweep of an earlier run's leftovers. */
async function teardownNode(): Promise<void> {
  const state = readNodeState();
  if (state) {
    const admin = clientOf(state.controlPlane);
    await deletePods(admin).catch(() => undefined);
    await stopProcesses(state.processes.filter(p => p.name === 'kubelet').map(p => p.pid));
    await stopProcesses(state.processes.filter(p => p.name !== 'kubelet').map(p => p.pid));
    await stopControlPlane(state.controlPlane);
  }
  sweepHost(CONTAINERD_SOCKET);
  if (fs.existsSync(SHARED_DIRS_FILE)) {
    (JSON.parse(fs.readFileSync(SHARED_DIRS_FILE, 'utf-8')) as SharedHostDir[]).forEach(releaseHostDir);
  }
  if (fs.existsSync(SYSCTL_FILE)) {
    restoreSysctls(JSON.parse(fs.readFileSync(SYSCTL_FILE, 'utf-8')));
  }
  // The logs, the control plane's among them, stay for a look after a failed run; everything else goes.
  const controlPlaneDir = path.join(NODE_HOST.dir, 'control-plane');
  if (fs.existsSync(controlPlaneDir)) {
    fs.mkdirSync(path.join(NODE_HOST.dir, 'logs'), { recursive: true });
    for (const log of fs.readdirSync(controlPlaneDir).filter(f => f.endsWith('.log'))) {
      fs.renameSync(path.join(controlPlaneDir, log), path.join(NODE_HOST.dir, 'logs', log));
    }
  }
  if (fs.existsSync(NODE_HOST.dir)) {
    for (const entry of fs.readdirSync(NODE_HOST.dir)) {
      if (entry !== 'logs') fs.rmSync(path.join(NODE_HOST.dir, entry), { recursive: true, force: true });
    }
  }
}

export function readNodeState(): NodeState | undefined {
  return fs.existsSync(STATE_FILE) ? JSON.parse(fs.readFileSync(STATE_FILE, 'utf-8')) : undefined;
}

/** Log tails of the node's processes and its control plane, for a failed test's output. */
export function nodeLogTails(state: NodeState, lines = 30): string {
  return logTails([...state.controlPlane.processes, ...state.processes], lines);
}

/** The images the node runs, built from the node's binaries. */
function localImages(binaries: string): LocalImage[] {
  const driver = (name: string): LocalImage => ({
    name,
    files: [{ path: 'usr/bin/dra-example-kubeletplugin', source: path.join(binaries, 'dra-example-kubeletplugin') }],
    entrypoint: ['/usr/bin/dra-example-kubeletplugin'],
    // Upstream's image puts the binary on PATH: its chart runs `command: [dra-example-kubeletplugin]`.
    env: ['PATH=/usr/bin'],
    // The tag as a label: the two tags of one binary get two digests.
    labels: { 'org.opencontainers.image.version': name.split(':')[1] },
  });
  return [
    { name: NODE_IMAGES.pause, files: [{ path: 'pause', source: path.join(binaries, 'pause') }], entrypoint: ['/pause'], user: '65535:65535' },
    { name: NODE_IMAGES.workload, files: [{ path: 'workload', source: path.join(binaries, 'workload') }], entrypoint: ['/workload'], user: '65535:65535' },
    driver(NODE_IMAGES.driver),
    driver(NODE_IMAGES.driverNext),
    {
      name: NODE_IMAGES.dranet,
      files: [{ path: 'dranet', source: path.join(binaries, 'dranet') }],
      // Its temp dir: dranet unpacks its PCI database there at start (distroless has one).
      dirs: [{ path: 'tmp', mode: 0o1777 }],
      // As upstream's image: a CMD, no entrypoint; the chart's args start with `/dranet`.
      cmd: ['/dranet'],
    },
  ];
}

/** The CA kubelets trust for client certificates, and the API server's certificate from it. */
function writePki(dir: string): { caCert: string; clientCert: string; clientKey: string } {
  const file = (name: string) => path.join(dir, name);
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=cdk8s-dra-node-ca',
    '-keyout', file('ca.key'), '-out', file('ca.crt')]);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/O=system:masters/CN=kube-apiserver-kubelet-client',
    '-keyout', file('apiserver-kubelet-client.key'), '-out', file('apiserver-kubelet-client.csr')]);
  run('openssl', ['x509', '-req', '-days', '2', '-in', file('apiserver-kubelet-client.csr'), '-CA', file('ca.crt'),
    '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('apiserver-kubelet-client.crt')]);
  return { caCert: file('ca.crt'), clientCert: file('apiserver-kubelet-client.crt'), clientKey: file('apiserver-kubelet-client.key') };
}

function ctrOk(binaries: string, socket: string): boolean {
  try {
    ctr(binaries, socket, ['version']);
    return true;
  } catch {
    return false;
  }
}

async function nodeReady(admin: KubeClient): Promise<true | undefined> {
  const response = await admin.request('GET', `/api/v1/nodes/${NODE_HOST.nodeName}`);
  if (response.status !== 200) return undefined;
  const node = response.body as { spec?: { taints?: Array<{ key: string }> }; status?: { conditions?: Array<{ type: string; status: string }> } };
  const ready = node.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True');
  const notReadyTaint = node.spec?.taints?.some(t => t.key === 'node.kubernetes.io/not-ready');
  return ready && !notReadyTaint ? true : undefined;
}

interface PodItem {
  metadata: { name: string; namespace: string; ownerReferences?: Array<{ kind: string }> };
}

/**
 * Deletes the workload pods, then the DaemonSets and their pods, each time waiting for the kubelet
 * to stop them: drivers outlive the pods whose claims they unprepare, as on a drained node.
 */
async function deletePods(admin: KubeClient): Promise<void> {
  const pods = async () => (await admin.get('/api/v1/pods') as { items: PodItem[] }).items;
  const isDaemon = (pod: PodItem) => pod.metadata.ownerReferences?.some(o => o.kind === 'DaemonSet') ?? false;
  const remove = async (selected: PodItem[]) => {
    for (const pod of selected) {
      await admin.request('DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}?gracePeriodSeconds=1`);
    }
  };
  await remove((await pods()).filter(p => !isDaemon(p)));
  await admin.waitFor('the workload pods gone', async () => (await pods()).every(isDaemon) ? true : undefined, 60_000);
  const namespaces = (await admin.get('/api/v1/namespaces') as { items: Array<{ metadata: { name: string } }> }).items;
  for (const ns of namespaces) {
    await admin.request('DELETE', `/apis/apps/v1/namespaces/${ns.metadata.name}/daemonsets`);
  }
  await remove(await pods());
  await admin.waitFor('every pod gone', async () => (await pods()).length === 0 ? true : undefined, 60_000);
}
