import { TestDriver } from './support';
import { DraMonitoring, DraMonitoringProps } from '../../src';
import { DRA_SIGNALS } from '../../src/monitoring/signals';
import { findObject, synthValid, testChart } from '../support/harness';

function dashboardOf(props: DraMonitoringProps = {}) {
  const chart = testChart();
  const gpu = new TestDriver(chart, 'gpu', { metricsPort: 8080 });
  const monitoring = new DraMonitoring(chart, 'monitoring', { drivers: [gpu], ...props });
  const configMap = findObject(synthValid(chart), 'ConfigMap', 'dra-monitoring-dashboard');
  const dashboard = JSON.parse(configMap.data['dra-monitoring.json']);
  const panels = dashboard.panels.filter((p: any) => p.type !== 'row');
  const alerts = monitoring.ruleGroups().flatMap(g => g.rules).filter(r => r.alert);
  return { configMap, dashboard, panels, alerts };
}

/** The number an alert compares with, from `... > 5.12` / `... >= 10`. */
function thresholdsIn(expr: string): number[] {
  return [...expr.matchAll(/(?:>|<|>=|<=) ([0-9.]+)\)?/g)].map(m => Number(m[1]));
}

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
      // Some alert compares this very series with the drawn threshold.
      const drawn = steps[1].value;
      const comparing = alerts.filter(a => a.expr.includes(`${s.record} `) || a.expr.includes(s.pageQuery.slice(0, 60)));
      const gRpc = s.record.includes('grpc') ? alerts.filter(a => a.alert === 'DraPluginGrpcSlow') : [];
      expect([...comparing, ...gRpc].flatMap(a => thresholdsIn(a.expr))).toContain(drawn);
    }
  });

  test('throttling and per-driver gRPC panels draw the thresholds of their alerts with the same query', () => {
    const { panels, alerts } = dashboardOf({ thresholds: { clientThrottlingSeconds: 2, pluginGrpcErrorRatio: 0.1 } });
    for (const name of ['DraControllerManagerClientThrottled', 'DraSchedulerClientThrottled', 'DraPluginGrpcSlow', 'DraPluginGrpcErrors']) {
      const alert = alerts.find(a => a.alert === name)!;
      const [query, threshold] = alert.expr.split(/ > (?=[0-9.]+$)/);
      const panel = panels.find((p: any) => p.targets[0].expr === query);
      expect({ name, found: panel !== undefined }).toEqual({ name, found: true });
      expect(panel.fieldConfig.defaults.thresholds.steps[1].value).toBe(Number(threshold));
    }
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
    expect(dashboard.panels.filter((p: any) => p.type === 'timeseries')).toHaveLength(13);
  });

  test('with a cluster label, a cluster picker narrows every query', () => {
    const { dashboard, panels } = dashboardOf({ clusterLabel: 'cluster' });
    expect(dashboard.templating.list.map((v: any) => v.name)).toEqual(['datasource', 'cluster']);
    for (const p of panels) {
      expect(p.targets[0].expr).toContain('cluster="$cluster"');
    }
  });
});
