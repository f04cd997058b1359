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
    expect(daemonSet.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []).map((p: any) => p.containerPort))
      .toContain(podMonitor.spec.podMetricsEndpoints[0].portNumber);
  });
});
