import { IConstruct } from 'constructs';

/**
 * What other constructs need to know about an installed DRA driver: monitoring scrapes
 * and alerts on it, RBAC and the good-practice checks recognise its ServiceAccount.
 * `DraDriver` implements it; implement it yourself for a driver installed another way.
 */
export interface IDraDriver extends IConstruct {
  /** The DRA driver name, e.g. `gpu.example.com`. */
  readonly driverName: string;
  /** The namespace the kubelet plugin runs in. */
  readonly namespace: string;
  /** The name of the kubelet-plugin DaemonSet. */
  readonly daemonSetName: string;
  /** The name of the kubelet plugin's ServiceAccount. */
  readonly serviceAccountName: string;
  /** Labels that select the kubelet-plugin pods. */
  readonly podSelectorLabels: { [key: string]: string };
  /**
   * The port the kubelet plugin serves Prometheus metrics on, a container port named
   * `metricsPortName` (DraMonitoring's PodMonitor scrapes it by that name).
   * @default - the driver exposes no metrics
   */
  readonly metricsPort?: number;
  /**
   * The name of the container port that serves the metrics: another name when the driver
   * serves them on its health port (DraDriver: the probe's port name).
   * @default 'metrics'
   */
  readonly metricsPortName?: string;
  /**
   * The `job` label Prometheus puts on the driver's own metrics when the driver ships its
   * scrape configuration (a ServiceMonitor's job is its Service's name). Monitoring
   * alerts on `up{job=...}` with it, and adds a PodMonitor only when it is absent.
   * @default - the driver ships no scrape configuration
   */
  readonly metricsJob?: string;
}
