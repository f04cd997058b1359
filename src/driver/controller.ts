import { k8s } from 'cdk8s-plus-28';
import { DriverContainerProcess } from './container-process';
import { DriverSecurityContext } from './security-context';

/**
 * A DRA driver's central controller (NVIDIA's ComputeDomain controller, the example
 * driver's optional controller): a Deployment next to the kubelet plugin, with a
 * ServiceAccount and rules of its own. The driver's ResourceSlice guard lets it publish
 * only slices without a node (`allNodes`, `nodeSelector`), which no kubelet plugin may write.
 */
export interface DraDriverControllerOptions extends DriverContainerProcess {
  /**
   * The container name.
   * @default 'controller'
   */
  readonly containerName?: string;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: k8s.EnvVar[];
  /**
   * The number of replicas (run more only with leader election).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Whether the controller publishes ResourceSlices without a node. Adds `resourceslices`
   * list, watch, create, update and delete to its ClusterRole.
   * @default false
   */
  readonly publishesResourceSlices?: boolean;
  /**
   * Whether the controller writes device status into its driver's claims on any node
   * (`status.devices`). Adds `resourceclaims/status` update and patch and, for Kubernetes
   * 1.36+, `arbitrary-node:update/patch` on `resourceclaims/driver` limited to the driver's
   * name (`DraRbacRules.driverController`). The kubelet plugin's own grant is
   * `DraDriverProps.writesDeviceStatus`, which reaches only claims on its node.
   * @default false
   */
  readonly writesDeviceStatus?: boolean;
  /**
   * More cluster-wide rules (a ClusterRole bound to the controller), e.g. for the driver's
   * own custom resources.
   * @default - none
   */
  readonly clusterRules?: k8s.PolicyRule[];
  /**
   * Rules in the driver's namespace (a Role bound to the controller).
   * @default - none
   */
  readonly namespaceRules?: k8s.PolicyRule[];
  /**
   * The container's security context.
   * @default - DriverSecurityContext.of({ allowPrivilegeEscalation: false, capabilitiesDrop: ['ALL'], seccompProfile: DriverSeccompProfile.runtimeDefault() })
   */
  readonly securityContext?: DriverSecurityContext;
  /**
   * Container resources.
   * @default - requests of 50m CPU and 64Mi memory, no limits
   */
  readonly resources?: k8s.ResourceRequirements;
  /**
   * The pods' priority class.
   * @default 'system-cluster-critical'
   */
  readonly priorityClassName?: string;
  /**
   * Tolerations.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
  /**
   * Pod affinity rules.
   * @default - none
   */
  readonly affinity?: k8s.Affinity;
  /**
   * Node labels the pods must match.
   * @default - every node
   */
  readonly nodeSelector?: { [key: string]: string };
}
