// The benchmark pictures are drawn from the committed results: a picture that disagrees with its
// data, or data that no longer draws, fails here (`npm run charts` redraws them).
import * as fs from 'fs';
import { CHECK_CHART, CLUSTER_CHART, charts, checkChart, clusterChart } from '../../scripts/charts';

describe('the benchmark pictures', () => {
  test.each(charts().map(c => [c.file.replace(/.*docs\//, 'docs/'), c] as const))('%s is what its results file draws (npm run charts)', (_, chart) => {
    expect(fs.readFileSync(chart.file, 'utf-8')).toBe(chart.svg);
  });

  test('each is well-formed SVG with a title, a legend and labelled axes', () => {
    const [cluster, check] = charts();
    expect(cluster.file).toBe(CLUSTER_CHART);
    expect(check.file).toBe(CHECK_CHART);
    for (const svg of [cluster.svg, check.svg]) {
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>\n[\s\S]*<\/svg>\n$/);
      // Every element closes: no text left open by a bad escape.
      expect(svg.match(/<text /g)!.length).toBe(svg.match(/<\/text>/g)!.length);
    }
    expect(cluster.svg).toContain('kube-controller-manager</text>');
    expect(cluster.svg).toContain('pods bound per second</text>');
    expect(cluster.svg).toContain('rate-limiter wait p99 (ms)</text>');
    expect(check.svg).toContain('kube-score</text>');
    expect(check.svg).toContain('Checkov</text>');
    expect(check.svg).toContain('objects per second</text>');
  });

  test('a figure of the data is a bar of that height, labelled with the value', () => {
    const results = JSON.parse(fs.readFileSync(require.resolve('../../bench-results/bench.json'), 'utf-8'));
    const doubled = JSON.parse(JSON.stringify(results));
    const tool = doubled.check.sizes[0].tools[1];
    tool.objectsPerSecond *= 2;
    const before = checkChart(results);
    const after = checkChart(doubled);
    expect(after).not.toBe(before);
    expect(after).toContain(`>${(tool.objectsPerSecond as number).toLocaleString('en-US')}</text>`);
    const cluster = JSON.parse(fs.readFileSync(require.resolve('../../bench-results/cluster.json'), 'utf-8'));
    expect(clusterChart(cluster)).toBe(clusterChart(JSON.parse(JSON.stringify(cluster))));
  });
});
