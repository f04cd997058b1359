// The library's rule file in a real, running Prometheus (Debian's binary, test/support/prometheus.ts):
// it loads, every rule evaluates without error on scraped data, the recording rules record
// what they should and the absence alerts tell a scraped component from a missing one. The
// target stands in for kube-controller-manager the way kube-prometheus-stack scrapes it:
// HTTPS with a self-signed certificate and a bearer token.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { buildMonitoring } from './support';
import { ADD_RATE, DEPTH, DRA_SIGNALS } from '../../src/monitoring/signals';
import { kubePrometheusStackTargets, TestPrometheus } from '../support/prometheus';

const TOKEN = 'scrape-token';
const monitoring = buildMonitoring().monitoring;

/** The expression of the recording rule for `record`. */
function ruleExpr(record: string): string {
  return monitoring.ruleGroups().flatMap(g => g.rules).find(r => r.record === record)!.expr;
}

/** An HTTPS /metrics endpoint with kube-controller-manager's ResourceClaim queue series; 10 adds per scrape. */
async function fakeControllerManager(): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dra-kcm-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'pipe' });
  let adds = 0;
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end();
      return;
    }
    adds += 10;
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end([
      '# TYPE workqueue_adds_total counter',
      `workqueue_adds_total{name="resource_claim"} ${adds}`,
      `workqueue_adds_total{name="endpoints"} ${adds * 100}`,
      '# TYPE workqueue_depth gauge',
      'workqueue_depth{name="resource_claim"} 7',
      'workqueue_depth{name="endpoints"} 1000',
      '',
    ].join('\n'));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as any).port;
  return {
    url: `https://127.0.0.1:${port}/metrics`,
    close: async () => {
      await new Promise(resolve => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('the rule file in a real Prometheus', () => {
  let kcm: Awaited<ReturnType<typeof fakeControllerManager>>;
  let prometheus: TestPrometheus;

  beforeAll(async () => {
    kcm = await fakeControllerManager();
    prometheus = await TestPrometheus.start({
      targets: [
        ...kubePrometheusStackTargets({ controllerManager: { url: kcm.url, bearerToken: TOKEN } }),
        // The same endpoint without the token: proves the token is what gets the other job in.
        { job: 'unauthenticated', url: kcm.url },
      ],
      ruleFile: monitoring.toRuleFile(),
    });
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await kcm?.close();
  });

  test('scrapes HTTPS targets with insecure_skip_verify and the bearer token', async () => {
    const up = await prometheus.waitFor('both targets scraped', async () => {
      const samples = await prometheus.query('up');
      return samples.length === 2 ? samples : undefined;
    });
    const byJob = Object.fromEntries(up.map(s => [s.labels.job, s.value]));
    expect(byJob).toEqual({ 'kube-controller-manager': 1, 'unauthenticated': 0 });
    expect(up.find(s => s.labels.job === 'kube-controller-manager')!.labels).toMatchObject({ endpoint: 'http-metrics', namespace: 'kube-system' });
  });

  test('the recording rules record the ResourceClaim queue only, from scraped data', async () => {
    const depth = await prometheus.waitFor('the depth recorded', async () => (await prometheus.query('dra:resource_claim_workqueue_depth:sum'))[0]);
    expect(depth).toMatchObject({ labels: { __name__: 'dra:resource_claim_workqueue_depth:sum' }, value: 7 });
    // The page's depth query selects endpoint="kube-controller-manager"; kube-prometheus-stack
    // names that endpoint http-metrics, so on its labels only the recording rule (job=) works.
    const pageDepth = DRA_SIGNALS.find(s => s.record === DEPTH)!.pageQuery;
    expect(await prometheus.query(pageDepth, depth.time)).toEqual([]);
    const rate = await prometheus.waitFor('the add rate recorded', async () =>
      (await prometheus.query('dra:resource_claim_workqueue_adds:rate5m > 0'))[0]);
    // 10 adds a scrape, one scrape a second; the endpoints queue (100 times as busy) left out.
    expect(rate.value).toBeGreaterThan(0);
    expect(rate.value).toBeLessThan(100);
    // The page's query (no selector) equals the rule's expression on the same data, in one
    // query, so one view of the storage: the recorded series itself may predate a late scrape.
    const addRate = DRA_SIGNALS.find(s => s.record === ADD_RATE)!;
    const difference = await prometheus.query(`(${ruleExpr(ADD_RATE)}) - (${addRate.pageQuery})`);
    expect(difference.map(d => d.value)).toEqual([0]);
  });

  test('every rule of the file evaluates without error', async () => {
    const rules = await prometheus.waitFor('every rule evaluated', async () => {
      const all = await prometheus.rules();
      return all.length > 0 && all.every(r => r.health !== 'unknown') ? all : undefined;
    });
    expect(rules.filter(r => r.health !== 'ok')).toEqual([]);
    // The page's nine and the two claim counts.
    expect(rules.filter(r => r.type === 'recording').length).toBe(11);
  });

  test('the absence alerts see the scraped controller manager and the missing scheduler and kubelets', async () => {
    const alerts = await prometheus.waitFor('the absence alerts pending', async () => {
      const names = (await prometheus.alerts()).map(a => a.labels.alertname);
      return names.includes('DraSchedulerMetricsAbsent') ? names : undefined;
    });
    expect(alerts).toContain('DraKubeletMetricsAbsent');
    expect(alerts).not.toContain('DraControllerManagerMetricsAbsent');
  });
});
