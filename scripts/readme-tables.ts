/**
 * The README's generated tables, from the code itself: the sizing model's output (also in
 * docs/control-plane.md), the good-practice rules, and what `npm run bench:cluster` and
 * `npm run bench` measured (from their results files, bench-results/cluster.json and
 * bench-results/bench.json). `npm run readme` rewrites them between their markers; tests fail
 * when the documents and the code or the data disagree.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterScale, ControlPlaneSizing, DraGoodPractices } from '../src';
import { BENCH_RESULTS, BenchResults as SynthesisResults, benchSummary } from './bench';
import { BenchResults, measuredTable } from './bench-cluster/report';
import { MATRIX_REPORT, totals, VersionMatrix } from './test-matrix';
import { TESTS_FROM_VERSION } from '../harness/cluster/kubernetes-versions';
import { formatMinor, isAtLeast } from '../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../src/common/names';

/** The results file of `npm run bench:cluster`, committed: the measured table's data. */
export const CLUSTER_BENCH_RESULTS = path.resolve(__dirname, '..', 'bench-results', 'cluster.json');

/**
 * What the version matrix of the README's test command proved on each Kubernetes version, as
 * scripts/test-matrix.ts recorded it (copied from test-reports/ by `npm run readme -- --version-matrix`).
 */
export const VERSION_MATRIX_RESULTS = path.resolve(__dirname, '..', 'bench-results', 'version-matrix.json');

/** The test files a version's run leaves out because they need a newer version, in words. */
function leftOut(version: string): string {
  const minor = parseKubernetesVersion(version.replace(/-.*$/, ''));
  const files = Object.entries(TESTS_FROM_VERSION).filter(([, from]) => minor !== undefined && !isAtLeast(minor, from))
    .map(([file, from]) => `${path.basename(file, '.test.ts')} (${path.dirname(file).replace(/^test\//, '')}, ${formatMinor(from)}+)`);
  return files.length === 0 ? '' : `, except ${files.join(', ')}`;
}

/** What each scope runs, in words. */
const SCOPE_WORDS: Record<string, string> = {
  full: 'every real-cluster and real-node test',
  served: 'examples and random samples applied, admission policies type-checked, selectors, claim status authorization, DeviceTaintRules, the good-practice admission policies and check --cluster, served APIs, RBAC matrices, control-plane renderings, removed gates and API versions',
  canary: 'examples applied, served APIs, control-plane renderings read, removed gates and API versions',
};

/** The version matrix's results as a markdown table: per version, what ran and what passed. */
export function versionMatrixTable(file = VERSION_MATRIX_RESULTS): string {
  const matrix = JSON.parse(fs.readFileSync(file, 'utf-8')) as VersionMatrix;
  const count = (suites: VersionMatrix['versions'][number]['suites'], folder: string) =>
    suites.filter(s => s.file.startsWith(`test/${folder}/`)).reduce((n, s) => n + s.tests, 0);
  const rows = matrix.versions.map(v => {
    const { tests, failed, seconds } = totals(v);
    return `| ${v.kubernetes} | ${SCOPE_WORDS[v.scope] ?? v.scope}${leftOut(v.version)} | ${count(v.suites, 'real-cluster')} | ${count(v.suites, 'real-node')} | `
      + `${tests - failed} of ${tests} | ${seconds} s |`;
  });
  return [
    `Recorded ${matrix.date} on ${matrix.machine}, by the README's test command.`,
    '',
    '| Kubernetes | what runs | real-cluster tests | real-node tests | passed | suite time |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

/** The scales the README and docs/control-plane.md tabulate: SIG Scalability's churn limit is 20 pods/s. */
export const TABLE_SCALES: ClusterScale[] = [
  { nodes: 10, podCreationQps: 5 },
  { nodes: 100, podCreationQps: 10 },
  { nodes: 500, podCreationQps: 20 },
  { nodes: 1000, podCreationQps: 20 },
  { nodes: 5000, podCreationQps: 20 },
];

/** The model's output at `scales` as a markdown table. */
export function sizingTable(scales: ClusterScale[] = TABLE_SCALES): string {
  const rows = scales.map(scale => {
    const r = ControlPlaneSizing.recommend(scale);
    return `| ${scale.nodes} | ${scale.podCreationQps} | ${scale.claimsPerPod ?? 1} | `
      + `${r.controllerManagerQps} / ${r.controllerManagerBurst} | ${r.schedulerQps} / ${r.schedulerBurst} |`;
  });
  return [
    '| nodes | pods/s created (and deleted) | claims per pod | kube-controller-manager qps / burst | kube-scheduler qps / burst |',
    '|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

/** Every rule with what it flags, why (the page's practice) and the fix, as a markdown table. */
export function rulesTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| id | severity | what it flags | why | fix |',
    '|---|---|---|---|---|',
    ...DraGoodPractices.rules().map(r => `| ${r.id} | ${r.severity} | ${cell(r.title)} | ${cell(r.practice)} | ${cell(r.fix)} |`),
    '',
  ].join('\n');
}

/** The medians `npm run bench:cluster` measured on the real control plane, as a markdown table. */
export function clusterBenchTable(file = CLUSTER_BENCH_RESULTS): string {
  return measuredTable(JSON.parse(fs.readFileSync(file, 'utf-8')) as BenchResults);
}

/** What `npm run bench` measured (synthesis with the checks, check against kube-score and Checkov), as the README shows it. */
export function benchSection(file = BENCH_RESULTS): string {
  return benchSummary(JSON.parse(fs.readFileSync(file, 'utf-8')) as SynthesisResults);
}

/** The results file of `npm run bench:admission`, committed. */
export const ADMISSION_BENCH_RESULTS = path.resolve(__dirname, '..', 'bench-results', 'admission.json');

/** What `npm run bench:admission` measured: the good-practice admission policies' cost on writes. */
export function admissionBenchSection(file = ADMISSION_BENCH_RESULTS): string {
  const r = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const perObject = (r.medianSecondsWith - r.medianSecondsWithout) * 1000 / r.objects;
  return `The cost of \`DraGoodPracticesAdmission\`'s policies (${r.rules.join(', ')}; Warn and Audit) on writes, measured by `
    + `\`npm run bench:admission\`: ${r.objects.toLocaleString('en-US')} kubelet-plugin DaemonSets (copies of NVIDIA's) applied by server-side apply, `
    + `${r.concurrency} at a time, to one real ${r.kubernetes} control plane on ${r.cpus} cores, with and without the policies, median of ${r.repeats}: `
    + `${r.medianSecondsWithout.toFixed(1)} s without, ${r.medianSecondsWith.toFixed(1)} s with (+${r.overheadPercent} %, ${perObject.toFixed(1)} ms per object).\n`;
}

/** `text` with the section between `<!-- name:begin -->` and `<!-- name:end -->` replaced. */
export function replaceSection(text: string, name: string, content: string): string {
  const begin = `<!-- ${name}:begin -->\n`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    throw new Error(`no ${name} section`);
  }
  return text.slice(0, from + begin.length) + content + text.slice(to);
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  if (process.argv.includes('--version-matrix')) {
    fs.copyFileSync(MATRIX_REPORT, VERSION_MATRIX_RESULTS);
    console.log(`${path.relative(root, VERSION_MATRIX_RESULTS)}: copied from ${path.relative(root, MATRIX_REPORT)}`);
  }
  const update = (file: string, sections: Array<[string, string]>) => {
    const text = sections.reduce((t, [name, content]) => replaceSection(t, name, content), fs.readFileSync(path.join(root, file), 'utf-8'));
    fs.writeFileSync(path.join(root, file), text);
    console.log(`${file}: ${sections.map(([name]) => name).join(', ')} regenerated`);
  };
  update('README.md', [['sizing-table', sizingTable()], ['cluster-bench', clusterBenchTable()], ['rules-table', rulesTable()], ['bench', benchSection()], ['admission-bench', admissionBenchSection()], ['version-matrix', versionMatrixTable()]]);
  update('docs/control-plane.md', [['sizing-table', sizingTable()], ['cluster-bench', clusterBenchTable()]]);
}
