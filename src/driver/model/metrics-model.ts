import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { isDnsLabel } from '../../common/names';
import { DraDriverProps } from '../driver-props';
import { checkLabels } from '../pod-template-checks';
import { ProbeModel } from './probe-model';

export const METRICS_COMPONENT = 'kubelet-plugin-metrics';

/** The plugin's metrics port, the Service in front of it and its ServiceMonitor. */
export interface MetricsModel {
  readonly port: number;
  /** The container port's name, which the Service targets. */
  readonly portName: string;
  readonly serviceName: string;
  readonly serviceMonitor: boolean;
  readonly serviceMonitorLabels?: { [key: string]: string };
}

/** The metrics of a driver with `metricsPort`; undefined without. */
export function metricsModel(scope: IConstruct, props: DraDriverProps, name: string, probe: ProbeModel): MetricsModel | undefined {
  checkLabels(scope, 'serviceMonitorLabels', props.serviceMonitorLabels);
  if (props.metricsPort === undefined) return undefined;
  const serviceName = `${name}-${METRICS_COMPONENT}`;
  if (!isDnsLabel(serviceName)) {
    invalidProp(scope, props.name === undefined ? 'driverName' : 'name', props.name ?? props.driverName,
      `makes the metrics Service name '${serviceName}' longer than 63 characters; set \`name\` to a shorter one`);
  }
  return {
    port: props.metricsPort,
    portName: probe.metricsOnProbePort ? probe.probePortName : 'metrics',
    serviceName,
    serviceMonitor: props.serviceMonitor ?? true,
    serviceMonitorLabels: props.serviceMonitorLabels,
  };
}
