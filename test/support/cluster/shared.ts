import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ControlPlaneState, logTails, startControlPlane, stopControlPlane } from '../../../harness/cluster/control-plane';
import { startWatchdog } from '../../../harness/cluster/processes';

/** Set by jest's global setup: the run's directory, and the jest process the control plane must not outlive. */
export const RUN_DIR_ENV = 'CDK8S_DRA_CLUSTER_RUN';
export const OWNER_PID_ENV = 'CDK8S_DRA_CLUSTER_OWNER';

/** How long a test may wait for the shared control plane (its beforeAll timeout too). */
export const CLUSTER_SETUP_TIMEOUT_MS = 600_000;

/**
 * The one control plane of this test run, started by the first cluster test that asks for it
 * and shared by every jest worker (each test isolates itself in its own namespaces and objects).
 * Jest's global teardown stops it. A run that selects no cluster test starts nothing.
 */
export async function sharedControlPlane(): Promise<ControlPlaneState> {
  const runDir = process.env[RUN_DIR_ENV] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cluster-'));
  process.env[RUN_DIR_ENV] = runDir;
  const stateFile = path.join(runDir, 'control-plane', 'state.json');
  const errorFile = path.join(runDir, 'control-plane.error');
  try {
    // mkdir is atomic: the worker that creates the directory starts the control plane.
    fs.mkdirSync(path.join(runDir, 'control-plane'));
  } catch {
    return waitForState(stateFile, errorFile);
  }
  try {
    const state = await startControlPlane(path.join(runDir, 'control-plane'));
    const owner = Number(process.env[OWNER_PID_ENV] ?? process.pid);
    startWatchdog(owner, state.processes.map(p => p.pid));
    return state;
  } catch (error) {
    fs.writeFileSync(errorFile, (error as Error).message);
    throw error;
  }
}

async function waitForState(stateFile: string, errorFile: string): Promise<ControlPlaneState> {
  const deadline = Date.now() + CLUSTER_SETUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (fs.existsSync(errorFile)) {
      throw new Error(`the shared control plane did not start: ${fs.readFileSync(errorFile, 'utf-8')}`);
    }
    if (fs.existsSync(stateFile)) {
      return JSON.parse(fs.readFileSync(stateFile, 'utf-8'));
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`the shared control plane was not up after ${CLUSTER_SETUP_TIMEOUT_MS / 1000} s`);
}

/** The shared control plane's state if this run started one. */
export function sharedState(runDir: string): ControlPlaneState | undefined {
  const stateFile = path.join(runDir, 'control-plane', 'state.json');
  return fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf-8')) : undefined;
}

/** Stops the shared control plane (jest's global teardown), printing its log tails when asked. */
export async function stopShared(runDir: string, withLogs: boolean): Promise<void> {
  const state = sharedState(runDir);
  if (state) {
    if (withLogs) {
      process.stderr.write(`\nControl-plane logs (the last lines of each component):\n${logTails(state.processes)}\n`);
    }
    await stopControlPlane(state);
  }
}

/**
 * Holds `name` for this test run across its jest workers until the returned function is called
 * (mkdir is atomic). For test files that write the same objects on the shared control plane: the
 * examples' vendor ports keep their charts' names and namespaces, which the ResourceSlice guard
 * test applies from the renderings too, and one file deleting a namespace the other is filling
 * fails the other.
 */
/**
 * The run lock of the files that apply a DraRbac or label namespaces for admin access: every
 * DraRbac writes a policy that lets only its own admins set the admin-access namespace label, so
 * one file's policy refuses another file's labelled namespace while both are applied.
 */
export const ADMIN_ACCESS_LABEL_LOCK = 'admin-access-label';

export async function holdRunLock(name: string, timeoutMs = CLUSTER_SETUP_TIMEOUT_MS): Promise<() => void> {
  const runDir = process.env[RUN_DIR_ENV] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cluster-'));
  process.env[RUN_DIR_ENV] = runDir;
  const lock = path.join(runDir, `lock-${name}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return () => fs.rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new Error(`the run lock ${name} was still held after ${timeoutMs / 1000} s`);
      await new Promise(r => setTimeout(r, 250));
    }
  }
}
