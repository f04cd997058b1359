/**
 * The benchmarks' pictures, drawn from their results files as plain SVG (no dependency):
 * docs/images/cluster-bench.svg from bench-results/cluster.json (`npm run bench:cluster`), shown
 * by docs/control-plane.md, and docs/images/check-speed.svg from bench-results/bench.json
 * (`npm run bench`), shown by the README. `npm run charts` rewrites both; a test fails when a
 * committed picture is not what its committed data draws.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BENCH_RESULTS, BenchResults } from './bench';
import { BenchResults as ClusterResults, CONFIG_TITLES, ConfigName } from './bench-cluster/report';
import { CLUSTER_BENCH_RESULTS } from './readme-tables';

const ROOT = path.resolve(__dirname, '..');
export const CLUSTER_CHART = path.join(ROOT, 'docs', 'images', 'cluster-bench.svg');
export const CHECK_CHART = path.join(ROOT, 'docs', 'images', 'check-speed.svg');

const FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"';
/** One colour per series, told apart in grey too. */
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

function escape(content: string): string {
  return content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A number as SVG writes it: at most one decimal, so the output does not depend on float noise. */
function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function text(x: number, y: number, content: string, attrs = ''): string {
  const size = attrs.includes('font-size') ? '' : ' font-size="12"';
  return `<text x="${px(x)}" y="${px(y)}" ${FONT}${size} ${attrs}>${escape(content)}</text>`;
}

function rect(x: number, y: number, width: number, height: number, fill: string): string {
  return `<rect x="${px(x)}" y="${px(y)}" width="${px(Math.max(width, 0))}" height="${px(Math.max(height, 0))}" fill="${fill}"/>`;
}

function line(x1: number, y1: number, x2: number, y2: number, stroke = '#333', extra = ''): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}" ${extra}/>`;
}

function svg(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    rect(0, 0, width, height, '#ffffff'),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Round tick values from 0 to at least `max`. */
function linearTicks(max: number): number[] {
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= rough)!;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step * 0.999; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return ticks;
}

function thousands(value: number): string {
  return value.toLocaleString('en-US');
}

interface Series {
  readonly name: string;
  readonly values: number[];
  /** Bar labels where the value alone would mislead (a bound); the value otherwise. */
  readonly labels?: Array<string | undefined>;
}

/**
 * Vertical grouped bars: one group per category, one bar per series, each bar labelled with its
 * value; a legend above. `log` draws a logarithmic axis (values of very different sizes).
 */
function groupedBars(o: {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  axis: string;
  categories: string[];
  series: Series[];
  log?: { min: number; max: number };
  label: (v: number) => string;
}): string[] {
  const out: string[] = [];
  const left = o.x + 60;
  const top = o.y + 48;
  const plotWidth = o.width - 70;
  const plotHeight = o.height - 100;
  const bottom = top + plotHeight;
  out.push(text(o.x, o.y + 14, o.title, 'font-size="14" font-weight="bold"'));
  // Legend, one entry per series.
  let lx = o.x;
  for (const [i, s] of o.series.entries()) {
    out.push(rect(lx, o.y + 24, 12, 12, COLOURS[i]));
    out.push(text(lx + 16, o.y + 34, s.name, 'font-size="11"'));
    lx += 24 + s.name.length * 6.5;
  }
  const max = Math.max(...o.series.flatMap(s => s.values));
  const ticks = o.log
    ? Array.from({ length: Math.log10(o.log.max / o.log.min) + 1 }, (_, i) => o.log!.min * 10 ** i)
    : linearTicks(max);
  const top_ = ticks[ticks.length - 1];
  const scale = (v: number) => (o.log
    ? plotHeight * Math.log10(Math.max(v, o.log.min) / o.log.min) / Math.log10(o.log.max / o.log.min)
    : plotHeight * v / top_);
  for (const t of ticks) {
    const ty = bottom - scale(t);
    out.push(line(left, ty, left + plotWidth, ty, '#dddddd'));
    out.push(text(left - 6, ty + 4, o.label(t), 'text-anchor="end" font-size="11"'));
  }
  out.push(line(left, top, left, bottom));
  out.push(line(left, bottom, left + plotWidth, bottom));
  out.push(text(o.x + 12, top + plotHeight / 2, o.axis, `text-anchor="middle" font-size="11" transform="rotate(-90 ${px(o.x + 12)} ${px(top + plotHeight / 2)})"`));
  const groupWidth = plotWidth / o.categories.length;
  const barWidth = Math.min(48, (groupWidth - 16) / o.series.length);
  for (const [c, category] of o.categories.entries()) {
    const groupLeft = left + c * groupWidth + (groupWidth - barWidth * o.series.length) / 2;
    for (const [i, s] of o.series.entries()) {
      const value = s.values[c];
      const h = scale(value);
      const bx = groupLeft + i * barWidth;
      out.push(rect(bx + 1, bottom - h, barWidth - 2, h, COLOURS[i]));
      out.push(text(bx + barWidth / 2, bottom - h - 4, s.labels?.[c] ?? o.label(value), 'text-anchor="middle" font-size="10"'));
    }
    category.split('\n').forEach((part, k) => out.push(text(left + c * groupWidth + groupWidth / 2, bottom + 16 + 13 * k, part, 'text-anchor="middle" font-size="11"')));
  }
  return out;
}

/** Objects per second of `cdk8s-dra check`, kube-score and Checkov on each file. */
export function checkChart(results: BenchResults): string {
  const sizes = results.check.sizes;
  const tools = sizes[0].tools.map(t => t.tool);
  const body = groupedBars({
    x: 16,
    y: 16,
    // Wide enough for five legend entries (check on three Nodes, kube-score, Checkov) in one line.
    width: 780,
    height: 380,
    title: 'Manifest checks: objects per second (higher is faster), each tool a process',
    axis: 'objects per second',
    categories: sizes.map(s => `${thousands(s.objects)} objects\n(${thousands(s.namespaces)} namespaces, ${s.megabytes.toFixed(1)} MB)`),
    series: tools.map(tool => {
      const byTool = sizes.map(s => s.tools.find(t => t.tool === tool)!);
      return { name: tool, values: byTool.map(t => t.objectsPerSecond), labels: byTool.map(t => (t.stoppedAtLimit ? `< ${thousands(t.objectsPerSecond)}` : undefined)) };
    }),
    label: thousands,
  });
  const stopped = sizes.flatMap(s => s.tools.filter(t => t.stoppedAtLimit).map(t => `${t.tool} was stopped after ${Math.round(t.ms / 60_000)} min on ${thousands(s.objects)} objects: its bar is an upper bound.`));
  stopped.forEach((note, i) => body.push(text(16, 400 - 14 * (stopped.length - 1 - i), note, 'font-size="10" fill="#555"')));
  const m = results.machine;
  body.push(text(16, 416, `${results.command}, ${results.generated.slice(0, 10)}: Node ${m.node}, ${m.cpus} x ${m.cpuModel}; `
    + `load average ${results.load.before[0].toFixed(1)} before, ${results.load.after[0].toFixed(1)} after`, 'font-size="10" fill="#555"'));
  return svg(812, 428, body);
}

/** Column labels short enough to sit side by side; the footer spells them out. */
const SHORT_TITLES: Record<ConfigName, string> = {
  'defaults': '(a) defaults', 'page': '(b) 75/150', 'recommended': '(c) recommend()', 'recommended-syncs': '(d) + claim syncs',
};

/** Per configuration: pods bound per second and the components' client-throttling p99. */
export function clusterChart(results: ClusterResults): string {
  const summaries = results.summaries;
  const categories = summaries.map(s => `${SHORT_TITLES[s.config]}\n${s.workload.qps} Jobs/s`);
  const rate = groupedBars({
    x: 16,
    y: 16,
    width: 560,
    height: 360,
    title: 'Pods bound per second (1-second samples)',
    axis: 'pods bound per second',
    categories,
    series: [
      { name: 'mean', values: summaries.map(s => s.median.boundPerSecond.mean) },
      { name: 'p50', values: summaries.map(s => s.median.boundPerSecond.p50) },
      { name: 'p99', values: summaries.map(s => s.median.boundPerSecond.p99) },
    ],
    label: v => String(Math.round(v * 10) / 10),
  });
  const throttle = groupedBars({
    x: 600,
    y: 16,
    width: 560,
    height: 360,
    title: 'Client-side throttling p99 (log scale)',
    axis: 'rate-limiter wait p99 (ms)',
    categories,
    series: [
      { name: 'kube-controller-manager', values: summaries.map(s => (s.median.controllerManagerThrottleP99 ?? 0) * 1000) },
      { name: 'kube-scheduler', values: summaries.map(s => (s.median.schedulerThrottleP99 ?? 0) * 1000) },
    ],
    log: { min: 1, max: 10_000 },
    label: v => String(Math.round(v)),
  });
  const bound = summaries.map(s => `${SHORT_TITLES[s.config].slice(0, 3)} at ${s.workload.qps} Jobs/s ${Math.round(s.median.longLivedBoundSeconds)} s`).join(', ');
  const configs = [...new Set(summaries.map(s => s.config))].map(c => CONFIG_TITLES[c]).join(', ');
  const w = summaries[0].workload;
  const m = results.machine;
  return svg(1176, 456, [
    ...rate,
    ...throttle,
    text(16, 396, `Client rates of kube-controller-manager and kube-scheduler: ${configs}.`, 'font-size="11"'),
    text(16, 414, `Time to bind the ${w.longLivedPods} long-lived pods: ${bound}.`, 'font-size="11"'),
    text(16, 440, `${results.command}, ${results.generated.slice(0, 10)}: ${w.nodes} nodes x ${w.devicesPerNode} devices, ${w.longLivedPods} + ${w.churnPods} x ${w.churnWaves} pods; `
      + `Kubernetes ${results.kubernetes}, ${m.cpus} x ${m.cpuModel}; medians of ${Math.min(...summaries.map(s => s.runs))} runs`, 'font-size="10" fill="#555"'),
  ]);
}

/** Each picture with the file it is written to, drawn from the committed results. */
export function charts(): Array<{ file: string; svg: string }> {
  return [
    { file: CLUSTER_CHART, svg: clusterChart(JSON.parse(fs.readFileSync(CLUSTER_BENCH_RESULTS, 'utf-8'))) },
    { file: CHECK_CHART, svg: checkChart(JSON.parse(fs.readFileSync(BENCH_RESULTS, 'utf-8'))) },
  ];
}

if (require.main === module) {
  for (const { file, svg: content } of charts()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    console.log(`${path.relative(ROOT, file)} written`);
  }
}
