/**
 * The kubelet plugin's Unix sockets, as the kubeletplugin helper
 * (`k8s.io/dynamic-resource-allocation/kubeletplugin`) names them, and the length they must fit.
 */

/**
 * sun_path is 108 bytes on Linux including the terminating NUL: Go's net package refuses a
 * 108-byte path (`syscall.SockaddrUnix`), so 107 is the longest a plugin can bind.
 */
export const MAX_SOCKET_PATH = 107;

/** A pod UID (a UUID), which rolling updates (seamless upgrades) put into both socket names. */
export const POD_UID_LENGTH = 36;

/**
 * The helper's own limit from v0.37 (`unixPathMax = 108`, compared with `<=`): it keeps a
 * 108-byte name, which then fails to bind.
 */
const HELPER_PATH_LIMIT = 108;

/** A socket file name, shown with placeholders, and its real length. */
export interface SocketName {
  /** `gpu.example.com-<pod-uid>-reg.sock` */
  readonly shown: string;
  readonly length: number;
}

function named(parts: Array<string | { placeholder: string; length: number }>): SocketName {
  return {
    shown: parts.map(p => (typeof p === 'string' ? p : p.placeholder)).join(''),
    length: parts.reduce((sum, p) => sum + (typeof p === 'string' ? p.length : p.length), 0),
  };
}

const POD_UID = { placeholder: '<pod-uid>', length: POD_UID_LENGTH };
/** base64.RawURLEncoding of 8 and 16 bytes of SHA-256. */
const UID_HASH = { placeholder: '<uid-hash>', length: 11 };
const DRIVER_UID_HASH = { placeholder: '<hash>', length: 22 };

/**
 * The registration socket's file name with rolling updates (`RollingUpdate(podUID)`).
 * Helpers before v0.37 always use `<driver>-<pod-uid>-reg.sock`; from v0.37 (kubernetes#139623)
 * the helper takes the first of `<driver>-<pod-uid>-reg.sock`, `<driver>-<uid-hash>-reg.sock`
 * and `dra-<hash>-reg.sock` whose path in `registryDir` (its own view of the directory) is at
 * most 108 bytes, and the last when none is.
 */
export function rollingUpdateRegistrationSocket(driverName: string, registryDir: string, withFallback: boolean): SocketName {
  const candidates = [
    named([driverName, '-', POD_UID, '-reg.sock']),
    named([driverName, '-', UID_HASH, '-reg.sock']),
    named(['dra-', DRIVER_UID_HASH, '-reg.sock']),
  ];
  if (!withFallback) return candidates[0];
  return candidates.find(c => registryDir.length + 1 + c.length <= HELPER_PATH_LIMIT) ?? candidates[candidates.length - 1];
}

/** The service socket the kubelet calls with rolling updates: `dra-<pod-uid>.sock` in the plugin's data directory (no fallback in any version). */
export function rollingUpdateServiceSocket(): SocketName {
  return named(['dra-', POD_UID, '.sock']);
}
