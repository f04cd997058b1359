// The API versions each test version's API server serves by default, judged by its discovery: the
// facts the checks (DRA008, DRA012, DRA014) and the constructs' version gates rely on
// (src/good-practices/engine/served-apis.ts, src/common/kubernetes-versions.ts) equal what the server
// serves, for every DRA and admission kind, on every version of the matrix.
import { clientOf } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';
import { servedByDefault } from '../../src/good-practices/engine/served-apis';
import { CLUSTER_SETUP_TIMEOUT_MS, sharedControlPlane } from '../support/cluster/shared';

const VERSION = testKubernetesMinor();
const TARGET = parseKubernetesVersion(VERSION)!;

const KINDS: ReadonlyArray<{ group: string; versions: string[]; kinds: string[] }> = [
  {
    group: 'resource.k8s.io',
    versions: ['v1', 'v1beta2', 'v1beta1', 'v1alpha3'],
    kinds: ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice', 'DeviceTaintRule'],
  },
  {
    group: 'admissionregistration.k8s.io',
    versions: ['v1', 'v1beta1', 'v1alpha1'],
    kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
      'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  },
];
const CASES = KINDS.flatMap(({ group, versions, kinds }) => versions.flatMap(version => kinds.map(kind => ({ group, version, kind }))));

let admin: KubeClient;

beforeAll(async () => {
  admin = clientOf(await sharedControlPlane());
}, CLUSTER_SETUP_TIMEOUT_MS);

test(`the ${VERSION} API server serves by default exactly the DRA and admission kinds the checks say it does`, async () => {
  const served: string[] = [];
  const said: string[] = [];
  for (const { group, version, kind } of CASES) {
    const name = `${group}/${version} ${kind}`;
    if (await admin.serves(`${group}/${version}`, kind)) served.push(name);
    if (servedByDefault(group, version, kind, TARGET)) said.push(name);
  }
  expect(said).toEqual(served);
  expect(served).toContain('resource.k8s.io/v1 ResourceSlice');
});
