import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { DEFAULT_KUBELET_ROOT_DIR, PLUGINS_DIR, registrationDir } from '../../common/kubelet-plugin-facts';
import { MAX_SOCKET_PATH, POD_UID_LENGTH } from '../../common/plugin-sockets';
import { DraDriverProps } from '../driver-props';
import { checkDirectory } from '../pod-extras-checks';
import { DriverUpgrade } from '../upgrade';

/** The node directories the plugin uses, each the same path inside the container. */
export interface PluginPaths {
  readonly kubeletRootDir: string;
  readonly cdiDir: string;
  readonly registrarDir: string;
  readonly pluginsDir: string;
  readonly pluginDataDir: string;
}

/** The plugin's directories under the kubelet root, refused when a socket in them would not fit a Unix socket path. */
export function pluginPaths(scope: IConstruct, props: DraDriverProps, upgrade: DriverUpgrade): PluginPaths {
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
  return { kubeletRootDir, cdiDir, registrarDir, pluginsDir, pluginDataDir };
}
