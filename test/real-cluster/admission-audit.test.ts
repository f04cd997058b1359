// The good-practice admission policies in Audit (their default, with Warn) leave their verdicts in
// the API server's audit log, where an admin reviews what was admitted: on a control plane of its
// own (the test version) with an audit policy for DaemonSets, NVIDIA's kubelet plugin from
// ../shared/fixtures is created, and from 1.37 the audit event's validation-failure annotation
// names the same rules as `cdk8s-dra check` on that DaemonSet alone; before 1.37 it names one of
// them (the first failing policy's: the annotation cannot be overwritten), as docs/admission.md says.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { clientOf, ControlPlaneState, startControlPlane, stopControlPlane } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { applyAll, namespaces, problems, readManifests, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { DraGoodPractices, DraGoodPracticesAdmission } from '../../src';
import { isAtLeast, KUBERNETES_CHANGES } from '../../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';
import { CLUSTER_SETUP_TIMEOUT_MS } from '../support/cluster/shared';

const NVIDIA = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'nvidia-dra-driver-gpu', 'rendered-defaults.yaml');
/** The annotation the ValidatingAdmissionPolicy plugin writes for a failed validation whose binding audits. */
const VALIDATION_FAILURE = 'validation.policy.admission.k8s.io/validation_failure';
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  resources:
  - group: apps
    resources: [daemonsets]
- level: None
`;

let state: ControlPlaneState;
let admin: KubeClient;
let auditLog: string;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-admission-audit-'));
  fs.writeFileSync(path.join(dir, 'audit-policy.yaml'), AUDIT_POLICY);
  auditLog = path.join(dir, 'audit.log');
  state = await startControlPlane(path.join(dir, 'control-plane'), {
    components: false,
    apiServerArgs: [`--audit-policy-file=${path.join(dir, 'audit-policy.yaml')}`, `--audit-log-path=${auditLog}`],
  });
  admin = clientOf(state);
}, CLUSTER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (state) {
    await stopControlPlane(state);
    fs.rmSync(path.dirname(state.dir), { recursive: true, force: true });
  }
});

type ValidationFailure = { policy: string; validationActions: string[]; message: string };

/** The policies' validation failures on each audited write of the DaemonSet, in order. */
function auditedWrites(name: string): ValidationFailure[][] {
  const events = fs.existsSync(auditLog) ? fs.readFileSync(auditLog, 'utf-8').split('\n').filter(Boolean).map(line => JSON.parse(line)) : [];
  // Server-side apply creates and updates it with a patch.
  return events.filter(e => ['create', 'patch', 'update'].includes(e.verb) && e.objectRef?.resource === 'daemonsets' && e.objectRef?.subresource === undefined && e.objectRef?.name === name
    && e.stage === 'ResponseComplete')
    .map(e => (e.annotations?.[VALIDATION_FAILURE] === undefined ? [] : JSON.parse(e.annotations[VALIDATION_FAILURE])));
}

/** The rule a policy name, or a warning naming the policy, stands for: `DRA013`. */
const ruleOf = (text: string) => /cdk8s-dra-good-practices-(dra\d+)/.exec(text)?.[1].toUpperCase();

const listsEveryPolicy = () => isAtLeast(parseKubernetesVersion(testKubernetesMinor())!, KUBERNETES_CHANGES.auditAnnotationListsEveryPolicy);

test('a kubelet plugin admitted under Warn and Audit leaves each failed rule in the audit log, as check finds them (one of them before 1.37)', async () => {
  const chart = new Chart(Testing.app(), 'admission');
  new DraGoodPracticesAdmission(chart, 'admission', {});
  expect(problems(await applyAll(admin, Testing.synth(chart)))).toEqual([]);
  await waitForAdmissionPolicies(admin);

  const plugin = readManifests(NVIDIA).find(o => o.kind === 'DaemonSet' && /kubelet-plugin/.test(o.metadata.name));
  expect(plugin).toBeDefined();
  expect(problems(await applyAll(admin, namespaces([plugin.metadata.namespace])))).toEqual([]);
  const checked = DraGoodPractices.checkObjects([plugin]).findings
    .filter(f => DraGoodPracticesAdmission.RULE_IDS.includes(f.ruleId)).map(f => f.ruleId).sort();
  expect(checked.length).toBeGreaterThan(0);

  // The admission plugin loads policies a moment apart: a write right after may meet only some of
  // them. Written again (a new label each time) until the write's warnings name every rule.
  let attempt = 0;
  const writes = await admin.waitFor('a write judged by every policy', async () => {
    attempt++;
    const write = { ...plugin, metadata: { ...plugin.metadata, labels: { ...plugin.metadata.labels, 'cdk8s-dra-test/attempt': String(attempt) } } };
    const [result] = await applyAll(admin, [write]);
    expect(result.status).toBeLessThan(300);
    const warned = [...new Set(result.warnings.map(ruleOf).filter(id => id !== undefined))].sort();
    return JSON.stringify(warned) === JSON.stringify(checked) ? attempt : undefined;
  }, 60_000, 1_000);
  // Each attempt is one audited write: the last attempt's event, once the log holds it.
  const audited = await admin.waitFor('that write in the audit log', async () => auditedWrites(plugin.metadata.name)[writes - 1]);
  if (listsEveryPolicy()) {
    expect(audited.map(f => ruleOf(f.policy)).sort()).toEqual(checked);
  } else {
    // The first failing policy's annotation stands; the others' are refused (the API server logs each refusal).
    expect(audited).toHaveLength(1);
    expect(checked).toContain(ruleOf(audited[0].policy));
  }
  for (const failure of audited) {
    expect(failure.validationActions).toContain('Audit');
    expect(failure.message).toMatch(/^DRA\d+: /);
  }
}, 120_000);
