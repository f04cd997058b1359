/**
 * What the kubelet and the kubeletplugin helper (k8s.io/dynamic-resource-allocation) fix about a
 * DRA driver's kubelet plugin: DraDriver writes it, the good-practice rules read it. One home.
 */

/** The kubelet's root directory unless a distribution moves it (k0s, microk8s). */
export const DEFAULT_KUBELET_ROOT_DIR = '/var/lib/kubelet';

/** The kubelet's plugin-registration directory below its root: a plugin's registration socket lives there. */
export const PLUGIN_REGISTRY_DIR = 'plugins_registry';

/** The registration directory of a kubelet rooted at `kubeletRootDir`. */
export function registrationDir(kubeletRootDir: string): string {
  return `${kubeletRootDir}/${PLUGIN_REGISTRY_DIR}`;
}

/** The kubelet's directory below its root where each plugin keeps its service socket, in `<driver name>/`. */
export const PLUGINS_DIR = 'plugins';

const REGISTRATION_DIR_SUFFIX = new RegExp(`/${PLUGIN_REGISTRY_DIR}/?$`);

/** Whether a hostPath is a kubelet's registration directory (whatever its root). */
export function isRegistrationDir(hostPath: string): boolean {
  return REGISTRATION_DIR_SUFFIX.test(hostPath);
}

/** The kubelet root a registration directory lies in. */
export function kubeletRootOf(registrationDirectory: string): string {
  return registrationDirectory.replace(REGISTRATION_DIR_SUFFIX, '');
}

/**
 * The environment variables the kubeletplugin helper and the drivers built on it read.
 * `HEALTHCHECK_PORT` (or `--healthcheck-port`; -1 turns it off) is where the gRPC health service listens.
 */
export const PLUGIN_ENV = {
  nodeName: 'NODE_NAME',
  namespace: 'NAMESPACE',
  podUid: 'POD_UID',
  healthcheckPort: 'HEALTHCHECK_PORT',
  metricsPort: 'METRICS_PORT',
  registrarDirectory: 'KUBELET_REGISTRAR_DIRECTORY_PATH',
  pluginsDirectory: 'KUBELET_PLUGINS_DIRECTORY_PATH',
  cdiRoot: 'CDI_ROOT',
} as const;

/** The flag form of `HEALTHCHECK_PORT`. */
export const HEALTHCHECK_PORT_FLAG = 'healthcheck-port';

/** The port the example driver and DraDriver's gRPC probe use for the health service. */
export const DEFAULT_HEALTHCHECK_PORT = 51515;

/** The built-in PriorityClasses a driver's pods run at. */
export const PRIORITY_CLASSES = {
  /** A kubelet plugin: evicted last on a node under pressure (the page's driver deployment practice). */
  nodeCritical: 'system-node-critical',
  /** A central controller: critical to the cluster, not pinned to a node. */
  clusterCritical: 'system-cluster-critical',
} as const;
