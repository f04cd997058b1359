/** How the rules reach Prometheus. */
export enum DraRuleFormat {
  /** A prometheus-operator `PrometheusRule` (monitoring.coreos.com/v1). */
  PROMETHEUS_RULE = 'PrometheusRule',
  /** A ConfigMap holding a plain rule file, for a Prometheus without the operator. */
  CONFIG_MAP = 'ConfigMap',
}
