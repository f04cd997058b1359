import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DraMonitoring, DraMonitoringProps, DraPrometheusRule, IDraDriver } from '../../src';
import { testChart } from '../support/harness';

/** A driver installed some other way: the IDraDriver contract DraMonitoring codes against. */
export class TestDriver extends Construct implements IDraDriver {
  public readonly driverName: string;
  public readonly namespace: string;
  public readonly daemonSetName: string;
  public readonly serviceAccountName: string;
  public readonly podSelectorLabels: { [key: string]: string };
  public readonly metricsPort?: number;
  public readonly metricsPortName?: string;
  public readonly metricsJob?: string;

  constructor(scope: Construct, id: string, props: Partial<IDraDriver> = {}) {
    super(scope, id);
    this.driverName = props.driverName ?? 'gpu.example.com';
    this.namespace = props.namespace ?? 'dra-gpu';
    this.daemonSetName = props.daemonSetName ?? 'gpu-kubelet-plugin';
    this.serviceAccountName = props.serviceAccountName ?? 'gpu-kubelet-plugin';
    this.podSelectorLabels = props.podSelectorLabels ?? { 'app.kubernetes.io/name': 'gpu-kubelet-plugin' };
    this.metricsPort = props.metricsPort;
    this.metricsPortName = props.metricsPortName;
    this.metricsJob = props.metricsJob;
  }
}

/** Where the tests' alerts link their runbooks (DraMonitoring requires a location). */
export const RUNBOOK_BASE_URL = 'https://runbooks.example.com/dra.md';

/**
 * A chart holding a DraMonitoring over one TestDriver per entry of `drivers` (ids `driver0`...),
 * its runbooks at RUNBOOK_BASE_URL unless `props` says otherwise.
 */
export function buildMonitoring(
  props: Partial<DraMonitoringProps> = {},
  drivers: Array<Partial<IDraDriver>> = [],
): { chart: Chart; monitoring: DraMonitoring } {
  const chart = testChart();
  const driverObjects = drivers.map((d, i) => new TestDriver(chart, `driver${i}`, d));
  const monitoring = new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, drivers: driverObjects, ...props });
  return { chart, monitoring };
}

/** Every rule of every group, in file order. */
export function allRules(monitoring: DraMonitoring): DraPrometheusRule[] {
  return monitoring.ruleGroups().flatMap(g => g.rules);
}

/** The alerting rules, in file order. */
export function alertRules(monitoring: DraMonitoring): DraPrometheusRule[] {
  return allRules(monitoring).filter(r => r.alert);
}

/** The (first) alerting rule named `alert`; fails the test when there is none. */
export function alertRule(monitoring: DraMonitoring, alert: string): DraPrometheusRule {
  const rule = allRules(monitoring).find(r => r.alert === alert);
  if (!rule) {
    throw new Error(`no alert ${alert}`);
  }
  return rule;
}

const PROMTOOL_MISSING = 'promtool is not installed: install Debian\'s `prometheus` package (apt-get install prometheus), as .ci/run does';

/** Runs promtool with files written to a fresh temp dir; fails (never skips) when promtool is missing. */
export function promtool(args: string[], files: { [name: string]: string }): { ok: boolean; output: string } {
  const probe = spawnSync('promtool', ['--version']);
  if (probe.error) {
    throw new Error(PROMTOOL_MISSING);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dra-monitoring-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), content);
    }
    try {
      const out = execFileSync('promtool', args, { cwd: dir, stdio: 'pipe' });
      return { ok: true, output: out.toString() };
    } catch (e: any) {
      return { ok: false, output: `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}` };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The CJS build of the PromQL grammar Prometheus's own UI uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql');

/** The syntax errors (as offsets) lezer-promql finds in `expr`; empty when it parses. */
export function promqlErrors(expr: string): number[] {
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter: (node: any) => {
      if (node.type.isError) {
        errors.push(node.from);
      }
    },
  });
  return errors;
}
