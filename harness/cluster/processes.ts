import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { testKubernetesVersion } from './kubernetes-versions';

const REPO = path.resolve(__dirname, '..', '..');
const BUILD_SCRIPT = path.join(REPO, 'scripts', 'cluster', 'build.sh');

/**
 * The directory of one Kubernetes version's binaries that `npm run cluster:build` made (the
 * version this test process runs against unless named). Fails, naming that command, when they
 * are not built: the cluster tests never skip silently.
 */
export function binariesDir(extra: string[] = [], version = testKubernetesVersion()): string {
  try {
    return execFileSync('bash', [BUILD_SCRIPT, '--version', version, '--where', ...extra], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`${stderr || `the Kubernetes ${version} test binaries are missing`}\n(the cluster tests need them: npm run cluster:build -- --version ${version})`);
  }
}

/** The release a binaries directory holds, from its name `k8s-<release>-<key>`: v1.37.2, v1.38.0-beta.0. */
export function binariesVersion(dir: string): string {
  return path.basename(dir).replace(/^k8s-/, '').replace(/-[0-9a-f]{16}$/, '');
}

/** A free TCP port on 127.0.0.1 (the kernel picks it; the socket is closed before the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A process started for the control plane: its own process group, its output in `<dir>/<name>.log`. */
export interface StartedProcess {
  readonly name: string;
  readonly pid: number;
  readonly log: string;
}

/**
 * Starts `binary` detached in its own process group, so it outlives the jest worker that started
 * it (the control plane is shared by every worker) and can be stopped as a group.
 */
export function startProcess(dir: string, name: string, binary: string, args: string[]): StartedProcess {
  const log = path.join(dir, `${name}.log`);
  const out = fs.openSync(log, 'a');
  const child: ChildProcess = spawn(binary, args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  if (child.pid === undefined) {
    throw new Error(`could not start ${binary}`);
  }
  return { name, pid: child.pid, log };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops process groups: SIGTERM, then SIGKILL for those still there after `graceMs`. */
export async function stopProcesses(pids: number[], graceMs = 5_000): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone.
    }
  };
  pids.forEach(pid => signal(pid, 'SIGTERM'));
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 100));
  }
  pids.filter(isAlive).forEach(pid => signal(pid, 'SIGKILL'));
}

/**
 * A detached shell that stops `pids` once `ownerPid` is gone, so a killed or crashed test run
 * leaves no control plane behind.
 */
export function startWatchdog(ownerPid: number, pids: number[]): number {
  const groups = pids.map(p => `-${p}`).join(' ');
  const script = `while kill -0 ${ownerPid} 2>/dev/null; do sleep 2; done; kill -TERM ${groups} 2>/dev/null; sleep 5; kill -KILL ${groups} 2>/dev/null; true`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

/** The last `lines` lines of a file ('' when it does not exist). */
export function tail(file: string, lines = 40): string {
  if (!fs.existsSync(file)) {
    return '';
  }
  return fs.readFileSync(file, 'utf-8').split('\n').slice(-lines - 1).join('\n');
}
