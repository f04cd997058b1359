import { RULE_IDS } from '../../common/good-practice-ids';
import { isRegistrationDir, kubeletRootOf, PLUGINS_DIR } from '../../common/kubelet-plugin-facts';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES } from '../../common/kubernetes-versions';
import { MAX_SOCKET_PATH, rollingUpdateRegistrationSocket, rollingUpdateServiceSocket, SocketName } from '../../common/plugin-sockets';
import { GoodPracticeRule } from '../engine/finding';
import { asArray, describeRef, DriverDaemonSet, ObjectIndex, surgingMaxSurge } from '../engine/object-index';
import { Rule, RuleResult, Violation } from '../engine/rule';
import { targetVersion } from '../engine/served-apis';
import { FindingSeverity } from '../engine/severity';

const FALLBACK = KUBERNETES_CHANGES.registrationSocketFallback;
/** `device.driver == "gpu.example.com"` in a DeviceClass selector. */
const CEL_DRIVER = /device\.driver\s*==\s*["']([^"']+)["']/g;

/** A directory of the plugin as the node (kubelet) and as the plugin container see it. */
interface DirectoryViews {
  readonly host: string;
  readonly container: string;
}

/**
 * DRA017: with rolling updates (maxSurge > 0) the kubelet plugin's sockets carry the pod UID;
 * their paths must fit in a Unix socket address (107 bytes) on the node and in the container.
 */
export class PluginSocketPathsRule implements Rule {
  public readonly info: GoodPracticeRule = {
    id: RULE_IDS.pluginSocketPaths,
    severity: FindingSeverity.ERROR,
    title: 'Seamless kubelet plugin whose socket paths, with the pod UID, exceed the Unix socket limit',
    practice: '"Use drivers with seamless upgrade if available": with maxSurge > 0 the kubeletplugin helper names its registration socket '
      + '<kubelet root>/plugins_registry/<driver>-<pod UID>-reg.sock and its service socket <kubelet root>/plugins/<driver>/dra-<pod UID>.sock. '
      + `A Unix socket path holds at most ${MAX_SOCKET_PATH} bytes: a longer one cannot be bound, and the driver never registers with the kubelet `
      + `(kubernetes#139166). From ${formatMinor(FALLBACK)} the helper shortens the registration socket name (a hash of the pod UID, then dra-<hash>-reg.sock); `
      + 'the service socket has no fallback (kubernetes#142002).',
    fix: 'Use a shorter driver name or kubelet root directory, or a helper (and kubernetesVersion) of 1.37 or later for the registration socket; '
      + 'without that, roll the plugin out with maxSurge: 0 (the sockets then carry no pod UID).',
  };

  public check(index: ObjectIndex): RuleResult {
    const violations: Violation[] = [];
    const notes: string[] = [];
    const target = targetVersion(index.options);
    const withFallback = isAtLeast(target, FALLBACK);
    const classDrivers = deviceClassDrivers(index);
    for (const driver of index.drivers) {
      const maxSurge = surgingMaxSurge(driver.source.object);
      if (maxSurge === undefined) continue;
      const registry = registrationDir(driver);
      if (!registry) continue;
      const driverName = driverNameOf(driver, registry.host, classDrivers);
      if (!driverName) {
        notes.push(`DRA017: ${describeRef(driver.source.ref)} uses maxSurge ${JSON.stringify(maxSurge)}, but its driver name is not in DRIVER_NAME, --driver-name, `
          + 'its plugins/<driver> hostPath or a single DeviceClass of the input: its socket paths are not checked');
        continue;
      }
      const surge = `maxSurge ${JSON.stringify(maxSurge)}`;
      const registration = rollingUpdateRegistrationSocket(driverName, registry.container, withFallback);
      const tooLong = overflow(registry, registration);
      if (tooLong) {
        const helper = withFallback
          ? `even the kubeletplugin helper of ${formatMinor(FALLBACK)}+ (targeted: ${formatMinor(target)}), which shortens the name to fit 108 bytes, keeps this one`
          : `kubeletplugin helpers before ${formatMinor(FALLBACK)} (targeted: ${formatMinor(target)}) do not shorten it`;
        violations.push({
          source: driver.source,
          message: `${surge} names driver ${driverName}'s registration socket ${tooLong.path}: ${tooLong.length} bytes, and a Unix socket path holds at most ${MAX_SOCKET_PATH}; `
            + `${helper}, so the plugin cannot bind it and never registers with the kubelet`,
        });
      }
      const data = pluginDataDir(driver, registry.host, driverName);
      const service = data ? overflow(data, rollingUpdateServiceSocket()) : undefined;
      if (data && service) {
        violations.push({
          source: driver.source,
          message: `${surge} names driver ${driverName}'s service socket ${service.path}: ${service.length} bytes, and a Unix socket path holds at most ${MAX_SOCKET_PATH}; `
            + 'no helper version shortens it (kubernetes#142002), so the plugin cannot serve the kubelet',
        });
      }
    }
    return { violations, notes };
  }
}

/** The longer view of `name` in `dir` when it exceeds the limit. */
function overflow(dir: DirectoryViews, name: SocketName): { path: string; length: number } | undefined {
  const views = [dir.host, dir.container].map(d => ({ path: `${d}/${name.shown}`, length: d.length + 1 + name.length }));
  const longest = views.reduce((a, b) => (b.length > a.length ? b : a));
  return longest.length > MAX_SOCKET_PATH ? longest : undefined;
}

/** The registration directory's hostPath and where the plugin container mounts it. */
function registrationDir(driver: DriverDaemonSet): DirectoryViews | undefined {
  for (const container of driver.pluginContainers) {
    for (const mount of asArray(container.volumeMounts)) {
      const volume = asArray(driver.podSpec.volumes).find(v => v?.name === mount?.name);
      const host = volume?.hostPath?.path;
      if (typeof host === 'string' && isRegistrationDir(host) && typeof mount.mountPath === 'string') {
        return { host: trim(host), container: trim(mount.mountPath) };
      }
    }
  }
  return undefined;
}

/** `<root>/plugins/<driver>` on the node and in the container, from a hostPath of `<root>/plugins` or `<root>/plugins/<driver>`. */
function pluginDataDir(driver: DriverDaemonSet, registryHost: string, driverName: string): DirectoryViews | undefined {
  const plugins = `${kubeletRootOf(registryHost)}/${PLUGINS_DIR}`;
  for (const container of driver.pluginContainers) {
    for (const mount of asArray(container.volumeMounts)) {
      const host = trim(String(asArray(driver.podSpec.volumes).find(v => v?.name === mount?.name)?.hostPath?.path ?? ''));
      if (typeof mount?.mountPath !== 'string') continue;
      if (host === plugins) return { host: `${plugins}/${driverName}`, container: `${trim(mount.mountPath)}/${driverName}` };
      if (host === `${plugins}/${driverName}`) return { host, container: trim(mount.mountPath) };
    }
  }
  return undefined;
}

/**
 * The driver name: the plugin container's DRIVER_NAME or `--driver-name`, else a hostPath
 * `<root>/plugins/<name>`, else the one driver the input's DeviceClasses select.
 */
function driverNameOf(driver: DriverDaemonSet, registryHost: string, classDrivers: string[]): string | undefined {
  for (const container of driver.pluginContainers) {
    const env = asArray(container.env).find(e => e?.name === 'DRIVER_NAME' && typeof e.value === 'string' && e.value !== '');
    if (env) return env.value;
    const words = [...asArray(container.command), ...asArray(container.args)].map(String);
    for (let i = 0; i < words.length; i++) {
      const match = /^--?driver[-_]name(?:=(.+))?$/.exec(words[i]);
      if (match) return match[1] ?? words[i + 1];
    }
  }
  const plugins = `${kubeletRootOf(registryHost)}/${PLUGINS_DIR}/`;
  const dataDir = asArray(driver.podSpec.volumes).map(v => trim(String(v?.hostPath?.path ?? ''))).find(p => p.startsWith(plugins) && !p.slice(plugins.length).includes('/'));
  if (dataDir) return dataDir.slice(plugins.length);
  return classDrivers.length === 1 ? classDrivers[0] : undefined;
}

/** The distinct driver names the input's DeviceClasses select in CEL. */
function deviceClassDrivers(index: ObjectIndex): string[] {
  const names = new Set<string>();
  for (const source of index.ofKind('DeviceClass')) {
    for (const selector of asArray(source.object.spec?.selectors)) {
      for (const match of String(selector?.cel?.expression ?? '').matchAll(CEL_DRIVER)) names.add(match[1]);
    }
  }
  return [...names];
}

function trim(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}
