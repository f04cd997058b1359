import { ImagePullPolicy } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { DriverContainerOptions } from './container';
import { DraDriverControllerOptions } from './controller';
import { checkDriverName, deviceClassSpec, ExtendedResourceGate } from './device-class-spec';
import { DriverObject } from './driver-object';
import { checkDriverObject } from './driver-object-checks';
import { DRA_DRIVER_PROPS } from './driver-prop-types';
import { DraDriverProps, PluginSecurityMode } from './driver-props';
import { driverNaming } from './naming';
import {
  checkContainers, checkDirectory, checkMounts, checkPort, checkProbe, checkRules, checkVolumes, MountContext,
} from './pod-extras-checks';
import { checkEnv, checkLabels, checkResources, checkStrings, checkTolerations } from './pod-template-checks';
import { DriverProbe, DriverProbeType } from './probe';
import { DriverSecurityContext, securityContextJson } from './security-context';
import { DriverUpgrade } from './upgrade';
import { fromCdk8sPlus } from '../common/cdk8s-plus-structs';
import { CA_DS_EVICTION_ANNOTATION } from '../common/drain';
import { invalidProp } from '../common/errors';
import { checkImageReference } from '../common/image-reference';
import { DEFAULT_KUBELET_ROOT_DIR, PLUGIN_ENV, PLUGINS_DIR, PRIORITY_CLASSES, registrationDir } from '../common/kubelet-plugin-facts';
import { DEFAULT_KUBERNETES_VERSION, formatMinor, isAtLeast, KUBERNETES_CHANGES, kubernetesVersionProblem, OLDEST_KUBERNETES } from '../common/kubernetes-versions';
import { isDnsLabel, isDnsSubdomain, isLabelKey, parseKubernetesVersion } from '../common/names';
import { checkWholeNumber } from '../common/numbers';
import { objectKey } from '../common/object-key';
import { MAX_SOCKET_PATH, POD_UID_LENGTH } from '../common/plugin-sockets';
import { checkProps } from '../common/prop-types';
import { checkLimitsNotBelowRequests } from '../common/quantity';
import { checkCreatedNamespace } from '../common/system-namespaces';
import { checkKubeletVersion, oldestKubeletFor } from '../common/version-skew';
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

export interface MetricsModel {
  readonly port: number;
  /** The container port's name, which the Service targets. */
  readonly portName: string;
  readonly serviceName: string;
  readonly serviceMonitor: boolean;
  readonly serviceMonitorLabels?: { [key: string]: string };
}

export interface ControllerModel {
  readonly options: DraDriverControllerOptions;
  readonly replicas: number;
  readonly priorityClassName: string;
}

const DEFAULT_MIN_KUBELET = formatMinor(oldestKubeletFor(OLDEST_KUBERNETES));
/** A day: longer would hold every drain of a node (and a cluster upgrade) for longer than anyone waits. */
const MAX_GRACE_SECONDS = 86400;
export const PLUGIN_COMPONENT = 'kubelet-plugin';
export const METRICS_COMPONENT = 'kubelet-plugin-metrics';
export const CONTROLLER_COMPONENT = 'controller';
/** DraDriver's own volumes of the plugin pod. */
export const PLUGIN_VOLUMES = { registrar: 'plugins-registry', pluginData: 'plugin-data', cdi: 'cdi' };
/**
 * The projected ServiceAccount token volume, named and shaped as the kubelet's
 * ServiceAccount admission makes it (`kube-api-access-<random>`), mounted per container.
 */
export const TOKEN_VOLUME = 'kube-api-access';
/** Where a container finds its ServiceAccount token (client-go's in-cluster config reads it there). */
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The probe port's name unless `portName` says otherwise. */
export const DEFAULT_PROBE_PORT_NAME = 'healthcheck';
/** The variables DraDriver sets in the plugin container; `env` may not set them again. */
export const RESERVED_ENV: string[] = Object.values(PLUGIN_ENV);
/** The label keys of the pod selector, which `podLabels` may not change. */
export const SELECTOR_LABEL_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/component'];

/** Validates and defaults DraDriver's props. Throws through `invalidProp` before any object exists. */
export function driverModel(scope: IConstruct, props: DraDriverProps): DriverModel {
  checkProps(scope, props, DRA_DRIVER_PROPS);
  checkDriverName(scope, 'driverName', props.driverName);
  checkImageReference(scope, 'image', props.image);
  const { name, namespace } = driverNaming(props);
  // The default (a driver name of at most 63 characters, dots made dashes) is always a DNS label.
  if (!isDnsLabel(name)) {
    invalidProp(scope, 'name', name, 'must be a DNS label (RFC 1123, at most 63 characters)');
  }
  if (!isDnsLabel(namespace)) {
    invalidProp(scope, 'namespace', namespace, 'must be a DNS label (RFC 1123, at most 63 characters)');
  }
  if (props.createNamespace ?? true) {
    checkCreatedNamespace(scope, 'namespace', namespace, 'pod-security.kubernetes.io/enforce: privileged');
  }

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

  const upgrade = props.upgrade ?? DriverUpgrade.rollingUpdate();
  checkUpgrade(scope, upgrade, props);
  const hostNetwork = props.hostNetwork ?? false;
  if (hostNetwork && upgrade.isSeamless && !props.hostNetworkPortsShared) {
    invalidProp(scope, 'hostNetwork', true,
      'with a seamless upgrade runs the old and the new pod side by side in the node\'s network namespace, where both bind the same health and metrics ports; '
      + 'use DriverUpgrade.rollingUpdate(), or set hostNetworkPortsShared once the driver binds them with SO_REUSEPORT');
  }

  const kubeletRootDir = checkDirectory(scope, 'kubeletRootDir', props.kubeletRootDir ?? DEFAULT_KUBELET_ROOT_DIR);
  const cdiDir = checkDirectory(scope, 'cdiDir', props.cdiDir ?? '/var/run/cdi');
  const registrarDir = registrationDir(kubeletRootDir);
  const pluginsDir = `${kubeletRootDir}/${PLUGINS_DIR}`;
  const pluginDataDir = `${pluginsDir}/${props.driverName}`;
  const uidPart = upgrade.isSeamless ? `-${'x'.repeat(POD_UID_LENGTH)}` : '';
  for (const socket of [`${registrarDir}/${props.driverName}${uidPart}-reg.sock`, `${pluginDataDir}/dra${uidPart}.sock`]) {
    if (socket.length > MAX_SOCKET_PATH) {
      invalidProp(scope, 'driverName', props.driverName,
        `is too long for the kubelet plugin socket ${socket.replace('x'.repeat(POD_UID_LENGTH), '<pod-uid>')}: ${socket.length} characters, and Unix socket paths hold at most ${MAX_SOCKET_PATH}`);
    }
  }

  const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? 120;
  checkWholeNumber(scope, 'terminationGracePeriodSeconds', terminationGracePeriodSeconds, 1, MAX_GRACE_SECONDS, 'seconds',
    'the plugin needs time to unprepare devices, and every drain of the node waits this long for it');
  const priorityClassName = checkPriorityClass(scope, 'priorityClassName', props.priorityClassName ?? PRIORITY_CLASSES.nodeCritical);
  if (props.priorityClassPodQuota !== undefined && (!Number.isInteger(props.priorityClassPodQuota) || props.priorityClassPodQuota < 1)) {
    invalidProp(scope, 'priorityClassPodQuota', props.priorityClassPodQuota, 'must be a positive whole number of pods');
  }
  checkLabels(scope, 'nodeSelector', props.nodeSelector);
  checkTolerations(scope, props.tolerations);
  checkStrings(scope, 'command', props.command);
  checkStrings(scope, 'args', props.args);
  checkEnv(scope, props.env, RESERVED_ENV);
  checkResources(scope, props.resources);
  checkLimitsNotBelowRequests(scope, 'resources', props.resources);
  checkLabels(scope, 'serviceMonitorLabels', props.serviceMonitorLabels);

  if (props.securityMode !== undefined && props.securityContext !== undefined) {
    invalidProp(scope, 'securityMode', props.securityMode, 'cannot be given with securityContext, which chooses every field: leave securityMode out');
  }
  const pluginSecurity = props.securityContext
    ?? (props.securityMode === PluginSecurityMode.UNPRIVILEGED ? DriverSecurityContext.unprivileged() : DriverSecurityContext.privileged());
  const securityContext = securityContextJson(scope, props.securityContext === undefined ? 'securityMode' : 'securityContext', pluginSecurity);
  const containerName = props.containerName ?? 'plugin';
  if (!isDnsLabel(containerName)) {
    invalidProp(scope, 'containerName', containerName, 'must be a DNS label (RFC 1123, at most 63 characters)');
  }
  const ownVolumes: k8s.Volume[] = [
    // Directory, not DirectoryOrCreate: a missing registry means a wrong kubeletRootDir.
    { name: PLUGIN_VOLUMES.registrar, hostPath: { path: registrarDir, type: 'Directory' } },
    // Only this driver's directory: the plugin cannot touch other plugins' sockets.
    { name: PLUGIN_VOLUMES.pluginData, hostPath: { path: pluginDataDir, type: 'DirectoryOrCreate' } },
    { name: PLUGIN_VOLUMES.cdi, hostPath: { path: cdiDir, type: 'DirectoryOrCreate' } },
  ];
  const volumes = fromCdk8sPlus.volumes(props.volumes ?? []);
  checkVolumes(scope, volumes, [...ownVolumes.map(v => v.name), TOKEN_VOLUME]);
  const mountContext: MountContext = {
    volumes: new Map([...ownVolumes, ...volumes].map(v => [v.name, v])),
    samePathDirs: [kubeletRootDir, cdiDir],
  };
  const ownMounts: k8s.VolumeMount[] = [
    { name: PLUGIN_VOLUMES.registrar, mountPath: registrarDir },
    { name: PLUGIN_VOLUMES.pluginData, mountPath: pluginDataDir },
    { name: PLUGIN_VOLUMES.cdi, mountPath: cdiDir },
  ];
  const volumeMounts = fromCdk8sPlus.volumeMounts(props.volumeMounts ?? []);
  const ownMountNames = new Set(ownMounts.map(m => m.name));
  volumeMounts.forEach((mount, index) => {
    if (ownMountNames.has(mount.name)) {
      invalidProp(scope, `volumeMounts[${index}].name`, mount.name, 'is mounted by DraDriver already, at its host path');
    }
  });
  checkMounts(scope, 'volumeMounts', [...ownMounts, ...volumeMounts], mountContext, pluginSecurity.isPrivileged);
  const containerNames = new Set([containerName]);
  const initContainers = props.initContainers ?? [];
  const containers = props.containers ?? [];
  checkContainers(scope, 'initContainers', initContainers, containerNames, mountContext, true);
  checkContainers(scope, 'containers', containers, containerNames, mountContext, false);
  const tokenPerContainer = [...initContainers, ...containers].some(c => c.serviceAccountToken === false);
  const extraObjects = props.extraObjects ?? [];
  const objectKeys = new Set<string>();
  extraObjects.forEach((object, index) => {
    checkDriverObject(scope, `extraObjects[${index}]`, object);
    const key = objectKey({
      apiVersion: object.apiVersion, kind: object.kind, namespace: object.clusterScoped ? undefined : namespace, name: object.name,
    });
    if (objectKeys.has(key)) {
      invalidProp(scope, `extraObjects[${index}].name`, object.name, `names the same ${object.kind} as an earlier extra object: the API server would keep one of them`);
    }
    objectKeys.add(key);
  });
  (props.imagePullSecrets ?? []).forEach((secret, index) => {
    if (!isDnsSubdomain(secret)) {
      invalidProp(scope, `imagePullSecrets[${index}]`, secret, 'must be the name of a Secret (a DNS subdomain)');
    }
  });
  const podLabels = props.podLabels ?? {};
  checkLabels(scope, 'podLabels', podLabels);
  for (const key of SELECTOR_LABEL_KEYS) {
    if (key in podLabels) {
      invalidProp(scope, 'podLabels key', key, 'is a selector label DraDriver sets: changing it would orphan the pods');
    }
  }
  const drainLate = props.drainLateTolerations ?? true;
  const podAnnotations = props.podAnnotations ?? {};
  for (const [key, value] of Object.entries(podAnnotations)) {
    if (!isLabelKey(key)) {
      invalidProp(scope, 'podAnnotations key', key, 'must be an annotation key: an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."');
    }
    if (typeof value !== 'string') {
      invalidProp(scope, `podAnnotations['${key}']`, value, 'must be a string');
    }
    if (drainLate && key === CA_DS_EVICTION_ANNOTATION) {
      invalidProp(scope, 'podAnnotations key', key, 'is set by drainLateTolerations (set drainLateTolerations: false to choose it yourself)');
    }
  }

  const gate = extendedResourceGate(scope, props);
  const writesDeviceTaintRules = props.writesDeviceTaintRules ?? false;
  if (writesDeviceTaintRules && !isAtLeast(gate.version, KUBERNETES_CHANGES.deviceTaintRulesV1)) {
    invalidProp(scope, 'writesDeviceTaintRules', true,
      `needs kubernetesVersion ${formatMinor(KUBERNETES_CHANGES.deviceTaintRulesV1)} or later (it is '${gate.kubernetesVersion}'): `
      + `DeviceTaintRule is served as resource.k8s.io/v1 from ${formatMinor(KUBERNETES_CHANGES.deviceTaintRulesV1)}, and the admission policy `
      + 'that confines the plugin\'s writes matches that version');
  }
  const deviceClassOptions = props.deviceClasses ?? [{ name: props.driverName }];
  const deviceClasses = deviceClassOptions.map((options, index) => ({
    name: options.name,
    spec: deviceClassSpec(scope, props.driverName, options, index, gate),
  }));
  const seen = new Set<string>();
  deviceClassOptions.forEach((options, index) => {
    if (seen.has(options.name)) {
      invalidProp(scope, `deviceClasses[${index}].name`, options.name, 'is used by an earlier DeviceClass: names must be unique');
    }
    seen.add(options.name);
  });

  const metricsServiceName = props.metricsPort === undefined ? undefined : `${name}-${METRICS_COMPONENT}`;
  if (metricsServiceName !== undefined && !isDnsLabel(metricsServiceName)) {
    invalidProp(scope, props.name === undefined ? 'driverName' : 'name', props.name ?? props.driverName,
      `makes the metrics Service name '${metricsServiceName}' longer than 63 characters; set \`name\` to a shorter one`);
  }

  checkRules(scope, 'pluginClusterRules', props.pluginClusterRules ?? []);
  checkRules(scope, 'pluginNamespaceRules', props.pluginNamespaceRules ?? []);
  const controller = props.controller === undefined ? undefined : controllerModel(scope, props.controller);

  return {
    driverName: props.driverName,
    name,
    namespace,
    createNamespace: props.createNamespace ?? true,
    upgrade,
    pod: {
      image: props.image,
      containerName,
      imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
      command: props.command,
      args: props.args,
      env: fromCdk8sPlus.envVars(props.env ?? []),
      probe,
      probePortName,
      resources: props.resources ? fromCdk8sPlus.resources(props.resources) : {
        requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
      },
      securityContext,
      priorityClassName,
      terminationGracePeriodSeconds,
      drainLate,
      nodeSelector: props.nodeSelector,
      tolerations: fromCdk8sPlus.tolerations(props.tolerations ?? []),
      affinity: props.affinity && fromCdk8sPlus.affinity(props.affinity),
      registrarDir,
      pluginsDir,
      pluginDataDir,
      cdiDir,
      metricsPort: props.metricsPort,
      metricsOnProbePort,
      tokenPerContainer,
      volumes: [...ownVolumes, ...volumes],
      volumeMounts: [...ownMounts, ...volumeMounts],
      hostNetwork,
      hostPID: props.hostPID ?? false,
      initContainers,
      containers,
      podSecurityContext: props.podSecurityContext && fromCdk8sPlus.podSecurityContext(props.podSecurityContext),
      imagePullSecrets: props.imagePullSecrets ?? [],
      podLabels,
      podAnnotations,
    },
    deviceClasses,
    metrics: props.metricsPort === undefined ? undefined : {
      port: props.metricsPort,
      portName: metricsOnProbePort ? probePortName : 'metrics',
      serviceName: metricsServiceName!,
      serviceMonitor: props.serviceMonitor ?? true,
      serviceMonitorLabels: props.serviceMonitorLabels,
    },
    priorityClassPodQuota: props.priorityClassPodQuota,
    writesDeviceStatus: props.writesDeviceStatus ?? false,
    writesDeviceTaintRules,
    pluginClusterRules: fromCdk8sPlus.policyRules(props.pluginClusterRules ?? []),
    pluginNamespaceRules: fromCdk8sPlus.policyRules(props.pluginNamespaceRules ?? []),
    controller,
    extraObjects,
    names: {
      plugin: `${name}-${PLUGIN_COMPONENT}`,
      resourceSliceGuard: `${name}-resourceslices`,
      deviceTaintRuleGuard: `${name}-devicetaintrules`,
      metricsService: metricsServiceName,
      controller: controller === undefined ? undefined : `${name}-${CONTROLLER_COMPONENT}`,
      priorityClassQuota: `${name}-priority-class-quota`,
    },
  };
}

function checkUpgrade(scope: IConstruct, upgrade: DriverUpgrade, props: DraDriverProps): void {
  const value = upgrade.maxUnavailable.value;
  const valid = typeof value === 'number'
    ? Number.isInteger(value) && value >= 1
    : /^(\d+)%$/.test(value) && Number(value.slice(0, -1)) >= 1 && Number(value.slice(0, -1)) <= 100;
  if (!upgrade.isSeamless && !valid) {
    invalidProp(scope, 'upgrade.maxUnavailable', value, 'must be a whole number of pods >= 1 or a percentage from 1% to 100%: with maxSurge 0, zero would block every rollout');
  }
  const minKubeletVersion = props.minKubeletVersion ?? DEFAULT_MIN_KUBELET;
  const minKubelet = parseKubernetesVersion(minKubeletVersion);
  if (!minKubelet) {
    invalidProp(scope, 'minKubeletVersion', minKubeletVersion, 'must be a Kubernetes version such as 1.33 or v1.34.2');
  }
  checkKubeletVersion(scope, 'minKubeletVersion', minKubeletVersion);
  const seamlessSince = formatMinor(KUBERNETES_CHANGES.seamlessUpgrades);
  if (upgrade.isSeamless && !isAtLeast(minKubelet, KUBERNETES_CHANGES.seamlessUpgrades)) {
    invalidProp(scope, 'upgrade', 'seamless',
      `needs kubelet ${seamlessSince} or newer on every node, but minKubeletVersion is '${minKubeletVersion}': an older kubelet unregisters the driver when the old pod removes its socket, leaving the node without a driver`
      + (props.minKubeletVersion === undefined ? ` (set minKubeletVersion once all kubelets run ${seamlessSince}+)` : ''));
  }
}

function extendedResourceGate(scope: IConstruct, props: DraDriverProps): ExtendedResourceGate {
  const kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const problem = kubernetesVersionProblem(kubernetesVersion);
  if (problem !== undefined) {
    invalidProp(scope, 'kubernetesVersion', kubernetesVersion, problem);
  }
  return { kubernetesVersion, version: parseKubernetesVersion(kubernetesVersion)!, gateEnabled: props.extendedResourceGateEnabled ?? false };
}

function checkPriorityClass(scope: IConstruct, prop: string, priorityClassName: string): string {
  if (!isDnsSubdomain(priorityClassName)) {
    invalidProp(scope, prop, priorityClassName, 'must be a DNS subdomain (RFC 1123)');
  }
  return priorityClassName;
}

function controllerModel(scope: IConstruct, options: DraDriverControllerOptions): ControllerModel {
  checkImageReference(scope, 'controller.image', options.image);
  if (options.containerName !== undefined && !isDnsLabel(options.containerName)) {
    invalidProp(scope, 'controller.containerName', options.containerName, 'must be a DNS label (RFC 1123, at most 63 characters)');
  }
  checkStrings(scope, 'controller.command', options.command);
  checkStrings(scope, 'controller.args', options.args);
  checkEnv(scope, options.env, [], 'controller.env');
  checkResources(scope, options.resources, 'controller.resources');
  checkTolerations(scope, options.tolerations, 'controller.tolerations');
  checkLabels(scope, 'controller.nodeSelector', options.nodeSelector);
  checkRules(scope, 'controller.clusterRules', options.clusterRules ?? []);
  checkRules(scope, 'controller.namespaceRules', options.namespaceRules ?? []);
  if (options.securityContext !== undefined) {
    securityContextJson(scope, 'controller.securityContext', options.securityContext);
  }
  const replicas = options.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) {
    invalidProp(scope, 'controller.replicas', replicas, 'must be a positive whole number');
  }
  return {
    options,
    replicas,
    priorityClassName: checkPriorityClass(scope, 'controller.priorityClassName', options.priorityClassName ?? PRIORITY_CLASSES.clusterCritical),
  };
}
