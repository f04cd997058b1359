// The property tests' random valid props, applied to the test version's real API server: 50 samples
// of each construct, every object accepted by server-side apply with strict field validation and no
// warning. Reads ../shared/crds (the prometheus-operator CRDs are installed first).
// DraTunedControlPlane writes only node files (kubeadm, Cluster API, kops documents), which no API
// server stores: control-plane-renderings.test.ts gives them to the real binaries instead.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { clientOf, ControlPlaneState, startControlPlane, stopControlPlane } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import {
  applyAll, deleteAll, installPrometheusOperatorCrds, isNodeFile, namespaces, namespacesAssumed, problems,
} from '../../harness/cluster/objects';
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

/** An admission policy or its binding: the objects of a sample that judge other objects. */
const isAdmissionPolicy = (o: any): boolean => o.kind.startsWith('ValidatingAdmissionPolicy');

/** Samples applied at once: the API server answers several while one waits on etcd. */
const SAMPLES_IN_FLIGHT = 4;

test.each(SERVER_CONSTRUCTS.map(c => [c.name, c] as const))('%s: 50 random valid configurations are accepted by the real API server', async (_name, construct) => {
  const samples = fc.sample(construct.arbitrary, { numRuns: SAMPLES, seed: 20261201 }).map((props, i) => {
    const chart = new Chart(Testing.app(), 'sample');
    construct.build(chart, props);
    const objects = Testing.synth(chart).filter(o => !isNodeFile(o));
    return { i, objects: [...namespaces(namespacesAssumed(objects)), ...objects] };
  });
  const rejected: string[] = [];
  // Each sample is a cluster of its own: its admission policies (whose admins are its own) must
  // not judge another sample's objects. So every sample's other objects go first, then every
  // sample's policies, which are deleted again before the next construct's samples.
  for (const phase of [(o: any) => !isAdmissionPolicy(o), isAdmissionPolicy]) {
    const queue = [...samples];
    const applyNext = async (): Promise<void> => {
      for (let sample = queue.shift(); sample; sample = queue.shift()) {
        const found = problems(await applyAll(admin, sample.objects.filter(phase)));
        rejected.push(...found.map(p => `sample ${sample!.i}: ${p}`));
      }
    };
    await Promise.all(Array.from({ length: SAMPLES_IN_FLIGHT }, applyNext));
  }
  await deleteAll(admin, samples.flatMap(s => s.objects.filter(isAdmissionPolicy)));
  expect(rejected.sort()).toEqual([]);
  expect(samples.reduce((n, s) => n + s.objects.length, 0)).toBeGreaterThan(SAMPLES);
}, 300_000);
