// The good-practice admission policies judged by a real API server (the test version): applied to the
// vendor renderings in ../shared/fixtures (read here) and to every example's output, the server's
// warnings name the same rules and objects as `cdk8s-dra check` on the same files; in Deny, the
// server refuses NVIDIA's all-at-once rollout with the rule's message.
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { clientOf } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import {
  applyAll, deleteAll, describeObject, isNodeFile, namespaces, problems, readManifests, typeCheckWarnings, waitForAdmissionPolicies,
} from '../../harness/cluster/objects';
import { DraGoodPractices, DraGoodPracticesAdmission, DraGoodPracticesAdmissionProps } from '../../src';
import { CLUSTER_SETUP_TIMEOUT_MS, holdRunLock, sharedControlPlane } from '../support/cluster/shared';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');
const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const RENDERINGS = ['dra-driver-cpu', 'dra-example-driver', 'dranet', 'intel-gpu-resource-driver', 'nvidia-dra-driver-gpu']
  .map(dir => path.join(FIXTURES, dir, 'rendered-defaults.yaml'));

/**
 * The control plane is shared with the other cluster test files, which write DaemonSets and roles
 * of their own: the bindings here match only objects carrying this label, which this file adds
 * to everything it writes.
 */
const RUN_LABEL = 'cdk8s-dra-test/admission-policies';

/** The policies and bindings of `props`, their bindings confined to this file's objects. */
function admissionObjects(props: DraGoodPracticesAdmissionProps): any[] {
  const chart = new Chart(Testing.app(), 'admission');
  new DraGoodPracticesAdmission(chart, 'admission', props);
  return Testing.synth(chart).map(o => o.kind !== 'ValidatingAdmissionPolicyBinding' ? o
    : { ...o, spec: { ...o.spec, matchResources: { objectSelector: { matchLabels: { [RUN_LABEL]: 'true' } } } } });
}

function labelled(object: any): any {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata?.labels, [RUN_LABEL]: 'true' } } };
}

/** What the server answered to a dry-run server-side apply of `object` (admission runs; nothing is stored). */
async function dryRunApply(client: KubeClient, object: any): Promise<{ status: number; message?: string; warnings: string[] }> {
  const objectPath = await client.objectPath(object);
  const res = await client.request('PATCH', `${objectPath}?fieldManager=cdk8s-dra-tests&force=true&fieldValidation=Strict&dryRun=All`,
    labelled(object), 'application/apply-patch+yaml');
  return { status: res.status, message: res.status >= 300 ? res.body?.message : undefined, warnings: res.warnings };
}

/** `DRA001 DaemonSet ns/name` for each of this file's policies the server warned about when `objects` were applied. */
async function serverWarnings(client: KubeClient, objects: any[]): Promise<string[]> {
  const found: string[] = [];
  for (const object of objects) {
    const answer = await dryRunApply(client, object);
    if (answer.status >= 300) throw new Error(`${describeObject(object)}: ${answer.status} ${answer.message}`);
    for (const warning of answer.warnings) {
      const policy = /ValidatingAdmissionPolicy 'cdk8s-dra-good-practices-(dra\d+)'/.exec(warning);
      if (policy) found.push(`${policy[1].toUpperCase()} ${describeObject(object)}`);
    }
  }
  return found.sort();
}

/** `DRA001 DaemonSet ns/name` for each finding of `check` on the files, among the rules judged at admission. */
function checkFindings(files: string[]): string[] {
  return DraGoodPractices.checkPaths(files).findings.filter(f => DraGoodPracticesAdmission.RULE_IDS.includes(f.ruleId))
    .map(f => `${f.ruleId} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`).sort();
}

/** The kinds the policies match, and the Namespaces the others need; other objects cannot draw a warning. */
const judged = (o: any) => ['DaemonSet', 'ClusterRole', 'Role'].includes(o.kind);

let admin: KubeClient;
let releaseVendorNames: () => void;
const warnPolicies = admissionObjects({});
const namespacesUsed = (objects: any[]) => namespaces([...new Set(objects.map(o => o.metadata?.namespace).filter(Boolean))].sort() as string[]);
const renderingNamespaces = namespacesUsed(RENDERINGS.flatMap(readManifests).filter(judged));

beforeAll(async () => {
  admin = clientOf(await sharedControlPlane());
  // The renderings' namespaces are those resource-slice-guard.test.ts and the examples' vendor ports create.
  releaseVendorNames = await holdRunLock('vendor-names');
  expect(problems(await applyAll(admin, [...warnPolicies, ...renderingNamespaces]))).toEqual([]);
  await waitForAdmissionPolicies(admin);
}, CLUSTER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await deleteAll(admin, [...warnPolicies, ...renderingNamespaces]);
  releaseVendorNames?.();
}, 180_000);

describe('DraGoodPracticesAdmission on a real API server', () => {
  test('kube-controller-manager type-checks every policy and finds nothing', async () => {
    const names = warnPolicies.filter(o => o.kind === 'ValidatingAdmissionPolicy').map(o => o.metadata.name);
    expect(names).toHaveLength(DraGoodPracticesAdmission.RULE_IDS.length);
    for (const name of names) {
      expect({ name, warnings: await typeCheckWarnings(admin, name) }).toEqual({ name, warnings: [] });
    }
  });

  // No warnings is also what a policy gets when the server skips type checking: an ill-typed copy shows it ran.
  test('an ill-typed copy of each policy gets a type-checking warning', async () => {
    for (const policy of warnPolicies.filter(o => o.kind === 'ValidatingAdmissionPolicy')) {
      const probe = {
        apiVersion: policy.apiVersion,
        kind: policy.kind,
        metadata: { name: `${policy.metadata.name}-type-probe` },
        spec: { ...policy.spec, validations: [{ ...policy.spec.validations[0], expression: 'object.metadata.noSuchField == "x"' }] },
      };
      expect(problems(await applyAll(admin, [probe]))).toEqual([]);
      const warnings = await typeCheckWarnings(admin, probe.metadata.name);
      await admin.delete(probe);
      expect({ policy: policy.metadata.name, warned: warnings.some(w => w.warning.includes('noSuchField')) }).toEqual({ policy: policy.metadata.name, warned: true });
    }
  });

  test.each(RENDERINGS.map(file => [path.basename(path.dirname(file)), file]))(
    '%s: the server warns about the same rules and objects as check on the file', async (_, file) => {
      const expected = checkFindings([file]);
      expect(await serverWarnings(admin, readManifests(file).filter(judged))).toEqual(expected);
    });

  test('the renderings draw warnings of DRA001, DRA003, DRA004 and DRA013 between them, so the agreement above is not vacuous', () => {
    expect([...new Set(checkFindings(RENDERINGS).map(f => f.split(' ')[0]))].sort()).toEqual(['DRA001', 'DRA003', 'DRA004', 'DRA013']);
  });

  test('no example\'s output draws a warning', async () => {
    const examples = fs.readdirSync(EXAMPLES).filter(name => fs.existsSync(path.join(EXAMPLES, name, 'dist'))).sort();
    expect(examples.length).toBeGreaterThan(0);
    const objects = examples.flatMap(example => fs.readdirSync(path.join(EXAMPLES, example, 'dist')).filter(f => f.endsWith('.k8s.yaml')).sort()
      .flatMap(f => readManifests(path.join(EXAMPLES, example, 'dist', f)))).filter(o => !isNodeFile(o) && judged(o));
    expect(objects.filter(o => o.kind === 'DaemonSet').length).toBeGreaterThan(0);
    // Each example's objects into one namespace of this file's own: the rules judge no namespace, and the examples' are other files'.
    const namespace = namespaces(['admission-examples']);
    expect(problems(await applyAll(admin, namespace))).toEqual([]);
    try {
      const moved = objects.map(o => (o.metadata.namespace === undefined ? o : { ...o, metadata: { ...o.metadata, namespace: 'admission-examples' } }));
      expect(await serverWarnings(admin, moved)).toEqual([]);
    } finally {
      await deleteAll(admin, namespace);
    }
  });

  test('an object annotated with the suppression check honours draws no warning of that rule', async () => {
    const plugin = readManifests(path.join(FIXTURES, 'dranet', 'rendered-defaults.yaml')).find(o => o.kind === 'DaemonSet');
    const annotated = { ...plugin, metadata: { ...plugin.metadata, annotations: { 'cdk8s-dra/suppress-DRA003': 'priority from the namespace default' } } };
    expect(await serverWarnings(admin, [annotated])).toEqual(['DRA001', 'DRA004'].map(id => `${id} ${describeObject(plugin)}`));
  });

  test('a namespace annotated with the suppression exempts its objects from that rule', async () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'admission-exempt', annotations: { 'cdk8s-dra/suppress-DRA004': 'drained by our own tooling' } } };
    expect(problems(await applyAll(admin, [namespace]))).toEqual([]);
    try {
      const plugin = readManifests(path.join(FIXTURES, 'dranet', 'rendered-defaults.yaml')).find(o => o.kind === 'DaemonSet');
      const moved = { ...plugin, metadata: { ...plugin.metadata, namespace: 'admission-exempt' } };
      expect(await serverWarnings(admin, [moved])).toEqual(['DRA001', 'DRA003'].map(id => `${id} ${describeObject(moved)}`));
    } finally {
      await deleteAll(admin, [namespace]);
    }
  });

  test('in Deny, the server refuses NVIDIA\'s all-at-once rollout with DRA013\'s message', async () => {
    const denying = admissionObjects({ rules: ['DRA013'], denyRules: ['DRA013'], namePrefix: 'cdk8s-dra-deny' });
    expect(problems(await applyAll(admin, denying))).toEqual([]);
    try {
      await waitForAdmissionPolicies(admin);
      const plugin = readManifests(path.join(FIXTURES, 'nvidia-dra-driver-gpu', 'rendered-defaults.yaml')).find(o => o.kind === 'DaemonSet');
      const info = DraGoodPractices.rules().find(r => r.id === 'DRA013')!;
      const answer = await dryRunApply(admin, plugin);
      expect(answer.status).toBe(422);
      expect(answer.message).toContain(`DRA013: ${info.title}. Fix: ${info.fix}`);
      // One node at a time is admitted.
      const oneAtATime = { ...plugin, spec: { ...plugin.spec, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } } };
      expect((await dryRunApply(admin, oneAtATime)).status).toBeLessThan(300);
    } finally {
      await deleteAll(admin, denying);
    }
  });
});
