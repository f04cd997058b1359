/** PromQL text building and the input rules that keep user values from breaking it. */

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/**
 * Label values we put between double quotes in PromQL and in alert annotations (Go
 * templates): job names like `kube-scheduler`, `monitoring/kubelet` or
 * `serviceMonitor/ns/name/0` fit; quotes, backslashes, braces and spaces never do.
 */
const SAFE_LABEL_VALUE = /^[A-Za-z0-9._:/@-]+$/;
/** Prometheus 2.x duration: units in decreasing order, each at most once, e.g. `1h30m`. */
const PROM_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;

/** What isPromLabelName accepts, for error messages. */
export const PROM_LABEL_NAME_RULE = 'must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)';

/** What isSafePromLabelValue accepts, for error messages. */
export const SAFE_PROM_LABEL_VALUE_RULE = 'must be a non-empty label value of letters, digits and . _ : / @ - (anything else would break the PromQL)';

/** A label name Prometheus accepts and that is not reserved (`__name__`, `__address__`...). */
export function isPromLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}

/** A label value that can be embedded verbatim in a double-quoted PromQL string. */
export function isSafePromLabelValue(value: string): boolean {
  return SAFE_LABEL_VALUE.test(value);
}

/** A non-empty Prometheus duration such as `15m` or `1h30m`. */
export function isPromDuration(value: string): boolean {
  return value.length > 0 && PROM_DURATION.test(value);
}

/**
 * `workqueue_depth{job="kube-controller-manager", name="resource_claim"}`: the metric with the
 * selector's equality matchers (in key order, so output is stable) followed by the query's own
 * matchers; the bare metric when there are none.
 */
export function series(metric: string, selector: { [label: string]: string }, ...own: string[]): string {
  const fromSelector = Object.keys(selector).sort().map(label => `${label}="${selector[label]}"`);
  const all = [...fromSelector, ...own];
  return all.length > 0 ? `${metric}{${all.join(', ')}}` : metric;
}

/** `histogram_quantile(0.99, sum(<fn>(<buckets>[5m])) by (<cluster>, <labels>, le))`. */
export function p99Over5m(fn: string, buckets: string, clusterLabel: string | undefined, ...labels: string[]): string {
  return `histogram_quantile(0.99, sum(${fn}(${buckets}[5m]))${byClause(clusterLabel, ...labels, 'le')})`;
}

/** A regex matching literally `value` inside a double-quoted PromQL string (`.` becomes `\\.`). */
export function literalRegex(value: string): string {
  return value.replace(/[.]/g, '\\\\.');
}

/** ` by (cluster, le)`, ` by (le)` or `` for a plain sum, with the optional cluster label first. */
export function byClause(clusterLabel: string | undefined, ...labels: string[]): string {
  const all = clusterLabel ? [clusterLabel, ...labels] : labels;
  return all.length > 0 ? ` by (${all.join(', ')})` : '';
}

/** `on(cluster)` or `on()`: joins the cluster-wide signals of one cluster with each other. */
export function onClause(clusterLabel: string | undefined): string {
  return `on(${clusterLabel ?? ''})`;
}
