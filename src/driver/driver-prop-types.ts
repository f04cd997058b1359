import { ImagePullPolicy } from 'cdk8s-plus-28';
import { PluginSecurityMode } from './driver-props';
import { DriverProbe } from './probe';
import { DriverAppArmorProfile, DriverSeccompProfile, DriverSecurityContext } from './security-context';
import { DriverUpgrade } from './upgrade';
import {
  boolean, data, dataList, dataObject, instanceOf, listOf, number, object, oneOf, optional, PropCheck, PropSchema, record, required, string,
  stringMap,
} from '../common/prop-types';

const resources = record({ requests: optional(object), limits: optional(object), claims: optional(dataList) });
const probe = instanceOf(DriverProbe, 'DriverProbe.grpc(), DriverProbe.httpGet() or DriverProbe.none()');

/** A `DriverSecurityContext`, and the JavaScript types of its fields (DriverSecurityContextOptions). */
const securityContext: PropCheck = (scope, prop, value) => {
  instanceOf(DriverSecurityContext, 'DriverSecurityContext.privileged(), unprivileged(), runtimeDefault() or of()')(scope, prop, value);
  record({
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
  })(scope, prop, (value as DriverSecurityContext).options);
};

/** The JavaScript types of a sidecar or init container (DriverContainerOptions). */
const container = record({
  name: required(string),
  image: required(string),
  imagePullPolicy: optional(oneOf(Object.values(ImagePullPolicy))),
  command: optional(listOf(string)),
  args: optional(listOf(string)),
  env: optional(dataList),
  volumeMounts: optional(dataList),
  securityContext: optional(securityContext),
  serviceAccountToken: optional(boolean),
  probe: optional(probe),
  resources: optional(resources),
  ports: optional(dataList),
});

/** The JavaScript types of an object the driver ships (DriverObject). */
export const driverObject = record({
  apiVersion: required(string),
  kind: required(string),
  name: required(string),
  clusterScoped: optional(boolean),
  component: optional(string),
  labels: optional(stringMap),
  annotations: optional(stringMap),
  fields: optional(dataObject),
});

/** The JavaScript types of the driver's controller (DraDriverControllerOptions). */
const controller = record({
  image: required(string),
  containerName: optional(string),
  imagePullPolicy: optional(oneOf(Object.values(ImagePullPolicy))),
  command: optional(listOf(string)),
  args: optional(listOf(string)),
  env: optional(dataList),
  replicas: optional(number),
  publishesResourceSlices: optional(boolean),
  clusterRules: optional(dataList),
  namespaceRules: optional(dataList),
  securityContext: optional(securityContext),
  resources: optional(resources),
  priorityClassName: optional(string),
  tolerations: optional(dataList),
  affinity: optional(dataObject),
  nodeSelector: optional(stringMap),
});

/** The JavaScript types of `DraDriverProps` (src/common/prop-types.ts), checked before every other rule. */
export function draDriverPropTypes(): PropSchema {
  return {
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
    securityMode: optional(oneOf(Object.values(PluginSecurityMode))),
    securityContext: optional(securityContext),
    priorityClassName: optional(string),
    priorityClassPodQuota: optional(number),
    resources: optional(resources),
    terminationGracePeriodSeconds: optional(number),
    drainLateTolerations: optional(boolean),
    nodeSelector: optional(stringMap),
    tolerations: optional(dataList),
    affinity: optional(dataObject),
    command: optional(listOf(string)),
    args: optional(listOf(string)),
    env: optional(dataList),
    imagePullPolicy: optional(oneOf(Object.values(ImagePullPolicy))),
    containerName: optional(string),
    volumes: optional(dataList),
    volumeMounts: optional(dataList),
    hostNetwork: optional(boolean),
    hostNetworkPortsShared: optional(boolean),
    hostPID: optional(boolean),
    initContainers: optional(listOf(container)),
    containers: optional(listOf(container)),
    podSecurityContext: optional(dataObject),
    imagePullSecrets: optional(listOf(string)),
    podLabels: optional(stringMap),
    podAnnotations: optional(stringMap),
    writesDeviceStatus: optional(boolean),
    pluginClusterRules: optional(dataList),
    pluginNamespaceRules: optional(dataList),
    controller: optional(controller),
    deviceClasses: optional(listOf(record({
      name: required(string),
      selectors: optional(listOf(string)),
      selectOwnDriver: optional(boolean),
      config: optional(listOf(record({ driver: optional(string), parameters: optional(data) }))),
      extendedResourceName: optional(string),
    }))),
    extraObjects: optional(listOf(driverObject)),
    metricsPort: optional(number),
    serviceMonitor: optional(boolean),
    serviceMonitorLabels: optional(stringMap),
  };
}
