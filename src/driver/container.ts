import { k8s } from 'cdk8s-plus-28';
import { DriverContainerProcess } from './container-process';
import { DriverProbe } from './probe';
import { DriverSecurityContext } from './security-context';

/**
 * One more container of the kubelet-plugin pod (an init container, a sidecar or a second
 * plugin, as NVIDIA runs its GPU and ComputeDomain plugins side by side).
 */
export interface DriverContainerOptions extends DriverContainerProcess {
  /** The container name (a DNS label, unique in the pod). */
  readonly name: string;
  /**
   * Environment variables; DraDriver sets none in this container.
   * @default - none
   */
  readonly env?: k8s.EnvVar[];
  /**
   * Mounts of the pod's volumes: DraDriver's own (`plugins-registry`, `plugin-data`,
   * `cdi`) or those of `volumes`. Kubelet and CDI directories must be mounted at their
   * host path.
   * @default - none
   */
  readonly volumeMounts?: k8s.VolumeMount[];
  /**
   * The container's security context. `DriverSecurityContext.privileged()` needs the
   * `privileged` Pod Security level on the namespace (DraDriver's own namespace has it).
   * @default - none: the container runtime's defaults
   */
  readonly securityContext?: DriverSecurityContext;
  /**
   * Whether the container gets the pod's ServiceAccount token. A container that never calls
   * the API server (a metrics exporter, an init container that loads a module) should not
   * hold a token that can write ResourceSlices: with `false`, the pod mounts no token by
   * default (`automountServiceAccountToken: false`) and DraDriver mounts the same
   * projected token the kubelet would (`kube-api-access`) only into the containers that keep it.
   * @default true
   */
  readonly serviceAccountToken?: boolean;
  /**
   * The liveness and startup probe (not for init containers, which run to completion).
   * @default - no probe
   */
  readonly probe?: DriverProbe;
  /**
   * Container resources.
   * @default - none
   */
  readonly resources?: k8s.ResourceRequirements;
  /**
   * Container ports (for a sidecar's metrics, for example).
   * @default - none
   */
  readonly ports?: k8s.ContainerPort[];
}
