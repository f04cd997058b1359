/**
 * One rule of a Prometheus rule file: a recording rule (`record`) or an alerting rule
 * (`alert`, `for`, `labels`, `annotations`).
 */
export interface DraPrometheusRule {
  /**
   * The series a recording rule writes.
   * @default - an alerting rule
   */
  readonly record?: string;
  /**
   * The alert's name.
   * @default - a recording rule
   */
  readonly alert?: string;
  /** The PromQL expression. */
  readonly expr: string;
  /**
   * How long the expression must hold before the alert fires.
   * @default - a recording rule
   */
  readonly for?: string;
  /**
   * Labels added to the alert (`severity`, `driver_name`).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * `summary`, `description` and `runbook_url`.
   * @default - a recording rule
   */
  readonly annotations?: { [key: string]: string };
}

/** A named group of rules, as in a Prometheus rule file or a PrometheusRule's spec. */
export interface DraPrometheusRuleGroup {
  /** The group's name, unique in a rule file. */
  readonly name: string;
  /** The group's rules, evaluated in order. */
  readonly rules: DraPrometheusRule[];
}
