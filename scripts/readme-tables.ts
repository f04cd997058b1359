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

/** The results file of `npm run bench:cluster`, committed: the measured table's data. */
export const CLUSTER_BENCH_RESULTS = path.resolve(__dirname, '..', 'bench-results', 'cluster.json');

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
  const update = (file: string, sections: Array<[string, string]>) => {
    const text = sections.reduce((t, [name, content]) => replaceSection(t, name, content), fs.readFileSync(path.join(root, file), 'utf-8'));
    fs.writeFileSync(path.join(root, file), text);
    console.log(`${file}: ${sections.map(([name]) => name).join(', ')} regenerated`);
  };
  update('README.md', [['sizing-table', sizingTable()], ['cluster-bench', clusterBenchTable()], ['rules-table', rulesTable()], ['bench', benchSection()]]);
  update('docs/control-plane.md', [['sizing-table', sizingTable()], ['cluster-bench', clusterBenchTable()]]);
}
