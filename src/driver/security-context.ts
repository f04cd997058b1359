import { IConstruct } from 'constructs';
import { invalidProp } from '../common/errors';
import * as k8s from '../imports/k8s';

/** Which seccomp profile a container runs with (core/v1 `SeccompProfile`). */
export class DriverSeccompProfile {
  /** The container runtime's default profile (`RuntimeDefault`). */
  public static runtimeDefault(): DriverSeccompProfile {
    return new DriverSeccompProfile('RuntimeDefault');
  }

  /** No seccomp filtering (`Unconfined`). */
  public static unconfined(): DriverSeccompProfile {
    return new DriverSeccompProfile('Unconfined');
  }

  /**
   * A profile file on the node (`Localhost`).
   * @param localhostProfile its path relative to the kubelet's seccomp directory, e.g. `profiles/plugin.json`
   */
  public static localhost(localhostProfile: string): DriverSeccompProfile {
    return new DriverSeccompProfile('Localhost', localhostProfile);
  }

  /** `RuntimeDefault`, `Unconfined` or `Localhost`. */
  public readonly type: string;
  /**
   * The profile file of a `Localhost` profile.
   * @default - none, for the other types
   */
  public readonly localhostProfile?: string;

  private constructor(type: string, localhostProfile?: string) {
    this.type = type;
    this.localhostProfile = localhostProfile;
  }
}

/** Which AppArmor profile a container runs with (core/v1 `AppArmorProfile`, Kubernetes 1.30+). */
export class DriverAppArmorProfile {
  /** The container runtime's default profile (`RuntimeDefault`). */
  public static runtimeDefault(): DriverAppArmorProfile {
    return new DriverAppArmorProfile('RuntimeDefault');
  }

  /** No AppArmor confinement (`Unconfined`). */
  public static unconfined(): DriverAppArmorProfile {
    return new DriverAppArmorProfile('Unconfined');
  }

  /**
   * A profile loaded on the node (`Localhost`).
   * @param localhostProfile the profile's name as loaded on the node
   */
  public static localhost(localhostProfile: string): DriverAppArmorProfile {
    return new DriverAppArmorProfile('Localhost', localhostProfile);
  }

  /** `RuntimeDefault`, `Unconfined` or `Localhost`. */
  public readonly type: string;
  /**
   * The profile name of a `Localhost` profile.
   * @default - none, for the other types
   */
  public readonly localhostProfile?: string;

  private constructor(type: string, localhostProfile?: string) {
    this.type = type;
    this.localhostProfile = localhostProfile;
  }
}

/**
 * The fields of a container's security context (core/v1 `SecurityContext`) that DRA driver
 * containers set. Each field left out is not written: the container runtime's default applies.
 */
export interface DriverSecurityContextOptions {
  /**
   * Whether the container runs privileged. A privileged container needs the `privileged`
   * Pod Security level on its namespace (DraDriver labels the namespace it creates so).
   * @default - not set (false)
   */
  readonly privileged?: boolean;
  /**
   * Whether a process may gain more privileges than its parent (setuid binaries).
   * @default - not set (true unless the container is unprivileged without CAP_SYS_ADMIN)
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * Whether the root filesystem is mounted read-only (the mounts stay writable).
   * @default - not set (false)
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * The user id the processes run as. 0 for plugins that create sockets in the kubelet's
   * root-owned directories.
   * @default - the image's USER
   */
  readonly runAsUser?: number;
  /**
   * The group id the processes run as.
   * @default - the image's group
   */
  readonly runAsGroup?: number;
  /**
   * Whether the kubelet refuses to start the container as root.
   * @default - not set (false)
   */
  readonly runAsNonRoot?: boolean;
  /**
   * Capabilities to add (e.g. `NET_ADMIN`, `SYS_ADMIN`), without the `CAP_` prefix.
   * @default - none added
   */
  readonly capabilitiesAdd?: string[];
  /**
   * Capabilities to drop (`ALL` drops every one not added).
   * @default - none dropped
   */
  readonly capabilitiesDrop?: string[];
  /**
   * The seccomp profile.
   * @default - not set: the pod's, else Unconfined (the kubelet's default)
   */
  readonly seccompProfile?: DriverSeccompProfile;
  /**
   * The AppArmor profile (Kubernetes 1.30+; older API servers drop it).
   * @default - not set: the pod's, else the runtime's default on nodes with AppArmor
   */
  readonly appArmorProfile?: DriverAppArmorProfile;
}

/**
 * A container's security context: the ones DRA drivers run with as factories, or every
 * field chosen with `DriverSecurityContext.of()`.
 */
export class DriverSecurityContext {
  /**
   * `privileged: true`, as the example, NVIDIA and most vendor charts run their plugin
   * (device nodes, kernel modules, CDI specs as root), plus any hardening the driver
   * documents (Intel Gaudi: all capabilities dropped, read-only root filesystem, user 0,
   * seccomp RuntimeDefault).
   */
  public static privileged(hardening: DriverSecurityContextOptions = {}): DriverSecurityContext {
    return new DriverSecurityContext({ ...hardening, privileged: true });
  }

  /**
   * Root (`runAsUser: 0`) without privileges: all capabilities dropped, no privilege
   * escalation, read-only root filesystem, seccomp `RuntimeDefault` (Intel's GPU driver runs
   * like this). User 0 because the kubelet's plugin directories belong to root, so an image
   * with a non-root `USER` could not create its sockets. `overrides` changes single fields
   * (e.g. `capabilitiesAdd: ['NET_ADMIN']`).
   */
  public static unprivileged(overrides: DriverSecurityContextOptions = {}): DriverSecurityContext {
    return new DriverSecurityContext({
      privileged: false,
      runAsUser: 0,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilitiesDrop: ['ALL'],
      seccompProfile: DriverSeccompProfile.runtimeDefault(),
      ...overrides,
    });
  }

  /** No security context at all: the container runtime's defaults (the CPU driver's chart sets none). */
  public static runtimeDefault(): DriverSecurityContext {
    return new DriverSecurityContext({});
  }

  /** Exactly the fields given. */
  public static of(options: DriverSecurityContextOptions): DriverSecurityContext {
    return new DriverSecurityContext({ ...options });
  }

  /** The fields written. */
  public readonly options: DriverSecurityContextOptions;

  private constructor(options: DriverSecurityContextOptions) {
    this.options = options;
  }

  /** Whether the container runs privileged. */
  public get isPrivileged(): boolean {
    return this.options.privileged === true;
  }
}

const PROFILE_TYPES = ['RuntimeDefault', 'Unconfined', 'Localhost'];
/** The capability names of Linux (capability.h), as the container runtimes take them, and `ALL`. */
const CAPABILITY = /^(ALL|[A-Z][A-Z_]*[A-Z])$/;

/**
 * A security context's JSON (core/v1 `SecurityContext`), after the API server's rules:
 * ids whole numbers >= 0, `runAsNonRoot` not with user 0, no `allowPrivilegeEscalation:
 * false` on a privileged container, capability names, and a `Localhost` profile names its file.
 */
export function securityContextJson(scope: IConstruct, prop: string, context: DriverSecurityContext): k8s.SecurityContext | undefined {
  const o = context.options;
  for (const field of ['runAsUser', 'runAsGroup'] as const) {
    const id = o[field];
    if (id !== undefined && (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 2147483647)) {
      invalidProp(scope, `${prop}.${field}`, id, 'must be a whole number from 0 to 2147483647');
    }
  }
  if (o.runAsNonRoot === true && o.runAsUser === 0) {
    invalidProp(scope, `${prop}.runAsNonRoot`, true, 'contradicts runAsUser 0: the kubelet would refuse to start the container');
  }
  if (o.privileged === true && o.allowPrivilegeEscalation === false) {
    invalidProp(scope, `${prop}.allowPrivilegeEscalation`, false, 'cannot be false for a privileged container (the API server refuses it)');
  }
  for (const field of ['capabilitiesAdd', 'capabilitiesDrop'] as const) {
    (o[field] ?? []).forEach((capability, index) => {
      if (typeof capability !== 'string' || !CAPABILITY.test(capability) || capability.startsWith('CAP_')) {
        invalidProp(scope, `${prop}.${field}[${index}]`, capability, 'must be a capability name without the CAP_ prefix (NET_ADMIN, SYS_ADMIN) or ALL');
      }
    });
  }
  for (const field of ['seccompProfile', 'appArmorProfile'] as const) {
    const profile = o[field];
    if (profile === undefined) continue;
    const made = field === 'seccompProfile' ? profile instanceof DriverSeccompProfile : profile instanceof DriverAppArmorProfile;
    if (!made || !PROFILE_TYPES.includes(profile.type)) {
      invalidProp(scope, `${prop}.${field}`, profile, `must be made by ${field === 'seccompProfile' ? 'DriverSeccompProfile' : 'DriverAppArmorProfile'}.runtimeDefault(), unconfined() or localhost()`);
    }
    if ((profile.type === 'Localhost') !== (typeof profile.localhostProfile === 'string' && profile.localhostProfile.trim() !== '')) {
      invalidProp(scope, `${prop}.${field}.localhostProfile`, profile.localhostProfile, 'must name the profile of a Localhost profile, and only then');
    }
  }
  const capabilities = o.capabilitiesAdd !== undefined || o.capabilitiesDrop !== undefined
    ? { add: o.capabilitiesAdd, drop: o.capabilitiesDrop }
    : undefined;
  const profileOf = (profile: DriverSeccompProfile | DriverAppArmorProfile | undefined) => profile === undefined
    ? undefined
    : { type: profile.type, localhostProfile: profile.localhostProfile };
  const json: k8s.SecurityContext = {
    privileged: o.privileged,
    runAsUser: o.runAsUser,
    runAsGroup: o.runAsGroup,
    runAsNonRoot: o.runAsNonRoot,
    allowPrivilegeEscalation: o.allowPrivilegeEscalation,
    readOnlyRootFilesystem: o.readOnlyRootFilesystem,
    capabilities,
    seccompProfile: profileOf(o.seccompProfile),
    appArmorProfile: profileOf(o.appArmorProfile),
  };
  return Object.values(json).some(value => value !== undefined) ? json : undefined;
}
