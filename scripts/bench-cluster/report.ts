/**
 * The bench's results file (bench-results/cluster.json): every run, the medians per scenario
 * and configuration, and the markdown table the README shows (scripts/readme-tables.ts).
 */
import { median, RunMeasurement, Workload } from './workload';
import { ClientRate } from '../../harness/cluster/control-plane';

/** Which client rates a run gave kube-controller-manager and kube-scheduler. */
export type ConfigName = 'defaults' | 'page' | 'recommended' | 'recommended-syncs';

export const CONFIG_TITLES: Record<ConfigName, string> = {
  'defaults': '(a) component defaults',
  'page': '(b) the page\'s 75/150',
  'recommended': '(c) ControlPlaneSizing.recommend()',
  'recommended-syncs': '(d) (c) with --concurrent-resourceclaim-syncs raised',
};

export interface Rates {
  readonly controllerManager: ClientRate;
  readonly scheduler: ClientRate;
}

export interface RunRecord {
  readonly scenario: string;
  readonly config: ConfigName;
  readonly repeat: number;
  readonly rates: Rates;
  readonly measurement: RunMeasurement;
}

export interface Summary {
  readonly scenario: string;
  readonly workload: Workload;
  readonly config: ConfigName;
  readonly rates: Rates;
  readonly runs: number;
  /** The median of each figure over the runs. */
  readonly median: RunMeasurement;
}

export interface BenchResults {
  readonly generated: string;
  readonly command: string;
  readonly machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  /** os.loadavg() before the first and after the last run: the machine is shared. */
  readonly load: { before: number[]; after: number[] };
  readonly kubernetes: string;
  readonly repeats: number;
  readonly runtimeSeconds: number;
  readonly scenarios: Array<{ name: string; workload: Workload }>;
  readonly runs: RunRecord[];
  readonly summaries: Summary[];
}

/** Medians per (scenario, config), in the order they first ran. */
export function summarize(scenarios: Array<{ name: string; workload: Workload }>, runs: RunRecord[]): Summary[] {
  const keys = [...new Set(runs.map(r => `${r.scenario}\u0000${r.config}`))];
  return keys.map(key => {
    const [scenario, config] = key.split('\u0000');
    const group = runs.filter(r => r.scenario === scenario && r.config === config);
    return {
      scenario,
      workload: scenarios.find(s => s.name === scenario)!.workload,
      config: config as ConfigName,
      rates: group[0].rates,
      runs: group.length,
      median: medianOf(group.map(r => r.measurement)) as RunMeasurement,
    };
  });
}

/** Field-wise median of numeric leaves (nulls left out; null when every run had none). */
function medianOf(values: any[]): any {
  const first = values[0];
  if (first !== null && typeof first === 'object') {
    return Object.fromEntries(Object.keys(first).map(k => [k, medianOf(values.map(v => v[k]))]));
  }
  const numbers = values.filter((v): v is number => typeof v === 'number');
  return numbers.length === 0 ? null : Math.round(median(numbers) * 10_000) / 10_000;
}

/** A median for the table: at most `digits` decimals. */
const n = (value: number | null, digits = 1) => (value === null ? '-' : String(Math.round(value * 10 ** digits) / 10 ** digits));
const ms = (seconds: number | null) => (seconds === null ? '-' : `${Math.round(seconds * 1000)}`);
const pct = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)} %`;

export function describeWorkload(w: Workload): string {
  return `${w.nodes} nodes x ${w.devicesPerNode} devices, ${w.longLivedPods} + ${w.churnPods} x ${w.churnWaves} pods, ${w.qps} Jobs/s`;
}

/** The medians as a markdown table. */
export function measuredTable(results: BenchResults): string {
  const rows = results.summaries.map(s => {
    const m = s.median;
    const rate = (r: ClientRate) => `${r.qps} / ${r.burst}`;
    return `| ${describeWorkload(s.workload)} | ${CONFIG_TITLES[s.config]} | ${rate(s.rates.controllerManager)} | ${rate(s.rates.scheduler)} `
      + `| ${n(m.longLivedBoundSeconds)} | ${n(m.waveBoundSeconds)} | ${n(m.boundPerSecond.mean)} / ${n(m.boundPerSecond.p50)} / ${n(m.boundPerSecond.p99)} `
      + `| ${n(m.schedulingSliP99, 2)} `
      + `| ${n(m.controllerManagerPeakQps, 0)} / ${n(m.controllerManagerRequestsPerPod)} / ${ms(m.controllerManagerThrottleP99)} (${pct(m.controllerManagerThrottledShare)}) `
      + `| ${n(m.schedulerPeakQps, 0)} / ${n(m.schedulerRequestsPerPod)} / ${ms(m.schedulerThrottleP99)} (${pct(m.schedulerThrottledShare)}) `
      + `| ${n(m.claimQueueDepthMax)} / ${ms(m.claimWorkP99)} | ${n(m.apiRequestsPerSecond, 0)} / ${n(m.api429)} `
      + `| ${n(m.cpuSeconds.apiServer)} / ${n(m.cpuSeconds.controllerManager)} / ${n(m.cpuSeconds.scheduler)} / ${n(m.cpuSeconds.etcd)} |`;
  });
  const load = (l: number[]) => l.map(x => x.toFixed(1)).join(', ');
  return [
    `Measured ${results.generated.slice(0, 10)} with \`${results.command}\` (Kubernetes ${results.kubernetes}, ${results.machine.cpus} x ${results.machine.cpuModel}, `
      + `Node ${results.machine.node}; medians of ${Math.min(...results.summaries.map(x => x.runs))} alternated runs each, ${Math.round(results.runtimeSeconds / 60)} min in all; `
      + `shared machine, load average ${load(results.load.before)} before and ${load(results.load.after)} after):`,
    '',
    '| workload | client rates | kube-controller-manager qps / burst | kube-scheduler qps / burst | long-lived pods all bound (s) '
      + '| churn wave all bound (s) | pods bound/s mean / p50 / p99 | scheduling SLI p99 (s) '
      + '| kube-controller-manager peak req/s / req per pod / throttle p99 ms (share > 25 ms) '
      + '| kube-scheduler peak req/s / req per pod / throttle p99 ms (share > 25 ms) | resource_claim queue depth max / work p99 ms | API requests/s / 429s '
      + '| CPU s: kube-apiserver / kube-controller-manager / kube-scheduler / etcd |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
