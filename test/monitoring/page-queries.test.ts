// Reads the upstream page from ../shared (/work/shared/seed/dra-cluster-admin-good-practices.md,
// next to the repository; CI always has it). It is never copied into the repo.
import * as fs from 'fs';
import * as path from 'path';
import { DRA_SIGNALS } from '../../src/monitoring/signals';

const PAGE = path.resolve(__dirname, '../../../shared/seed/dra-cluster-admin-good-practices.md');

/** Collapses whitespace runs to one space: the page wraps its inline queries across lines. */
function normalise(query: string): string {
  return query.replace(/\s+/g, ' ').trim();
}

/** Every query in the page's `{{< highlight promql ... >}} ... {{< /highlight >}}` shortcodes. */
function pageQueries(markdown: string): string[] {
  const shortcode = /\{\{<\s*highlight\s+promql\b[^>]*>\}\}([\s\S]*?)\{\{<\s*\/highlight\s*>\}\}/g;
  return [...markdown.matchAll(shortcode)].map(m => normalise(m[1]));
}

describe('the recording rules cover the upstream page\'s queries', () => {
  const queries = pageQueries(fs.readFileSync(PAGE, 'utf-8'));

  test('the page has PromQL shortcodes to compare with', () => {
    // Guards the extraction: a changed shortcode syntax must not make the set comparison vacuous.
    expect(queries.length).toBeGreaterThan(0);
    expect(new Set(queries).size).toBe(queries.length);
  });

  test('the pageQuery of the signals are exactly the page\'s queries, verbatim up to whitespace', () => {
    // Every page query has a recording rule, and no pageQuery was edited along with its rule.
    const signalQueries = DRA_SIGNALS.map(s => normalise(s.pageQuery));
    expect(new Set(signalQueries).size).toBe(signalQueries.length);
    expect([...signalQueries].sort()).toEqual([...queries].sort());
  });

  test('extraction joins a query wrapped across lines and trims the shortcode padding', () => {
    const markdown = 'Track {{< highlight promql "hl_inline=true"  >}} sum(workqueue_depth{a="b",\n  name="c"}) {{< /highlight >}} and\n'
      + '{{< highlight promql "hl_inline=true">}}histogram_quantile(0.99,\n  sum(rate(x_bucket[5m]))\n  by (le)){{< /highlight >}}.';
    expect(pageQueries(markdown)).toEqual([
      'sum(workqueue_depth{a="b", name="c"})',
      'histogram_quantile(0.99, sum(rate(x_bucket[5m])) by (le))',
    ]);
  });
});
