// Applies every committed example's dist/ YAML to a real control plane of the test version (built by
// npm run cluster:build). Reads ../shared/crds: the prometheus-operator CRDs are installed first.
import * as fs from 'fs';
import * as path from 'path';
import { clientOf } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import {
  applyAll, deleteAll, describeObject, installPrometheusOperatorCrds, isNodeFile, namespaces, namespacesAssumed, problems, readManifests,
  typeCheckWarnings,
} from '../../harness/cluster/objects';
import { ADMIN_ACCESS_LABEL_LOCK, CLUSTER_SETUP_TIMEOUT_MS, holdRunLock, sharedControlPlane } from '../support/cluster/shared';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const examples = fs.readdirSync(EXAMPLES).filter(name => fs.existsSync(path.join(EXAMPLES, name, 'dist'))).sort();

/** The cluster manifests of an example: dist/*.k8s.yaml, without the node files (kubeadm's ClusterConfiguration). */
function clusterObjects(example: string): any[] {
  const dist = path.join(EXAMPLES, example, 'dist');
  return fs.readdirSync(dist).filter(f => f.endsWith('.k8s.yaml')).sort()
    .flatMap(f => readManifests(path.join(dist, f)))
    .filter(o => !isNodeFile(o));
}

/** A policy whose first validation is replaced by one the type checker must warn about. */
function illTypedCopy(policy: any): any {
  const validations = [...policy.spec.validations];
  validations[0] = { ...validations[0], expression: 'object.metadata.noSuchField == "x"' };
  return {
    apiVersion: policy.apiVersion,
    kind: policy.kind,
    metadata: { name: `${policy.metadata.name}-type-probe` },
    spec: { ...policy.spec, validations },
  };
}

let admin: KubeClient;
let releaseVendorNames: () => void;
let releaseLabelLock: () => void;

beforeAll(async () => {
  admin = clientOf(await sharedControlPlane());
  // The vendor ports share their charts' names with the renderings resource-slice-guard.test.ts applies.
  releaseVendorNames = await holdRunLock('vendor-names');
  // The examples' DraRbacs write admin-access label policies.
  releaseLabelLock = await holdRunLock(ADMIN_ACCESS_LABEL_LOCK);
  await installPrometheusOperatorCrds(admin);
}, CLUSTER_SETUP_TIMEOUT_MS);

// Jest runs this after every describe's own afterAll, which delete the examples' objects.
afterAll(() => {
  releaseLabelLock?.();
  releaseVendorNames?.();
});

describe.each(examples)('examples/%s on a real kube-apiserver', example => {
  const objects = clusterObjects(example);
  const policies = objects.filter(o => o.kind === 'ValidatingAdmissionPolicy');
  const existing = namespaces(namespacesAssumed(objects));

  afterAll(() => deleteAll(admin, [...objects, ...existing]), 180_000);

  test('every object is accepted by server-side apply with strict field validation, with no warning', async () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(problems(await applyAll(admin, existing))).toEqual([]);
    const outcomes = await applyAll(admin, objects);
    expect(problems(outcomes)).toEqual([]);
    expect(outcomes.map(o => o.object)).toEqual(expect.arrayContaining(objects.map(describeObject)));
  });

  test('kube-controller-manager type-checks every ValidatingAdmissionPolicy and finds nothing', async () => {
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      expect({ policy: policy.metadata.name, warnings: await typeCheckWarnings(admin, policy.metadata.name) })
        .toEqual({ policy: policy.metadata.name, warnings: [] });
    }
  });

  // No warnings is also what a policy gets when the server skips it (a wildcard group or version):
  // an ill-typed copy with the same match constraints shows that each one is really checked.
  test('each policy\'s match constraints let the server type-check it: an ill-typed copy gets a warning', async () => {
    // All copies at once: the controller type-checks them in one pass instead of one wait each.
    const probes = policies.map(illTypedCopy);
    expect(problems(await applyAll(admin, probes))).toEqual([]);
    try {
      const warned = await Promise.all(probes.map(async (probe, i) => ({
        policy: policies[i].metadata.name,
        warned: (await typeCheckWarnings(admin, probe.metadata.name)).some(w => w.warning.includes('noSuchField')),
      })));
      expect(warned).toEqual(policies.map(policy => ({ policy: policy.metadata.name, warned: true })));
    } finally {
      await deleteAll(admin, probes);
    }
  });
});
