// The version matrix of the README's test command (npm test runs it after the main jest run, which
// covers every test on DEFAULT_TEST_VERSION): one jest run per other Kubernetes test version, with
// that version's scope of real-cluster and real-node tests (harness/cluster/kubernetes-versions.ts).
// Each run writes test-reports/junit-<version>.xml; test-reports/version-matrix.json sums up every
// version (the main run's real-cluster and real-node suites included), the data of the README's
// table (npm run readme). A failing version fails the command, named. `--summarize` runs nothing and
// sums up the reports already there (after re-running one version's jest by hand). The versions run
// in two lanes at once: those whose scope starts the test node, and the others.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  DEFAULT_TEST_VERSION, KUBERNETES_TEST_VERSIONS, KubernetesTestVersion, NODE_BINARIES, SCOPE_TESTS, TEST_VERSION_ENV, testFilesOf,
} from '../harness/cluster/kubernetes-versions';
import { binariesVersion } from '../harness/cluster/processes';

const ROOT = path.resolve(__dirname, '..');
const REPORTS = path.join(ROOT, 'test-reports');
const BUILD_SCRIPT = path.join(ROOT, 'scripts', 'cluster', 'build.sh');
/**
 * Where the results per version go; `npm run readme -- --version-matrix` copies it to
 * bench-results/version-matrix.json, the data of the README's table.
 */
export const MATRIX_REPORT = path.join(REPORTS, 'version-matrix.json');

/** One real-cluster or real-node test file's results on one version. */
export interface SuiteResult {
  readonly file: string;
  readonly tests: number;
  readonly failed: number;
  readonly seconds: number;
}

/** One version's results, from jest-junit's report of its real-cluster and real-node suites. */
export interface VersionResult {
  readonly version: string;
  readonly kubernetes: string;
  readonly scope: string;
  readonly suites: SuiteResult[];
}

/** What test:matrix writes: every version's results, and when and where they were measured. */
export interface VersionMatrix {
  readonly date: string;
  readonly machine: string;
  readonly versions: VersionResult[];
}

/** The real-cluster and real-node suites of a jest-junit report, with their counts. */
function readSuites(junitFile: string): SuiteResult[] {
  if (!fs.existsSync(junitFile)) return [];
  const xml = fs.readFileSync(junitFile, 'utf-8');
  const suites = [];
  for (const m of xml.matchAll(/<testsuite ([^>]*)>/g)) {
    const attr = (name: string): string => (new RegExp(` ?${name}="([^"]*)"`).exec(m[1]) ?? [])[1] ?? '';
    const file = attr('name');
    if (!/^test\/real-(cluster|node)\//.test(file)) continue;
    suites.push({
      file,
      tests: Number(attr('tests')),
      failed: Number(attr('failures')) + Number(attr('errors')),
      seconds: Number(attr('time')),
    });
  }
  return suites;
}

function summarize(version: string, scope: string, junitFile: string): VersionResult {
  const suites = readSuites(junitFile).sort((a, b) => a.file.localeCompare(b.file));
  return { version, kubernetes: versionOfBinaries(version), scope, suites };
}

/** Tests, failures and seconds of a version's suites. */
export function totals(result: VersionResult): { tests: number; failed: number; seconds: number } {
  return {
    tests: result.suites.reduce((n, s) => n + s.tests, 0),
    failed: result.suites.reduce((n, s) => n + s.failed, 0),
    seconds: Math.round(result.suites.reduce((n, s) => n + s.seconds, 0)),
  };
}

/** The release the binaries of a test version report, e.g. v1.37.2, from the build cache's name. */
function versionOfBinaries(version: string): string {
  const found = spawnSync('bash', [BUILD_SCRIPT, '--version', version, '--where'], { encoding: 'utf-8' });
  return found.status === 0 ? binariesVersion(found.stdout.trim()) : 'not built';
}

/** What one version's jest run printed and how it ended. */
interface VersionRun {
  readonly result: VersionResult;
  readonly output: string;
  readonly ok: boolean;
}

/**
 * Builds the version's binaries, or waits for the build the test set-up runs in the background
 * (build.sh holds a lock per version); returns what the build printed, and whether it succeeded.
 */
function build(v: KubernetesTestVersion): Promise<{ ok: boolean; output: string }> {
  return new Promise(resolve => {
    const child = spawn('bash', [BUILD_SCRIPT, '--version', v.version, ...(v.kubelet ? NODE_BINARIES : [])], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', status => resolve({ ok: status === 0, output: Buffer.concat(chunks).toString('utf-8') }));
  });
}

/** One version's jest run of its scope, its output kept (two runs go at once) and printed as a whole when it ends. */
async function runVersion(v: KubernetesTestVersion): Promise<VersionRun> {
  const junitName = `junit-${v.version}.xml`;
  const files = testFilesOf(v);
  const heading = `\n=== Kubernetes ${v.version} (${v.scope}): ${files.join(' ')}\n`;
  const built = await build(v);
  if (!built.ok) {
    return { result: summarize(v.version, v.scope, ''), output: `${heading}${built.output}=== Kubernetes ${v.version}: FAILED (its binaries did not build)\n`, ok: false };
  }
  const started = Date.now();
  return new Promise(resolve => {
    const child = spawn('npx', ['jest', '--ci', '--coverage=false', ...files], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [TEST_VERSION_ENV]: v.version, JEST_JUNIT_OUTPUT_NAME: junitName, JEST_JUNIT_SUITE_NAME: '{filepath}' },
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('close', status => {
      const result = summarize(v.version, v.scope, path.join(REPORTS, junitName));
      const { tests, failed } = totals(result);
      const ok = status === 0 && failed === 0 && tests > 0;
      const wall = Math.round((Date.now() - started) / 1000);
      const output = `${heading}${Buffer.concat(chunks).toString('utf-8')}`
        + (ok ? `=== Kubernetes ${v.version}: ${tests} tests passed in ${wall} s\n` : `=== Kubernetes ${v.version}: FAILED (${failed} of ${tests} tests)\n`);
      resolve({ result, output, ok });
    });
  });
}

/** Runs the versions one after another, printing each as it ends. */
async function runLane(versions: readonly KubernetesTestVersion[]): Promise<VersionRun[]> {
  const runs: VersionRun[] = [];
  for (const v of versions) {
    const run = await runVersion(v);
    process.stdout.write(run.output);
    runs.push(run);
  }
  return runs;
}

async function main(): Promise<void> {
  const results: VersionResult[] = [];
  const failedVersions: string[] = [];
  // The main jest run covered the default version's whole scope.
  const covered = KUBERNETES_TEST_VERSIONS.find(v => v.version === DEFAULT_TEST_VERSION);
  if (covered) results.push(summarize(covered.version, covered.scope, path.join(REPORTS, 'junit.xml')));
  const others = KUBERNETES_TEST_VERSIONS.filter(x => x.version !== DEFAULT_TEST_VERSION);
  if (process.argv.includes('--summarize')) {
    results.push(...others.map(v => summarize(v.version, v.scope, path.join(REPORTS, `junit-${v.version}.xml`))));
  } else {
    // Two lanes at once, as the real-cluster tests mostly wait on controllers: the versions whose
    // scope starts the machine's one test node, and the rest.
    const usesNode = (v: KubernetesTestVersion) => SCOPE_TESTS[v.scope].some(t => t.startsWith('test/real-node/'));
    const lanes = await Promise.all([runLane(others.filter(usesNode)), runLane(others.filter(v => !usesNode(v)))]);
    const byVersion = new Map(lanes.flat().map(run => [run.result.version, run]));
    for (const v of others) {
      const run = byVersion.get(v.version)!;
      results.push(run.result);
      if (!run.ok) failedVersions.push(v.version);
    }
  }
  fs.mkdirSync(REPORTS, { recursive: true });
  const cpus = os.cpus();
  const matrix: VersionMatrix = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus.length} x ${cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    versions: results,
  };
  fs.writeFileSync(MATRIX_REPORT, JSON.stringify(matrix, undefined, 2) + '\n');
  if (failedVersions.length > 0) {
    process.stderr.write(`test:matrix: Kubernetes ${failedVersions.join(', ')} failed\n`);
    process.exit(1);
  }
}

if (require.main === module) {
  void main();
}
