import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The test node's fixed places on this machine. One test node runs at a time: its bridge, cgroup
 * root and NAT rule are the machine's. The directory is short because the kubelet's DRA
 * registration socket, `<kubelet root>/plugins_registry/<driver>-<pod UID>-reg.sock`, must stay
 * under the 108 bytes of a Unix socket path: with `gpu.example.com` the kubelet root may have 28.
 */
export const NODE_HOST = {
  dir: '/var/lib/cdk8s-dra',
  kubeletRootDir: '/var/lib/cdk8s-dra/kubelet',
  cdiDir: '/var/lib/cdk8s-dra/cdi',
  nodeName: 'cdk8s-dra-node',
  /** The CNI bridge, made here so the kubelet has a non-loopback address (`hostname` is 127.0.0.1). */
  bridge: 'cdk8sdra0',
  nodeIp: '10.88.0.1',
  podSubnet: '10.88.0.0/16',
  /** The kubelet's cgroupRoot, made in every cgroup v1 hierarchy. */
  cgroupRoot: 'cdk8s-dra-node',
  /** containerd's NRI socket: the machine's one place, which NRI plugins' charts mount. */
  nriSocket: '/var/run/nri/nri.sock',
  /** Where a real node's containerd mounts pods' network namespaces (with NodeOptions.netnsUnderRun). */
  netnsDir: '/var/run/netns',
} as const;

/** Host settings the kubelet (kernel tunables) and the bridge plugin (forwarding) change. */
const SYSCTLS = [
  'vm.overcommit_memory', 'vm.panic_on_oom', 'kernel.panic', 'kernel.panic_on_oops',
  'kernel.keys.root_maxkeys', 'kernel.keys.root_maxbytes', 'net.ipv4.ip_forward',
];
const CGROUPS = '/sys/fs/cgroup';

export function run(command: string, args: string[], options: { allowFailure?: boolean } = {}): string {
  try {
    return execFileSync(command, args, { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if (options.allowFailure) {
      return '';
    }
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr}`);
  }
}

/** What the node needs of this machine, checked before anything is changed. */
export function checkHost(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('the test node needs root: it runs containerd and the kubelet');
  }
  const missing = ['runc', 'iptables', 'ip', 'openssl'].filter(c => run('sh', ['-c', `command -v ${c}`], { allowFailure: true }) === '');
  if (!fs.existsSync('/usr/lib/cni/bridge')) missing.push('containernetworking-plugins');
  if (missing.length > 0) {
    throw new Error(`the test node needs ${missing.join(', ')}: npm run node:build installs them`);
  }
}

/**
 * Without CAP_SYS_RESOURCE no process may lower its oom_score_adj, and runc's sandbox setup
 * (-998) then fails with a misleading pipe error: containerd and the kubelet must not try.
 */
export function hasSysResource(): boolean {
  const capEff = /CapEff:\s*([0-9a-f]+)/.exec(fs.readFileSync('/proc/self/status', 'utf-8'))![1];
  const CAP_SYS_RESOURCE = 24;
  const bits = BigInt(`0x${capEff}`).toString(2);
  return bits[bits.length - 1 - CAP_SYS_RESOURCE] === '1';
}

export function readSysctls(): { [name: string]: string } {
  return Object.fromEntries(SYSCTLS.map(name => [name, run('sysctl', ['-n', name]).trim()]));
}

export function restoreSysctls(values: { [name: string]: string }): void {
  for (const [name, value] of Object.entries(values)) {
    run('sysctl', ['-q', '-w', `${name}=${value}`], { allowFailure: true });
  }
}

/** The bridge with the node's address, and the kubelet's cgroup root in every hierarchy. */
export function prepareHost(): void {
  run('ip', ['link', 'add', NODE_HOST.bridge, 'type', 'bridge']);
  run('ip', ['addr', 'add', `${NODE_HOST.nodeIp}/16`, 'dev', NODE_HOST.bridge]);
  run('ip', ['link', 'set', NODE_HOST.bridge, 'up']);
  for (const hierarchy of cgroupHierarchies()) {
    fs.mkdirSync(path.join(CGROUPS, hierarchy, NODE_HOST.cgroupRoot), { recursive: true });
  }
}

/**
 * Pods reach the API server as in-cluster clients do: the `kubernetes` Service's ClusterIP, which
 * these rules map to the API server in place of kube-proxy: from the pods on the bridge
 * (PREROUTING), and from host-network pods (OUTPUT, as kube-proxy hooks it too: the CPU driver
 * and DRANET run on the host network).
 */
export function apiServerNatRules(serviceIp: string, apiServerPort: number): string[][] {
  const match = ['-d', `${serviceIp}/32`, '-p', 'tcp', '--dport', '443', '-m', 'comment', '--comment', NODE_HOST.nodeName,
    '-j', 'DNAT', '--to-destination', `${NODE_HOST.nodeIp}:${apiServerPort}`];
  return [['PREROUTING', '-i', NODE_HOST.bridge, ...match], ['OUTPUT', ...match]];
}

export function addNatRule(rule: string[]): void {
  run('iptables', ['-t', 'nat', '-A', ...rule]);
}

/**
 * Undoes everything a node run leaves on the machine, whether it stopped cleanly or not: the
 * processes left in its cgroups and containerd's shims, its mounts, NAT rules, bridge and cgroups.
 */
export function sweepHost(containerdSocket: string): void {
  killCgroupProcesses();
  for (const pid of processesWith(containerdSocket)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  unmountUnder(NODE_HOST.dir);
  const natRules = ['PREROUTING', 'OUTPUT'].flatMap(chain => run('iptables', ['-t', 'nat', '-S', chain], { allowFailure: true }).split('\n'));
  for (const line of natRules) {
    // The rule as iptables prints it, with -A for -D; our comment is one word, so words split cleanly.
    if (line.includes(`--comment ${NODE_HOST.nodeName}`)) {
      run('iptables', ['-t', 'nat', ...line.replace(/^-A /, '-D ').split(' ')], { allowFailure: true });
    }
  }
  run('ip', ['link', 'del', NODE_HOST.bridge], { allowFailure: true });
  removeCgroups();
  // containerd's pod network namespaces outside the node's directory, and its NRI socket.
  for (const point of mountPoints(p => path.dirname(p) === realPath(NODE_HOST.netnsDir) && path.basename(p).startsWith('cni-'))) {
    unmount(point);
    fs.rmSync(point, { force: true });
  }
  fs.rmSync(NODE_HOST.nriSocket, { force: true });
  removeEmptyDir(path.dirname(NODE_HOST.nriSocket));
  for (const alias of kubeletRootAliases()) {
    unmount(alias);
    removeEmptyDir(alias);
  }
}

/** A host directory the node made a shared mount of its own (shareHostDir). */
export interface SharedHostDir {
  readonly path: string;
  /** Whether the node made the directory too, removed again with the mount. */
  readonly made: boolean;
}

/**
 * Binds a host directory onto itself as a shared mount, as `ip netns add` does for
 * `/var/run/netns` and as systemd makes `/` on a real node: containerd refuses a
 * HostToContainer volume on a private mount ("is not a shared or slave mount"), and mounts
 * made after a plugin container started (network namespaces) then reach it. This machine's
 * mounts are private. Returns undefined when the directory is a mount point already.
 */
export function shareHostDir(dir: string): SharedHostDir | undefined {
  const made = !fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true });
  if (mountPoints(p => p === realPath(dir)).length > 0) return undefined;
  run('mount', ['--bind', dir, dir]);
  run('mount', ['--make-shared', dir]);
  return { path: dir, made };
}

/** Undoes shareHostDir, after the sweep took containerd's netns mounts out of the netns dir. */
export function releaseHostDir(shared: SharedHostDir): void {
  unmount(realPath(shared.path));
  if (shared.made) removeEmptyDir(shared.path);
}

/**
 * Binds the node's kubelet root at a second path, for a driver that hard-codes its kubelet
 * paths (DRANET v1.0.1: `/var/lib/kubelet`). Refuses a path in use: a real kubelet's root.
 */
export function aliasKubeletRoot(alias: string): void {
  // The node's own kubelet makes `/var/lib/kubelet/device-plugins` (the device manager's socket path is fixed).
  if (fs.existsSync(alias) && fs.readdirSync(alias).some(entry => entry !== 'device-plugins')) {
    throw new Error(`${alias} is not empty: a kubelet of this machine may use it; the node does not bind its kubelet root over it`);
  }
  fs.mkdirSync(alias, { recursive: true });
  run('mount', ['--bind', NODE_HOST.kubeletRootDir, alias]);
  // Not a peer of the kubelet's rshared root: the pods' volume mounts stay out of it.
  run('mount', ['--make-private', alias]);
}

/** Mount points that bind the node's kubelet root elsewhere (aliasKubeletRoot). */
function kubeletRootAliases(): string[] {
  return mountInfo().filter(m => m.root === NODE_HOST.kubeletRootDir && m.point !== NODE_HOST.kubeletRootDir).map(m => m.point);
}

function realPath(p: string): string {
  return fs.existsSync(p) ? fs.realpathSync(p) : p;
}

function removeEmptyDir(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // Not empty, or not there.
  }
}

/** The cgroup v1 hierarchies (and the unified mount) the kubelet and runc make cgroups in. */
function cgroupHierarchies(): string[] {
  return fs.readdirSync(CGROUPS).filter(name => fs.existsSync(path.join(CGROUPS, name, 'cgroup.procs')));
}

function cgroupTree(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  const children = fs.readdirSync(root, { withFileTypes: true }).filter(e => e.isDirectory());
  return [...children.flatMap(c => cgroupTree(path.join(root, c.name))), root];
}

function killCgroupProcesses(): void {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pids = cgroupTree(path.join(CGROUPS, 'pids', NODE_HOST.cgroupRoot))
      .flatMap(dir => fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf-8').split('\n').filter(Boolean).map(Number));
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    execFileSync('sleep', ['0.25']);
  }
}

/** Deepest first, so a hierarchy's children go before their parents. */
function removeCgroups(): void {
  for (const hierarchy of cgroupHierarchies()) {
    for (const dir of cgroupTree(path.join(CGROUPS, hierarchy, NODE_HOST.cgroupRoot))) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // A cgroup whose last process is still exiting; the next sweep takes it.
      }
    }
  }
}

/** Processes whose command line names `text` (containerd's shims carry its socket path). */
function processesWith(text: string): number[] {
  return hostProcesses(pid => procFile(pid, 'cmdline').includes(text)).filter(pid => pid !== process.pid);
}

/** The machine's processes that `select` picks from their PIDs; one that ends meanwhile is skipped. */
export function hostProcesses(select: (pid: number) => boolean): number[] {
  return fs.readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number).filter(pid => {
    try {
      return select(pid);
    } catch {
      return false;
    }
  });
}

/** `/proc/<pid>/<file>` as text: `cmdline` and `environ` separate their entries with NUL. */
export function procFile(pid: number, file: 'cmdline' | 'environ'): string {
  return fs.readFileSync(`/proc/${pid}/${file}`, 'utf-8');
}

/** The kubelet's rshared bind of its root, its volume and token tmpfs mounts, containerd's netns and overlays. */
function unmountUnder(dir: string): void {
  for (const point of mountPoints(p => p === dir || p.startsWith(`${dir}/`))) {
    unmount(point);
  }
}

/** `/proc/self/mountinfo`: each mount's root in its filesystem and its mount point. */
function mountInfo(): Array<{ root: string; point: string }> {
  return fs.readFileSync('/proc/self/mountinfo', 'utf-8').split('\n').filter(Boolean)
    .map(line => line.split(' ')).map(fields => ({ root: fields[3], point: fields[4] }));
}

/** The mount points `select` picks, deepest first, so children go before their parents. */
function mountPoints(select: (point: string) => boolean): string[] {
  return [...new Set(mountInfo().map(m => m.point).filter(select))].sort((a, b) => b.length - a.length);
}

function unmount(point: string): void {
  run('umount', [point], { allowFailure: true });
  if (mountPoints(p => p === point).length > 0) {
    run('umount', ['-l', point], { allowFailure: true });
  }
}
