import { randomBytes, generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import { Identity, KubeClient } from './kube-client';
import { binariesDir, binariesVersion, freePort, isAlive, startProcess, StartedProcess, stopProcesses, tail } from './processes';

/** Client QPS and burst of one component. */
export interface ClientRate {
  readonly qps: number;
  readonly burst: number;
}

export interface ControlPlaneOptions {
  /** kube-controller-manager's --kube-api-qps/--kube-api-burst. @default the component's defaults (20/30) */
  readonly controllerManagerRate?: ClientRate;
  /** kube-scheduler's clientConnection qps/burst. @default the component's defaults (50/100) */
  readonly schedulerRate?: ClientRate;
  /** Extra kube-controller-manager flags. @default none */
  readonly controllerManagerArgs?: string[];
  /** Extra kube-apiserver flags. @default none */
  readonly apiServerArgs?: string[];
  /** Extra kube-scheduler flags. @default none */
  readonly schedulerArgs?: string[];
  /**
   * An AdmissionConfiguration document (YAML) for the API server's admission plugins, written
   * to `<dir>/admission-configuration.yaml` and passed with `--admission-control-config-file`.
   * @default none: each plugin runs with its defaults
   */
  readonly admissionConfiguration?: string;
  /** A KubeSchedulerConfiguration document to start kube-scheduler with instead of ours. @default ours */
  readonly schedulerConfig?: string;
  /** Start kube-controller-manager and kube-scheduler. @default true */
  readonly components?: boolean;
  /** Serve a real node (harness/node): reachable from its pods, able to reach its kubelet. @default no node */
  readonly node?: NodeAccess;
}

/** What the API server needs for a real kubelet. */
export interface NodeAccess {
  /** The node's address: the API server binds and advertises it, so pods reach it. */
  readonly address: string;
  /** The node's name; its kubelet authenticates as `system:node:<name>` with `token`. */
  readonly name: string;
  readonly token: string;
  /** The API server's client certificate and key for kubelets (their x509 authentication). */
  readonly kubeletClientCertFile: string;
  readonly kubeletClientKeyFile: string;
}

/**
 * Everything a test needs to reach a running control plane. Plain data, written to
 * `<dir>/state.json`, so every jest worker and `npm run cluster:down` can find it.
 */
export interface ControlPlaneState {
  readonly dir: string;
  readonly version: string;
  readonly binaries: string;
  readonly apiServer: string;
  readonly caFile: string;
  readonly adminToken: string;
  /** The admin kubeconfig: what `npm run cluster:up` prints. */
  readonly kubeconfig: string;
  readonly ports: { etcd: number; apiServer: number; controllerManager: number; scheduler: number };
  readonly processes: StartedProcess[];
  /** Seconds from the first process to all components healthy. */
  readonly startSeconds: number;
}

/** The service CIDR the API server allocates ClusterIPs from; nothing routes to it but the test node's NAT rule. */
const SERVICE_CIDR = '10.0.0.0/24';
/** The `kubernetes` Service's ClusterIP: the range's first address, which the API server's self-signed certificate names. */
export const KUBERNETES_SERVICE_IP = '10.0.0.1';
/**
 * kube-controller-manager's controllers: the defaults, without node lifecycle when no kubelet
 * renews its Node's Lease (the harness's Nodes are plain objects).
 */
const CONTROLLERS = '*,-node-lifecycle-controller';
const CONTROLLERS_WITH_KUBELET = '*';
/** How long one component may take to become healthy: ten seconds on an idle machine, far more on a loaded one. */
export const START_TIMEOUT_MS = 180_000;
/** Paths Prometheus and the harness read without credentials. */
const ALWAYS_ALLOW = '/healthz,/readyz,/livez,/metrics';

/**
 * Starts etcd, kube-apiserver, kube-controller-manager and kube-scheduler on free loopback ports
 * under `dir`, waits until each is healthy, and returns how to reach them. On any failure it
 * stops what it started and throws with the log tails.
 */
export async function startControlPlane(dir: string, options: ControlPlaneOptions = {}): Promise<ControlPlaneState> {
  const binaries = binariesDir();
  const bin = (name: string) => path.join(binaries, name);
  fs.mkdirSync(path.join(dir, 'pki'), { recursive: true });
  const started: StartedProcess[] = [];
  const begin = Date.now();
  try {
    const ports = {
      etcd: await freePort(),
      etcdPeer: await freePort(),
      apiServer: await freePort(),
      controllerManager: await freePort(),
      scheduler: await freePort(),
    };
    const tokens = { admin: token(), controllerManager: token(), scheduler: token() };
    writeIdentityFiles(dir, tokens, options.node);
    const address = options.node?.address ?? '127.0.0.1';

    started.push(startProcess(dir, 'etcd', bin('etcd'), [
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${ports.etcd}`,
      `--advertise-client-urls=http://127.0.0.1:${ports.etcd}`,
      `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${ports.etcdPeer}`,
      '--unsafe-no-fsync', '--log-level=warn',
    ]));
    await waitHealthy('etcd', started, () => httpOk(`http://127.0.0.1:${ports.etcd}/health`));

    const caFile = path.join(dir, 'pki', 'apiserver.crt');
    const admissionConfigFile = path.join(dir, 'admission-configuration.yaml');
    if (options.admissionConfiguration !== undefined) {
      fs.writeFileSync(admissionConfigFile, options.admissionConfiguration);
    }
    started.push(startProcess(dir, 'kube-apiserver', bin('kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
      `--bind-address=${address}`, `--advertise-address=${address}`, `--secure-port=${ports.apiServer}`,
      `--cert-dir=${path.join(dir, 'pki')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`, '--allow-privileged=true',
      // The harness's Endpoints for `kubernetes` would point at loopback, which Endpoints refuse.
      '--endpoint-reconciler-type=none',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
      ...(options.node ? [
        `--kubelet-client-certificate=${options.node.kubeletClientCertFile}`,
        `--kubelet-client-key=${options.node.kubeletClientKeyFile}`,
        // The default order starts with Hostname, which does not resolve here.
        '--kubelet-preferred-address-types=InternalIP',
      ] : []),
      ...(options.admissionConfiguration !== undefined ? [`--admission-control-config-file=${admissionConfigFile}`] : []),
      ...options.apiServerArgs ?? [],
    ]));
    const apiServer = `https://${address}:${ports.apiServer}`;
    await waitHealthy('kube-apiserver', started, async () =>
      fs.existsSync(caFile) && httpsOk(`${apiServer}/readyz`, tokens.admin));
    const ca = fs.readFileSync(caFile, 'utf-8');
    const kubeconfig = path.join(dir, 'admin.kubeconfig');
    writeKubeconfig(kubeconfig, apiServer, caFile, { token: tokens.admin });

    if (options.components ?? true) {
      const kcmConfig = path.join(dir, 'kube-controller-manager.kubeconfig');
      writeKubeconfig(kcmConfig, apiServer, caFile, { token: tokens.controllerManager });
      const rate = options.controllerManagerRate;
      started.push(startProcess(dir, 'kube-controller-manager', bin('kube-controller-manager'), [
        `--kubeconfig=${kcmConfig}`, `--authentication-kubeconfig=${kcmConfig}`, `--authorization-kubeconfig=${kcmConfig}`,
        `--authorization-always-allow-paths=${ALWAYS_ALLOW}`,
        '--bind-address=127.0.0.1', `--secure-port=${ports.controllerManager}`, '--leader-elect=false',
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${path.join(dir, 'sa.key')}`, `--root-ca-file=${caFile}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`, `--controllers=${options.node ? CONTROLLERS_WITH_KUBELET : CONTROLLERS}`,
        ...(rate ? [`--kube-api-qps=${rate.qps}`, `--kube-api-burst=${rate.burst}`] : []),
        ...options.controllerManagerArgs ?? [],
      ]));
      const schedConfig = path.join(dir, 'kube-scheduler.kubeconfig');
      writeKubeconfig(schedConfig, apiServer, caFile, { token: tokens.scheduler });
      const schedulerConfigFile = path.join(dir, 'kube-scheduler.yaml');
      fs.writeFileSync(schedulerConfigFile, options.schedulerConfig ?? schedulerConfiguration(schedConfig, options.schedulerRate));
      started.push(startProcess(dir, 'kube-scheduler', bin('kube-scheduler'), [
        `--config=${schedulerConfigFile}`,
        `--kubeconfig=${schedConfig}`, `--authentication-kubeconfig=${schedConfig}`, `--authorization-kubeconfig=${schedConfig}`,
        `--authorization-always-allow-paths=${ALWAYS_ALLOW}`,
        '--bind-address=127.0.0.1', `--secure-port=${ports.scheduler}`,
        ...options.schedulerArgs ?? [],
      ]));
      await waitHealthy('kube-controller-manager', started, () => httpsOk(`https://127.0.0.1:${ports.controllerManager}/healthz`));
      await waitHealthy('kube-scheduler', started, () => httpsOk(`https://127.0.0.1:${ports.scheduler}/healthz`));
      // The ServiceAccount controller has run once a namespace has its `default` ServiceAccount.
      const admin = new KubeClient({ url: apiServer, ca }, { token: tokens.admin });
      await admin.waitFor('the default ServiceAccount', async () =>
        (await admin.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200 ? true : undefined, START_TIMEOUT_MS);
    }
    const state: ControlPlaneState = {
      dir,
      version: binariesVersion(binaries),
      binaries,
      apiServer,
      caFile,
      adminToken: tokens.admin,
      kubeconfig,
      ports: { etcd: ports.etcd, apiServer: ports.apiServer, controllerManager: ports.controllerManager, scheduler: ports.scheduler },
      processes: started,
      startSeconds: (Date.now() - begin) / 1000,
    };
    fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state, null, 2));
    return state;
  } catch (error) {
    await stopProcesses(started.map(p => p.pid));
    throw new Error(`${(error as Error).message}\n${logTails(started, 15)}`);
  }
}

/** Stops every process of a control plane. */
export async function stopControlPlane(state: ControlPlaneState): Promise<void> {
  await stopProcesses(state.processes.map(p => p.pid));
}

/** The last lines of each component's log, for a failed test's output. */
export function logTails(processes: StartedProcess[], lines = 30): string {
  return processes.map(p => `--- ${p.name} (${p.log}) ---\n${tail(p.log, lines)}`).join('\n');
}

/** A client of the control plane as its admin (system:masters), or as `identity`. */
export function clientOf(state: ControlPlaneState, identity?: Omit<Identity, 'token'>): KubeClient {
  const ca = fs.readFileSync(state.caFile, 'utf-8');
  return new KubeClient({ url: state.apiServer, ca }, { token: state.adminToken, ...identity });
}

/**
 * A kubeconfig for the admin impersonating `identity` (user, groups, node-name extra), for
 * kubectl: kubectl 1.34 has no --as-user-extra flag, a kubeconfig can say it.
 */
export function kubeconfigFor(state: ControlPlaneState, file: string, identity: Omit<Identity, 'token'>): string {
  writeKubeconfig(file, state.apiServer, state.caFile, { token: state.adminToken, ...identity });
  return file;
}

function token(): string {
  return randomBytes(24).toString('hex');
}

/** The service-account signing key pair and the static tokens of the admin, the two components and a node. */
function writeIdentityFiles(dir: string, tokens: { admin: string; controllerManager: string; scheduler: string }, node?: NodeAccess): void {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(dir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
  fs.writeFileSync(path.join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  // token,user,uid,"groups": bootstrap RBAC binds the two component user names.
  fs.writeFileSync(path.join(dir, 'tokens.csv'), [
    `${tokens.admin},admin,uid-admin,"system:masters"`,
    `${tokens.controllerManager},system:kube-controller-manager,uid-kcm`,
    `${tokens.scheduler},system:kube-scheduler,uid-scheduler`,
    // The Node authorizer and NodeRestriction know a kubelet by this user and group.
    ...(node ? [`${node.token},system:node:${node.name},uid-${node.name},"system:nodes"`] : []),
  ].join('\n') + '\n');
}

function schedulerConfiguration(kubeconfig: string, rate?: ClientRate): string {
  return [
    'apiVersion: kubescheduler.config.k8s.io/v1',
    'kind: KubeSchedulerConfiguration',
    'clientConnection:',
    `  kubeconfig: ${kubeconfig}`,
    ...(rate ? [`  qps: ${rate.qps}`, `  burst: ${rate.burst}`] : []),
    'leaderElection:',
    '  leaderElect: false',
    '',
  ].join('\n');
}

/** A kubeconfig for `server` as `identity` (a token, optionally impersonating). */
export function writeKubeconfig(file: string, server: string, caFile: string, identity: Identity): void {
  const user: Record<string, unknown> = { token: identity.token };
  if (identity.impersonate) {
    user.as = identity.impersonate;
    if (identity.groups) {
      user['as-groups'] = identity.groups;
    }
    if (identity.extra) {
      user['as-user-extra'] = identity.extra;
    }
  }
  const config = {
    'apiVersion': 'v1',
    'kind': 'Config',
    'clusters': [{ name: 'dra-test', cluster: { 'server': server, 'certificate-authority': caFile } }],
    'users': [{ name: 'user', user }],
    'contexts': [{ name: 'dra-test', context: { cluster: 'dra-test', user: 'user' } }],
    'current-context': 'dra-test',
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}

/**
 * Waits until `healthy` says so for the process `name` among `started`, failing at once if that
 * process exits, and after `timeoutMs`.
 */
export async function waitHealthy(
  name: string, started: StartedProcess[], healthy: () => Promise<boolean> | boolean, timeoutMs = START_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const own = started.find(p => p.name === name)!;
  while (Date.now() < deadline) {
    if (!isAlive(own.pid)) {
      throw new Error(`${name} exited during start-up`);
    }
    if (await Promise.resolve().then(healthy).catch(() => false)) {
      return;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`${name} was not healthy after ${timeoutMs / 1000} s`);
}

/** Whether a plain-HTTP health endpoint answers 200. */
export function httpOk(url: string): Promise<boolean> {
  return new Promise(resolve => {
    http.get(url, res => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

/** Whether a health endpoint answers 200 over TLS; components' self-signed serving certs are not verified. */
function httpsOk(url: string, bearer?: string): Promise<boolean> {
  return new Promise(resolve => {
    const headers = bearer ? { Authorization: `Bearer ${bearer}` } : {};
    https.get(url, { rejectUnauthorized: false, headers }, res => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}
