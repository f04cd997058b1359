import { ImagePullPolicy, k8s, ServiceAccount } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DraDeviceClassOptions } from './device-class';
import { checkDriverName, deviceClassSpec } from './device-class-spec';
import { driverNaming } from './naming';
import { checkEnv, checkLabels, checkResources, checkStrings, checkTolerations } from './pod-template-checks';
import { ResourceSliceGuard } from './resource-slice-guard';
import { DriverUpgrade } from './upgrade';
import { CA_DS_EVICTION_ANNOTATION, CLUSTER_AUTOSCALER_TAINT, KARPENTER_DISRUPTED_TAINT } from '../common/drain';
import { IDraDriver } from '../common/driver';
import { invalidProp } from '../common/errors';
import { standardLabels } from '../common/labels';
import { kubeletPluginLinterAnnotations } from '../common/linter-annotations';
import { compareKubernetesVersions, isDnsLabel, isDnsSubdomain, parseKubernetesVersion } from '../common/names';
import { KubeDeviceClass } from '../imports/k8s';
import { ServiceMonitor } from '../imports/monitoring.coreos.com';
import { kubeletPluginRules } from '../rbac/kubelet-plugin-rules';

/** How much the kubelet-plugin container may do on the node. */
export enum PluginSecurityMode {
  /**
   * `privileged: true`, as the example, NVIDIA and most vendor charts run their plugin:
   * needed by drivers that touch device nodes, load modules or write CDI specs as root.
   */
  PRIVILEGED = 'privileged',
  /**
   * Root (`runAsUser: 0`) without privileges: all capabilities dropped, no privilege
   * escalation, read-only root filesystem, seccomp `RuntimeDefault` (Intel's GPU driver
   * runs like this). User 0 because the kubelet's plugin directories belong to root, so
   * an image with a non-root `USER` could not create its sockets. The hostPath mounts
   * stay writable. Use it when your driver documents that it works without privileges.
   */
  UNPRIVILEGED = 'unprivileged',
}

/** Props of `DraDriver`. */
export interface DraDriverProps {
  /**
   * The DRA driver name (a DNS subdomain of at most 63 characters, e.g.
   * `gpu.example.com`), as the driver registers it with the kubelet. It names the plugin data directory and the default
   * DeviceClass, and limits the RBAC rule on `resourceclaims/driver`.
   */
  readonly driverName: string;
  /** The kubelet-plugin container image. */
  readonly image: string;
  /**
   * Prefix of the names of the objects made (`<name>-kubelet-plugin`, ...), and their
   * `app.kubernetes.io/name` label. A DNS label.
   * @default - the driverName with dots replaced by dashes (`gpu-example-com`)
   */
  readonly name?: string;
  /**
   * The namespace of the kubelet plugin.
   * @default - the name
   */
  readonly namespace?: string;
  /**
   * Whether to create the namespace, labelled `pod-security.kubernetes.io/enforce:
   * privileged` (the plugin mounts hostPath volumes, which the baseline and restricted
   * levels forbid). Set false when it exists already; then label it yourself.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * The TCP port of the plugin's gRPC health service (`HEALTHCHECK_PORT`), probed with
   * the service name `liveness`. 0 (a random port) cannot be probed.
   * @default 51515
   */
  readonly healthcheckPort?: number;
  /**
   * How pods are replaced when the driver is upgraded.
   * @default DriverUpgrade.rollingUpdate()
   */
  readonly upgrade?: DriverUpgrade;
  /**
   * The oldest kubelet version on any node the DaemonSet may land on (`1.33`,
   * `v1.34.2`). No node label tells kubelet versions apart, so the library must be told.
   * @default '1.31' - the oldest kubelet that the version-skew policy allows with a 1.34 control plane
   */
  readonly minKubeletVersion?: string;
  /**
   * The kubelet root directory; registration sockets go to `<root>/plugins_registry`,
   * the plugin's own socket to `<root>/plugins/<driverName>`. Some distributions move
   * it (k0s: `/var/lib/k0s/kubelet`, microk8s: `/var/snap/microk8s/common/var/lib/kubelet`).
   * @default '/var/lib/kubelet'
   */
  readonly kubeletRootDir?: string;
  /**
   * The host directory where the container runtime reads CDI specs.
   * @default '/var/run/cdi'
   */
  readonly cdiDir?: string;
  /**
   * Privileged or unprivileged container.
   * @default PluginSecurityMode.PRIVILEGED
   */
  readonly securityMode?: PluginSecurityMode;
  /**
   * The pods' priority class: `system-node-critical` is evicted last under node
   * pressure, so the driver can unprepare the devices of the pods evicted before it.
   * @default 'system-node-critical'
   */
  readonly priorityClassName?: string;
  /**
   * Adds a ResourceQuota allowing this many pods of the priority class in the namespace.
   * GKE admits `system-node-critical` pods outside `kube-system` only with such a quota.
   * @default - no ResourceQuota
   */
  readonly priorityClassPodQuota?: number;
  /**
   * Container resources.
   * @default - requests of 50m CPU and 64Mi memory, no limits
   */
  readonly resources?: k8s.ResourceRequirements;
  /**
   * Time the plugin gets to finish NodeUnprepareResources calls after SIGTERM.
   * @default 120
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Whether the driver opts out of the node autoscalers' drains, so it stays while the
   * workload pods go: the pods tolerate `karpenter.sh/disrupted:NoSchedule` (Karpenter
   * does not evict pods that tolerate it) and carry the annotation
   * `cluster-autoscaler.kubernetes.io/enable-ds-eviction: "false"` (Cluster Autoscaler
   * evicts DaemonSet pods on the nodes it removes unless they opt out). They also tolerate
   * `ToBeDeletedByClusterAutoscaler:NoSchedule`, so a driver pod that restarts during
   * the drain comes back, and drain logic that evicts by taint leaves it alone.
   * @default true
   */
  readonly drainLateTolerations?: boolean;
  /**
   * Node labels the pods must match, e.g. `{ 'feature.node.kubernetes.io/pci-10de.present': 'true' }`.
   * @default - every node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * More tolerations, added after the drain-late ones.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
  /**
   * Pod affinity rules.
   * @default - none
   */
  readonly affinity?: k8s.Affinity;
  /**
   * The container command.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * The container arguments.
   * @default - none
   */
  readonly args?: string[];
  /**
   * More environment variables (driver-specific settings). Names the library sets
   * (`NODE_NAME`, `HEALTHCHECK_PORT`, ...) are refused.
   * @default - none
   */
  readonly env?: k8s.EnvVar[];
  /**
   * The image pull policy.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * DeviceClasses to publish with the driver. An empty list publishes none.
   * @default - one class named after the driver, selecting `device.driver == "<driverName>"`
   */
  readonly deviceClasses?: DraDeviceClassOptions[];
  /**
   * The port the plugin serves Prometheus metrics on (`METRICS_PORT`, path `/metrics`).
   * Adds a metrics Service and, unless `serviceMonitor` is false, a ServiceMonitor.
   * @default - no metrics
   */
  readonly metricsPort?: number;
  /**
   * Whether to add a prometheus-operator ServiceMonitor for the metrics Service.
   * Without one, `metricsJob` is undefined and DraMonitoring scrapes with a PodMonitor.
   * @default true when metricsPort is set
   */
  readonly serviceMonitor?: boolean;
  /**
   * Labels on the ServiceMonitor that your Prometheus selects (kube-prometheus-stack:
   * `{ release: '<release>' }`).
   * @default - only the standard labels
   */
  readonly serviceMonitorLabels?: { [key: string]: string };
}

const DEFAULT_HEALTHCHECK_PORT = 51515;
const DEFAULT_MIN_KUBELET = '1.31';
const SEAMLESS_MIN_KUBELET = { major: 1, minor: 33 };
/** sun_path is 108 bytes on Linux including the terminating NUL. */
const MAX_SOCKET_PATH = 107;
/** A pod UID, which seamless upgrades put into both socket names. */
const POD_UID_LENGTH = 36;
const COMPONENT = 'kubelet-plugin';
const METRICS_COMPONENT = 'kubelet-plugin-metrics';
/** Taints that node autoscalers put on the nodes they are about to remove (src/common/drain.ts). */
const DRAIN_TAINTS = [CLUSTER_AUTOSCALER_TAINT, KARPENTER_DISRUPTED_TAINT];
const RESERVED_ENV = [
  'NODE_NAME', 'NAMESPACE', 'POD_UID', 'HEALTHCHECK_PORT', 'METRICS_PORT',
  'KUBELET_REGISTRAR_DIRECTORY_PATH', 'KUBELET_PLUGINS_DIRECTORY_PATH', 'CDI_ROOT',
];

/**
 * A DRA driver's kubelet plugin, installed the way the upstream "Good practices for
 * DRA as a Cluster Admin" page asks: a DaemonSet with a gRPC liveness probe,
 * `system-node-critical` priority, seamless or rolling upgrades checked against the
 * kubelet version, drain-late tolerations and grace period, least-privilege RBAC, a
 * ResourceSlice admission guard built from the same ServiceAccount, DeviceClasses with
 * CEL selectors checked at synth time, and optional metrics scraping.
 */
export class DraDriver extends Construct implements IDraDriver {
  /** The DRA driver name. */
  public readonly driverName: string;
  /** The namespace the kubelet plugin runs in. */
  public readonly namespace: string;
  /** The kubelet-plugin DaemonSet (`<name>-kubelet-plugin`). */
  public readonly daemonSetName: string;
  /** The kubelet plugin's ServiceAccount (`<name>-kubelet-plugin`). */
  public readonly serviceAccountName: string;
  /** The DaemonSet's selector: `app.kubernetes.io/name` and `app.kubernetes.io/component`. */
  public readonly podSelectorLabels: { [key: string]: string };
  /**
   * The plugin's metrics port.
   * @default - no metrics
   */
  public readonly metricsPort?: number;
  /**
   * The Prometheus `job` label of the plugin's metrics: the metrics Service name, when
   * the ServiceMonitor is made.
   * @default - no ServiceMonitor
   */
  public readonly metricsJob?: string;
  /** The kubelet plugin's ServiceAccount, for binding more roles to it. */
  public readonly serviceAccount: ServiceAccount;
  /** The names of the DeviceClasses made, in order. */
  public readonly deviceClassNames: string[];
  /** The ClusterRole (and ClusterRoleBinding) that grants the kubelet plugin its access. */
  public readonly clusterRoleName: string;
  /** The ValidatingAdmissionPolicy (and binding) that confines ResourceSlice writes to the plugin's node. */
  public readonly admissionPolicyName: string;
  /**
   * The metrics Service.
   * @default - no metrics
   */
  public readonly metricsServiceName?: string;
  /** The upgrade strategy in force. */
  public readonly upgrade: DriverUpgrade;

  constructor(scope: Construct, id: string, props: DraDriverProps) {
    super(scope, id);

    // ---- validate everything before any object exists ----
    checkDriverName(this, 'driverName', props.driverName);
    if (props.image === undefined || props.image.trim() === '' || /\s/.test(props.image)) {
      invalidProp(this, 'image', props.image, 'must be a container image reference without whitespace');
    }
    const { name, namespace } = driverNaming(props);
    // The default (a driver name of at most 63 characters, dots made dashes) is always a DNS label.
    if (!isDnsLabel(name)) {
      invalidProp(this, 'name', name, 'must be a DNS label (RFC 1123, at most 63 characters)');
    }
    if (!isDnsLabel(namespace)) {
      invalidProp(this, 'namespace', namespace, 'must be a DNS label (RFC 1123, at most 63 characters)');
    }
    const healthcheckPort = props.healthcheckPort ?? DEFAULT_HEALTHCHECK_PORT;
    checkPort(this, 'healthcheckPort', healthcheckPort);
    if (props.metricsPort !== undefined) {
      checkPort(this, 'metricsPort', props.metricsPort);
      if (props.metricsPort === healthcheckPort) {
        invalidProp(this, 'metricsPort', props.metricsPort, 'must differ from healthcheckPort');
      }
    } else if (props.serviceMonitor === true) {
      invalidProp(this, 'serviceMonitor', true, 'needs metricsPort');
    }

    const upgrade = props.upgrade ?? DriverUpgrade.rollingUpdate();
    checkMaxUnavailable(this, upgrade);
    const minKubeletVersion = props.minKubeletVersion ?? DEFAULT_MIN_KUBELET;
    const minKubelet = parseKubernetesVersion(minKubeletVersion);
    if (!minKubelet) {
      invalidProp(this, 'minKubeletVersion', minKubeletVersion, 'must be a Kubernetes version such as 1.33 or v1.34.2');
    }
    if (upgrade.isSeamless && compareKubernetesVersions(minKubelet, SEAMLESS_MIN_KUBELET) < 0) {
      invalidProp(this, 'upgrade', 'seamless',
        `needs kubelet 1.33 or newer on every node, but minKubeletVersion is '${minKubeletVersion}': an older kubelet unregisters the driver when the old pod removes its socket, leaving the node without a driver`
        + (props.minKubeletVersion === undefined ? ' (set minKubeletVersion once all kubelets run 1.33+)' : ''));
    }

    const kubeletRootDir = checkDirectory(this, 'kubeletRootDir', props.kubeletRootDir ?? '/var/lib/kubelet');
    const cdiDir = checkDirectory(this, 'cdiDir', props.cdiDir ?? '/var/run/cdi');
    const registrarDir = `${kubeletRootDir}/plugins_registry`;
    const pluginsDir = `${kubeletRootDir}/plugins`;
    const pluginDataDir = `${pluginsDir}/${props.driverName}`;
    const uidPart = upgrade.isSeamless ? `-${'x'.repeat(POD_UID_LENGTH)}` : '';
    for (const socket of [`${registrarDir}/${props.driverName}${uidPart}-reg.sock`, `${pluginDataDir}/dra${uidPart}.sock`]) {
      if (socket.length > MAX_SOCKET_PATH) {
        invalidProp(this, 'driverName', props.driverName,
          `is too long for the kubelet plugin socket ${socket.replace('x'.repeat(POD_UID_LENGTH), '<pod-uid>')}: ${socket.length} characters, and Unix socket paths hold at most ${MAX_SOCKET_PATH}`);
      }
    }

    const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? 120;
    if (!Number.isInteger(terminationGracePeriodSeconds) || terminationGracePeriodSeconds < 1) {
      invalidProp(this, 'terminationGracePeriodSeconds', terminationGracePeriodSeconds, 'must be a positive whole number of seconds: the plugin needs time to unprepare devices');
    }
    const priorityClassName = props.priorityClassName ?? 'system-node-critical';
    if (!isDnsSubdomain(priorityClassName)) {
      invalidProp(this, 'priorityClassName', priorityClassName, 'must be a DNS subdomain (RFC 1123)');
    }
    if (props.priorityClassPodQuota !== undefined && (!Number.isInteger(props.priorityClassPodQuota) || props.priorityClassPodQuota < 1)) {
      invalidProp(this, 'priorityClassPodQuota', props.priorityClassPodQuota, 'must be a positive whole number of pods');
    }
    checkLabels(this, 'nodeSelector', props.nodeSelector);
    checkTolerations(this, props.tolerations);
    checkStrings(this, 'command', props.command);
    checkStrings(this, 'args', props.args);
    checkEnv(this, props.env, RESERVED_ENV);
    checkResources(this, props.resources);
    checkLabels(this, 'serviceMonitorLabels', props.serviceMonitorLabels);

    const deviceClassOptions = props.deviceClasses ?? [{ name: props.driverName }];
    const deviceClassSpecs = deviceClassOptions.map((options, index) => deviceClassSpec(this, props.driverName, options, index));
    const seen = new Set<string>();
    deviceClassOptions.forEach((options, index) => {
      if (seen.has(options.name)) {
        invalidProp(this, `deviceClasses[${index}].name`, options.name, 'is used by an earlier DeviceClass: names must be unique');
      }
      seen.add(options.name);
    });

    const withServiceMonitor = props.metricsPort !== undefined && (props.serviceMonitor ?? true);
    const metricsServiceName = props.metricsPort === undefined ? undefined : `${name}-${METRICS_COMPONENT}`;
    if (metricsServiceName !== undefined && !isDnsLabel(metricsServiceName)) {
      invalidProp(this, props.name === undefined ? 'driverName' : 'name', props.name ?? props.driverName,
        `makes the metrics Service name '${metricsServiceName}' longer than 63 characters; set \`name\` to a shorter one`);
    }

    // ---- names and labels ----
    const pluginName = `${name}-${COMPONENT}`;
    this.driverName = props.driverName;
    this.namespace = namespace;
    this.daemonSetName = pluginName;
    this.serviceAccountName = pluginName;
    this.clusterRoleName = pluginName;
    this.admissionPolicyName = `${name}-resourceslices`;
    this.podSelectorLabels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': COMPONENT };
    this.metricsPort = props.metricsPort;
    this.metricsServiceName = metricsServiceName;
    this.metricsJob = withServiceMonitor ? metricsServiceName : undefined;
    this.deviceClassNames = deviceClassOptions.map(o => o.name);
    this.upgrade = upgrade;
    const labels = standardLabels(name, COMPONENT);

    // ---- objects ----
    if (props.createNamespace ?? true) {
      new k8s.KubeNamespace(this, 'namespace', {
        metadata: {
          name: namespace,
          labels: { ...standardLabels(name, 'namespace'), 'pod-security.kubernetes.io/enforce': 'privileged' },
        },
      });
    }

    this.serviceAccount = new ServiceAccount(this, 'service-account', {
      metadata: { name: pluginName, namespace, labels },
      // The plugin talks to the API server (ResourceSlices, claims) with this token.
      automountToken: true,
    });

    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: this.clusterRoleName, labels },
      rules: kubeletPluginRules(props.driverName),
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: this.clusterRoleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRoleName },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccount.name, namespace }],
    });

    new ResourceSliceGuard(this, 'resourceslice-guard', {
      serviceAccount: this.serviceAccount,
      name: this.admissionPolicyName,
      appName: name,
    });

    if (props.priorityClassPodQuota !== undefined) {
      new k8s.KubeResourceQuota(this, 'priority-class-quota', {
        metadata: { name: `${name}-priority-class-quota`, namespace, labels },
        spec: {
          hard: { pods: k8s.Quantity.fromNumber(props.priorityClassPodQuota) },
          scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [priorityClassName] }] },
        },
      });
    }

    const grpc = { port: healthcheckPort, service: 'liveness' };
    const env: k8s.EnvVar[] = [
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ...(upgrade.isSeamless ? [{ name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } }] : []),
      { name: 'HEALTHCHECK_PORT', value: String(healthcheckPort) },
      ...(props.metricsPort !== undefined ? [{ name: 'METRICS_PORT', value: String(props.metricsPort) }] : []),
      { name: 'KUBELET_REGISTRAR_DIRECTORY_PATH', value: registrarDir },
      { name: 'KUBELET_PLUGINS_DIRECTORY_PATH', value: pluginsDir },
      { name: 'CDI_ROOT', value: cdiDir },
      ...(props.env ?? []),
    ];
    const ports: k8s.ContainerPort[] = [
      { name: 'healthcheck', containerPort: healthcheckPort, protocol: 'TCP' },
      ...(props.metricsPort !== undefined ? [{ name: 'metrics', containerPort: props.metricsPort, protocol: 'TCP' }] : []),
    ];
    const drainLate = props.drainLateTolerations ?? true;
    const tolerations: k8s.Toleration[] = [
      ...(drainLate ? DRAIN_TAINTS.map(key => ({ key, operator: 'Exists', effect: 'NoSchedule' })) : []),
      ...(props.tolerations ?? []),
    ];

    const daemonSet = new k8s.KubeDaemonSet(this, 'daemon-set', {
      metadata: { name: this.daemonSetName, namespace, labels },
      spec: {
        selector: { matchLabels: this.podSelectorLabels },
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxSurge: intOrString(upgrade.maxSurge.value),
            maxUnavailable: intOrString(upgrade.maxUnavailable.value),
          },
        },
        template: {
          // Cluster Autoscaler evicts DaemonSet pods of the nodes it removes unless they opt out.
          metadata: { labels, annotations: drainLate ? { [CA_DS_EVICTION_ANNOTATION]: 'false' } : undefined },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            priorityClassName,
            terminationGracePeriodSeconds,
            nodeSelector: props.nodeSelector,
            tolerations: tolerations.length > 0 ? tolerations : undefined,
            affinity: props.affinity,
            containers: [{
              name: 'plugin',
              image: props.image,
              imagePullPolicy: props.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
              command: props.command,
              args: props.args,
              env,
              ports,
              resources: props.resources ?? {
                requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
              },
              securityContext: securityContext(props.securityMode ?? PluginSecurityMode.PRIVILEGED),
              // The kubelet unregisters a plugin that stops answering; restarting it re-registers.
              livenessProbe: { grpc, periodSeconds: 10, failureThreshold: 3 },
              // Drivers may enumerate hardware for a while before serving: give them 5 minutes.
              startupProbe: { grpc, periodSeconds: 5, failureThreshold: 60 },
              volumeMounts: [
                { name: 'plugins-registry', mountPath: registrarDir },
                { name: 'plugin-data', mountPath: pluginDataDir },
                { name: 'cdi', mountPath: cdiDir },
              ],
            }],
            // Sockets and CDI specs must have the same path inside and outside the container.
            volumes: [
              // Directory, not DirectoryOrCreate: a missing registry means a wrong kubeletRootDir.
              { name: 'plugins-registry', hostPath: { path: registrarDir, type: 'Directory' } },
              // Only this driver's directory: the plugin cannot touch other plugins' sockets.
              { name: 'plugin-data', hostPath: { path: pluginDataDir, type: 'DirectoryOrCreate' } },
              { name: 'cdi', hostPath: { path: cdiDir, type: 'DirectoryOrCreate' } },
            ],
          },
        },
      },
    });
    // Linters' findings that are the nature of a kubelet plugin, answered with each linter's annotation and the reason.
    for (const [key, value] of Object.entries(kubeletPluginLinterAnnotations(daemonSet.toJson().spec.template.spec))) {
      daemonSet.metadata.addAnnotation(key, value);
    }

    deviceClassSpecs.forEach((spec, index) => {
      new KubeDeviceClass(this, `device-class-${index}`, {
        metadata: { name: deviceClassOptions[index].name, labels: standardLabels(name, 'device-class') },
        spec,
      });
    });

    if (metricsServiceName !== undefined) {
      const metricsLabels = standardLabels(name, METRICS_COMPONENT);
      new k8s.KubeService(this, 'metrics-service', {
        metadata: { name: metricsServiceName, namespace, labels: metricsLabels },
        spec: {
          selector: this.podSelectorLabels,
          ports: [{ name: 'metrics', port: props.metricsPort!, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
        },
      });
      if (withServiceMonitor) {
        new ServiceMonitor(this, 'service-monitor', {
          metadata: { name: metricsServiceName, namespace, labels: { ...metricsLabels, ...props.serviceMonitorLabels } },
          spec: {
            selector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': METRICS_COMPONENT } },
            namespaceSelector: { matchNames: [namespace] },
            endpoints: [{ port: 'metrics', path: '/metrics' }],
          },
        });
      }
    }
  }
}

function checkPort(scope: Construct, prop: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    invalidProp(scope, prop, port, 'must be a TCP port from 1 to 65535 (0 would pick a random port that no probe or scrape can find)');
  }
}

function checkMaxUnavailable(scope: Construct, upgrade: DriverUpgrade): void {
  const value = upgrade.maxUnavailable.value;
  const valid = typeof value === 'number'
    ? Number.isInteger(value) && value >= 1
    : /^(\d+)%$/.test(value) && Number(value.slice(0, -1)) >= 1 && Number(value.slice(0, -1)) <= 100;
  if (!upgrade.isSeamless && !valid) {
    invalidProp(scope, 'upgrade.maxUnavailable', value, 'must be a whole number of pods >= 1 or a percentage from 1% to 100%: with maxSurge 0, zero would block every rollout');
  }
}

/** An absolute host path, without a trailing slash. */
function checkDirectory(scope: Construct, prop: string, dir: string): string {
  const trimmed = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
  if (!trimmed.startsWith('/') || trimmed.includes('..') || /\s/.test(trimmed)) {
    invalidProp(scope, prop, dir, 'must be an absolute host path without ".." or whitespace');
  }
  return trimmed;
}

function intOrString(value: number | string): k8s.IntOrString {
  return typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value);
}

function securityContext(mode: PluginSecurityMode): k8s.SecurityContext {
  if (mode === PluginSecurityMode.PRIVILEGED) {
    return { privileged: true };
  }
  return {
    privileged: false,
    // The kubelet's plugin directories belong to root: an image with a non-root USER could
    // not create its sockets there. Root without capabilities is what Intel's driver runs as.
    runAsUser: 0,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
