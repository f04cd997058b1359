import { ImagePullPolicy } from 'cdk8s-plus-28';
import { PluginSecurityMode } from './driver-props';
import { DriverProbe } from './probe';
import { DriverAppArmorProfile, DriverSeccompProfile, DriverSecurityContext } from './security-context';
import { DriverUpgrade } from './upgrade';
import {
  boolean, data, dataMap, enumOf, instanceOf, k8sObject, listOf, number, optional, ownEnum, PropCheck, refuse, required,
  string, stringMap, struct, StructType, typeName,
} from '../common/prop-types';

/** requests and limits hold `k8s.Quantity` objects; claims is plain data. */
const resources = k8sObject('ResourceRequirements', (subject, prop, value) => {
  const { requests, limits, claims } = value as { requests?: unknown; limits?: unknown; claims?: unknown };
  for (const [name, entry] of [['requests', requests], ['limits', limits]] as const) {
    if (entry !== undefined && (typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
      refuse(subject, `${prop}.${name}`, entry, `must be an object, not ${typeName(entry)}`);
    }
  }
  if (claims !== undefined) {
    listOf(k8sObject('ResourceClaim')).check(subject, `${prop}.claims`, claims);
  }
});
const probe = instanceOf(DriverProbe, 'DriverProbe.grpc(), DriverProbe.httpGet() or DriverProbe.none()');
const imagePullPolicy: PropCheck = enumOf('cdk8s-plus-28.ImagePullPolicy', ImagePullPolicy);
const k8sList = (name: string): PropCheck => listOf(k8sObject(name));
export const DRIVER_SECURITY_CONTEXT_OPTIONS: StructType = struct('DriverSecurityContextOptions', () => ({
  privileged: optional(boolean),
  allowPrivilegeEscalation: optional(boolean),
  readOnlyRootFilesystem: optional(boolean),
  runAsUser: optional(number),
  runAsGroup: optional(number),
  runAsNonRoot: optional(boolean),
  capabilitiesAdd: optional(listOf(string)),
  capabilitiesDrop: optional(listOf(string)),
  seccompProfile: optional(instanceOf(DriverSeccompProfile, 'DriverSeccompProfile.runtimeDefault(), unconfined() or localhost()')),
  appArmorProfile: optional(instanceOf(DriverAppArmorProfile, 'DriverAppArmorProfile.runtimeDefault(), unconfined() or localhost()')),
}));

/** A DriverSecurityContext, and its fields checked where it is used (prop paths such as `securityContext.runAsUser`). */
const securityContextInstance = instanceOf(DriverSecurityContext, 'DriverSecurityContext.privileged(), unprivileged(), runtimeDefault() or of()');
const securityContext: PropCheck = {
  shape: securityContextInstance.shape,
  check: (subject, prop, value) => {
    securityContextInstance.check(subject, prop, value);
    DRIVER_SECURITY_CONTEXT_OPTIONS.check(subject, prop, (value as DriverSecurityContext).options);
  },
};

/** The JavaScript types of an object the driver ships. */
export const DRIVER_OBJECT: StructType = struct('DriverObject', () => ({
  apiVersion: required(string),
  kind: required(string),
  name: required(string),
  clusterScoped: optional(boolean),
  component: optional(string),
  labels: optional(stringMap),
  annotations: optional(stringMap),
  fields: optional(dataMap),
}));

/** The process every container option names the same way: plugin, sidecars, init containers and controller. */
const containerProcess = () => ({
  imagePullPolicy: optional(imagePullPolicy),
  command: optional(listOf(string)),
  args: optional(listOf(string)),
  env: optional(k8sList('EnvVar')),
});

/** The JavaScript types of a sidecar or init container. */
export const DRIVER_CONTAINER_OPTIONS: StructType = struct('DriverContainerOptions', () => ({
  name: required(string),
  image: required(string),
  ...containerProcess(),
  volumeMounts: optional(k8sList('VolumeMount')),
  securityContext: optional(securityContext),
  serviceAccountToken: optional(boolean),
  probe: optional(probe),
  resources: optional(resources),
  ports: optional(k8sList('ContainerPort')),
}));

/** The JavaScript types of the driver's controller. */
export const DRA_DRIVER_CONTROLLER_OPTIONS: StructType = struct('DraDriverControllerOptions', () => ({
  image: required(string),
  containerName: optional(string),
  ...containerProcess(),
  replicas: optional(number),
  publishesResourceSlices: optional(boolean),
  writesDeviceStatus: optional(boolean),
  clusterRules: optional(k8sList('PolicyRule')),
  namespaceRules: optional(k8sList('PolicyRule')),
  securityContext: optional(securityContext),
  resources: optional(resources),
  priorityClassName: optional(string),
  tolerations: optional(k8sList('Toleration')),
  affinity: optional(k8sObject('Affinity')),
  nodeSelector: optional(stringMap),
}));

export const DEVICE_CLASS_OPAQUE_CONFIG: StructType = struct('DeviceClassOpaqueConfig', () => ({
  driver: optional(string),
  parameters: required(data),
}));

export const DRA_DEVICE_CLASS_OPTIONS: StructType = struct('DraDeviceClassOptions', () => ({
  name: required(string),
  selectors: optional(listOf(string)),
  selectOwnDriver: optional(boolean),
  config: optional(listOf(DEVICE_CLASS_OPAQUE_CONFIG)),
  extendedResourceName: optional(string),
}));

/** The JavaScript types of `DraDriverProps` (src/common/prop-types.ts), checked before every other rule. */
export const DRA_DRIVER_PROPS: StructType = struct('DraDriverProps', () => ({
  driverName: required(string),
  image: required(string),
  name: optional(string),
  namespace: optional(string),
  createNamespace: optional(boolean),
  probe: optional(probe),
  upgrade: optional(instanceOf(DriverUpgrade, 'DriverUpgrade.seamless() or DriverUpgrade.rollingUpdate()')),
  minKubeletVersion: optional(string),
  kubernetesVersion: optional(string),
  extendedResourceGateEnabled: optional(boolean),
  kubeletRootDir: optional(string),
  cdiDir: optional(string),
  securityMode: optional(ownEnum('PluginSecurityMode', PluginSecurityMode)),
  securityContext: optional(securityContext),
  priorityClassName: optional(string),
  priorityClassPodQuota: optional(number),
  resources: optional(resources),
  terminationGracePeriodSeconds: optional(number),
  drainLateTolerations: optional(boolean),
  nodeSelector: optional(stringMap),
  tolerations: optional(k8sList('Toleration')),
  affinity: optional(k8sObject('Affinity')),
  ...containerProcess(),
  containerName: optional(string),
  volumes: optional(k8sList('Volume')),
  volumeMounts: optional(k8sList('VolumeMount')),
  hostNetwork: optional(boolean),
  hostNetworkPortsShared: optional(boolean),
  hostPID: optional(boolean),
  initContainers: optional(listOf(DRIVER_CONTAINER_OPTIONS)),
  containers: optional(listOf(DRIVER_CONTAINER_OPTIONS)),
  podSecurityContext: optional(k8sObject('PodSecurityContext')),
  imagePullSecrets: optional(listOf(string)),
  podLabels: optional(stringMap),
  podAnnotations: optional(stringMap),
  writesDeviceStatus: optional(boolean),
  writesDeviceTaintRules: optional(boolean),
  pluginClusterRules: optional(k8sList('PolicyRule')),
  pluginNamespaceRules: optional(k8sList('PolicyRule')),
  controller: optional(DRA_DRIVER_CONTROLLER_OPTIONS),
  deviceClasses: optional(listOf(DRA_DEVICE_CLASS_OPTIONS)),
  extraObjects: optional(listOf(DRIVER_OBJECT)),
  metricsPort: optional(number),
  serviceMonitor: optional(boolean),
  serviceMonitorLabels: optional(stringMap),
}));
