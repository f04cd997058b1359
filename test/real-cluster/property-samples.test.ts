// The property tests' random valid props, applied to a real Kubernetes 1.34 API server: 50 samples
// of each construct, every object accepted by server-side apply with strict field validation and no
// warning. Reads ../shared/crds (the prometheus-operator CRDs are installed first).
// DraTunedControlPlane writes only node files (kubeadm, Cluster API, kops documents), which no API
// server stores: control-plane-renderings.test.ts gives them to the real binaries instead.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { clientOf, ControlPlaneState, startControlPlane, stopControlPlane } from '../support/cluster/control-plane';
import { KubeClient } from '../support/cluster/kube-client';
import {
  applyAll, deleteAll, installPrometheusOperatorCrds, isNodeFile, namespaces, namespacesAssumed, problems, waitForAdmissionPolicies,
} from '../support/cluster/objects';
import { CLUSTER_SETUP_TIMEOUT_MS } from '../support/cluster/shared';
import { VALID_CONSTRUCTS } from '../support/valid-props';

const SAMPLES = 50;
const SERVER_CONSTRUCTS = VALID_CONSTRUCTS.filter(c => c.name !== 'DraTunedControlPlane');

let state: ControlPlaneState;
let admin: KubeClient;

// A control plane of its own: random namespaces and cluster-scoped names must not meet other tests'.
beforeAll(async () => {
  state = await startControlPlane(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-samples-')), { components: false });
  admin = clientOf(state);
  await installPrometheusOperatorCrds(admin);
}, CLUSTER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (state) {
    await stopControlPlane(state);
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
});

test('the node-file construct writes nothing an API server stores', () => {
  const construct = VALID_CONSTRUCTS.find(c => c.name === 'DraTunedControlPlane')!;
  for (const props of fc.sample(construct.arbitrary, { numRuns: 10, seed: 20261201 })) {
    const chart = new Chart(Testing.app(), 'sample');
    construct.build(chart, props);
    expect(Testing.synth(chart).filter(o => !isNodeFile(o))).toEqual([]);
  }
});

test.each(SERVER_CONSTRUCTS.map(c => [c.name, c] as const))('%s: 50 random valid configurations are accepted by the real API server', async (_name, construct) => {
  let applied = 0;
  const rejected: string[] = [];
  for (const [i, props] of fc.sample(construct.arbitrary, { numRuns: SAMPLES, seed: 20261201 }).entries()) {
    const chart = new Chart(Testing.app(), 'sample');
    construct.build(chart, props);
    const objects = Testing.synth(chart).filter(o => !isNodeFile(o));
    const existing = namespaces(namespacesAssumed(objects));
    const found = problems(await applyAll(admin, [...existing, ...objects]));
    rejected.push(...found.map(p => `sample ${i}: ${p}`));
    applied += objects.length;
    // Each sample is a cluster of its own: its admission policies (whose admins are its own) must
    // not judge the next sample's objects.
    await deleteAll(admin, objects.filter(o => o.kind.startsWith('ValidatingAdmissionPolicy')));
    await waitForAdmissionPolicies(admin);
  }
  expect(rejected).toEqual([]);
  expect(applied).toBeGreaterThan(SAMPLES);
}, 300_000);
