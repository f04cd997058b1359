// The good-practice admission policies in Audit (their default, with Warn) leave their verdicts in
// the API server's audit log, where an admin reviews what was admitted: on a control plane of its
// own (the test version) with an audit policy for DaemonSets, NVIDIA's kubelet plugin from
// ../shared/fixtures is created, and the audit event's validation-failure annotation names the
// same rules as `cdk8s-dra check` on that DaemonSet alone.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { clientOf, ControlPlaneState, startControlPlane, stopControlPlane } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import { applyAll, namespaces, problems, readManifests, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { DraGoodPractices, DraGoodPracticesAdmission } from '../../src';
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

/** The audit events of the DaemonSet's creation that carry the policies' validation failures. */
function failuresAudited(name: string): Array<{ policy: string; validationActions: string[]; message: string }> {
  const events = fs.existsSync(auditLog) ? fs.readFileSync(auditLog, 'utf-8').split('\n').filter(Boolean).map(line => JSON.parse(line)) : [];
  // Server-side apply creates it with a patch.
  const created = events.filter(e => ['create', 'patch'].includes(e.verb) && e.objectRef?.resource === 'daemonsets' && e.objectRef?.name === name
    && e.stage === 'ResponseComplete' && e.annotations?.[VALIDATION_FAILURE] !== undefined);
  return created.flatMap(e => JSON.parse(e.annotations[VALIDATION_FAILURE]));
}

test('a kubelet plugin admitted under Warn and Audit leaves each failed rule in the audit log, as check finds them', async () => {
  const chart = new Chart(Testing.app(), 'admission');
  new DraGoodPracticesAdmission(chart, 'admission', {});
  expect(problems(await applyAll(admin, Testing.synth(chart)))).toEqual([]);
  await waitForAdmissionPolicies(admin);

  const plugin = readManifests(NVIDIA).find(o => o.kind === 'DaemonSet' && /kubelet-plugin/.test(o.metadata.name));
  expect(plugin).toBeDefined();
  const outcomes = await applyAll(admin, [...namespaces([plugin.metadata.namespace]), plugin]);
  expect(outcomes.filter(o => o.status >= 300)).toEqual([]);
  const checked = DraGoodPractices.checkObjects([plugin]).findings
    .filter(f => DraGoodPracticesAdmission.RULE_IDS.includes(f.ruleId)).map(f => f.ruleId).sort();
  expect(checked.length).toBeGreaterThan(0);

  const audited = await admin.waitFor('the creation audited with the policies\' failures', async () => {
    const failures = failuresAudited(plugin.metadata.name);
    return failures.length > 0 ? failures : undefined;
  }, 30_000, 500);
  expect(audited.map(f => /cdk8s-dra-good-practices-(dra\d+)/.exec(f.policy)?.[1].toUpperCase()).sort()).toEqual(checked);
  for (const failure of audited) {
    expect(failure.validationActions).toContain('Audit');
    expect(failure.message).toMatch(/^DRA\d+: /);
  }
}, 120_000);
