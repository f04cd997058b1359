import * as https from 'https';
import { StartedProcess, isAlive, startProcess, startWatchdog, stopProcesses, tail } from './processes';

/** A kube-scheduler or kube-controller-manager started by a test, and the port it serves on. */
export interface StartedComponent extends StartedProcess {
  readonly port: number;
  /** The shell that stops the component if the jest worker dies first. */
  readonly watchdog: number;
}

/**
 * Starts a control-plane component with `args` (which must include `--secure-port=port`) and
 * waits until it answers `/healthz` with 200. Fails with its log tail if it exits first: a
 * component that refuses a flag or a config file exits at once.
 */
export async function startComponent(
  dir: string, name: string, binary: string, args: string[], port: number, timeoutMs = 90_000,
): Promise<StartedComponent> {
  const started = startProcess(dir, name, binary, args);
  const watchdog = startWatchdog(process.pid, [started.pid]);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(started.pid)) {
      stopWatchdog(watchdog);
      throw new Error(`${name} exited during start-up:\n${tail(started.log)}`);
    }
    if ((await componentGet(port, '/healthz').catch(() => ({ status: 0 }))).status === 200) {
      return { ...started, port, watchdog };
    }
    await new Promise(r => setTimeout(r, 250));
  }
  await stopComponents([{ ...started, port, watchdog }]);
  throw new Error(`${name} was not healthy after ${timeoutMs / 1000} s:\n${tail(started.log)}`);
}

/** Stops components and their watchdogs. */
export async function stopComponents(components: StartedComponent[]): Promise<void> {
  await stopProcesses(components.map(c => c.pid));
  components.forEach(c => stopWatchdog(c.watchdog));
}

/** Ends a watchdog shell (by its own pid) once what it guards is stopped. */
export function stopWatchdog(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

/**
 * What a component serves at `/configz`: the configuration it runs with, keyed by its config
 * group. The path needs an identity its delegated authorizer allows (the admin's token).
 */
export async function componentConfigz(port: number, token: string): Promise<any> {
  const res = await componentGet(port, '/configz', token);
  if (res.status !== 200) {
    throw new Error(`GET /configz on port ${port}: ${res.status} ${res.body}`);
  }
  return JSON.parse(res.body);
}

/** A GET on a component's secure port; its self-signed serving certificate is not verified. */
function componentGet(port: number, path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    https.get({ host: '127.0.0.1', port, path, headers, rejectUnauthorized: false }, res => {
      let body = '';
      res.setEncoding('utf-8');
      res.on('data', chunk => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
