// docs/monitoring.md and docs/runbooks.md quote recorded series, alert names and PromQL: they
// must name what DraMonitoring makes, and the queries must parse.
import * as fs from 'fs';
import * as path from 'path';
import { alertRules, buildMonitoring, promqlErrors } from './support';
import { ControlPlaneTarget } from '../../src';
import { CLAIM_CREATES, CLAIMS } from '../../src/monitoring/claim-metrics';
import { DRA_SIGNALS } from '../../src/monitoring/signals';

const DOCS = path.join(__dirname, '..', '..', 'docs');
const MONITORING = fs.readFileSync(path.join(DOCS, 'monitoring.md'), 'utf-8');
const RUNBOOKS = fs.readFileSync(path.join(DOCS, 'runbooks.md'), 'utf-8');

/** Inline code spans (outside fenced blocks), joined across line wraps. */
function codeSpans(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/\n\s*/g, ' ');
  return [...prose.matchAll(/`([^`]+)`/g)].map(m => m[1]);
}

describe('monitoring docs', () => {
  const records = new Set([...DRA_SIGNALS.map(s => s.record), CLAIM_CREATES, CLAIMS]);
  const alerts = [{}, { controlPlaneTarget: ControlPlaneTarget.K3S }]
    .flatMap(props => alertRules(buildMonitoring(props, [{ metricsPort: 8080 }]).monitoring).map(r => r.alert!));

  test.each([['monitoring.md', MONITORING], ['runbooks.md', RUNBOOKS]])('every dra: series %s names is a recording rule', (_, markdown) => {
    const named = [...markdown.matchAll(/dra:[a-z0-9_]+:[a-z0-9_]+/g)].map(m => m[0]);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter(series => !records.has(series))).toEqual([]);
  });

  test('monitoring.md lists every recording rule and every alert', () => {
    const spans = new Set(codeSpans(MONITORING));
    expect([...records].filter(r => !spans.has(r))).toEqual([]);
    expect([...new Set(alerts)].filter(a => !spans.has(a))).toEqual([]);
  });

  test('every PromQL query in runbooks.md parses', () => {
    const queries = codeSpans(RUNBOOKS).filter(span => /[({]/.test(span));
    expect(queries.length).toBeGreaterThan(5);
    for (const q of queries) {
      expect({ q, errors: promqlErrors(q) }).toEqual({ q, errors: [] });
    }
  });
});
