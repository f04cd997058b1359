/**
 * `npm run bench`: what this library costs at scale, written to bench-results/bench.json
 * (the README's performance section and docs/images/check-speed.svg are generated from it:
 * `npm run readme`, scripts/charts.ts).
 *
 * 1. Synthesis with the good-practice checks on (DraCluster's default) against the
 *    byte-identical raw `ApiObject`s: a DraCluster with 20 drivers, RBAC for 500 and 4,000
 *    workload namespaces, monitoring and kubeadm tuning; each size in a fresh child process,
 *    after one untimed run of each (it warms the code both share, cdk8s' rendering, which
 *    would otherwise be charged to whichever runs first), median of 15 runs alternated, the
 *    child's peak RSS.
 * 2. `cdk8s-dra check` against kube-score and Checkov on the same files (scripts/bench-check.ts).
 *
 * Targets (issue 28): synthesis with the checks at most 1.3 times the raw objects' time at 500
 * namespaces and 1.2 at 4,000; check at least as many objects per second as kube-score; peak
 * RSS under 1 GiB (also for check on 50 MB of input). The script prints the figures and whether
 * each target is met, and exits 1 when one is missed.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CheckResult, checkTool, compareLinters } from './bench-check';
import { ControlPlaneTarget, DraCluster, DriverUpgrade } from '../src';
import { ConfigDocument } from '../src/control-plane/config-document';

export const BENCH_RESULTS = path.resolve(__dirname, '..', 'bench-results', 'bench.json');

const SYNTH_SIZES = [500, 4_000];
const SYNTH_DRIVERS = 20;
// 15: at 500 namespaces a run takes about 150 ms, and the shared machine moves single runs by tens of ms.
const RUNS = 15;
/** The most synthesis with the checks may cost, as a multiple of the raw objects' time, by namespaces. */
export const SYNTH_TARGETS: Record<number, number> = { 500: 1.3, 4000: 1.2 };
export const RSS_LIMIT_MIB = 1024;

export interface SynthResult {
  readonly namespaces: number;
  readonly drivers: number;
  readonly objects: number;
  readonly constructsMs: number;
  readonly rawMs: number;
  readonly peakRssMiB: number;
}

export interface BenchResults {
  readonly generated: string;
  readonly command: string;
  readonly machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  /** os.loadavg() before and after: the machine is shared, and timings follow its load. */
  readonly load: { before: number[]; after: number[] };
  readonly runs: number;
  readonly synthesis: SynthResult[];
  readonly check: CheckResult;
}

/** The apps' outdir: synthYaml writes nothing there, so one empty directory per process serves every app, removed at exit. */
let outdir: string | undefined;
function benchOutdir(): string {
  if (outdir === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-bench-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    outdir = dir;
  }
  return outdir;
}

/** A DraCluster of `drivers` drivers and `namespaces` workload namespaces, monitoring and kubeadm tuning. */
export function buildCluster(drivers: number, namespaces: number, goodPractices: boolean): App {
  const app = new App({ outdir: benchOutdir() });
  const chart = new Chart(app, 'dra');
  const operators = kplus.Group.fromName(chart, 'tenants', 'tenants');
  new DraCluster(chart, 'cluster', {
    minKubeletVersion: '1.34',
    scale: { nodes: 5000, podCreationQps: 20 },
    drivers: Array.from({ length: drivers }, (_, i) => ({
      driverName: `dev${i}.example.com`,
      image: `registry.example.com/dev${i}-plugin:v1.0.0`,
      namespace: `dra-dev${i}`,
      upgrade: DriverUpgrade.seamless(),
      metricsPort: 8080,
    })),
    rbac: {
      admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins')],
      workloadNamespaces: Array.from({ length: namespaces }, (_, i) => ({ namespace: `tenant-${i}`, operators: [operators] })),
    },
    controlPlane: { target: ControlPlaneTarget.KUBEADM },
    monitoring: { runbookBaseUrl: 'https://runbooks.example.com/dra.md', ruleLabels: { release: 'kube-prometheus-stack' } },
    goodPractices,
  });
  return app;
}

/** The same objects as raw ApiObjects, in the same charts and order. */
function buildRaw(charts: Array<{ id: string; objects: any[] }>): App {
  const app = new App({ outdir: benchOutdir() });
  for (const { id, objects } of charts) {
    const chart = new Chart(app, id);
    // ConfigDocument is a bare ApiObject that leaves out metadata a document has none of (kubeadm's).
    objects.forEach((obj, i) => (obj.metadata ? new ApiObject(chart, `o${i}`, obj) : new ConfigDocument(chart, `o${i}`, obj)));
  }
  return app;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/** One size, in this process (the parent runs each size in a fresh child, for its own peak RSS). */
function measureSynthesis(namespaces: number): SynthResult {
  const ours: number[] = [];
  const raw: number[] = [];
  let yaml = '';
  let charts: Array<{ id: string; objects: any[] }> = [];
  // Silent: the checks print their notes (DRA009's and the like) to stderr once per synthesis.
  const stderr = process.stderr.write;
  process.stderr.write = () => true;
  try {
    for (let run = -1; run < RUNS; run++) {
      const a = timed(() => {
        const app = buildCluster(SYNTH_DRIVERS, namespaces, true);
        return { app, yaml: app.synthYaml() };
      });
      if (run >= 0) ours.push(a.ms);
      if (run === -1) {
        yaml = a.value.yaml;
        charts = a.value.app.charts.map(c => ({ id: c.node.id, objects: Object.values(c.toJson()) }));
      }
      const b = timed(() => buildRaw(charts).synthYaml());
      if (run >= 0) raw.push(b.ms);
      if (b.value !== yaml) {
        throw new Error(`raw ApiObjects did not synthesize byte-identical YAML at ${namespaces} namespaces`);
      }
    }
  } finally {
    process.stderr.write = stderr;
  }
  return {
    namespaces,
    drivers: SYNTH_DRIVERS,
    objects: charts.reduce((n, c) => n + c.objects.length, 0),
    constructsMs: Math.round(median(ours)),
    rawMs: Math.round(median(raw)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const TS_NODE = [require.resolve('ts-node/dist/bin.js'), '--project', path.join(__dirname, 'tsconfig.json'), '--transpile-only'];

function main(): void {
  const sizeArg = process.argv.indexOf('--size');
  if (sizeArg >= 0) {
    process.stdout.write(JSON.stringify(measureSynthesis(Number(process.argv[sizeArg + 1]))));
    return;
  }
  const before = os.loadavg();
  const synthesis: SynthResult[] = SYNTH_SIZES.map(namespaces => {
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', ...TS_NODE, __filename, '--size', String(namespaces)], { maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(out.toString('utf-8'));
  });
  const check = compareLinters();
  const results: BenchResults = {
    generated: new Date().toISOString(),
    command: 'npm run bench',
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown CPU', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    load: { before: before.map(round1), after: os.loadavg().map(round1) },
    runs: RUNS,
    synthesis,
    check,
  };
  fs.mkdirSync(path.dirname(BENCH_RESULTS), { recursive: true });
  fs.writeFileSync(BENCH_RESULTS, `${JSON.stringify(results, undefined, 2)}\n`);
  const met = targetsMet(results);
  console.log(benchSummary(results));
  console.log(`wrote ${path.relative(process.cwd(), BENCH_RESULTS)}; \`npm run readme\` puts it in README.md, \`npm run charts\` draws it`);
  // A missed target fails the run, so a regression cannot pass unnoticed in a script or CI job.
  if (met.some(t => !t.met)) process.exitCode = 1;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Each target with its measured value. */
export function targetsMet(results: BenchResults): Array<{ target: string; met: boolean }> {
  const targets = results.synthesis.map(s => {
    const ratio = s.constructsMs / s.rawMs;
    const limit = SYNTH_TARGETS[s.namespaces];
    return { target: `synthesis with the checks at ${s.namespaces} namespaces: ${ratio.toFixed(2)} x the raw objects' time (at most ${limit})`, met: ratio <= limit };
  });
  // Judged on the newest Node the bench ran, the LTS users run; the other Nodes' rows are beside it.
  const usersNode = Math.max(...Object.keys(results.check.nodeStartMs).map(Number));
  for (const size of results.check.sizes) {
    const ours = size.tools.find(t => t.tool === checkTool(usersNode))!;
    const kubeScore = size.tools.find(t => t.tool === 'kube-score')!;
    targets.push({
      target: `check on Node ${usersNode} at ${size.namespaces} namespaces: ${ours.objectsPerSecond} objects/s, kube-score ${kubeScore.objectsPerSecond}`,
      met: ours.objectsPerSecond >= kubeScore.objectsPerSecond,
    });
  }
  const ours = results.check.sizes.flatMap(s => s.tools.filter(t => t.tool.startsWith('cdk8s-dra check')).map(t => t.peakRssMiB!));
  const peak = Math.max(...results.synthesis.map(s => s.peakRssMiB), ...ours, results.check.large.peakRssMiB);
  targets.push({ target: `peak RSS ${peak} MiB (at most ${RSS_LIMIT_MIB})`, met: peak <= RSS_LIMIT_MIB });
  return targets;
}

/** The figures as the README shows them (scripts/readme-tables.ts puts this between its markers). */
export function benchSummary(results: BenchResults): string {
  const m = results.machine;
  const load = (l: number[]) => l.map(x => x.toFixed(1)).join(', ');
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `Measured ${results.generated.slice(0, 10)} with \`${results.command}\` (Node ${m.node}, ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB; `
      + `shared machine, load average ${load(results.load.before)} before and ${load(results.load.after)} after).`,
    '',
    `Synthesis of a DraCluster (${results.synthesis[0].drivers} drivers, RBAC for N workload namespaces, monitoring, kubeadm tuning) with the good-practice checks on, `
      + `against the byte-identical raw \`ApiObject\`s (median of ${results.runs} runs, each size in a fresh process):`,
    '',
    '| namespaces | objects | cdk8s-dra with checks (ms) | raw ApiObject (ms) | ratio | target | peak RSS (MiB) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...results.synthesis.map(s => `| ${n(s.namespaces)} | ${n(s.objects)} | ${s.constructsMs} | ${s.rawMs} | ${(s.constructsMs / s.rawMs).toFixed(2)} | <= ${SYNTH_TARGETS[s.namespaces]} | ${s.peakRssMiB} |`),
    '',
    `\`cdk8s-dra check\` against kube-score ${results.check.versions.kubeScore} and Checkov ${results.check.versions.checkov} on the same file, `
      + `the output of a DraCluster with ${results.check.drivers} drivers (each a process, start-up included; median of ${results.check.runs} runs, Checkov once):`,
    '',
    '| namespaces | objects | file (MB) | tool | time (ms) | objects/s | peak RSS (MiB) |',
    '|---:|---:|---:|---|---:|---:|---:|',
    ...results.check.sizes.flatMap(s => s.tools.map(t => `| ${n(s.namespaces)} | ${n(s.objects)} | ${s.megabytes.toFixed(1)} | ${t.tool} `
      + (t.stoppedAtLimit ? `| > ${t.ms} (stopped) | < ${n(t.objectsPerSecond)} | - |` : `| ${t.ms} | ${n(t.objectsPerSecond)} | ${t.peakRssMiB} |`))),
    '',
    `- Node's own start, part of every check run (an empty script, median of ${results.check.runs}): `
      + `${Object.entries(results.check.nodeStartMs).map(([major, ms]) => `Node ${major} ${ms} ms`).join(', ')}.`,
    `- \`cdk8s-dra check\` on Node ${results.check.large.node}, ${results.check.large.megabytes.toFixed(0)} MB (${n(results.check.large.objects)} objects: the ${n(results.check.sizes[results.check.sizes.length - 1].namespaces)}-namespace file `
      + `and copies of it with the namespaces renamed): ${results.check.large.ms} ms, peak RSS ${results.check.large.peakRssMiB} MiB.`,
    ...targetsMet(results).map(t => `- Target: ${t.target}: ${t.met ? 'met' : 'MISSED'}.`),
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) {
  main();
}
