import { k8s } from 'cdk8s-plus-28';
import { DriverContainerOptions } from './container';
import { DriverContainerProcess } from './container-process';
import { DraDriverControllerOptions } from './controller';
import { DraDeviceClassOptions } from './device-class';
import { DriverObject } from './driver-object';
import { DriverProbe } from './probe';
import { DriverSecurityContext } from './security-context';
import { DriverUpgrade } from './upgrade';

/**
 * How much the kubelet-plugin container may do on the node: the two common cases.
 * `DraDriverProps.securityContext` chooses every field.
 */
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
export interface DraDriverProps extends DriverContainerProcess {
  /**
   * The DRA driver name (a DNS subdomain of at most 63 characters, e.g.
   * `gpu.example.com`), as the driver registers it with the kubelet. It names the plugin data directory and the default
   * DeviceClass, and limits the RBAC rule on `resourceclaims/driver`.
   */
  readonly driverName: string;
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
   * How the kubelet plugin is probed (liveness and startup): its gRPC health service
   * (passed as `HEALTHCHECK_PORT`, which is set only for gRPC), an HTTP endpoint, or none
   * with the reason why.
   * @default DriverProbe.grpc() - port 51515, service `liveness`, as the example driver serves it
   */
  readonly probe?: DriverProbe;
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
   * The Kubernetes version of the control plane the objects are applied to (`1.34`,
   * `v1.36.1`). Gates fields older API servers drop: `extendedResourceName` on a
   * DeviceClass needs 1.36 (or `extendedResourceGateEnabled`).
   * @default '1.34'
   */
  readonly kubernetesVersion?: string;
  /**
   * Acknowledges that the API servers run with the `DRAExtendedResource` feature gate on
   * (alpha in 1.34 and 1.35, on by default from 1.36), so they keep a DeviceClass's
   * `extendedResourceName` instead of dropping it (GitOps drift).
   * @default false
   */
  readonly extendedResourceGateEnabled?: boolean;
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
   * Privileged or unprivileged container (`DriverSecurityContext.privileged()` or
   * `unprivileged()`). Not with `securityContext`.
   * @default PluginSecurityMode.PRIVILEGED
   */
  readonly securityMode?: PluginSecurityMode;
  /**
   * The kubelet-plugin container's security context, every field chosen: a hardened
   * privileged plugin (`DriverSecurityContext.privileged({ capabilitiesDrop: ['ALL'],
   * readOnlyRootFilesystem: true, runAsUser: 0, seccompProfile: ... })`), the runtime's
   * defaults (`DriverSecurityContext.runtimeDefault()`), or any other. A privileged
   * container needs the `privileged` Pod Security level on the namespace, which DraDriver
   * sets on the namespace it creates. Not with `securityMode`.
   * @default - from securityMode: DriverSecurityContext.privileged()
   */
  readonly securityContext?: DriverSecurityContext;
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
   * More environment variables (driver-specific settings). Names the library sets
   * (`NODE_NAME`, `NAMESPACE`, `POD_UID`, `HEALTHCHECK_PORT`, `METRICS_PORT`, the kubelet
   * paths, `CDI_ROOT`) are refused, also those it sets only in some configurations.
   * @default - none
   */
  readonly env?: k8s.EnvVar[];
  /**
   * The name of the kubelet-plugin container.
   * @default 'plugin'
   */
  readonly containerName?: string;
  /**
   * More pod volumes: hostPath (with type), emptyDir, ConfigMap or Secret. DraDriver's own
   * (`plugins-registry`, `plugin-data`, `cdi`) cannot be redefined.
   * @default - none
   */
  readonly volumes?: k8s.Volume[];
  /**
   * More mounts of the plugin container, of `volumes` (readOnly, mountPropagation,
   * subPath as Kubernetes has them). Host paths under the kubelet root and the CDI
   * directory must be mounted at their own path; other host paths may move (`/sys` at `/sysfs`).
   * @default - none
   */
  readonly volumeMounts?: k8s.VolumeMount[];
  /**
   * Whether the pods use the node's network namespace (NIC drivers that move interfaces
   * between namespaces). Sets `dnsPolicy: ClusterFirstWithHostNet` so the plugin still
   * resolves cluster names, and each container port's `hostPort`.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Acknowledges that the plugin's ports may be bound twice on a node with `hostNetwork`
   * and a seamless upgrade, where the old and new pod run side by side: the driver must
   * bind its health and metrics ports with `SO_REUSEPORT` or take them from `POD_UID`.
   * Without it, `hostNetwork` with `DriverUpgrade.seamless()` is refused.
   * @default false
   */
  readonly hostNetworkPortsShared?: boolean;
  /**
   * Whether the pods use the node's PID namespace.
   * @default false
   */
  readonly hostPID?: boolean;
  /**
   * Init containers, run in order before the plugin starts.
   * @default - none
   */
  readonly initContainers?: DriverContainerOptions[];
  /**
   * More containers next to the plugin (sidecars, a second plugin).
   * @default - none
   */
  readonly containers?: DriverContainerOptions[];
  /**
   * The pod-level security context.
   * @default - none
   */
  readonly podSecurityContext?: k8s.PodSecurityContext;
  /**
   * Names of Secrets in the namespace for pulling the images.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * More labels on the pods (not the selector labels `app.kubernetes.io/name` and `component`).
   * @default - only the standard labels
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * More annotations on the pods.
   * @default - only the drain annotation when drainLateTolerations is on
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Whether the driver writes device status into the claims it prepares (health, network
   * data: dranet, the example driver with `GPU_DEVICE_STATUS`). Grants `resourceclaims/status`
   * update and patch and the 1.36 `resourceclaims/driver` verbs; before 1.36 that lets any
   * node's plugin rewrite any claim's status, so leave it off unless the driver needs it.
   * @default false
   */
  readonly writesDeviceStatus?: boolean;
  /**
   * Whether the kubelet plugin writes DeviceTaintRules for its own devices (Intel Gaudi
   * taints unhealthy devices). Grants `devicetaintrules` get, list, watch, create, update,
   * patch and delete, and writes a ValidatingAdmissionPolicy (`<name>-devicetaintrules`,
   * bound with Deny) that lets the plugin's ServiceAccount write only rules whose selector
   * names this driver and the pool of the node its pod runs on (the kubeletplugin helper
   * names a node's pool after the node): a DeviceTaintRule may otherwise taint, and with
   * `NoExecute` evict the pods of, any driver's devices on any node (DRA016). Needs
   * `kubernetesVersion` 1.37+, where DeviceTaintRule is `resource.k8s.io/v1`.
   * @default false
   */
  readonly writesDeviceTaintRules?: boolean;
  /**
   * More cluster-wide rules for the kubelet plugin (in its ClusterRole), e.g. for the
   * driver's own custom resources.
   * @default - none
   */
  readonly pluginClusterRules?: k8s.PolicyRule[];
  /**
   * Rules for the kubelet plugin in its own namespace (a Role and RoleBinding).
   * @default - none
   */
  readonly pluginNamespaceRules?: k8s.PolicyRule[];
  /**
   * The driver's central controller, a Deployment with its own ServiceAccount and rules.
   * @default - no controller
   */
  readonly controller?: DraDriverControllerOptions;
  /**
   * Objects the driver ships besides those DraDriver makes: its CRDs, a
   * NetworkAttachmentDefinition, a configuration ConfigMap. Labelled, namespaced and checked
   * for duplicates like DraDriver's own (`addObject` adds more later).
   * @default - none
   */
  readonly extraObjects?: DriverObject[];
  /**
   * DeviceClasses to publish with the driver. An empty list publishes none.
   * @default - one class named after the driver, selecting `device.driver == "<driverName>"`
   */
  readonly deviceClasses?: DraDeviceClassOptions[];
  /**
   * The port the plugin serves Prometheus metrics on (`METRICS_PORT`, path `/metrics`).
   * Adds a metrics Service and, unless `serviceMonitor` is false, a ServiceMonitor. It may
   * be the port of an HTTP probe when the driver serves `/healthz` and `/metrics` on one
   * port (the CPU driver, dranet): then one container port serves both.
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
