import { ImagePullPolicy } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { DriverContainerOptions } from './container';
import { checkDriverName } from './device-class-spec';
import { DriverObject } from './driver-object';
import { DRA_DRIVER_PROPS } from './driver-prop-types';
import { DraDriverProps } from './driver-props';
import { ControllerModel, controllerModel } from './model/controller-model';
import { deviceModel } from './model/device-model';
import { extraObjectsModel } from './model/extra-objects';
import { identityModel } from './model/identity';
import { MetricsModel, metricsModel } from './model/metrics-model';
import { pluginContainerModel } from './model/plugin-container';
import { pluginPaths } from './model/plugin-paths';
import { pluginVolumesModel } from './model/plugin-volumes';
import { podMetadataModel } from './model/pod-metadata';
import { probeModel } from './model/probe-model';
import { upgradeModel } from './model/upgrade-model';
import { checkRules } from './pod-extras-checks';
import { DriverProbe } from './probe';
import { DriverUpgrade } from './upgrade';
import { fromCdk8sPlus } from '../common/cdk8s-plus-structs';
import { checkImageReference } from '../common/image-reference';
import { checkProps } from '../common/prop-types';
import * as k8s from '../imports/k8s';

/**
 * Everything DraDriver builds from, validated and defaulted once: the builders of the
 * DaemonSet, the RBAC, the guard, the metrics and the controller read only this.
 */
export interface DriverModel {
  readonly driverName: string;
  readonly name: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly upgrade: DriverUpgrade;
  readonly pod: PluginPodModel;
  readonly deviceClasses: Array<{ readonly name: string; readonly spec: k8s.DeviceClassSpec }>;
  readonly metrics?: MetricsModel;
  readonly priorityClassPodQuota?: number;
  readonly writesDeviceStatus: boolean;
  readonly writesDeviceTaintRules: boolean;
  readonly pluginClusterRules: k8s.PolicyRule[];
  readonly pluginNamespaceRules: k8s.PolicyRule[];
  readonly controller?: ControllerModel;
  readonly extraObjects: DriverObject[];
  readonly names: DriverObjectNames;
}

/** The names of the objects made, each derived once from the name prefix. */
export interface DriverObjectNames {
  /** DaemonSet, ServiceAccount, ClusterRole, Role and their bindings of the kubelet plugin. */
  readonly plugin: string;
  readonly resourceSliceGuard: string;
  /** The ValidatingAdmissionPolicy (and binding) that confines the plugin's DeviceTaintRule writes. */
  readonly deviceTaintRuleGuard: string;
  readonly metricsService?: string;
  readonly controller?: string;
  readonly priorityClassQuota: string;
}

/** The kubelet-plugin pod. */
export interface PluginPodModel {
  readonly image: string;
  readonly containerName: string;
  readonly imagePullPolicy: ImagePullPolicy;
  readonly command?: string[];
  readonly args?: string[];
  readonly env: k8s.EnvVar[];
  readonly probe: DriverProbe;
  /** The name of the probed container port (also the metrics port's when they are one). */
  readonly probePortName: string;
  readonly resources: k8s.ResourceRequirements;
  /** The plugin container's security context, if any field is set. */
  readonly securityContext?: k8s.SecurityContext;
  readonly priorityClassName: string;
  readonly terminationGracePeriodSeconds: number;
  readonly drainLate: boolean;
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations: k8s.Toleration[];
  readonly affinity?: k8s.Affinity;
  readonly registrarDir: string;
  readonly pluginsDir: string;
  readonly pluginDataDir: string;
  readonly cdiDir: string;
  readonly metricsPort?: number;
  /** Whether the metrics are served on the probe's port (one container port for both). */
  readonly metricsOnProbePort: boolean;
  /**
   * Whether the token is mounted per container (some container gets none): the pod
   * mounts no token itself and the `kube-api-access` volume is DraDriver's.
   */
  readonly tokenPerContainer: boolean;
  readonly volumes: k8s.Volume[];
  readonly volumeMounts: k8s.VolumeMount[];
  readonly hostNetwork: boolean;
  readonly hostPID: boolean;
  readonly initContainers: DriverContainerOptions[];
  readonly containers: DriverContainerOptions[];
  readonly podSecurityContext?: k8s.PodSecurityContext;
  readonly imagePullSecrets: string[];
  readonly podLabels: { [key: string]: string };
  readonly podAnnotations: { [key: string]: string };
}

export const PLUGIN_COMPONENT = 'kubelet-plugin';
export const CONTROLLER_COMPONENT = 'controller';
export { METRICS_COMPONENT } from './model/metrics-model';
export type { MetricsModel } from './model/metrics-model';
export type { ControllerModel } from './model/controller-model';
export { PLUGIN_VOLUMES, TOKEN_MOUNT_PATH, TOKEN_VOLUME } from './model/plugin-volumes';
export { DEFAULT_PROBE_PORT_NAME } from './model/probe-model';
export { RESERVED_ENV } from './model/plugin-container';
export { SELECTOR_LABEL_KEYS } from './model/pod-metadata';

/** Validates and defaults DraDriver's props. Throws through `invalidProp` before any object exists. */
export function driverModel(scope: IConstruct, props: DraDriverProps): DriverModel {
  checkProps(scope, props, DRA_DRIVER_PROPS);
  checkDriverName(scope, 'driverName', props.driverName);
  checkImageReference(scope, 'image', props.image);
  const { name, namespace, createNamespace } = identityModel(scope, props);
  const probe = probeModel(scope, props);
  const { upgrade, hostNetwork } = upgradeModel(scope, props);
  const paths = pluginPaths(scope, props, upgrade);
  const container = pluginContainerModel(scope, props);
  const volumes = pluginVolumesModel(scope, props, paths, container.containerName, container.privileged);
  const extraObjects = extraObjectsModel(scope, props, namespace);
  const metadata = podMetadataModel(scope, props);
  const devices = deviceModel(scope, props);
  const metrics = metricsModel(scope, props, name, probe);
  checkRules(scope, 'pluginClusterRules', props.pluginClusterRules ?? []);
  checkRules(scope, 'pluginNamespaceRules', props.pluginNamespaceRules ?? []);
  const controller = props.controller === undefined ? undefined : controllerModel(scope, props.controller);

  return {
    driverName: props.driverName,
    name,
    namespace,
    createNamespace,
    upgrade,
    pod: {
      image: props.image,
      containerName: container.containerName,
      imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
      command: props.command,
      args: props.args,
      env: fromCdk8sPlus.envVars(props.env ?? []),
      probe: probe.probe,
      probePortName: probe.probePortName,
      resources: props.resources ? fromCdk8sPlus.resources(props.resources) : {
        requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
      },
      securityContext: container.securityContext,
      priorityClassName: container.priorityClassName,
      terminationGracePeriodSeconds: container.terminationGracePeriodSeconds,
      drainLate: metadata.drainLate,
      nodeSelector: props.nodeSelector,
      tolerations: fromCdk8sPlus.tolerations(props.tolerations ?? []),
      affinity: props.affinity && fromCdk8sPlus.affinity(props.affinity),
      registrarDir: paths.registrarDir,
      pluginsDir: paths.pluginsDir,
      pluginDataDir: paths.pluginDataDir,
      cdiDir: paths.cdiDir,
      metricsPort: props.metricsPort,
      metricsOnProbePort: probe.metricsOnProbePort,
      tokenPerContainer: volumes.tokenPerContainer,
      volumes: volumes.volumes,
      volumeMounts: volumes.volumeMounts,
      hostNetwork,
      hostPID: props.hostPID ?? false,
      initContainers: volumes.initContainers,
      containers: volumes.containers,
      podSecurityContext: props.podSecurityContext && fromCdk8sPlus.podSecurityContext(props.podSecurityContext),
      imagePullSecrets: metadata.imagePullSecrets,
      podLabels: metadata.podLabels,
      podAnnotations: metadata.podAnnotations,
    },
    deviceClasses: devices.deviceClasses,
    metrics,
    priorityClassPodQuota: props.priorityClassPodQuota,
    writesDeviceStatus: props.writesDeviceStatus ?? false,
    writesDeviceTaintRules: devices.writesDeviceTaintRules,
    pluginClusterRules: fromCdk8sPlus.policyRules(props.pluginClusterRules ?? []),
    pluginNamespaceRules: fromCdk8sPlus.policyRules(props.pluginNamespaceRules ?? []),
    controller,
    extraObjects,
    names: {
      plugin: `${name}-${PLUGIN_COMPONENT}`,
      resourceSliceGuard: `${name}-resourceslices`,
      deviceTaintRuleGuard: `${name}-devicetaintrules`,
      metricsService: metrics?.serviceName,
      controller: controller === undefined ? undefined : `${name}-${CONTROLLER_COMPONENT}`,
      priorityClassQuota: `${name}-priority-class-quota`,
    },
  };
}
