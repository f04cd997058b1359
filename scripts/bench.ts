/**
 * `npm run bench`: synthesis cost of this library against raw cdk8s ApiObjects, at scale.
 *
 * For each size (500, 5,000 and 20,000 workload namespaces) a fresh child process builds a
 * DraCluster with 50 drivers, RBAC for every namespace, monitoring and control-plane tuning,
 * synthesizes it, then synthesizes the byte-identical objects as raw `ApiObject`s (checked
 * equal). It reports both times (median of several runs), their ratio, the cost per object,
 * and the child's peak RSS. On the 20,000-namespace output it also times `cdk8s-dra check`.
 *
 * Targets (issue 8): ratio <= 1.3, per-object cost growth <= 1.2x from 500 to 20,000
 * namespaces, peak RSS <= 1 GiB. The script prints the figures and whether each target is met,
 * and exits 1 when one is missed.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ControlPlaneTarget, DraCluster, DriverUpgrade } from '../src';
import { runCli } from '../src/cli/run-cli';
import { ConfigDocument } from '../src/control-plane/config-document';

const SIZES = [500, 5_000, 20_000];
const DRIVERS = 50;
const RUNS = 5;

interface SizeResult {
  readonly namespaces: number;
  readonly objects: number;
  readonly constructsMs: number;
  readonly rawMs: number;
  readonly peakRssMiB: number;
  readonly checkMs?: number;
  readonly checkObjects?: number;
}

/** The large definition: 50 drivers, a workload namespace per tenant, monitoring, control plane. */
function buildCluster(namespaces: number): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-bench-')) });
  const chart = new Chart(app, 'dra');
  const operators = kplus.Group.fromName(chart, 'tenants', 'tenants');
  new DraCluster(chart, 'cluster', {
    minKubeletVersion: '1.34',
    scale: { nodes: 5000, podCreationQps: 20 },
    drivers: Array.from({ length: DRIVERS }, (_, i) => ({
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
    // Checked separately below (the CLI on the output), so both sides synthesize the same work.
    goodPractices: false,
  });
  return app;
}

/** The same objects as raw ApiObjects, in the same charts and order. */
function buildRaw(charts: Array<{ id: string; objects: any[] }>): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-bench-')) });
  for (const { id, objects } of charts) {
    const chart = new Chart(app, id);
    // ConfigDocument is a bare ApiObject that leaves out metadata a document has none of (kubeadm's).
    objects.forEach((obj, i) => (obj.metadata ? new ApiObject(chart, `o${i}`, obj) : new ConfigDocument(chart, `o${i}`, obj)));
  }
  return app;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/** One size, in this process (the parent runs each size in a fresh child, for its own peak RSS). */
function measure(namespaces: number, withCheck: boolean): SizeResult {
  const ours: number[] = [];
  const raw: number[] = [];
  let yaml = '';
  let charts: Array<{ id: string; objects: any[] }> = [];
  for (let run = 0; run < RUNS; run++) {
    const a = timed(() => {
      const app = buildCluster(namespaces);
      return { app, yaml: app.synthYaml() };
    });
    ours.push(a.ms);
    if (run === 0) {
      yaml = a.value.yaml;
      charts = a.value.app.charts.map(c => ({ id: c.node.id, objects: Object.values(c.toJson()) }));
    }
    const b = timed(() => buildRaw(charts).synthYaml());
    raw.push(b.ms);
    if (b.value !== yaml) {
      throw new Error(`raw ApiObjects did not synthesize byte-identical YAML at ${namespaces} namespaces`);
    }
  }
  const objects = charts.reduce((n, c) => n + c.objects.length, 0);
  let checkMs: number | undefined;
  if (withCheck) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-bench-')), 'dra.k8s.yaml');
    fs.writeFileSync(file, yaml);
    const out: string[] = [];
    checkMs = timed(() => runCli(['check', '--format', 'json', file], { stdout: t => out.push(t), stderr: t => out.push(t) })).ms;
  }
  return {
    namespaces,
    objects,
    constructsMs: median(ours),
    rawMs: median(raw),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    checkMs,
    checkObjects: withCheck ? objects : undefined,
  };
}

function main(): void {
  const sizeArg = process.argv.indexOf('--size');
  if (sizeArg >= 0) {
    const namespaces = Number(process.argv[sizeArg + 1]);
    process.stdout.write(JSON.stringify(measure(namespaces, process.argv.includes('--check'))));
    return;
  }
  const results: SizeResult[] = SIZES.map(namespaces => {
    const args = [require.resolve('ts-node/dist/bin.js'), '--project', path.join(__dirname, 'tsconfig.json'), '--transpile-only', __filename, '--size', String(namespaces)];
    if (namespaces === SIZES[SIZES.length - 1]) {
      args.push('--check');
    }
    const out = execFileSync(process.execPath, ['--max-old-space-size=4096', ...args], { maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(out.toString('utf-8'));
  });
  report(results);
  // The good-practice checks on 10,000 generated objects, some of them non-compliant (issue 7).
  const tsNode = [require.resolve('ts-node/dist/bin.js'), '--project', path.join(__dirname, 'tsconfig.json'), '--transpile-only'];
  console.log(execFileSync(process.execPath, [...tsNode, path.join(__dirname, 'bench-check.ts'), '10000']).toString('utf-8').trim());
}

function report(results: SizeResult[]): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`cdk8s-dra bench: ${DRIVERS} drivers + N workload namespaces, median of ${RUNS} runs, Node ${process.version}, ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
  console.log('| namespaces | objects | cdk8s-dra (ms) | raw ApiObject (ms) | ratio | per object (us) | peak RSS (MiB) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.namespaces} | ${r.objects} | ${r.constructsMs.toFixed(0)} | ${r.rawMs.toFixed(0)} | ${(r.constructsMs / r.rawMs).toFixed(2)} | ${(1000 * r.constructsMs / r.objects).toFixed(1)} | ${r.peakRssMiB.toFixed(0)} |`);
  }
  const first = results[0];
  const last = results[results.length - 1];
  const growth = (last.constructsMs / last.objects) / (first.constructsMs / first.objects);
  const worstRatio = Math.max(...results.map(r => r.constructsMs / r.rawMs));
  const peak = Math.max(...results.map(r => r.peakRssMiB));
  console.log(`cdk8s-dra check on the ${last.namespaces}-namespace output (${last.checkObjects} objects): ${last.checkMs!.toFixed(0)} ms`);
  const met = { ratio: worstRatio <= 1.3, growth: growth <= 1.2, rss: peak <= 1024 };
  console.log(`targets: ratio ${worstRatio.toFixed(2)} <= 1.3 ${met.ratio ? 'met' : 'MISSED'}; `
    + `per-object growth ${growth.toFixed(2)}x <= 1.2x ${met.growth ? 'met' : 'MISSED'}; `
    + `peak RSS ${peak.toFixed(0)} MiB <= 1024 ${met.rss ? 'met' : 'MISSED'}`);
  // A missed target fails the run, so a regression cannot pass unnoticed in a script or CI job.
  if (!(met.ratio && met.growth && met.rss)) {
    process.exitCode = 1;
  }
}

main();
