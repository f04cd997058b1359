import * as fs from 'fs';
import * as path from 'path';
import { alertRules, buildMonitoring } from './support';
import { ControlPlaneTarget } from '../../src';

const RUNBOOKS = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf-8');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function githubAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function sections(): Map<string, string> {
  const result = new Map<string, string>();
  const parts = RUNBOOKS.split(/^## /m).slice(1);
  for (const part of parts) {
    const [heading, ...body] = part.split('\n');
    result.set(githubAnchor(heading), body.join('\n'));
  }
  return result;
}

describe('runbooks', () => {
  // A user's copy of docs/runbooks.md, which ships with the package.
  const base = 'https://git.example.com/platform/dra/blob/main/runbooks.md';
  // Every alert there is: the default set, and the one the k3s target has instead of two.
  const alerts = [{}, { controlPlaneTarget: ControlPlaneTarget.K3S }]
    .flatMap(props => alertRules(buildMonitoring({ runbookBaseUrl: base, ...props }, [{ metricsPort: 8080 }]).monitoring))
    .filter((rule, i, all) => all.findIndex(other => other.alert === rule.alert) === i);

  test.each(alerts.map(a => [a.alert!, a.annotations!.runbook_url]))('%s links to a section saying meaning, how to confirm and what to do', (_, url) => {
    expect(url.startsWith(`${base}#`)).toBe(true);
    const body = sections().get(url.slice(base.length + 1));
    expect(body).toBeDefined();
    expect(body).toContain('**Meaning.**');
    expect(body).toContain('**Confirm.**');
    expect(body).toContain('**What to do.**');
  });

  test('no section for an alert that does not exist', () => {
    const anchors = new Set(alerts.map(a => a.alert!.toLowerCase()));
    expect([...sections().keys()].filter(anchor => !anchors.has(anchor))).toEqual([]);
  });

  test('anchors are computed the way GitHub does', () => {
    expect(githubAnchor('DraPluginGrpcErrors')).toBe('draplugingrpcerrors');
    expect(githubAnchor('What to do: QPS & burst')).toBe('what-to-do-qps--burst');
  });
});
