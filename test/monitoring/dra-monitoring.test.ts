import { parse } from 'yaml';
import { alertRule, alertRules, allRules, buildMonitoring, promqlErrors, RUNBOOK_BASE_URL, TestDriver } from './support';
import { ControlPlaneTarget, DraDriver, DraMonitoring, DraMonitoringProps, DraRuleFormat, DriverProbe } from '../../src';
import { CLAIM_CREATES, CLAIMS } from '../../src/monitoring/claim-metrics';
import { DRA_SIGNALS } from '../../src/monitoring/signals';
import { findObject, findObjects, synthValid, testChart } from '../support/harness';

describe('DraMonitoring objects', () => {
  test('a PrometheusRule with the user\'s labels, valid against the CRD schema, holding the rule groups', () => {
    const { chart, monitoring } = buildMonitoring({ ruleLabels: { release: 'kube-prometheus-stack' } });
    const objects = synthValid(chart);
    const rule = findObject(objects, 'PrometheusRule', 'dra-monitoring');
    expect(rule.metadata.namespace).toBe('monitoring');
    expect(rule.metadata.labels).toMatchObject({
      'release': 'kube-prometheus-stack',
      'app.kubernetes.io/name': 'dra-monitoring',
      'app.kubernetes.io/part-of': 'cdk8s-dra',
    });
    expect(rule.spec.groups).toEqual(JSON.parse(JSON.stringify(monitoring.ruleGroups())));
  });

  test('recording rules keep the page\'s metric names verbatim and replace only its scrape selector', () => {
    const { monitoring } = buildMonitoring();
    const records = monitoring.ruleGroups().find(g => g.name === 'dra.rules')!.rules;
    // The page's nine, then the two claim counts (claim-metrics.ts, tested in promtool.test.ts).
    expect(records.map(r => r.record)).toEqual([...DRA_SIGNALS.map(s => s.record), CLAIM_CREATES, CLAIMS]);
    for (const [i, s] of DRA_SIGNALS.entries()) {
      const selector = {
        controllerManager: 'job="kube-controller-manager"',
        scheduler: 'job="kube-scheduler"',
        // kube-prometheus-stack's kubelet job scrapes several paths: only /metrics has the DRA metrics.
        kubelet: 'job="kubelet", metrics_path="/metrics"',
      }[s.source];
      // The page's query with its selector (none, or endpoint=...) swapped for the job's.
      const expected = s.pageQuery
        .replace('endpoint="kube-controller-manager", ', '')
        .replace(/(_total|_bucket|_depth)\{/, `$1{${selector}, `)
        .replace(/(_bucket)\[/, `$1{${selector}}[`);
      expect(records[i].expr).toBe(expected);
    }
  });

  test('custom selectors and a cluster label reach every expression', () => {
    const { monitoring } = buildMonitoring({
      controllerManagerSelector: { endpoint: 'kube-controller-manager' },
      schedulerSelector: { job: 'scheduler', namespace: 'kube-system' },
      kubeletSelector: { job: 'monitoring/kubelet' },
      clusterLabel: 'cluster',
    });
    const exprs = allRules(monitoring).map(r => r.expr).join('\n');
    expect(exprs).toContain('workqueue_depth{endpoint="kube-controller-manager", name="resource_claim"}');
    expect(exprs).toContain('scheduler_scheduling_algorithm_duration_seconds_bucket{job="scheduler", namespace="kube-system"}');
    expect(exprs).toContain('dra_operations_duration_seconds_bucket{job="monitoring/kubelet", operation_name="PrepareResources"}');
    expect(exprs).not.toContain('job="kube-controller-manager"');
    expect(exprs).toContain('rate({job="scheduler", namespace="kube-system", __name__=~"dynamic_resource_allocation_resourceclaim_creates_total|');
    for (const r of allRules(monitoring).filter(rule => rule.record)) {
      expect(r.expr).toMatch(/by \(cluster(, le|, status|, allocated)?\)\)?$/);
    }
  });

  test('every expression parses as PromQL (lezer-promql, Prometheus UI grammar)', () => {
    const { monitoring } = buildMonitoring({ clusterLabel: 'cluster' }, [{ metricsPort: 8080 }, { driverName: 'nic.example.com', daemonSetName: 'nic', metricsJob: 'nic-metrics' }]);
    const rules = allRules(monitoring);
    expect(rules.length).toBeGreaterThan(20);
    for (const r of rules) {
      expect({ rule: r.record ?? r.alert, errors: promqlErrors(r.expr) }).toEqual({ rule: r.record ?? r.alert, errors: [] });
    }
    // The check itself catches a broken expression.
    expect(promqlErrors('sum(rate(x{a="b"}[5m]')).not.toEqual([]);
  });

  test('alerts follow kubernetes-mixin conventions and link to their runbook section', () => {
    const { monitoring } = buildMonitoring({ runbookBaseUrl: 'https://example.com/runbooks.md', alertFor: '10m' }, [{ metricsPort: 8080 }]);
    const alerts = alertRules(monitoring);
    expect(alerts.length).toBe(18);
    for (const a of alerts) {
      expect(a.alert).toMatch(/^Dra[A-Z][A-Za-z]+$/);
      // The restart alert counts within its own 15-minute window and fires at once (see rules.ts).
      expect(a.for).toBe(a.alert === 'DraDriverContainerRestarting' ? '0m' : '10m');
      expect(['critical', 'warning', 'info']).toContain(a.labels!.severity);
      expect(Object.keys(a.annotations!).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(a.annotations!.runbook_url).toBe(`https://example.com/runbooks.md#${a.alert!.toLowerCase()}`);
    }
  });

  test('the two diagnoses say what to change', () => {
    const { monitoring } = buildMonitoring();
    const byName = new Map(allRules(monitoring).map(r => [r.alert, r]));
    expect(byName.get('DraResourceClaimControllerMistuned')!.annotations!.description).toMatch(/--kube-api-qps.*--kube-api-burst.*CPU/);
    expect(byName.get('DraResourceClaimControllerConcurrencyShort')!.annotations!.description)
      .toMatch(/Lower the pod creation rate.*1\.36\+ raise kube-controller-manager --concurrent-resourceclaim-syncs/);
  });

  test('custom thresholds replace the defaults in the expressions', () => {
    const { monitoring } = buildMonitoring({ thresholds: { schedulerEndToEndSeconds: 10.24, resourceClaimQueueDepth: 1000 } });
    const exprs = allRules(monitoring).map(r => r.expr).join('\n');
    expect(exprs).toContain('histogram_quantile(0.99, sum(increase(scheduler_pod_scheduling_sli_duration_seconds_bucket{job="kube-scheduler", attempts="1"}[5m])) by (le)) > 10.24');
    expect(exprs).toContain('dra:resource_claim_workqueue_depth:sum > 1000');
    expect(exprs).toContain('dra:scheduler_scheduling_algorithm_duration_seconds:p99_increase5m > 1.024');
  });

  test('ConfigMap format: the plain rule file promtool reads, and no PrometheusRule', () => {
    const { chart, monitoring } = buildMonitoring({ ruleFormat: DraRuleFormat.CONFIG_MAP, ruleLabels: { team: 'platform' } });
    const objects = synthValid(chart);
    expect(findObjects(objects, 'PrometheusRule')).toEqual([]);
    const cm = findObject(objects, 'ConfigMap', 'dra-monitoring-rules');
    expect(monitoring.rulesObjectName).toBe('dra-monitoring-rules');
    expect(cm.metadata.labels.team).toBe('platform');
    expect(parse(cm.data['dra-monitoring.rules.yaml'])).toEqual(JSON.parse(JSON.stringify({ groups: monitoring.ruleGroups() })));
  });

  test('a driver with only a metrics port gets a PodMonitor, and its target-down alert uses the PodMonitor\'s job', () => {
    const { chart, monitoring } = buildMonitoring({ ruleLabels: { release: 'kps' } }, [{ metricsPort: 8080, podSelectorLabels: { app: 'gpu' } }]);
    const objects = synthValid(chart);
    const podMonitor = findObject(objects, 'PodMonitor', 'gpu-kubelet-plugin-metrics');
    expect(podMonitor.metadata.namespace).toBe('dra-gpu');
    expect(podMonitor.metadata.labels.release).toBe('kps');
    expect(podMonitor.spec.selector).toEqual({ matchLabels: { app: 'gpu' } });
    // The port by name: older prometheus-operator releases and Grafana Alloy ignore portNumber
    // and would scrape every container port, the gRPC health port included.
    expect(podMonitor.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics' }]);
    const down = alertRule(monitoring, 'DraDriverMetricsTargetDown');
    // prometheus-operator names a PodMonitor's job `<namespace>/<name>`.
    expect(down.expr).toBe('up{job="dra-gpu/gpu-kubelet-plugin-metrics"} == 0');
    expect(down.labels).toEqual({ severity: 'warning', driver_name: 'gpu.example.com' });
    // A target that is not there at all (not selected, no endpoint) is not `== 0`: its own alert.
    const absent = alertRule(monitoring, 'DraDriverMetricsTargetAbsent');
    expect(absent.expr).toBe('absent(up{job="dra-gpu/gpu-kubelet-plugin-metrics"})');
    expect(absent.labels).toEqual({ severity: 'warning', driver_name: 'gpu.example.com' });
  });

  test('a DraDriver serving metrics on its health port, without a ServiceMonitor: the PodMonitor scrapes that port by its name', () => {
    const chart = testChart();
    const driver = new DraDriver(chart, 'cpu', {
      driverName: 'dra.cpu',
      image: 'registry.example.com/dracpu:v1',
      probe: DriverProbe.httpGet({ port: 8080, portName: 'healthz' }),
      metricsPort: 8080,
      serviceMonitor: false,
    });
    expect(driver.metricsPortName).toBe('healthz');
    new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, drivers: [driver] });
    const objects = synthValid(chart);
    expect(findObject(objects, 'PodMonitor', 'dra-cpu-kubelet-plugin-metrics').spec.podMetricsEndpoints).toEqual([{ port: 'healthz', path: '/metrics' }]);
    const ports = findObject(objects, 'DaemonSet').spec.template.spec.containers[0].ports;
    expect(ports.map((p: any) => p.name)).toEqual(['healthz']);
  });

  test('the kubelet absence alert looks at the /metrics endpoint, not any path of the kubelet job', () => {
    const { monitoring } = buildMonitoring();
    expect(alertRule(monitoring, 'DraKubeletMetricsAbsent').expr).toBe('absent(up{job="kubelet", metrics_path="/metrics"} == 1)');
  });

  test('the scheduler end-to-end alert reads first attempts only; the recording rule keeps the page\'s query', () => {
    const { monitoring } = buildMonitoring();
    expect(alertRule(monitoring, 'DraSchedulerEndToEndLatencyHigh').expr).toContain('attempts="1"');
    const record = allRules(monitoring).find(r => r.record === 'dra:scheduler_pod_scheduling_sli_duration_seconds:p99_increase5m')!;
    expect(record.expr).not.toContain('attempts');
  });

  test('k3s: one throttling alert for the single control-plane process, none per component', () => {
    const alerts = (props: Partial<DraMonitoringProps>) => alertRules(buildMonitoring(props).monitoring).map(a => a.alert).filter(a => a!.includes('Throttled'));
    expect(alerts({ controlPlaneTarget: ControlPlaneTarget.K3S })).toEqual(['DraControlPlaneClientThrottled']);
    expect(alerts({})).toEqual(['DraControllerManagerClientThrottled', 'DraSchedulerClientThrottled']);
    // RKE2 runs the components as static Pods, processes of their own.
    expect(alerts({ controlPlaneTarget: ControlPlaneTarget.RKE2 })).toEqual(['DraControllerManagerClientThrottled', 'DraSchedulerClientThrottled']);
    const merged = alertRule(buildMonitoring({ controlPlaneTarget: ControlPlaneTarget.K3S }).monitoring, 'DraControlPlaneClientThrottled');
    expect(merged.expr).toBe('histogram_quantile(0.99, sum(rate(rest_client_rate_limiter_duration_seconds_bucket{job="kube-controller-manager"}[5m])) by (le)) > 1');
    expect(merged.annotations!.description).toMatch(/kube-api-qps.*clientConnection\.qps/);
  });

  test('a driver that ships its scrape job is not scraped again; one without metrics gets no target alert', () => {
    const { chart, monitoring } = buildMonitoring({}, [
      { metricsPort: 8080, metricsJob: 'gpu-metrics' },
      { driverName: 'nic.example.com', daemonSetName: 'nic-plugin', namespace: 'dra-nic' },
    ]);
    expect(findObjects(synthValid(chart), 'PodMonitor')).toEqual([]);
    const down = allRules(monitoring).filter(r => r.alert === 'DraDriverMetricsTargetDown');
    expect(down.map(r => r.expr)).toEqual(['up{job="gpu-metrics"} == 0']);
    expect(allRules(monitoring).filter(r => r.alert === 'DraDriverMetricsTargetAbsent').map(r => r.expr)).toEqual(['absent(up{job="gpu-metrics"})']);
    const unavailable = allRules(monitoring).filter(r => r.alert === 'DraDriverPodsUnavailable').map(r => r.expr);
    const ds = (metric: string, ns: string, name: string) => `${metric}{job="kube-state-metrics", namespace="${ns}", daemonset="${name}"}`;
    const expected = (ns: string, name: string) => {
      const updated = ds('kube_daemonset_status_updated_number_scheduled', ns, name);
      return `${ds('kube_daemonset_status_number_unavailable', ns, name)} > 0 and (${updated} == ${ds('kube_daemonset_status_desired_number_scheduled', ns, name)} or changes(${updated}[5m]) == 0)`;
    };
    expect(unavailable).toEqual([expected('dra-gpu', 'gpu-kubelet-plugin'), expected('dra-nic', 'nic-plugin')]);
  });

  test('a dotted DaemonSet name is matched literally in the pod regex', () => {
    const { monitoring } = buildMonitoring({ kubeStateMetricsSelector: { service: 'ksm' } }, [{ daemonSetName: 'gpu.plugin' }]);
    const restarts = alertRule(monitoring, 'DraDriverContainerRestarting');
    expect(restarts.expr).toContain('kube_pod_container_status_restarts_total{service="ksm", namespace="dra-gpu", pod=~"gpu\\\\.plugin-[a-z0-9]{5}"}');
  });

  test('no drivers: no driver alert group', () => {
    const { monitoring } = buildMonitoring();
    expect(monitoring.ruleGroups().map(g => g.name)).toEqual(['dra.rules', 'dra.control-plane.alerts']);
  });

  test('the dashboard can be turned off', () => {
    const { chart, monitoring } = buildMonitoring({ dashboard: false });
    expect(findObjects(synthValid(chart), 'ConfigMap')).toEqual([]);
    expect(monitoring.dashboardConfigMapName).toBeUndefined();
  });

  test('output is deterministic', () => {
    const render = () => JSON.stringify(synthValid(buildMonitoring({ clusterLabel: 'cluster' }, [{ metricsPort: 8080 }]).chart));
    expect(render()).toBe(render());
  });

  test('snapshot', () => {
    expect(synthValid(buildMonitoring({ ruleLabels: { release: 'kube-prometheus-stack' } }, [{ metricsPort: 8080 }]).chart)).toMatchSnapshot();
  });
});

describe('DraMonitoring bad input fails at synth time', () => {
  const cases: Array<[string, Partial<DraMonitoringProps>, RegExp]> = [
    ['a quote in a selector value', { schedulerSelector: { job: 'kube"scheduler' } },
      /DraMonitoring 'monitoring' \(test\/monitoring\): schedulerSelector\['job'\] 'kube"scheduler' must be a non-empty label value/],
    ['an empty selector value', { kubeletSelector: { job: '' } }, /kubeletSelector\['job'\] '' must be a non-empty label value/],
    ['a regex in a selector value', { kubeletSelector: { job: 'kube.*|x' } }, /kubeletSelector\['job'\] 'kube\.\*\|x'/],
    ['an empty selector', { controllerManagerSelector: {} }, /controllerManagerSelector \{\} must have at least one label matcher/],
    ['a bad selector label', { kubeletSelector: { 'job-name': 'kubelet' } }, /kubeletSelector label 'job-name' must be a Prometheus label name/],
    ['a reserved selector label', { kubeletSelector: { __name__: 'up' } }, /kubeletSelector label '__name__'/],
    ['a bad cluster label', { clusterLabel: 'k8s-cluster' }, /clusterLabel 'k8s-cluster' must be a Prometheus label name/],
    ['a zero threshold', { thresholds: { resourceClaimQueueDepth: 0 } }, /thresholds\.resourceClaimQueueDepth 0 must be a positive number/],
    ['a negative threshold', { thresholds: { schedulerEndToEndSeconds: -1 } }, /thresholds\.schedulerEndToEndSeconds -1 must be a positive number/],
    ['a NaN threshold', { thresholds: { pluginGrpcSeconds: NaN } }, /thresholds\.pluginGrpcSeconds NaN must be a positive number/],
    ['an error ratio above 1', { thresholds: { pluginGrpcErrorRatio: 5 } }, /thresholds\.pluginGrpcErrorRatio 5 must be a fraction at most 1/],
    ['a for that is not a duration', { alertFor: '15 minutes' }, /alertFor '15 minutes' must be a Prometheus duration/],
    ['a for with units out of order', { alertFor: '5m1h' }, /alertFor '5m1h' must be a Prometheus duration/],
    ['an empty for', { alertFor: '' }, /alertFor '' must be a Prometheus duration/],
    ['a bad rule label value', { ruleLabels: { release: 'kube prometheus' } }, /ruleLabels\['release'\] 'kube prometheus' must be a Kubernetes label value/],
    ['a bad rule label key', { ruleLabels: { 'a b': 'x' } }, /ruleLabels key 'a b' must be a Kubernetes label key/],
    ['a rule label key with an upper-case prefix', { ruleLabels: { 'Example.com/team': 'x' } }, /ruleLabels key 'Example\.com\/team' must be a Kubernetes label key/],
    ['a rule label value over 63 characters', { ruleLabels: { team: 'a'.repeat(64) } }, /ruleLabels\['team'\] 'a{64}' must be a Kubernetes label value/],
    // Plain JavaScript callers: the API server takes only strings as label values.
    ['a number as a rule label value', { ruleLabels: { release: 5 as any } }, /ruleLabels\['release'\] 5 must be a string, not a number/],
    // Plain JavaScript callers: no default location to link to, so the URL is required.
    ['no runbook URL', { runbookBaseUrl: undefined }, /runbookBaseUrl is required/],
    ['a runbook URL with a fragment', { runbookBaseUrl: 'https://x/runbooks.md#top' }, /runbookBaseUrl 'https:\/\/x\/runbooks\.md#top' must be an http\(s\) URL/],
    ['a bad name', { name: 'DRA' }, /name 'DRA' must be a DNS label/],
    ['a bad namespace', { namespace: 'mon_itoring' }, /namespace 'mon_itoring' must be a DNS label/],
  ];
  test.each(cases)('%s', (_, props, message) => {
    const chart = testChart();
    expect(() => new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, ...props })).toThrow(message);
    // Nothing was created before the error.
    expect(chart.node.findAll().filter(c => c !== chart)).toHaveLength(1);
  });

  test.each([
    ['a metricsJob that would break PromQL', { metricsJob: 'gpu"} or vector(1) #' }, /drivers\[0\]\.metricsJob 'gpu"\} or vector\(1\) #' must be a non-empty label value/],
    ['a metrics port out of range', { metricsPort: 70000 }, /drivers\[0\]\.metricsPort 70000 must be a port number/],
    ['a metrics port name that is no port name', { metricsPort: 8080, metricsPortName: 'Metrics_Port' }, /drivers\[0\]\.metricsPortName 'Metrics_Port' must be an IANA service name/],
    ['a pod selector label value with a space', { metricsPort: 8080, podSelectorLabels: { app: 'gpu plugin' } },
      /drivers\[0\]\.podSelectorLabels\['app'\] 'gpu plugin' must be a Kubernetes label value/],
    ['a PodMonitor selecting every pod', { metricsPort: 8080, podSelectorLabels: {} }, /drivers\[0\]\.podSelectorLabels \{\} must not be empty/],
    ['a bad namespace', { namespace: 'Dra' }, /drivers\[0\]\.namespace 'Dra' must be a DNS label/],
    ['a driver name that would break PromQL', { driverName: 'gpu"}' }, /drivers\[0\]\.driverName 'gpu"\}' must be a DNS subdomain/],
    ['a DaemonSet name that would break the pod regex', { daemonSetName: 'gpu|.*' }, /drivers\[0\]\.daemonSetName 'gpu\|\.\*' must be a DNS subdomain/],
  ] as Array<[string, any, RegExp]>)('driver: %s', (_, driverProps, message) => {
    const chart = testChart();
    const driver = new TestDriver(chart, 'gpu', driverProps);
    expect(() => new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, drivers: [driver] })).toThrow(message);
  });

  // Each latency threshold against the highest finite bucket of its histogram on Kubernetes 1.34.
  test.each([
    ['resourceClaimWorkDurationSeconds', 10, 'workqueue_work_duration_seconds'],
    ['schedulerEndToEndSeconds', 5242.88, 'scheduler_pod_scheduling_sli_duration_seconds'],
    ['schedulerAlgorithmSeconds', 16.384, 'scheduler_scheduling_algorithm_duration_seconds'],
    ['kubeletOperationSeconds', 10, 'dra_operations_duration_seconds'],
    ['pluginGrpcSeconds', 10, 'dra_grpc_operations_duration_seconds'],
    ['clientThrottlingSeconds', 60, 'rest_client_rate_limiter_duration_seconds'],
  ] as Array<[string, number, string]>)('thresholds.%s at or above %s s (top bucket of %s) can never fire', (key, top, metric) => {
    for (const value of [top, top * 2]) {
      const chart = testChart();
      expect(() => new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, thresholds: { [key]: value } })).toThrow(
        `DraMonitoring 'monitoring' (test/monitoring): thresholds.${key} ${value} must be below ${top}: the alert can never fire, histogram_quantile caps at the highest finite bucket of ${metric}, ${top} s`);
      expect(chart.node.findAll().filter(c => c !== chart)).toHaveLength(1);
    }
    // Just below the top bound the alert can still fire.
    const below = new DraMonitoring(testChart(), 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, thresholds: { [key]: top * 0.99 } });
    expect(below.toRuleFile()).toContain(`> ${top * 0.99}`);
  });

  test('the same driver twice', () => {
    const chart = testChart();
    const driver = new TestDriver(chart, 'gpu');
    expect(() => new DraMonitoring(chart, 'monitoring', { runbookBaseUrl: RUNBOOK_BASE_URL, drivers: [driver, driver] }))
      .toThrow(/drivers\[1\] 'dra-gpu\/gpu-kubelet-plugin' is given twice/);
  });
});
