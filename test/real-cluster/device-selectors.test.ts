// Device selectors on a real API server of each test version: what the library, told that version,
// refuses at synth time the server refuses too, and what it accepts the server compiles.
// Selectors that compile only from a version on are judged on both sides of it across the matrix.
import { Chart, Testing } from 'cdk8s';
import { clientOf } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { DraDriver } from '../../src';
import { isAtLeast } from '../../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';
import { CLUSTER_SETUP_TIMEOUT_MS, sharedControlPlane } from '../support/cluster/shared';
import { ILL_TYPED_SELECTORS, VERSIONED_SELECTORS, WELL_TYPED_SELECTORS } from '../support/device-selectors';

/** The server's version, which the library is told too. */
const VERSION = testKubernetesMinor();

let admin: KubeClient;

beforeAll(async () => {
  admin = clientOf(await sharedControlPlane());
}, CLUSTER_SETUP_TIMEOUT_MS);

/** The server's answer to creating (dry run: validated, never stored) a DeviceClass with `expression`. */
async function serverVerdict(expression: string): Promise<{ status: number; message: string }> {
  const res = await admin.request('POST', '/apis/resource.k8s.io/v1/deviceclasses?dryRun=All', {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'DeviceClass',
    metadata: { name: 'selector-probe' },
    spec: { selectors: [{ cel: { expression } }] },
  });
  return { status: res.status, message: String(res.body?.message ?? '') };
}

/** What the library says of a DeviceClass with `expression`: undefined when it synthesizes. */
function libraryVerdict(expression: string): string | undefined {
  const chart = new Chart(Testing.app(), 'test');
  try {
    new DraDriver(chart, 'gpu', {
      driverName: 'gpu.example.com',
      image: 'registry.example.com/gpu:v1',
      deviceClasses: [{ name: 'gpu.example.com', selectors: [expression] }],
      kubernetesVersion: VERSION,
    });
    Testing.synth(chart);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

test.each(ILL_TYPED_SELECTORS)('%s: refused by the library at synth time and by the API server', async (expression, rule) => {
  expect(libraryVerdict(expression)).toContain(rule);
  const verdict = await serverVerdict(expression);
  expect(verdict.status).toBe(422);
  expect(verdict.message).toMatch(/spec\.selectors\[0\]\.cel\.expression: Invalid value/);
});

test.each(WELL_TYPED_SELECTORS)('%s: accepted by the library and compiled by the API server', async expression => {
  expect(libraryVerdict(expression)).toBeUndefined();
  expect(await serverVerdict(expression)).toEqual({ status: 201, message: '' });
});

test.each(VERSIONED_SELECTORS)(`$expression (since $since): the library and the ${VERSION} API server agree`, async ({ expression, since, ruleBefore }) => {
  const verdict = await serverVerdict(expression);
  if (isAtLeast(parseKubernetesVersion(VERSION)!, parseKubernetesVersion(since)!)) {
    expect(libraryVerdict(expression)).toBeUndefined();
    expect(verdict).toEqual({ status: 201, message: '' });
  } else {
    expect(libraryVerdict(expression)).toContain(ruleBefore);
    expect(verdict.status).toBe(422);
    expect(verdict.message).toMatch(/spec\.selectors\[0\]\.cel\.expression: Invalid value/);
  }
});
