// The control-plane bench reads the components' histograms as PromQL does: these pin the
// parsing, the delta between two scrapes and histogram_quantile's interpolation.
import { histogramDelta, parse, quantile, shareAbove, sum } from '../../scripts/bench-cluster/metrics';

const scrapeWith = (counts: Record<string, number>, verb = 'POST') => parse([
  '# HELP rest_client_rate_limiter_duration_seconds [ALPHA] Client side rate limiter latency in seconds.',
  '# TYPE rest_client_rate_limiter_duration_seconds histogram',
  ...Object.entries(counts).map(([le, n]) => `rest_client_rate_limiter_duration_seconds_bucket{host="127.0.0.1:6443",verb="${verb}",le="${le}"} ${n}`),
  `rest_client_rate_limiter_duration_seconds_count{host="127.0.0.1:6443",verb="${verb}"} ${counts['+Inf']}`,
  `rest_client_rate_limiter_duration_seconds_sum{host="127.0.0.1:6443",verb="${verb}"} 1.5`,
  'workqueue_depth{name="resource_claim"} 7',
  'workqueue_depth{name="endpoint"} 100',
].join('\n'));

test('sums the series whose labels match', () => {
  expect(sum(scrapeWith({ '+Inf': 1 }), 'workqueue_depth', { name: 'resource_claim' })).toBe(7);
  expect(sum(scrapeWith({ '+Inf': 1 }), 'workqueue_depth')).toBe(107);
});

test('a quantile is read from the observations between two scrapes, interpolated inside the bucket', () => {
  const before = scrapeWith({ '0.005': 100, '0.025': 100, '0.1': 100, '+Inf': 100 });
  // 100 new observations: 50 under 5 ms, 50 between 25 and 100 ms.
  const after = scrapeWith({ '0.005': 150, '0.025': 150, '0.1': 200, '+Inf': 200 });
  const delta = histogramDelta(before, after, 'rest_client_rate_limiter_duration_seconds');
  expect(delta.count).toBe(100);
  expect(quantile(0.5, delta)).toBeCloseTo(0.005);
  expect(quantile(0.99, delta)).toBeCloseTo(0.025 + 0.075 * (49 / 50));
  expect(shareAbove(0.025, delta)).toBeCloseTo(0.5);
});

test('series of several label sets are added bucket by bucket; no observation gives no quantile', () => {
  const both = [...scrapeWith({ '0.005': 10, '+Inf': 10 }, 'GET'), ...scrapeWith({ '0.005': 0, '+Inf': 10 }, 'PUT')];
  const delta = histogramDelta([], both, 'rest_client_rate_limiter_duration_seconds');
  expect(delta.buckets).toEqual([[0.005, 10], [Infinity, 20]]);
  // The rank falls in +Inf: histogram_quantile answers the highest finite bound.
  expect(quantile(0.99, delta)).toBe(0.005);
  expect(quantile(0.99, histogramDelta(both, both, 'rest_client_rate_limiter_duration_seconds'))).toBeUndefined();
});
