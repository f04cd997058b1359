import { CLAIM_CREATES, CLAIMS } from './claim-metrics';
import { series } from './promql';
import { grpcErrorRatioExpr, grpcP99Expr, RuleConfig, schedulerFirstAttemptP99Expr, throttlingP99Expr } from './rules';
import { DRA_SIGNALS, MetricSource, SignalSelectors } from './signals';

/** One signal drawn on the dashboard, with the alert threshold it is judged against. */
interface DashboardSignal {
  readonly title: string;
  readonly expr: string;
  readonly legend: string;
  readonly unit: string;
  /** The alert threshold drawn as a line. @default - none: no alert compares this value with a threshold */
  readonly threshold?: number;
}

const ROWS: Array<{ title: string; source: MetricSource }> = [
  { title: 'ResourceClaim controller (kube-controller-manager)', source: MetricSource.CONTROLLER_MANAGER },
  { title: 'kube-scheduler', source: MetricSource.SCHEDULER },
  { title: 'Kubelet and DRA drivers', source: MetricSource.KUBELET },
];

/**
 * The panels of each row: the page's nine signals (read from their recording rules), then
 * the signals only alerts read (first-attempt scheduling, client throttling, per-driver gRPC
 * latency and errors), and the claim counts (creations by status, claims by allocation).
 * With a cluster label every query is narrowed to the dashboard's `$cluster`.
 */
function dashboardSignals(config: RuleConfig): Map<MetricSource, DashboardSignal[]> {
  const cluster = config.clusterLabel;
  const clusterMatcher: { [label: string]: string } = cluster ? { [cluster]: '$cluster' } : {};
  const withCluster = (selector: { [label: string]: string }) => ({ ...selector, ...clusterMatcher });
  const narrowed: SignalSelectors = {
    controllerManager: withCluster(config.controllerManager),
    scheduler: withCluster(config.scheduler),
    kubelet: withCluster(config.kubelet),
    clusterLabel: cluster,
  };
  const t = config.thresholds;
  const bySource = new Map<MetricSource, DashboardSignal[]>(ROWS.map(r => [r.source, []]));
  for (const s of DRA_SIGNALS) {
    bySource.get(s.source)!.push({
      title: s.title,
      expr: series(s.record, clusterMatcher),
      legend: s.legend,
      unit: s.unit,
      threshold: t[s.threshold],
    });
  }
  bySource.get(MetricSource.CONTROLLER_MANAGER)!.push({
    title: 'kube-controller-manager client-side throttling p99',
    expr: throttlingP99Expr(narrowed.controllerManager, cluster),
    legend: 'p99 wait',
    unit: 's',
    threshold: t.clientThrottlingSeconds,
  }, {
    title: 'ResourceClaim creations by status (kube-controller-manager and kube-scheduler)',
    expr: series(CLAIM_CREATES, clusterMatcher),
    legend: '{{status}}',
    unit: 'ops',
  }, {
    title: 'ResourceClaims by allocation',
    expr: series(CLAIMS, clusterMatcher),
    legend: 'allocated={{allocated}}',
    unit: 'short',
  });
  bySource.get(MetricSource.SCHEDULER)!.push({
    title: 'Scheduler end-to-end scheduling duration p99, first attempts',
    expr: schedulerFirstAttemptP99Expr(narrowed),
    legend: 'p99 first attempt',
    unit: 's',
    threshold: t.schedulerEndToEndSeconds,
  }, {
    title: 'kube-scheduler client-side throttling p99',
    expr: throttlingP99Expr(narrowed.scheduler, cluster),
    legend: 'p99 wait',
    unit: 's',
    threshold: t.clientThrottlingSeconds,
  });
  bySource.get(MetricSource.KUBELET)!.push(
    {
      title: 'Kubelet plugin gRPC p99 by driver',
      expr: grpcP99Expr(narrowed),
      legend: '{{driver_name}} {{method_name}}',
      unit: 's',
      threshold: t.pluginGrpcSeconds,
    },
    {
      title: 'Kubelet plugin gRPC error ratio by driver',
      expr: grpcErrorRatioExpr(narrowed),
      legend: '{{driver_name}} {{method_name}}',
      unit: 'percentunit',
      threshold: t.pluginGrpcErrorRatio,
    },
  );
  return bySource;
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const PANEL_HEIGHT = 8;
const PANEL_WIDTH = 12;

/** A Grafana dashboard (JSON model, schema 39): a row per component, two panels a line. */
export function buildDashboard(uid: string, config: RuleConfig): any {
  const signals = dashboardSignals(config);
  const panels: any[] = [];
  let y = 0;
  let id = 1;
  for (const row of ROWS) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    signals.get(row.source)!.forEach((s, index) => {
      const gridPos = { h: PANEL_HEIGHT, w: PANEL_WIDTH, x: (index % 2) * PANEL_WIDTH, y: y + Math.floor(index / 2) * PANEL_HEIGHT };
      panels.push(timeseriesPanel(id++, s, gridPos));
    });
    y += Math.ceil(signals.get(row.source)!.length / 2) * PANEL_HEIGHT;
  }
  const variables: any[] = [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0 }];
  if (config.clusterLabel) {
    variables.push({
      name: 'cluster',
      label: 'Cluster',
      type: 'query',
      datasource: DATASOURCE,
      query: `label_values(${DRA_SIGNALS[0].record}, ${config.clusterLabel})`,
      refresh: 2,
      hide: 0,
    });
  }
  return {
    uid,
    title: 'DRA / Control plane and drivers',
    description: 'The monitoring signals of the Kubernetes page "Good practices for Dynamic Resource Allocation as a Cluster Admin", with the alert thresholds drawn as lines.',
    tags: ['dra', 'cdk8s-dra'],
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    timezone: 'utc',
    templating: { list: variables },
    panels,
  };
}

function timeseriesPanel(id: number, s: DashboardSignal, gridPos: { h: number; w: number; x: number; y: number }): any {
  return {
    id,
    type: 'timeseries',
    title: s.title,
    datasource: DATASOURCE,
    gridPos,
    targets: [{ refId: 'A', datasource: DATASOURCE, expr: s.expr, legendFormat: s.legend }],
    fieldConfig: {
      defaults: {
        unit: s.unit,
        ...(s.threshold === undefined ? {} : {
          custom: { thresholdsStyle: { mode: 'line' } },
          thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: s.threshold }] },
        }),
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi', sort: 'none' } },
  };
}
