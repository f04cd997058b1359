/**
 * The Kubernetes versions the tests run on, and what each runs. Each has its Go module in
 * tools/k8s/v<version>/ (scripts/cluster/new-version.sh writes one); scripts/cluster/build.sh
 * builds it, and scripts/test-matrix.ts runs each version's tests in the README's test command.
 */
export interface KubernetesTestVersion {
  /** The version as tools/k8s names it: `1.37`, `1.38-beta`. */
  readonly version: string;
  /**
   * `full`: every real-cluster and real-node test. `served`: every example and the random sample
   * applied, the admission policies type-checked, the RBAC matrices, the control-plane renderings.
   * `canary`: examples applied and renderings read; a break fails the run with the version named.
   */
  readonly scope: 'full' | 'served' | 'canary';
  /** Whether the node tests run on this version's kubelet (and so the kubelet is built). */
  readonly kubelet: boolean;
}

export const KUBERNETES_TEST_VERSIONS: readonly KubernetesTestVersion[] = [
  { version: '1.34', scope: 'full', kubelet: true },
  { version: '1.37', scope: 'full', kubelet: true },
];

/** Which version a test process runs against: set by scripts/test-matrix.ts per jest run. */
export const TEST_VERSION_ENV = 'CDK8S_DRA_KUBERNETES_VERSION';

/** The version a plain `npx jest` runs the cluster and node tests on. */
export const DEFAULT_TEST_VERSION = '1.34';

/** The Kubernetes version this test process runs against. */
export function testKubernetesVersion(): string {
  return process.env[TEST_VERSION_ENV] || DEFAULT_TEST_VERSION;
}
