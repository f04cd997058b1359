import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';

/** One scrape job with one target, as kube-prometheus-stack scrapes a control-plane component. */
export interface ScrapeTarget {
  /** The job name, which Prometheus puts in the `job` label (`kube-controller-manager`). */
  readonly job: string;
  /** `https://127.0.0.1:10257/metrics`; https targets are scraped with insecure_skip_verify. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /** Extra target labels (kube-prometheus-stack's `endpoint`, `namespace`, `service`, `metrics_path`). */
  readonly labels?: { [name: string]: string };
}

export interface TestPrometheusOptions {
  readonly targets: ScrapeTarget[];
  /** A rule file's text (`DraMonitoring.toRuleFile()`). */
  readonly ruleFile?: string;
  /** Scrape and rule evaluation interval. */
  readonly interval?: string;
}

/** One element of an instant vector. */
export interface Sample {
  readonly labels: { [name: string]: string };
  readonly value: number;
  /** The evaluation time, Unix seconds. */
  readonly time: number;
}

/** A control-plane component's metrics endpoint. */
export interface ComponentEndpoint {
  /** `https://127.0.0.1:<port>/metrics`. */
  readonly url: string;
  /** kube-prometheus-stack sends its ServiceAccount token to every control-plane target. */
  readonly bearerToken?: string;
}

/**
 * The job and target labels kube-prometheus-stack's default ServiceMonitors give the control
 * plane (charts/kube-prometheus-stack/templates/exporters/): kube-controller-manager and
 * kube-scheduler through Services in kube-system whose port is named `http-metrics` (10257 and
 * 10259, https, insecureSkipVerify, jobLabel `jobLabel` → the component's name); kube-apiserver
 * through the `default/kubernetes` Service, port `https`, jobLabel `component` → `apiserver`; the
 * kubelet through the operator's `kube-system/kube-prometheus-stack-kubelet` Service, port
 * `https-metrics`, jobLabel `k8s-app` → `kubelet`, one endpoint per path with `metrics_path` set.
 */
export const KUBE_PROMETHEUS_STACK_JOBS = {
  controllerManager: { job: 'kube-controller-manager', labels: { endpoint: 'http-metrics', namespace: 'kube-system' } },
  scheduler: { job: 'kube-scheduler', labels: { endpoint: 'http-metrics', namespace: 'kube-system' } },
  apiServer: { job: 'apiserver', labels: { endpoint: 'https', namespace: 'default', service: 'kubernetes' } },
  kubelet: {
    job: 'kubelet',
    labels: { endpoint: 'https-metrics', namespace: 'kube-system', service: 'kube-prometheus-stack-kubelet', metrics_path: '/metrics' },
  },
} as const;

/** Scrape targets for the given components, with kube-prometheus-stack's jobs and labels. */
export function kubePrometheusStackTargets(endpoints: { [K in keyof typeof KUBE_PROMETHEUS_STACK_JOBS]?: ComponentEndpoint }): ScrapeTarget[] {
  return (Object.keys(KUBE_PROMETHEUS_STACK_JOBS) as Array<keyof typeof KUBE_PROMETHEUS_STACK_JOBS>)
    .filter(component => endpoints[component] !== undefined)
    .map(component => ({ ...KUBE_PROMETHEUS_STACK_JOBS[component], ...endpoints[component]! }));
}

/** An alert as `/api/v1/alerts` lists it. */
export interface ActiveAlert {
  readonly labels: { [name: string]: string };
  readonly state: 'pending' | 'firing';
  readonly value: string;
}

/** A rule as `/api/v1/rules` lists it, with its last evaluation's health. */
export interface RuleStatus {
  readonly name: string;
  readonly type: 'recording' | 'alerting';
  readonly health: string;
  readonly lastError?: string;
}

const PROMETHEUS_MISSING = 'prometheus is not installed: install Debian\'s `prometheus` package (apt-get install prometheus), as .ci/run does';
const READY_TIMEOUT_MS = 90_000;

/**
 * Debian's Prometheus binary on a free loopback port with its own TSDB in a temp dir,
 * scraping the given targets and loading the given rule file. `start` returns once
 * `/-/ready` answers; `stop` kills it and removes the temp dir.
 */
export class TestPrometheus {
  /** Starts Prometheus; fails (never skips) when the binary is missing. */
  public static async start(options: TestPrometheusOptions): Promise<TestPrometheus> {
    if (spawnSync('prometheus', ['--version']).error) {
      throw new Error(PROMETHEUS_MISSING);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dra-prometheus-'));
    const interval = options.interval ?? '1s';
    const config = {
      global: { scrape_interval: interval, evaluation_interval: interval },
      rule_files: options.ruleFile === undefined ? [] : ['rules.yaml'],
      scrape_configs: options.targets.map(scrapeConfig),
    };
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), stringify(config));
    if (options.ruleFile !== undefined) {
      fs.writeFileSync(path.join(dir, 'rules.yaml'), options.ruleFile);
    }
    const port = await freeLoopbackPort();
    const log = fs.openSync(path.join(dir, 'prometheus.log'), 'w');
    const child = spawn('prometheus', [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], { cwd: dir, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const prometheus = new TestPrometheus(child, dir, `http://127.0.0.1:${port}`);
    try {
      await prometheus.waitUntilReady();
    } catch (e) {
      const text = prometheus.log();
      await prometheus.stop();
      throw new Error(`${(e as Error).message}\n--- prometheus log ---\n${text}`);
    }
    return prometheus;
  }

  private exited = false;

  private constructor(private readonly child: ChildProcess, private readonly dir: string, public readonly url: string) {
    child.on('exit', () => { this.exited = true; });
  }

  /**
   * Evaluates an instant query, now or at `time` (Unix seconds: compare a page query with a
   * recorded series at the recorded sample's time).
   */
  public async query(promql: string, time?: number): Promise<Sample[]> {
    const at = time === undefined ? '' : `&time=${time}`;
    const data = await this.api(`/api/v1/query?query=${encodeURIComponent(promql)}${at}`);
    if (data.resultType !== 'vector') {
      throw new Error(`query ${promql} returned a ${data.resultType}, not a vector`);
    }
    return data.result.map((r: any) => ({ labels: r.metric, value: Number(r.value[1]), time: Number(r.value[0]) }));
  }

  /** The pending and firing alerts. */
  public async alerts(): Promise<ActiveAlert[]> {
    const data = await this.api('/api/v1/alerts');
    return data.alerts.map((a: any) => ({ labels: a.labels, state: a.state, value: a.value }));
  }

  /** Every loaded rule with the health of its last evaluation. */
  public async rules(): Promise<RuleStatus[]> {
    const data = await this.api('/api/v1/rules');
    return data.groups.flatMap((g: any) => g.rules.map((r: any) => ({
      name: r.name, type: r.type, health: r.health, lastError: r.lastError || undefined,
    })));
  }

  /**
   * Polls `probe` until it returns a value that is not undefined (the answer) or `timeoutMs`
   * passes (an error naming `what`). For the first scrapes and rule evaluations to happen.
   */
  public async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await probe();
      if (answer !== undefined) {
        return answer;
      }
      if (Date.now() > deadline) {
        throw new Error(`Prometheus: ${what} within ${timeoutMs} ms did not happen`);
      }
      await sleep(500);
    }
  }

  /** The Prometheus log so far (startup, scrape and rule errors). */
  public log(): string {
    return fs.readFileSync(path.join(this.dir, 'prometheus.log'), 'utf-8');
  }

  /** Stops Prometheus (SIGTERM, SIGKILL after 10 s) and removes its temp dir. */
  public async stop(): Promise<void> {
    if (!this.exited) {
      const exit = new Promise<void>(resolve => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new Error('prometheus exited before it was ready');
      }
      try {
        if ((await fetch(`${this.url}/-/ready`)).ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await sleep(250);
    }
    throw new Error(`prometheus was not ready within ${READY_TIMEOUT_MS} ms`);
  }

  private async api(pathAndQuery: string): Promise<any> {
    const response = await fetch(`${this.url}${pathAndQuery}`);
    const body: any = await response.json();
    if (body.status !== 'success') {
      throw new Error(`Prometheus ${pathAndQuery}: ${body.errorType}: ${body.error}`);
    }
    return body.data;
  }
}

function scrapeConfig(target: ScrapeTarget): any {
  const url = new URL(target.url);
  return {
    job_name: target.job,
    scheme: url.protocol.replace(':', ''),
    metrics_path: url.pathname,
    ...(url.protocol === 'https:' ? { tls_config: { insecure_skip_verify: true } } : {}),
    ...(target.bearerToken !== undefined ? { authorization: { type: 'Bearer', credentials: target.bearerToken } } : {}),
    static_configs: [{ targets: [url.host], ...(target.labels ? { labels: target.labels } : {}) }],
  };
}

/** A loopback port nothing listens on now (the kernel's pick for port 0). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
