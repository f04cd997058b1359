import { GoodPracticesOptions } from './check-options';
import { DEFAULT_KUBERNETES_VERSION, isAtLeast, KUBERNETES_CHANGES, KubernetesMinor, kubernetesVersionProblem, OLDEST_KUBERNETES } from '../../common/kubernetes-versions';
import { parseKubernetesVersion } from '../../common/names';
import { RESOURCE_API_GROUP } from '../../rbac/api';

/** The API group of admission policies and webhooks. */
export const ADMISSION_API_GROUP = 'admissionregistration.k8s.io';

/** The Kubernetes version the checks assume when none is declared. */
export const DEFAULT_TARGET_VERSION = DEFAULT_KUBERNETES_VERSION;

/**
 * The kinds each GA version of the DRA and admission groups serves by default, from the
 * minor release that made them GA. Beta and alpha versions of these groups are never
 * served by default (KEP-3136: betas added after 1.24 are off; alphas always are; both
 * need `--runtime-config`): kube-apiserver 1.34's `pkg/controlplane/instance.go` lists
 * resource.k8s.io v1beta1, v1beta2 and admissionregistration.k8s.io v1beta1 as disabled,
 * v1alpha3 and v1alpha1 as alpha.
 */
const GA_KINDS: ReadonlyArray<{ readonly group: string; readonly version: string; readonly kind: string; readonly since: number }> = [
  ...['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'].map(kind => ({ group: RESOURCE_API_GROUP, version: 'v1', kind, since: OLDEST_KUBERNETES.minor })),
  { group: RESOURCE_API_GROUP, version: 'v1', kind: 'DeviceTaintRule', since: KUBERNETES_CHANGES.deviceTaintRulesV1.minor },
  ...['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'].map(kind => ({ group: ADMISSION_API_GROUP, version: 'v1', kind, since: 16 })),
  ...['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].map(kind => ({ group: ADMISSION_API_GROUP, version: 'v1', kind, since: 30 })),
  ...['MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding'].map(kind => ({ group: ADMISSION_API_GROUP, version: 'v1', kind, since: 36 })),
];

/**
 * Prerelease versions a release removed (their `APILifecycleRemoved`): from then on the API
 * server does not serve them even with `--runtime-config`.
 */
const REMOVED_VERSIONS: ReadonlyArray<{ readonly group: string; readonly version: string; readonly removed: KubernetesMinor }> = [
  { group: RESOURCE_API_GROUP, version: 'v1beta1', removed: KUBERNETES_CHANGES.v1beta1Removed },
];

/** The release that removed `group/version`, when `target` is that release or later. */
export function removedVersion(group: string, version: string, target: KubernetesMinor): KubernetesMinor | undefined {
  return REMOVED_VERSIONS.find(r => r.group === group && r.version === version && isAtLeast(target, r.removed))?.removed;
}

/** Resources of resource.k8s.io by kind (admission rules name resources, objects name kinds). */
const RESOURCE_OF_KIND: { [kind: string]: string } = {
  DeviceClass: 'deviceclasses',
  ResourceClaim: 'resourceclaims',
  ResourceClaimTemplate: 'resourceclaimtemplates',
  ResourceSlice: 'resourceslices',
  DeviceTaintRule: 'devicetaintrules',
};

/**
 * The opt-in versions of resourceslices (served only with `--runtime-config`), as
 * kube-apiserver 1.34 registers them (`pkg/registry/resource/rest/storage_resource.go`).
 */
export const OPT_IN_SLICE_VERSIONS: readonly string[] = ['v1beta1', 'v1beta2'];

/** The groups whose served versions the checks know. */
export const KNOWN_GROUPS: readonly string[] = [RESOURCE_API_GROUP, ADMISSION_API_GROUP];

/** A target version, parsed; undefined when it is not one the checks know (1.34 to 1.38). */
export function parseTargetVersion(value: string): { major: number; minor: number } | undefined {
  return kubernetesVersionProblem(value) === undefined ? parseKubernetesVersion(value) : undefined;
}

/** The declared target version (validated by the checker), or the default. */
export function targetVersion(options: GoodPracticesOptions): { major: number; minor: number } {
  return parseTargetVersion(options.kubernetesVersion ?? DEFAULT_TARGET_VERSION)!;
}

/** Whether Kubernetes `target` serves `kind` of `group/version` by default. */
export function servedByDefault(group: string, version: string, kind: string, target: { major: number; minor: number }): boolean {
  return GA_KINDS.some(k => k.group === group && k.version === version && k.kind === kind && target.major === 1 && target.minor >= k.since);
}

/** The version of `group` that serves `kind` by default in `target`, if any. */
export function defaultVersionOf(group: string, kind: string, target: { major: number; minor: number }): string | undefined {
  return GA_KINDS.find(k => k.group === group && k.kind === kind && target.major === 1 && target.minor >= k.since)?.version;
}

/** The versions through which `target` serves `resource` of resource.k8s.io by default. */
export function defaultResourceVersions(resource: string, target: { major: number; minor: number }): string[] {
  const kind = Object.keys(RESOURCE_OF_KIND).find(k => RESOURCE_OF_KIND[k] === resource);
  const version = kind === undefined ? undefined : defaultVersionOf(RESOURCE_API_GROUP, kind, target);
  return version === undefined ? [] : [version];
}
