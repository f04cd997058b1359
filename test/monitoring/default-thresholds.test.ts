import { DEFAULT_THRESHOLDS, HISTOGRAM_CEILINGS, ResolvedThresholds, THRESHOLD_HISTOGRAMS } from '../../src/monitoring/default-thresholds';

/**
 * Thresholds compared with a gauge, a counter or a ratio, not with a histogram quantile: they
 * have no buckets to sit on, so they are exempt from the bucket-bound check.
 */
const NON_HISTOGRAM_THRESHOLDS: Array<keyof ResolvedThresholds> = [
  'resourceClaimAddRate', // rate of a counter (items/s)
  'resourceClaimQueueDepth', // gauge (items)
  'pluginGrpcErrorRatio', // ratio of two counters
  'driverContainerRestarts', // counter rise (restarts)
];

/** Equal up to floating-point noise (bounds come from repeated multiplication). */
function sameBound(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

describe('default thresholds', () => {
  test('every threshold is either compared with a histogram or listed as exempt', () => {
    const classified = [...Object.keys(THRESHOLD_HISTOGRAMS), ...NON_HISTOGRAM_THRESHOLDS].sort();
    expect(classified).toEqual(Object.keys(DEFAULT_THRESHOLDS).sort());
  });

  test.each(Object.entries(THRESHOLD_HISTOGRAMS))('%s default sits on a bucket bound of its histogram', (key, histogram) => {
    const value = DEFAULT_THRESHOLDS[key as keyof ResolvedThresholds];
    const bound = histogram.bounds.find(b => sameBound(b, value));
    if (bound === undefined) {
      throw new Error(`${key} default ${value} is not a bucket bound of ${histogram.metric}: ${histogram.bounds.join(', ')}`);
    }
    // Below the top bound, or the alert could never fire.
    expect(value).toBeLessThan(HISTOGRAM_CEILINGS[key as keyof ResolvedThresholds]!.seconds);
  });

  test.each(Object.entries(THRESHOLD_HISTOGRAMS))('%s histogram bounds are positive, ascending, and the ceiling is the top one', (key, histogram) => {
    expect(histogram.bounds.length).toBeGreaterThan(1);
    expect(histogram.bounds[0]).toBeGreaterThan(0);
    for (let i = 1; i < histogram.bounds.length; i++) {
      expect(histogram.bounds[i]).toBeGreaterThan(histogram.bounds[i - 1]);
    }
    expect(HISTOGRAM_CEILINGS[key as keyof ResolvedThresholds]).toEqual({
      metric: histogram.metric,
      seconds: histogram.bounds[histogram.bounds.length - 1],
    });
  });

  test('exponential layouts are the exact decimal bounds the Go source means', () => {
    // ExponentialBuckets(10e-9, 10, 10): Go's repeated multiplication would give 9.999999999999999e-06 for 1e-5.
    expect(THRESHOLD_HISTOGRAMS.resourceClaimWorkDurationSeconds!.bounds).toEqual(
      [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10]);
    expect(THRESHOLD_HISTOGRAMS.schedulerEndToEndSeconds!.bounds).toHaveLength(20);
    expect(THRESHOLD_HISTOGRAMS.schedulerAlgorithmSeconds!.bounds).toHaveLength(15);
    expect(THRESHOLD_HISTOGRAMS.schedulerAlgorithmSeconds!.bounds).toContain(1.024);
  });
});
