import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { DraDriverProps } from '../driver-props';
import { checkPort, checkProbe } from '../pod-extras-checks';
import { DriverProbe, DriverProbeType } from '../probe';

/** The probe port's name unless `portName` says otherwise. */
export const DEFAULT_PROBE_PORT_NAME = 'healthcheck';

/** The plugin's probe, the name of its port, and whether the metrics share that port. */
export interface ProbeModel {
  readonly probe: DriverProbe;
  readonly probePortName: string;
  readonly metricsOnProbePort: boolean;
}

export function probeModel(scope: IConstruct, props: DraDriverProps): ProbeModel {
  const probe = props.probe ?? DriverProbe.grpc();
  checkProbe(scope, 'probe', probe);
  const probePortName = probe.portName ?? DEFAULT_PROBE_PORT_NAME;
  const metricsOnProbePort = props.metricsPort !== undefined && props.metricsPort === probe.port;
  if (props.metricsPort !== undefined) {
    checkPort(scope, 'metricsPort', props.metricsPort);
    if (metricsOnProbePort && probe.type !== DriverProbeType.HTTP_GET) {
      invalidProp(scope, 'metricsPort', props.metricsPort,
        'is the gRPC health port: a gRPC server does not serve HTTP /metrics; choose another port, or DriverProbe.httpGet() when the driver serves /healthz and /metrics on one HTTP port');
    }
  } else if (props.serviceMonitor === true) {
    invalidProp(scope, 'serviceMonitor', true, 'needs metricsPort');
  }
  return { probe, probePortName, metricsOnProbePort };
}
