import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { buildDashboard } from './dashboard';
import { DEFAULT_THRESHOLDS, HISTOGRAM_CEILINGS, ResolvedThresholds } from './default-thresholds';
import { DRA_MONITORING_PROPS } from './monitoring-prop-types';
import { isPromDuration, isPromLabelName, isSafePromLabelValue, PROM_LABEL_NAME_RULE, SAFE_PROM_LABEL_VALUE_RULE } from './promql';
import { DraRuleFormat } from './rule-format';
import { DraPrometheusRuleGroup } from './rule-group';
import { buildRuleGroups, MonitoredDriver, RuleConfig } from './rules';
import { DraAlertThresholds, thresholdFloorProblem } from './thresholds';
import { IDraDriver } from '../common/driver';
import { refuseDuplicateObjects } from '../common/duplicate-objects';
import { invalidProp } from '../common/errors';
import { standardLabels } from '../common/labels';
import { isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue, isPortName, PORT_NAME_RULE } from '../common/names';
import { checkProps } from '../common/prop-types';
import { typedApiObject } from '../common/typed-objects';
import { warn } from '../common/warnings';
import { ControlPlaneTarget } from '../control-plane/target';
import { KubeConfigMap } from '../imports/k8s';
import { PodMonitor, PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../imports/monitoring.coreos.com';

/** Props of {@link DraMonitoring}. */
export interface DraMonitoringProps {
  /**
   * Drivers to alert on (DaemonSet availability, restarts, metrics target). A driver with
   * `metricsJob` is scraped by its own ServiceMonitor (synthesis warns when one under the
   * driver lacks the `scrapeLabels`); one with only `metricsPort` gets a PodMonitor here,
   * scraping its container port named `metrics`.
   * @default - no per-driver alerts and no PodMonitors
   */
  readonly drivers?: IDraDriver[];
  /**
   * Base of every object name: `<name>` (PrometheusRule), `<name>-rules` (ConfigMap rule
   * file), `<name>-dashboard` (dashboard ConfigMap, key `<name>.json`).
   * @default 'dra-monitoring'
   */
  readonly name?: string;
  /**
   * Namespace of the rules and the dashboard.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Labels your Prometheus selects rules by (kube-prometheus-stack: `release: <release>`).
   * @default - only the standard labels
   */
  readonly ruleLabels?: { [key: string]: string };
  /**
   * Labels your Prometheus selects PodMonitors and ServiceMonitors by.
   * @default - the ruleLabels
   */
  readonly scrapeLabels?: { [key: string]: string };
  /**
   * Where your copy of the runbooks lives; each alert links to
   * `<runbookBaseUrl>#<alertname in lower case>`. The runbooks ship with the package
   * (`docs/runbooks.md`): publish them where your on-call reads them. Required because the
   * package has no public home to link to by default.
   */
  readonly runbookBaseUrl: string;
  /**
   * Label matchers (equality) selecting kube-controller-manager's metrics.
   * @default { job: 'kube-controller-manager' }
   */
  readonly controllerManagerSelector?: { [label: string]: string };
  /**
   * Label matchers (equality) selecting kube-scheduler's metrics.
   * @default { job: 'kube-scheduler' }
   */
  readonly schedulerSelector?: { [label: string]: string };
  /**
   * Label matchers (equality) selecting the kubelets' `/metrics` endpoint (which includes the
   * drivers' gRPC metrics: the kubelet records them). kube-prometheus-stack's `kubelet` job
   * also scrapes cadvisor, probes and resource paths, told apart by `metrics_path`.
   * @default { job: 'kubelet', metrics_path: '/metrics' }
   */
  readonly kubeletSelector?: { [label: string]: string };
  /**
   * Label matchers (equality) selecting kube-state-metrics.
   * @default { job: 'kube-state-metrics' }
   */
  readonly kubeStateMetricsSelector?: { [label: string]: string };
  /**
   * The label that tells clusters apart when one Prometheus (Thanos, Mimir) holds several;
   * every aggregation keeps it and the dashboard gets a cluster picker.
   * @default - one cluster: aggregations are cluster-wide, as on the page
   */
  readonly clusterLabel?: string;
  /**
   * The tool that deploys the control plane. With `ControlPlaneTarget.K3S`,
   * kube-controller-manager and kube-scheduler run in one process with one metrics registry,
   * so one throttling alert (`DraControlPlaneClientThrottled`) covers both.
   * @default - each component runs in a process of its own: one throttling alert each
   */
  readonly controlPlaneTarget?: ControlPlaneTarget;
  /**
   * Alert thresholds.
   * @default - see DraAlertThresholds
   */
  readonly thresholds?: DraAlertThresholds;
  /**
   * How long an alert condition must hold before it fires (a Prometheus duration).
   * @default '15m'
   */
  readonly alertFor?: string;
  /**
   * PrometheusRule or ConfigMap rule file.
   * @default DraRuleFormat.PROMETHEUS_RULE
   */
  readonly ruleFormat?: DraRuleFormat;
  /**
   * Whether to add the Grafana dashboard ConfigMap (label `grafana_dashboard: "1"`).
   * @default true
   */
  readonly dashboard?: boolean;
}

/** The container port a PodMonitor scrapes unless the driver names another (DraDriver names its metrics port so). */
const METRICS_PORT_NAME = 'metrics';

/**
 * Recording rules for the monitoring queries of the upstream page "Good practices for DRA
 * as a Cluster Admin", alerts that encode its diagnoses (plus throttling, driver health
 * and absent metrics), PodMonitors for drivers nobody scrapes yet, and a Grafana dashboard.
 */
export class DraMonitoring extends Construct {
  /** Name of the PrometheusRule, or of the ConfigMap holding the rule file. */
  public readonly rulesObjectName: string;
  /** Key of the rule file in the rules ConfigMap (DraRuleFormat.CONFIG_MAP only). */
  public readonly ruleFileKey: string;
  /**
   * Name of the dashboard ConfigMap.
   * @default - no dashboard
   */
  public readonly dashboardConfigMapName?: string;
  /** The namespace of the rules and the dashboard. */
  public readonly namespace: string;
  private readonly config: RuleConfig;

  constructor(scope: Construct, id: string, props: DraMonitoringProps) {
    super(scope, id);
    checkProps(this, props, DRA_MONITORING_PROPS);
    const name = props.name ?? 'dra-monitoring';
    if (!isDnsLabel(name)) {
      invalidProp(this, 'name', name, 'must be a DNS label (RFC 1123)');
    }
    this.namespace = props.namespace ?? 'monitoring';
    if (!isDnsLabel(this.namespace)) {
      invalidProp(this, 'namespace', this.namespace, 'must be a DNS label (RFC 1123)');
    }
    const ruleLabels = this.validKubernetesLabels('ruleLabels', props.ruleLabels ?? {});
    const scrapeLabels = this.validKubernetesLabels('scrapeLabels', props.scrapeLabels ?? ruleLabels);
    const runbookBaseUrl = props.runbookBaseUrl;
    if (!/^https?:\/\/[^\s#"{}]+$/.test(runbookBaseUrl)) {
      invalidProp(this, 'runbookBaseUrl', runbookBaseUrl, 'must be an http(s) URL without a fragment, spaces, quotes or braces');
    }
    const alertFor = props.alertFor ?? '15m';
    if (!isPromDuration(alertFor)) {
      invalidProp(this, 'alertFor', alertFor, 'must be a Prometheus duration such as 15m or 1h30m');
    }
    if (props.clusterLabel !== undefined && !isPromLabelName(props.clusterLabel)) {
      invalidProp(this, 'clusterLabel', props.clusterLabel, PROM_LABEL_NAME_RULE);
    }
    const drivers = (props.drivers ?? []).map((d, i) => this.validDriver(d, i));
    const seen = new Set<string>();
    drivers.forEach((d, i) => {
      const key = `${d.namespace}/${d.daemonSetName}`;
      if (seen.has(key)) {
        invalidProp(this, `drivers[${i}]`, key, 'is given twice');
      }
      seen.add(key);
    });

    this.config = {
      controllerManager: this.validSelector('controllerManagerSelector', props.controllerManagerSelector ?? { job: 'kube-controller-manager' }),
      scheduler: this.validSelector('schedulerSelector', props.schedulerSelector ?? { job: 'kube-scheduler' }),
      kubelet: this.validSelector('kubeletSelector', props.kubeletSelector ?? { job: 'kubelet', metrics_path: '/metrics' }),
      kubeStateMetrics: this.validSelector('kubeStateMetricsSelector', props.kubeStateMetricsSelector ?? { job: 'kube-state-metrics' }),
      clusterLabel: props.clusterLabel,
      thresholds: this.validThresholds(props.thresholds ?? {}),
      alertFor,
      runbookBaseUrl,
      drivers: drivers.map(d => ({ driverName: d.driverName, namespace: d.namespace, daemonSetName: d.daemonSetName, metricsJob: d.metricsJob })),
      singleProcessControlPlane: props.controlPlaneTarget === ControlPlaneTarget.K3S,
    };

    // Every input is valid from here on: create the objects.
    this.rulesObjectName = props.ruleFormat === DraRuleFormat.CONFIG_MAP ? `${name}-rules` : name;
    this.ruleFileKey = `${name}.rules.yaml`;
    const rulesMetadata = {
      name: this.rulesObjectName,
      namespace: this.namespace,
      labels: { ...standardLabels(name, 'alerting-rules'), ...ruleLabels },
    };
    if (props.ruleFormat === DraRuleFormat.CONFIG_MAP) {
      typedApiObject(this, 'rules', KubeConfigMap, { metadata: rulesMetadata, data: { [this.ruleFileKey]: this.toRuleFile() } });
    } else {
      typedApiObject(this, 'rules', PrometheusRule, {
        metadata: rulesMetadata,
        spec: {
          groups: this.ruleGroups().map(group => ({
            name: group.name,
            rules: group.rules.map(rule => ({ ...rule, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr) })),
          })),
        },
      });
    }

    for (const d of drivers.filter(driver => driver.podMonitorName)) {
      typedApiObject(this, `scrape-${d.namespace}-${d.daemonSetName}`, PodMonitor, {
        metadata: {
          name: d.podMonitorName,
          namespace: d.namespace,
          labels: { ...standardLabels(d.daemonSetName, 'metrics'), ...scrapeLabels },
        },
        spec: {
          selector: { matchLabels: d.podSelectorLabels },
          // By name: older prometheus-operator releases and Grafana Alloy ignore portNumber and
          // scrape every container port, the gRPC health port included.
          podMetricsEndpoints: [{ port: d.metricsPortName, path: '/metrics' }],
        },
      });
    }

    // At synth time, so labels added to a driver's ServiceMonitor after this construct count.
    this.node.addValidation({ validate: () => this.warnUnselectedServiceMonitors(props.drivers ?? [], scrapeLabels) });

    if (props.dashboard ?? true) {
      this.dashboardConfigMapName = `${name}-dashboard`;
      typedApiObject(this, 'dashboard', KubeConfigMap, {
        metadata: {
          name: this.dashboardConfigMapName,
          namespace: this.namespace,
          labels: { ...standardLabels(name, 'dashboard'), grafana_dashboard: '1' },
        },
        data: { [`${name}.json`]: `${JSON.stringify(buildDashboard(name, this.config), null, 2)}\n` },
      });
    }
    refuseDuplicateObjects(this);
  }

  /**
   * The rule groups as a Prometheus rule file holds them (what `promtool check rules`
   * reads): recording rules `dra.rules`, alerts `dra.control-plane.alerts` and, with
   * drivers, `dra.driver.alerts`.
   */
  public ruleGroups(): DraPrometheusRuleGroup[] {
    return buildRuleGroups(this.config);
  }

  /** The plain Prometheus rule file (YAML), for `rule_files` or `promtool`. */
  public toRuleFile(): string {
    return stringify({ groups: this.ruleGroups() }, { lineWidth: 0 });
  }

  /**
   * Warns (`warn`: stderr, once) about ServiceMonitors under the watched drivers that lack the
   * scrapeLabels: Prometheus never selects them, so the driver is not scraped and
   * DraDriverMetricsTargetDown cannot fire. A warning, not a failure: the Prometheus may
   * select ServiceMonitors another way.
   */
  private warnUnselectedServiceMonitors(drivers: IDraDriver[], scrapeLabels: { [key: string]: string }): string[] {
    const required = Object.entries(scrapeLabels);
    const unselected = drivers.flatMap(driver => driver.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'ServiceMonitor')
      .filter(monitor => required.some(([key, value]) => monitor.metadata.getLabel(key) !== value))
      .map(monitor => `${driver.driverName}'s ServiceMonitor ${monitor.metadata.namespace}/${monitor.name}`));
    if (unselected.length > 0) {
      const wanted = required.map(([key, value]) => `${key}=${value}`).join(', ');
      const text = `DraMonitoring '${this.node.path}': warning: ${unselected.join(', ')} lack the scrapeLabels ${wanted}: `
        + 'Prometheus does not select them, so those drivers are not scraped (DraDriverMetricsTargetAbsent fires). '
        + 'Give the driver serviceMonitorLabels with them (DraCluster does).';
      warn(this, text);
    }
    return [];
  }

  private validKubernetesLabels(prop: string, labels: { [key: string]: string }): { [key: string]: string } {
    for (const [key, value] of Object.entries(labels)) {
      if (!isLabelKey(key)) {
        invalidProp(this, `${prop} key`, key, 'must be a Kubernetes label key ([prefix/]name)');
      }
      if (!isLabelValue(value)) {
        invalidProp(this, `${prop}['${key}']`, value, 'must be a Kubernetes label value (at most 63 alphanumerics, -, _ or .)');
      }
    }
    return labels;
  }

  private validSelector(prop: string, selector: { [label: string]: string }): { [label: string]: string } {
    if (Object.keys(selector).length === 0) {
      invalidProp(this, prop, selector, 'must have at least one label matcher (PromQL rejects an empty selector)');
    }
    for (const [label, value] of Object.entries(selector)) {
      if (!isPromLabelName(label)) {
        invalidProp(this, `${prop} label`, label, PROM_LABEL_NAME_RULE);
      }
      if (!isSafePromLabelValue(value)) {
        invalidProp(this, `${prop}['${label}']`, value, SAFE_PROM_LABEL_VALUE_RULE);
      }
    }
    return selector;
  }

  private validThresholds(thresholds: DraAlertThresholds): ResolvedThresholds {
    const resolved: ResolvedThresholds = { ...DEFAULT_THRESHOLDS, ...stripUndefined(thresholds) };
    for (const [key, value] of Object.entries(resolved)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        invalidProp(this, `thresholds.${key}`, value, 'must be a positive number');
      }
    }
    const floor = thresholdFloorProblem(resolved); if (floor) invalidProp(this, `thresholds.${floor[0]}`, resolved[floor[0] as keyof ResolvedThresholds], floor[1]);
    if (resolved.pluginGrpcErrorRatio > 1) {
      invalidProp(this, 'thresholds.pluginGrpcErrorRatio', resolved.pluginGrpcErrorRatio, 'must be a fraction at most 1');
    }
    for (const [key, ceiling] of Object.entries(HISTOGRAM_CEILINGS)) {
      const value = resolved[key as keyof ResolvedThresholds];
      if (value >= ceiling.seconds) {
        invalidProp(this, `thresholds.${key}`, value,
          `must be below ${ceiling.seconds}: the alert can never fire, histogram_quantile caps at the highest finite bucket of ${ceiling.metric}, ${ceiling.seconds} s`);
      }
    }
    return resolved;
  }

  private validDriver(driver: IDraDriver, index: number): MonitoredDriver & {
    podMonitorName?: string; metricsPort?: number; metricsPortName: string; podSelectorLabels: { [key: string]: string };
  } {
    const at = `drivers[${index}]`;
    if (!isDnsSubdomain(driver.driverName)) {
      invalidProp(this, `${at}.driverName`, driver.driverName, 'must be a DNS subdomain (RFC 1123)');
    }
    if (!isDnsLabel(driver.namespace)) {
      invalidProp(this, `${at}.namespace`, driver.namespace, 'must be a DNS label (RFC 1123)');
    }
    if (!isDnsSubdomain(driver.daemonSetName)) {
      invalidProp(this, `${at}.daemonSetName`, driver.daemonSetName, 'must be a DNS subdomain (RFC 1123)');
    }
    if (driver.metricsJob !== undefined && !isSafePromLabelValue(driver.metricsJob)) {
      invalidProp(this, `${at}.metricsJob`, driver.metricsJob, SAFE_PROM_LABEL_VALUE_RULE);
    }
    const port = driver.metricsPort;
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      invalidProp(this, `${at}.metricsPort`, port, 'must be a port number (1-65535)');
    }
    if (driver.metricsPortName !== undefined && !isPortName(driver.metricsPortName)) {
      invalidProp(this, `${at}.metricsPortName`, driver.metricsPortName, PORT_NAME_RULE);
    }
    this.validKubernetesLabels(`${at}.podSelectorLabels`, driver.podSelectorLabels);
    if (driver.metricsJob === undefined && port !== undefined && Object.keys(driver.podSelectorLabels).length === 0) {
      invalidProp(this, `${at}.podSelectorLabels`, driver.podSelectorLabels, 'must not be empty: the PodMonitor would scrape every pod of the namespace');
    }
    // prometheus-operator sets a PodMonitor's job label to `<namespace>/<name>`.
    const podMonitorName = driver.metricsJob === undefined && port !== undefined ? `${driver.daemonSetName}-metrics` : undefined;
    return {
      driverName: driver.driverName,
      namespace: driver.namespace,
      daemonSetName: driver.daemonSetName,
      metricsJob: driver.metricsJob ?? (podMonitorName ? `${driver.namespace}/${podMonitorName}` : undefined),
      podMonitorName,
      metricsPort: port,
      metricsPortName: driver.metricsPortName ?? METRICS_PORT_NAME,
      podSelectorLabels: driver.podSelectorLabels,
    };
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
