import { IConstruct } from 'constructs';
import { fromCdk8sPlus } from '../../common/cdk8s-plus-structs';
import { invalidProp } from '../../common/errors';
import * as k8s from '../../imports/k8s';
import { DriverContainerOptions } from '../container';
import { DraDriverProps } from '../driver-props';
import { checkContainers, checkMounts, checkVolumes, MountContext } from '../pod-extras-checks';
import { PluginPaths } from './plugin-paths';

/** DraDriver's own volumes of the plugin pod. */
export const PLUGIN_VOLUMES = { registrar: 'plugins-registry', pluginData: 'plugin-data', cdi: 'cdi' };
/**
 * The projected ServiceAccount token volume, named and shaped as the kubelet's
 * ServiceAccount admission makes it (`kube-api-access-<random>`), mounted per container.
 */
export const TOKEN_VOLUME = 'kube-api-access';
/** Where a container finds its ServiceAccount token (client-go's in-cluster config reads it there). */
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The plugin pod's volumes and the plugin container's mounts (DraDriver's own first), and the pod's other containers. */
export interface PluginVolumesModel {
  readonly volumes: k8s.Volume[];
  readonly volumeMounts: k8s.VolumeMount[];
  readonly initContainers: DriverContainerOptions[];
  readonly containers: DriverContainerOptions[];
  /**
   * Whether the token is mounted per container (some container gets none): the pod
   * mounts no token itself and the `kube-api-access` volume is DraDriver's.
   */
  readonly tokenPerContainer: boolean;
}

export function pluginVolumesModel(
  scope: IConstruct, props: DraDriverProps, paths: PluginPaths, containerName: string, privileged: boolean,
): PluginVolumesModel {
  const ownVolumes: k8s.Volume[] = [
    // Directory, not DirectoryOrCreate: a missing registry means a wrong kubeletRootDir.
    { name: PLUGIN_VOLUMES.registrar, hostPath: { path: paths.registrarDir, type: 'Directory' } },
    // Only this driver's directory: the plugin cannot touch other plugins' sockets.
    { name: PLUGIN_VOLUMES.pluginData, hostPath: { path: paths.pluginDataDir, type: 'DirectoryOrCreate' } },
    { name: PLUGIN_VOLUMES.cdi, hostPath: { path: paths.cdiDir, type: 'DirectoryOrCreate' } },
  ];
  const volumes = fromCdk8sPlus.volumes(props.volumes ?? []);
  checkVolumes(scope, volumes, [...ownVolumes.map(v => v.name), TOKEN_VOLUME]);
  const mountContext: MountContext = {
    volumes: new Map([...ownVolumes, ...volumes].map(v => [v.name, v])),
    samePathDirs: [paths.kubeletRootDir, paths.cdiDir],
  };
  const ownMounts: k8s.VolumeMount[] = [
    { name: PLUGIN_VOLUMES.registrar, mountPath: paths.registrarDir },
    { name: PLUGIN_VOLUMES.pluginData, mountPath: paths.pluginDataDir },
    { name: PLUGIN_VOLUMES.cdi, mountPath: paths.cdiDir },
  ];
  const volumeMounts = fromCdk8sPlus.volumeMounts(props.volumeMounts ?? []);
  const ownMountNames = new Set(ownMounts.map(m => m.name));
  volumeMounts.forEach((mount, index) => {
    if (ownMountNames.has(mount.name)) {
      invalidProp(scope, `volumeMounts[${index}].name`, mount.name, 'is mounted by DraDriver already, at its host path');
    }
  });
  checkMounts(scope, 'volumeMounts', [...ownMounts, ...volumeMounts], mountContext, privileged);
  const containerNames = new Set([containerName]);
  const initContainers = props.initContainers ?? [];
  const containers = props.containers ?? [];
  checkContainers(scope, 'initContainers', initContainers, containerNames, mountContext, true);
  checkContainers(scope, 'containers', containers, containerNames, mountContext, false);
  return {
    volumes: [...ownVolumes, ...volumes],
    volumeMounts: [...ownMounts, ...volumeMounts],
    initContainers,
    containers,
    tokenPerContainer: [...initContainers, ...containers].some(c => c.serviceAccountToken === false),
  };
}
