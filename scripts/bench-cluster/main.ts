/**
 * `npm run bench:cluster`: the page's DRA scale test on the real control plane (a fresh one per
 * run), with kube-controller-manager and kube-scheduler at (a) their defaults, (b) the page's
 * 75/150, (c) ControlPlaneSizing.recommend() for the scale, alternated and repeated; and a
 * higher creation rate comparing (a) and (c). Progress on stderr; the table and the JSON on
 * stdout; the JSON also in bench-results/cluster.json (the README's table is generated from it).
 *
 * Options: --nodes --devices --long-lived --churn --waves --qps --high-qps --repeats --out;
 * --syncs N: only the higher rate, (c) against (c) with kube-controller-manager's
 * --concurrent-resourceclaim-syncs=N (1.36+: the test version's binaries), e.g. with --out elsewhere;
 * --smoke: a few nodes and pods, one run, written to a temporary file, exits 1 unless every pod
 * was bound and every metric was read (what .ci/run calls so the generator cannot rot).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BenchResults, ConfigName, measuredTable, Rates, RunRecord, summarize } from './report';
import { RunRates, runOnce, Workload } from './workload';
import { binariesDir, binariesVersion } from '../../harness/cluster/processes';
import { ControlPlaneSizing } from '../../src';
import { COMPONENT_CLIENT_DEFAULTS } from '../../src/control-plane/defaults';

interface Options {
  readonly workload: Workload;
  readonly highQps: number;
  readonly repeats: number;
  readonly out: string;
  readonly smoke: boolean;
  /** `--syncs N`: compare (c) with and without `--concurrent-resourceclaim-syncs=N` at the higher rate. */
  readonly syncs?: number;
}

const ROOT = path.resolve(__dirname, '..', '..');

function options(argv: string[]): Options {
  const smoke = argv.includes('--smoke');
  const value = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    if (i < 0) {
      return fallback;
    }
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n <= 0) {
      throw new Error(`${flag} ${argv[i + 1]}: must be a positive number`);
    }
    return n;
  };
  const known = ['--smoke', '--nodes', '--devices', '--long-lived', '--churn', '--waves', '--qps', '--high-qps', '--repeats', '--out', '--syncs'];
  const unknown = argv.filter((a, i) => a.startsWith('--') && !known.includes(a) && !(i > 0 && known.includes(argv[i - 1])));
  if (unknown.length > 0) {
    throw new Error(`unknown option ${unknown.join(' ')} (known: ${known.join(' ')})`);
  }
  const outIndex = argv.indexOf('--out');
  // The page's test: 100 nodes, 720 long-lived pods (90 % of the devices), 80 churn pods 10 times, 10 Jobs/s.
  const workload: Workload = smoke
    ? { nodes: 3, devicesPerNode: 4, longLivedPods: 9, churnPods: 3, churnWaves: 1, qps: 10 }
    : {
      nodes: value('--nodes', 100),
      devicesPerNode: value('--devices', 8),
      longLivedPods: value('--long-lived', 720),
      churnPods: value('--churn', 80),
      churnWaves: value('--waves', 10),
      qps: value('--qps', 10),
    };
  if (workload.longLivedPods + workload.churnPods > workload.nodes * workload.devicesPerNode) {
    throw new Error('long-lived plus churn pods exceed the devices: every pod needs one');
  }
  return {
    workload,
    highQps: smoke ? 0 : value('--high-qps', 30),
    repeats: smoke ? 1 : value('--repeats', 3),
    out: outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : smoke ? path.join(os.tmpdir(), 'cdk8s-dra-bench-cluster-smoke.json') : path.join(ROOT, 'bench-results', 'cluster.json'),
    smoke,
    syncs: argv.includes('--syncs') ? value('--syncs', 0) : undefined,
  };
}

const DEFAULTS: Rates = {
  controllerManager: COMPONENT_CLIENT_DEFAULTS['kube-controller-manager'],
  scheduler: COMPONENT_CLIENT_DEFAULTS['kube-scheduler'],
};
/** The page's kube-controller-manager setting; the scheduler is given the same, as the issue asks. */
const PAGE: Rates = { controllerManager: { qps: 75, burst: 150 }, scheduler: { qps: 75, burst: 150 } };

function recommended(workload: Workload): Rates {
  const r = ControlPlaneSizing.recommend({ nodes: workload.nodes, podCreationQps: workload.qps });
  return {
    controllerManager: { qps: r.controllerManagerQps, burst: r.controllerManagerBurst },
    scheduler: { qps: r.schedulerQps, burst: r.schedulerBurst },
  };
}

function ratesOf(config: ConfigName, workload: Workload): Rates {
  return config === 'defaults' ? DEFAULTS : config === 'page' ? PAGE : recommended(workload);
}

/** What a configuration starts the control plane with: its rates, and for (d) the raised claim syncs. */
function runRatesOf(config: ConfigName, rates: Rates, syncs: number | undefined): RunRates {
  if (config === 'defaults') return {};
  return config === 'recommended-syncs' ? { ...rates, concurrentResourceClaimSyncs: syncs } : rates;
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const scenarios: Array<{ name: string; workload: Workload; configs: ConfigName[] }> = opts.smoke
    ? [{ name: 'smoke', workload: opts.workload, configs: ['recommended'] }]
    : opts.syncs !== undefined
      ? [{ name: 'high-rate', workload: { ...opts.workload, qps: opts.highQps }, configs: ['recommended', 'recommended-syncs'] }]
      : [
        { name: 'page', workload: opts.workload, configs: ['defaults', 'page', 'recommended'] },
        { name: 'high-rate', workload: { ...opts.workload, qps: opts.highQps }, configs: ['defaults', 'recommended'] },
      ];
  const loadBefore = os.loadavg();
  const begin = Date.now();
  const runs: RunRecord[] = [];
  const total = opts.repeats * scenarios.reduce((t, s) => t + s.configs.length, 0);
  for (let repeat = 1; repeat <= opts.repeats; repeat++) {
    for (const scenario of scenarios) {
      for (const config of scenario.configs) {
        const rates = ratesOf(config, scenario.workload);
        const label = `run ${runs.length + 1}/${total} ${scenario.name} ${config}`;
        // Explicit flags even for the defaults would be the same numbers; leaving them unset measures the real defaults.
        const measurement = await runOnce(label, scenario.workload, runRatesOf(config, rates, opts.syncs));
        process.stderr.write(`${label}: ${JSON.stringify(measurement)}\n`);
        runs.push({ scenario: scenario.name, config, repeat, rates, measurement });
        // Written after every run: a run that fails later leaves what was measured.
        write(opts.out, resultsOf(opts, scenarios, runs, loadBefore, begin));
      }
    }
  }
  const results = resultsOf(opts, scenarios, runs, loadBefore, begin);
  write(opts.out, results);
  process.stdout.write(measuredTable(results) + '\n' + JSON.stringify(results, null, 2) + '\n');
  process.stderr.write(`bench:cluster: ${runs.length} runs in ${results.runtimeSeconds} s; results in ${opts.out}\n`);
  if (opts.smoke) {
    const unread = runs.flatMap(r => Object.entries(r.measurement).filter(([, v]) => v === null).map(([k]) => k));
    if (unread.length > 0) {
      throw new Error(`smoke: metrics not read: ${unread.join(', ')}`);
    }
  }
}

function write(file: string, results: BenchResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}

function resultsOf(opts: Options, scenarios: Array<{ name: string; workload: Workload }>, runs: RunRecord[],
  loadBefore: number[], begin: number): BenchResults {
  const cpu = os.cpus();
  return {
    generated: new Date().toISOString(),
    command: `npm run bench:cluster${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
    machine: { cpus: cpu.length, cpuModel: cpu[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    load: { before: loadBefore, after: os.loadavg() },
    kubernetes: binariesVersion(binariesDir()),
    repeats: opts.repeats,
    runtimeSeconds: Math.round((Date.now() - begin) / 1000),
    scenarios: scenarios.map(s => ({ name: s.name, workload: s.workload })),
    runs,
    summaries: summarize(scenarios, runs),
  };
}

main().catch(error => {
  process.stderr.write(`bench:cluster: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
