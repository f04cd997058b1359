import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { OLDEST_KUBERNETES } from './kubernetes-versions';
import { compareKubernetesVersions, parseKubernetesVersion } from './names';

/** The control-plane version this library writes for: resource.k8s.io/v1 is GA in 1.34. */
export const MINIMUM_CONTROL_PLANE = OLDEST_KUBERNETES;

/** The version-skew policy (since 1.28): a kubelet may be up to three minor versions older than kube-apiserver. */
export const MAX_KUBELET_MINOR_SKEW = 3;

/** The oldest kubelet the version-skew policy allows next to a control plane, e.g. `1.31` for `1.34`. */
export function oldestKubeletFor(controlPlane: { major: number; minor: number }): { major: number; minor: number } {
  return { major: controlPlane.major, minor: controlPlane.minor - MAX_KUBELET_MINOR_SKEW };
}

/**
 * The reason a declared oldest kubelet cannot be, or undefined when it can: it is not a
 * version, or it is older than the version-skew policy allows for the control plane
 * (`controlPlane`, default 1.34).
 */
export function kubeletVersionProblem(version: string, controlPlane = MINIMUM_CONTROL_PLANE): string | undefined {
  const kubelet = typeof version === 'string' ? parseKubernetesVersion(version) : undefined;
  if (!kubelet) {
    return 'must be a Kubernetes version such as 1.33 or v1.34.2';
  }
  const oldest = oldestKubeletFor(controlPlane);
  if (compareKubernetesVersions(kubelet, oldest) < 0) {
    return `is older than the version-skew policy allows: a ${controlPlane.major}.${controlPlane.minor} control plane `
      + `serves kubelets down to ${oldest.major}.${oldest.minor} (three minor versions older); upgrade those nodes first`;
  }
  return undefined;
}

/** Refuses an oldest-kubelet version that is none, or that the version-skew policy forbids. */
export function checkKubeletVersion(scope: IConstruct, prop: string, version: string, controlPlane = MINIMUM_CONTROL_PLANE): void {
  const problem = kubeletVersionProblem(version, controlPlane);
  if (problem !== undefined) {
    invalidProp(scope, prop, version, problem);
  }
}
