import * as fs from 'fs';
import * as path from 'path';
import { isAtLeast, KUBERNETES_CHANGES, KubernetesMinor } from '../../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';

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
   * applied, the admission policies type-checked, the RBAC matrices, the control-plane renderings,
   * removed feature gates and API versions. `canary`: examples applied, renderings read, removed
   * gates and API versions; a break fails the run with the version named.
   */
  readonly scope: 'full' | 'served' | 'canary';
  /** Whether the node tests run on this version's kubelet (and so NODE_BINARIES are built). */
  readonly kubelet: boolean;
}

export const KUBERNETES_TEST_VERSIONS: readonly KubernetesTestVersion[] = [
  { version: '1.34', scope: 'full', kubelet: true },
  { version: '1.35', scope: 'served', kubelet: false },
  { version: '1.36', scope: 'served', kubelet: false },
  { version: '1.37', scope: 'full', kubelet: true },
  { version: '1.38-beta', scope: 'canary', kubelet: false },
];

/**
 * What a version whose node tests run builds besides its control plane: the kubelet, and kubectl,
 * which the drain test's shell check calls. The other versions never run either.
 */
export const NODE_BINARIES: readonly string[] = ['kubelet', 'kubectl'];

/** The test files each scope runs (paths from the repository root). */
export const SCOPE_TESTS: Readonly<Record<KubernetesTestVersion['scope'], readonly string[]>> = {
  full: ['test/real-cluster/', 'test/real-node/'],
  served: [
    'test/real-cluster/examples.test.ts',
    'test/real-cluster/device-selectors.test.ts',
    'test/real-cluster/claim-status.test.ts',
    'test/real-cluster/device-taint.test.ts',
    'test/real-cluster/served-versions.test.ts',
    'test/real-cluster/property-samples.test.ts',
    'test/real-cluster/persona-rbac.test.ts',
    'test/real-cluster/control-plane-renderings.test.ts',
    'test/real-cluster/good-practices-admission.test.ts',
    'test/real-cluster/admission-audit.test.ts',
    'test/real-cluster/live-check.test.ts',
    'test/real-cluster/removed-feature-gates.test.ts',
  ],
  canary: [
    'test/real-cluster/examples.test.ts',
    'test/real-cluster/served-versions.test.ts',
    'test/real-cluster/control-plane-renderings.test.ts',
    'test/real-cluster/removed-feature-gates.test.ts',
  ],
};

/**
 * Test files that prove what first exists in a later version than the oldest tested: a version's
 * run leaves each out below its version (the library refuses the feature there, which unit and
 * real-cluster tests show). The device-taint node test needs DeviceTaintRules served as v1.
 */
export const TESTS_FROM_VERSION: Readonly<Record<string, KubernetesMinor>> = {
  'test/real-node/device-taint.test.ts': KUBERNETES_CHANGES.deviceTaintRulesV1,
};

/** The test files (or folders) a version's run gives jest: its scope's, less what needs a newer version. */
export function testFilesOf(v: KubernetesTestVersion): string[] {
  const minor = parseKubernetesVersion(v.version.replace(/-.*$/, ''))!;
  const left = Object.entries(TESTS_FROM_VERSION).filter(([, from]) => !isAtLeast(minor, from)).map(([file]) => file);
  if (left.length === 0) return [...SCOPE_TESTS[v.scope]];
  const root = path.resolve(__dirname, '..', '..');
  return SCOPE_TESTS[v.scope].flatMap(entry => (entry.endsWith('/')
    ? fs.readdirSync(path.join(root, entry)).filter(f => f.endsWith('.test.ts')).sort().map(f => `${entry}${f}`)
    : [entry])).filter(file => !left.includes(file));
}

/** Which version a test process runs against: set by scripts/test-matrix.ts per jest run. */
export const TEST_VERSION_ENV = 'CDK8S_DRA_KUBERNETES_VERSION';

/** The version a plain `npx jest` runs the cluster and node tests on. */
export const DEFAULT_TEST_VERSION = '1.37';

/** The Kubernetes version this test process runs against. */
export function testKubernetesVersion(): string {
  return process.env[TEST_VERSION_ENV] || DEFAULT_TEST_VERSION;
}

/** The test version as the library's `kubernetesVersion` takes it: `1.38` for `1.38-beta`. */
export function testKubernetesMinor(): string {
  return testKubernetesVersion().replace(/-.*$/, '');
}

/**
 * For a command a person runs (cluster:up, node:up): `--version 1.36` among its arguments makes
 * that version this process's (and its children's) test version. Refuses a version the tests do not build.
 */
export function selectTestVersionFromArgs(args: readonly string[]): string {
  const at = args.indexOf('--version');
  if (at >= 0) {
    const version = args[at + 1];
    if (!KUBERNETES_TEST_VERSIONS.some(v => v.version === version)) {
      throw new Error(`--version ${version ?? ''}: the test versions are ${KUBERNETES_TEST_VERSIONS.map(v => v.version).join(', ')}`);
    }
    process.env[TEST_VERSION_ENV] = version;
  }
  return testKubernetesVersion();
}
