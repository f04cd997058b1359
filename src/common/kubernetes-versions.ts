import { compareKubernetesVersions, parseKubernetesVersion } from './names';

/** A Kubernetes minor release, such as 1.36. */
export interface KubernetesMinor {
  readonly major: number;
  readonly minor: number;
}

/**
 * The oldest Kubernetes the library writes for and checks: resource.k8s.io/v1, which every DRA
 * object it writes uses, is GA in 1.34.
 */
export const OLDEST_KUBERNETES: KubernetesMinor = { major: 1, minor: 34 };

/**
 * The newest Kubernetes whose DRA changes this table knows (1.38 is in beta): a newer version is
 * refused rather than assumed to behave like it.
 */
export const NEWEST_KUBERNETES: KubernetesMinor = { major: 1, minor: 38 };

/** The version the constructs and checks write for when none is declared. */
export const DEFAULT_KUBERNETES_VERSION = '1.34';

/**
 * What changed for a DRA cluster admin in which release: the one table builders and checks read
 * (read in each release's `pkg/features/kube_features.go`, API registrations and flags).
 */
export const KUBERNETES_CHANGES = {
  /** The kubelet serves two plugin instances of one driver side by side: seamless upgrades (KEP-4381 follow-up). */
  seamlessUpgrades: { major: 1, minor: 33 },
  /**
   * `DRAResourceClaimGranularStatusAuthorization` (beta, on; KEP-4817): writing a claim's
   * `status.devices` also needs `resourceclaims/driver` with node-aware verbs.
   */
  granularClaimStatusAuthorization: { major: 1, minor: 36 },
  /** `DRAConsumableCapacity` beta and on: `device.allowMultipleAllocations` exists in selectors. */
  consumableCapacity: { major: 1, minor: 36 },
  /** `DRAExtendedResource` beta and on: API servers keep a DeviceClass's `extendedResourceName`. */
  extendedResource: { major: 1, minor: 36 },
  /** kube-controller-manager's `--concurrent-resourceclaim-syncs` (older ones refuse the flag and do not start). */
  concurrentResourceClaimSyncs: { major: 1, minor: 36 },
  /**
   * kube-controller-manager and kube-scheduler count ResourceClaim creations in one metric,
   * `dynamic_resource_allocation_resourceclaim_creates_total`, and the controller's claim gauge
   * is `dynamic_resource_allocation_resource_claims` (kubernetes#138542): the older names are gone.
   */
  claimMetricsRenamed: { major: 1, minor: 37 },
  /**
   * The kubeletplugin helper (k8s.io/dynamic-resource-allocation v0.37) shortens a rolling-update
   * registration socket name that would not fit in a Unix socket path (kubernetes#139623): a
   * hash of the pod UID, then `dra-<hash>-reg.sock`. Before, such a plugin fails to register
   * (kubernetes#139166).
   */
  registrationSocketFallback: { major: 1, minor: 37 },
  /**
   * The ValidatingAdmissionPolicy plugin writes every failed validation of a write into one
   * `validation.policy.admission.k8s.io/validation_failure` audit annotation (a list, at most 50).
   * Before, each failing policy set that annotation and only the first was kept (an admission
   * annotation cannot be overwritten: k8s.io/apiserver `pkg/admission/attributes.go`), so the
   * audit log names one policy per write while the warnings name all.
   */
  auditAnnotationListsEveryPolicy: { major: 1, minor: 37 },
  /** `DRADeviceTaintRules` GA: DeviceTaintRule served as resource.k8s.io/v1, on by default. */
  deviceTaintRulesV1: { major: 1, minor: 37 },
  /**
   * `resource.k8s.io/v1beta1` is no longer served, not even with `--runtime-config`
   * (its `APILifecycleRemoved` is 1.38).
   */
  v1beta1Removed: { major: 1, minor: 38 },
  /**
   * The `DynamicResourceAllocation` gate (GA and locked on since 1.35) is gone from
   * `pkg/features/kube_features.go`: a component given it in `--feature-gates` exits with
   * "unrecognized feature gate".
   */
  dynamicResourceAllocationGateRemoved: { major: 1, minor: 38 },
} as const satisfies Record<string, KubernetesMinor>;

/**
 * DRA feature gates a release removed, by the release that removed them: from then on every
 * component refuses to start when `--feature-gates` names one (with any value).
 */
export const REMOVED_FEATURE_GATES: { readonly [gate: string]: KubernetesMinor } = {
  DynamicResourceAllocation: KUBERNETES_CHANGES.dynamicResourceAllocationGateRemoved,
};

/** Whether `version` is at least `since`. */
export function isAtLeast(version: KubernetesMinor, since: KubernetesMinor): boolean {
  return compareKubernetesVersions(version, since) >= 0;
}

/** `1.36` for { major: 1, minor: 36 }. */
export function formatMinor(version: KubernetesMinor): string {
  return `${version.major}.${version.minor}`;
}

/**
 * Why `value` cannot be a target Kubernetes version, or undefined when it can: a version from
 * OLDEST_KUBERNETES to NEWEST_KUBERNETES, such as 1.36 or v1.37.2.
 */
export function kubernetesVersionProblem(value: string): string | undefined {
  const parsed = typeof value === 'string' ? parseKubernetesVersion(value) : undefined;
  if (!parsed) {
    return `must be a Kubernetes version such as ${formatMinor(OLDEST_KUBERNETES)} or v1.36.1`;
  }
  if (!isAtLeast(parsed, OLDEST_KUBERNETES)) {
    return `must be ${formatMinor(OLDEST_KUBERNETES)} or later: resource.k8s.io/v1 is GA in ${formatMinor(OLDEST_KUBERNETES)}`;
  }
  if (isAtLeast(parsed, { major: NEWEST_KUBERNETES.major, minor: NEWEST_KUBERNETES.minor + 1 })) {
    return `must be ${formatMinor(NEWEST_KUBERNETES)} or older: the newest version whose DRA changes this release of cdk8s-dra knows`;
  }
  return undefined;
}
