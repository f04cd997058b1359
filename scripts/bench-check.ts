/**
 * `cdk8s-dra check` against the manifest linters admins already run, kube-score and Checkov
 * (installed by scripts/linters/install.sh), on the same files: the output of a DraCluster with
 * 40 drivers and 2,000 or 10,000 workload namespaces. Each tool runs as a process, as admins run
 * it, start-up included: the CLI compiled and bundled as the package ships it, on each Node the
 * package supports, beside the time each Node takes to run an empty script (its own start, part of
 * every check run). Also check's time and peak RSS on 50 MB of input. Part of `npm run bench`
 * (scripts/bench.ts).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { compileCli } from './compiled-cli';

const ROOT = path.resolve(__dirname, '..');
const CHECK_SIZES = [2_000, 10_000];
const CHECK_DRIVERS = 40;
const CHECK_RUNS = 5;
const NODE_BIN = path.join(ROOT, 'scripts', 'node-bin.sh');
/** The input size for the memory figure. */
const LARGE_BYTES = 50 * 1024 * 1024;
/**
 * Checkov's time limit per file: it takes minutes on thousands of objects (on the shared
 * 2-core machine, over 15 minutes on 10,000), so a run that reaches the limit is reported as a
 * bound: more than this time, fewer objects per second than the table says.
 */
const CHECKOV_LIMIT_MS = 8 * 60_000;

/** The row name of cdk8s-dra check on Node `major`. */
export function checkTool(major: number): string {
  return `cdk8s-dra check (Node ${major})`;
}

export interface ToolResult {
  /** `cdk8s-dra check (Node <major>)`, `kube-score` or `Checkov`. */
  readonly tool: string;
  readonly ms: number;
  readonly objectsPerSecond: number;
  /** Undefined when the run reached its time limit and was stopped. */
  readonly peakRssMiB?: number;
  /** The run was stopped at its time limit: `ms` is a lower bound, `objectsPerSecond` an upper one. */
  readonly stoppedAtLimit?: boolean;
}

export interface CheckResult {
  readonly drivers: number;
  readonly runs: number;
  readonly versions: { kubeScore: string; checkov: string };
  readonly sizes: Array<{ namespaces: number; objects: number; megabytes: number; tools: ToolResult[] }>;
  /** Each Node's time to run an empty script, by major (median of the runs): its own start. */
  readonly nodeStartMs: Record<string, number>;
  /** cdk8s-dra check on about 50 MB, on the machine's Node (`node`: its major). */
  readonly large: { objects: number; megabytes: number; ms: number; peakRssMiB: number; node: number };
}

interface Run {
  readonly ms: number;
  readonly peakRssMiB?: number;
  readonly stoppedAtLimit?: boolean;
}

/** Runs a command under /usr/bin/time for its peak RSS; the wall time is measured here. */
function runOnce(command: string, args: string[], env?: NodeJS.ProcessEnv, limitMs?: number): Run {
  const rss = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rss-')), 'rss');
  const start = performance.now();
  // coreutils' timeout stops the tool's whole process group (Checkov forks workers) at the limit, and exits 137.
  const limited = limitMs === undefined ? [command, ...args] : ['timeout', '-s', 'KILL', String(limitMs / 1000), command, ...args];
  const run = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rss, ...limited], {
    env: { ...process.env, ...env },
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - start;
  if (limitMs !== undefined && run.status === 137) {
    fs.rmSync(path.dirname(rss), { recursive: true });
    return { ms: limitMs, stoppedAtLimit: true };
  }
  // Exit 1 is "findings" for all three tools; anything else is a failure to run.
  if (run.status === null || run.status > 1) {
    throw new Error(`${command} ${args.join(' ')} failed (${run.status ?? run.signal}): ${run.stderr?.toString().slice(0, 2000)}`);
  }
  const kib = Number(fs.readFileSync(rss, 'utf-8').trim().split('\n').pop());
  fs.rmSync(path.dirname(rss), { recursive: true });
  return { ms, peakRssMiB: Math.round(kib / 1024) };
}

function medianRun(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor(sorted.length / 2)];
}

function toolResult(tool: ToolResult['tool'], run: Run, objects: number): ToolResult {
  return {
    tool,
    ms: Math.round(run.ms),
    objectsPerSecond: Math.round(objects / (run.ms / 1000)),
    ...(run.stoppedAtLimit ? { stoppedAtLimit: true } : { peakRssMiB: run.peakRssMiB }),
  };
}

function linterBin(): string {
  try {
    return execFileSync('bash', [path.join(ROOT, 'scripts', 'linters', 'install.sh'), '--check']).toString().trim();
  } catch {
    throw new Error('kube-score and Checkov are not installed: run `npm run linters:install` (scripts/linters/install.sh) first');
  }
}

/** The DraCluster's YAML, written by a child process (synthesis of 10,000 namespaces wants its own heap). */
function writeClusterYaml(namespaces: number, file: string): void {
  execFileSync(process.execPath, ['--max-old-space-size=4096', require.resolve('ts-node/dist/bin.js'), '--project', path.join(__dirname, 'tsconfig.json'),
    '--transpile-only', __filename, '--write', String(CHECK_DRIVERS), String(namespaces), file], { stdio: 'inherit' });
}

/** The file, then copies of it with the workload and driver namespaces renamed, up to about `bytes`. */
function writeLarge(source: string, file: string, bytes: number): void {
  const text = fs.readFileSync(source, 'utf-8');
  const fd = fs.openSync(file, 'w');
  let written = 0;
  for (let copy = 0; written < bytes; copy++) {
    const renamed = copy === 0 ? text : text.replace(/\b(tenant|dra-dev|dev)(\d+)/g, `$1${copy}x$2`);
    fs.writeSync(fd, copy === 0 ? renamed : `---\n${renamed}`);
    written += Buffer.byteLength(renamed);
  }
  fs.closeSync(fd);
}

function documentCount(file: string): number {
  const text = fs.readFileSync(file, 'utf-8');
  return (text.match(/^---$/gm) ?? []).length + 1;
}

export function compareLinters(): CheckResult {
  const bin = linterBin();
  const cli = compileCli();
  // Every Node package.json's engines name (scripts/node-bin.sh installs each once).
  const majors = execFileSync('bash', [NODE_BIN, '--supported']).toString().trim().split(' ').map(Number);
  const nodes = majors.map(major => path.join(execFileSync('bash', [NODE_BIN, String(major)]).toString().trim(), 'node'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-bench-check-'));
  const starts: Run[][] = nodes.map(() => []);
  for (let run = 0; run < CHECK_RUNS; run++) nodes.forEach((node, i) => starts[i].push(runOnce(node, ['-e', '0'])));
  const nodeStartMs = Object.fromEntries(majors.map((major, i) => [String(major), Math.round(medianRun(starts[i]).ms)]));
  const sizes: CheckResult['sizes'] = [];
  let largest = '';
  for (const namespaces of CHECK_SIZES) {
    const file = path.join(dir, `cluster-${namespaces}.k8s.yaml`);
    writeClusterYaml(namespaces, file);
    largest = file;
    const objects = documentCount(file);
    const ours: Run[][] = nodes.map(() => []);
    const kubeScore: Run[] = [];
    // Alternated, so a change in the machine's load falls on every tool.
    for (let run = 0; run < CHECK_RUNS; run++) {
      nodes.forEach((node, i) => ours[i].push(runOnce(node, [cli.main, 'check', '--format', 'json', file], cli.env)));
      kubeScore.push(runOnce(path.join(bin, 'kube-score'), ['score', '--output-format', 'json', file]));
    }
    const checkov = runOnce(path.join(bin, 'checkov'), ['--framework', 'kubernetes', '--output', 'json', '--compact', '--skip-download', '--quiet', '-f', file], undefined, CHECKOV_LIMIT_MS);
    sizes.push({
      namespaces,
      objects,
      megabytes: Math.round(fs.statSync(file).size / 1e5) / 10,
      tools: [
        ...majors.map((major, i) => toolResult(checkTool(major), medianRun(ours[i]), objects)),
        toolResult('kube-score', medianRun(kubeScore), objects),
        toolResult('Checkov', checkov, objects),
      ],
    });
    console.error(`check bench: ${namespaces} namespaces done`);
  }
  const large = path.join(dir, 'large.k8s.yaml');
  writeLarge(largest, large, LARGE_BYTES);
  const largeRun = runOnce(process.execPath, [cli.main, 'check', '--format', 'json', large], cli.env);
  const result: CheckResult = {
    drivers: CHECK_DRIVERS,
    runs: CHECK_RUNS,
    versions: { kubeScore: kubeScoreVersion(), checkov: fs.readFileSync(path.join(ROOT, 'tools', 'linters', 'checkov.version'), 'utf-8').trim() },
    sizes,
    nodeStartMs,
    large: {
      objects: documentCount(large),
      megabytes: Math.round(fs.statSync(large).size / 1e5) / 10,
      ms: Math.round(largeRun.ms),
      peakRssMiB: largeRun.peakRssMiB!,
      node: Number(process.versions.node.split('.')[0]),
    },
  };
  fs.rmSync(dir, { recursive: true });
  fs.rmSync(cli.dir, { recursive: true });
  return result;
}

/** kube-score's version, from the module that builds it (its binary says "development"). */
function kubeScoreVersion(): string {
  const goMod = fs.readFileSync(path.join(ROOT, 'tools', 'linters', 'go.mod'), 'utf-8');
  return /github\.com\/zegl\/kube-score (v[\d.]+)/.exec(goMod)?.[1] ?? 'unknown';
}

if (require.main === module) {
  const write = process.argv.indexOf('--write');
  if (write >= 0) {
    // Imported here only: the parent process never synthesizes.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildCluster } = require('./bench') as typeof import('./bench');
    const [drivers, namespaces, file] = process.argv.slice(write + 1);
    fs.writeFileSync(file, buildCluster(Number(drivers), Number(namespaces), false).synthYaml());
  } else {
    console.log(JSON.stringify(compareLinters(), undefined, 2));
  }
}
