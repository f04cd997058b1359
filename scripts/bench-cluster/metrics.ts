/**
 * The components' own Prometheus metrics: scraped over loopback, parsed from the text format,
 * and read as deltas between two scrapes (histogram quantiles as PromQL's histogram_quantile
 * computes them: linear interpolation inside the bucket).
 */
import * as http from 'http';
import * as https from 'https';

/** One sample: metric name, labels, value. */
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export type Scrape = Sample[];

/** GET `url` (components' self-signed serving certificates are not verified; loopback only). */
export function scrape(url: string, bearer?: string): Promise<Scrape> {
  const headers = bearer ? { Authorization: `Bearer ${bearer}` } : {};
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise((resolve, reject) => {
    get(url, { rejectUnauthorized: false, headers, timeout: 30_000 }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET ${url}: ${res.statusCode}`));
          return;
        }
        resolve(parse(Buffer.concat(chunks).toString('utf-8')));
      });
    }).on('error', reject);
  });
}

/** The Prometheus text exposition format: `name{k="v",...} value`, comments skipped. */
export function parse(text: string): Scrape {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) {
      continue;
    }
    const labels: Record<string, string> = {};
    for (const l of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]] = l[2];
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

type LabelFilter = Record<string, string | RegExp>;

function matches(sample: Sample, name: string, filter: LabelFilter): boolean {
  return sample.name === name && Object.entries(filter).every(([k, v]) =>
    typeof v === 'string' ? sample.labels[k] === v : v.test(sample.labels[k] ?? ''));
}

/** Sum of the matching series. */
export function sum(s: Scrape, name: string, filter: LabelFilter = {}): number {
  return s.filter(x => matches(x, name, filter)).reduce((t, x) => t + x.value, 0);
}

/** Cumulative bucket counts by upper bound, summed over the matching series. */
function buckets(s: Scrape, name: string, filter: LabelFilter): Map<number, number> {
  const out = new Map<number, number>();
  for (const x of s.filter(b => matches(b, `${name}_bucket`, filter))) {
    const le = x.labels.le === '+Inf' ? Infinity : Number(x.labels.le);
    out.set(le, (out.get(le) ?? 0) + x.value);
  }
  return out;
}

/** What a histogram observed between two scrapes. */
export interface HistogramDelta {
  readonly count: number;
  readonly sum: number;
  /** Cumulative counts, ascending upper bounds (the last is +Inf). */
  readonly buckets: Array<[number, number]>;
}

export function histogramDelta(before: Scrape, after: Scrape, name: string, filter: LabelFilter = {}): HistogramDelta {
  const b0 = buckets(before, name, filter);
  const b1 = buckets(after, name, filter);
  return {
    count: sum(after, `${name}_count`, filter) - sum(before, `${name}_count`, filter),
    sum: sum(after, `${name}_sum`, filter) - sum(before, `${name}_sum`, filter),
    buckets: [...b1.keys()].sort((a, b) => a - b).map(le => [le, b1.get(le)! - (b0.get(le) ?? 0)]),
  };
}

/** histogram_quantile(q): undefined without observations; the highest finite bound when the rank falls in +Inf. */
export function quantile(q: number, h: HistogramDelta): number | undefined {
  const total = h.buckets.length > 0 ? h.buckets[h.buckets.length - 1][1] : 0;
  if (total <= 0) {
    return undefined;
  }
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, count] of h.buckets) {
    if (count >= rank) {
      if (le === Infinity) {
        return lowerBound;
      }
      return lowerBound + (le - lowerBound) * ((rank - lowerCount) / Math.max(count - lowerCount, 1e-12));
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}

/** Share of observations above `bound` (a bucket boundary). */
export function shareAbove(bound: number, h: HistogramDelta): number {
  const total = h.buckets.length > 0 ? h.buckets[h.buckets.length - 1][1] : 0;
  const within = h.buckets.find(([le]) => le === bound)?.[1];
  return total > 0 && within !== undefined ? (total - within) / total : 0;
}
