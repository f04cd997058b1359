import { alertRule, RUNBOOK_BASE_URL } from './support';
import { DraDriver, DraMonitoring } from '../../src';
import { findObject, findObjects, synthValid, testChart } from '../support/harness';

// DraMonitoring with the library's own DraDriver: the ServiceMonitor and PodMonitor paths
// of the IDraDriver contract, end to end.
describe('DraMonitoring with DraDriver', () => {
  test('a driver with its ServiceMonitor: alerts on its job, no PodMonitor', () => {
    const chart = testChart();
    const gpu = new DraDriver(chart, 'gpu', { driverName: 'gpu.example.com', image: 'registry.example.com/gpu:v1', metricsPort: 8080 });
    const monitoring = new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, drivers: [gpu] });
    const objects = synthValid(chart);
    expect(findObjects(objects, 'PodMonitor')).toEqual([]);
    findObject(objects, 'ServiceMonitor');
    const down = alertRule(monitoring, 'DraDriverMetricsTargetDown');
    expect(gpu.metricsJob).toBeDefined();
    expect(down.expr).toBe(`up{job="${gpu.metricsJob}"} == 0`);
    const daemonSet = findObject(objects, 'DaemonSet', gpu.daemonSetName);
    const unavailable = alertRule(monitoring, 'DraDriverPodsUnavailable');
    expect(unavailable.expr).toContain(`namespace="${daemonSet.metadata.namespace}", daemonset="${daemonSet.metadata.name}"`);
  });

  test('a driver without a ServiceMonitor: a PodMonitor selecting exactly its DaemonSet\'s pods', () => {
    const chart = testChart();
    const gpu = new DraDriver(chart, 'gpu', {
      driverName: 'gpu.example.com', image: 'registry.example.com/gpu:v1', metricsPort: 8080, serviceMonitor: false,
    });
    new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, drivers: [gpu] });
    const objects = synthValid(chart);
    const podMonitor = findObject(objects, 'PodMonitor');
    const daemonSet = findObject(objects, 'DaemonSet', gpu.daemonSetName);
    expect(podMonitor.metadata.namespace).toBe(daemonSet.metadata.namespace);
    expect(podMonitor.spec.selector.matchLabels).toEqual(daemonSet.spec.selector.matchLabels);
    // The PodMonitor scrapes the plugin's metrics port by its name, and only that port.
    const ports = daemonSet.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []);
    const scraped = ports.filter((p: any) => p.name === podMonitor.spec.podMetricsEndpoints[0].port);
    expect(scraped.map((p: any) => p.containerPort)).toEqual([8080]);
  });
});

describe('DraMonitoring warns about driver ServiceMonitors its Prometheus does not select', () => {
  let stderr: jest.SpiedFunction<typeof console.warn>;
  beforeEach(() => { stderr = jest.spyOn(console, 'warn').mockImplementation(() => undefined); });
  afterEach(() => stderr.mockRestore());
  const warnings = () => stderr.mock.calls.map(call => String(call[0])).filter(text => text.startsWith('DraMonitoring'));

  function synth(serviceMonitorLabels: { [key: string]: string } | undefined, scrapeLabels: { [key: string]: string }): void {
    const chart = testChart();
    const gpu = new DraDriver(chart, 'gpu', { driverName: 'gpu.example.com', image: 'registry.example.com/gpu:v1', metricsPort: 8080, serviceMonitorLabels });
    new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, drivers: [gpu], ruleLabels: scrapeLabels });
    synthValid(chart);
  }

  test('a ServiceMonitor without the scrape labels: one warning at synth time, naming it and the labels', () => {
    synth(undefined, { release: 'kps' });
    expect(warnings()).toEqual([expect.stringMatching(
      /^DraMonitoring 'test\/monitoring': warning: gpu\.example\.com's ServiceMonitor gpu-example-com\/gpu-example-com-kubelet-plugin-metrics lack the scrapeLabels release=kps: Prometheus does not select them/)]);
  });

  test('a ServiceMonitor with a different value for a scrape label is not selected either', () => {
    synth({ release: 'other' }, { release: 'kps' });
    expect(warnings()).toHaveLength(1);
  });

  test('no warning when the ServiceMonitor has the labels, or when no labels are needed', () => {
    synth({ release: 'kps' }, { release: 'kps' });
    synth(undefined, {});
    expect(warnings()).toEqual([]);
  });
});
