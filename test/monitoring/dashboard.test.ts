import { alertRules, buildMonitoring } from './support';
import { DraMonitoringProps } from '../../src';
import { CLAIM_CREATES, CLAIMS } from '../../src/monitoring/claim-metrics';
import { grpcP99Expr, schedulerFirstAttemptP99Expr } from '../../src/monitoring/rules';
import { DRA_SIGNALS, SCHEDULER_E2E } from '../../src/monitoring/signals';
import { findObject, synthValid } from '../support/harness';

function dashboardOf(props: Partial<DraMonitoringProps> = {}) {
  const { chart, monitoring } = buildMonitoring(props, [{ metricsPort: 8080 }]);
  const configMap = findObject(synthValid(chart), 'ConfigMap', 'dra-monitoring-dashboard');
  const dashboard = JSON.parse(configMap.data['dra-monitoring.json']);
  const panels = dashboard.panels.filter((p: any) => p.type !== 'row');
  const alerts = alertRules(monitoring);
  return { configMap, dashboard, panels, alerts };
}

/** The numbers alerts compare `series` with: `<series> > 5.12`, `<series> >= 10`... */
function thresholdsOf(series: string, exprs: string[]): number[] {
  const escaped = series.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const comparison = new RegExp(`${escaped} (?:>|<|>=|<=) ([0-9.]+)`, 'g');
  return exprs.flatMap(expr => [...expr.matchAll(comparison)].map(m => Number(m[1])));
}

const DEFAULT_SELECTORS = { controllerManager: { job: 'kube-controller-manager' }, scheduler: { job: 'kube-scheduler' }, kubelet: { job: 'kubelet', metrics_path: '/metrics' } };

describe('Grafana dashboard', () => {
  test('a ConfigMap the Grafana sidecar picks up', () => {
    const { configMap, dashboard } = dashboardOf();
    expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
    expect(configMap.metadata.namespace).toBe('monitoring');
    expect(Object.keys(configMap.data)).toEqual(['dra-monitoring.json']);
    expect(dashboard.uid).toBe('dra-monitoring');
    expect(dashboard.templating.list.map((v: any) => v.name)).toEqual(['datasource']);
  });

  test('a panel per page signal, reading its recording rule, with the alert threshold drawn', () => {
    const { panels, alerts } = dashboardOf();
    for (const s of DRA_SIGNALS) {
      const panel = panels.find((p: any) => p.targets[0].expr === s.record);
      expect(panel).toBeDefined();
      expect(panel.title).toBe(s.title);
      expect(panel.fieldConfig.defaults.custom.thresholdsStyle.mode).toBe('line');
      const steps = panel.fieldConfig.defaults.thresholds.steps;
      expect(steps[0].value).toBeNull();
      // An alert compares this very series with the drawn threshold (the per-driver gRPC
      // alert compares the same histogram, by driver; the end-to-end alert its first attempts).
      const compared = s.record.includes('grpc')
        ? thresholdsOf(grpcP99Expr({ ...DEFAULT_SELECTORS }), alerts.map(a => a.expr))
        : s.record === SCHEDULER_E2E
          ? thresholdsOf(schedulerFirstAttemptP99Expr({ ...DEFAULT_SELECTORS }), alerts.map(a => a.expr))
          : thresholdsOf(s.record, alerts.map(a => a.expr));
      expect(compared.length).toBeGreaterThan(0);
      for (const value of compared) {
        expect({ record: s.record, threshold: value }).toEqual({ record: s.record, threshold: steps[1].value });
      }
    }
  });

  test('a legend says p99 only on a p99: the add rate and the queue depth say what they are', () => {
    const { panels } = dashboardOf();
    const isP99 = (query: string) => query.startsWith('histogram_quantile(0.99,') || /:p99_/.test(query);
    const misnamed = panels.filter((p: any) => p.targets[0].legendFormat.includes('p99') && !isP99(p.targets[0].expr));
    expect(misnamed.map((p: any) => p.title)).toEqual([]);
    const legendOf = (title: string) => panels.find((p: any) => p.title === title).targets[0].legendFormat;
    expect(legendOf('ResourceClaim controller workqueue add rate')).toBe('adds/s');
    expect(legendOf('ResourceClaim controller workqueue depth')).toBe('items');
  });

  test('throttling, first-attempt scheduling and per-driver gRPC panels draw the thresholds of their alerts with the same query', () => {
    const { panels, alerts } = dashboardOf({ thresholds: { clientThrottlingSeconds: 2, pluginGrpcErrorRatio: 0.1 } });
    for (const name of ['DraSchedulerEndToEndLatencyHigh', 'DraControllerManagerClientThrottled', 'DraSchedulerClientThrottled', 'DraPluginGrpcSlow', 'DraPluginGrpcErrors']) {
      const alert = alerts.find(a => a.alert === name)!;
      const [query, threshold] = alert.expr.split(/ > (?=[0-9.]+$)/);
      const panel = panels.find((p: any) => p.targets[0].expr === query);
      expect({ name, found: panel !== undefined }).toEqual({ name, found: true });
      expect(panel.fieldConfig.defaults.thresholds.steps[1].value).toBe(Number(threshold));
    }
  });

  test('the claim panels read the claim recording rules, legend by status and allocation, with no threshold line (no alert compares them with one)', () => {
    const { panels } = dashboardOf();
    const creates = panels.find((p: any) => p.targets[0].expr === CLAIM_CREATES);
    const claims = panels.find((p: any) => p.targets[0].expr === CLAIMS);
    expect([creates.targets[0].legendFormat, claims.targets[0].legendFormat]).toEqual(['{{status}}', 'allocated={{allocated}}']);
    expect([creates.fieldConfig.defaults.thresholds, claims.fieldConfig.defaults.thresholds]).toEqual([undefined, undefined]);
  });

  test('panels do not overlap and fill two columns', () => {
    const { dashboard } = dashboardOf();
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let row = y; row < y + h; row++) {
        for (let col = x; col < x + w; col++) {
          const cell = `${row},${col}`;
          expect(cells.has(cell)).toBe(false);
          cells.add(cell);
        }
      }
    }
    expect(dashboard.panels.filter((p: any) => p.type === 'timeseries')).toHaveLength(16);
  });

  test('with a cluster label, a cluster picker narrows every query', () => {
    const { dashboard, panels } = dashboardOf({ clusterLabel: 'cluster' });
    expect(dashboard.templating.list.map((v: any) => v.name)).toEqual(['datasource', 'cluster']);
    for (const p of panels) {
      expect(p.targets[0].expr).toContain('cluster="$cluster"');
    }
  });
});
