import { PercentOrAbsolute } from 'cdk8s-plus-28';
import { implementing, instanceOf, number, optional, required, string, stringMap, struct, StructType } from '../common/prop-types';

/**
 * The JavaScript types (src/common/prop-types.ts) of the options of DriverProbe, DriverUpgrade
 * and DriverDrainCheck, and of ResourceSliceGuard's props. Apart from driver-prop-types.ts:
 * probe.ts and upgrade.ts load these, and that file loads those two.
 */

export const DRIVER_PROBE_TIMING: StructType = struct('DriverProbeTiming', () => ({
  initialDelaySeconds: optional(number),
  periodSeconds: optional(number),
  timeoutSeconds: optional(number),
  failureThreshold: optional(number),
}));

/** What every probe's options have (DriverProbeCommonOptions). */
const probeCommon = () => ({
  portName: optional(string),
  startup: optional(DRIVER_PROBE_TIMING),
  liveness: optional(DRIVER_PROBE_TIMING),
  readiness: optional(DRIVER_PROBE_TIMING),
});

export const DRIVER_GRPC_PROBE_OPTIONS: StructType = struct('DriverGrpcProbeOptions', () => ({
  ...probeCommon(),
  port: optional(number),
  service: optional(string),
}));

export const DRIVER_HTTP_GET_PROBE_OPTIONS: StructType = struct('DriverHttpGetProbeOptions', () => ({
  ...probeCommon(),
  port: required(number),
  path: optional(string),
}));


export const DRIVER_ROLLING_UPDATE_OPTIONS: StructType = struct('DriverRollingUpdateOptions', () => ({
  maxUnavailable: optional(instanceOf(PercentOrAbsolute, 'PercentOrAbsolute.percent() or PercentOrAbsolute.absolute()', 'cdk8s-plus-28')),
}));

export const DRIVER_DRAIN_CHECK_OPTIONS: StructType = struct('DriverDrainCheckOptions', () => ({
  nodeName: required(string),
  driverName: optional(string),
  nodeLabels: optional(stringMap),
}));

const serviceAccount = implementing('cdk8s-plus-28.IServiceAccount',
  'a cdk8s-plus-28 IServiceAccount (new ServiceAccount(), ServiceAccount.fromServiceAccountName(), DraDriver.serviceAccountSubject)', 'toSubjectConfiguration');

export const RESOURCE_SLICE_GUARD_PROPS: StructType = struct('ResourceSliceGuardProps', () => ({
  serviceAccount: required(serviceAccount),
  name: required(string),
  controllerServiceAccount: optional(serviceAccount),
  appName: optional(string),
}));
