// `cdk8s-dra check --cluster` on a real API server of the test version, run as DraRbac's auditor:
// the vendor renderings in ../shared/fixtures (read here) applied to a control plane of its own, the
// findings read live equal `check` on the files; the auditor may list what the reader lists and
// nothing else, by SubjectAccessReview.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { clientOf, ControlPlaneState, kubeconfigFor, startControlPlane, stopControlPlane } from '../../harness/cluster/control-plane';
import { authorizerAllows, ResourceAttributes, waitUntilAllowed } from '../../harness/cluster/identities';
import { KubeClient } from '../../harness/cluster/kube-client';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { applyAll, installPrometheusOperatorCrds, namespaces, problems, readManifests } from '../../harness/cluster/objects';
import { DraGoodPractices, DraRbac } from '../../src';
import { runCliAsync } from '../../src/cli/run-cli';
import { LIVE_SOURCES } from '../../src/good-practices/inputs/live-sources';
import { CLUSTER_SETUP_TIMEOUT_MS } from '../support/cluster/shared';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');
const RENDERINGS = ['dra-driver-cpu', 'dra-example-driver', 'dranet', 'intel-gpu-resource-driver', 'nvidia-dra-driver-gpu']
  .map(dir => path.join(FIXTURES, dir, 'rendered-defaults.yaml'));
const AUDITOR = { user: 'auditor', groups: ['compliance', 'system:authenticated'] };
const ADMIN_GROUP = 'platform-admins';

function rbacObjects(): any[] {
  const chart = new Chart(Testing.app(), 'rbac');
  new DraRbac(chart, 'rbac', { admins: [kplus.Group.fromName(chart, 'admins', ADMIN_GROUP)], auditors: [kplus.Group.fromName(chart, 'auditors', 'compliance')] });
  return Testing.synth(chart);
}

/**
 * `DRA001 DaemonSet ns/name` of each finding. A cluster-scoped object has no namespace in the
 * cluster even when its file gives one (the example driver's chart puts its namespace on its
 * ClusterRoleBinding; the server drops it).
 */
function described(findings: Array<{ ruleId: string; object: { kind: string; namespace?: string; name: string } }>): string[] {
  const clusterScoped = ['ClusterRole', 'ClusterRoleBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration'];
  return findings.map(f => {
    const namespace = clusterScoped.includes(f.object.kind) ? undefined : f.object.namespace;
    return `${f.ruleId} ${f.object.kind} ${namespace ? `${namespace}/` : ''}${f.object.name}`;
  }).sort();
}

let state: ControlPlaneState;
let admin: KubeClient;
let kubeconfig: string;

// A control plane of its own: the live check reads every object of the cluster, other test files' too.
beforeAll(async () => {
  state = await startControlPlane(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-live-check-')), { components: false });
  admin = clientOf(state);
  await installPrometheusOperatorCrds(admin);
  const objects = RENDERINGS.flatMap(readManifests);
  const used = [...new Set(objects.map(o => o.metadata?.namespace).filter((ns): ns is string => ns !== undefined))]
    .filter(ns => !objects.some(o => o.kind === 'Namespace' && o.metadata.name === ns));
  expect(problems(await applyAll(admin, [...namespaces(used), ...objects, ...rbacObjects()])).filter(p => !p.includes(': warning: '))).toEqual([]);
  await waitUntilAllowed(admin, AUDITOR, { group: 'apps', resource: 'daemonsets', verb: 'list' });
  kubeconfig = kubeconfigFor(state, path.join(state.dir, 'auditor.kubeconfig'), { impersonate: AUDITOR.user, groups: AUDITOR.groups });
}, CLUSTER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (state) {
    await stopControlPlane(state);
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
});

describe('cdk8s-dra check --cluster on a real API server', () => {
  test('run as the auditor, it finds what check finds on the files applied', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runCliAsync(['check', '--cluster', '--kubeconfig', kubeconfig, '--admin', `Group:${ADMIN_GROUP}`, '--format', 'json'],
      { stdout: t => { stdout += t; }, stderr: t => { stderr += t; } });
    expect(stderr).toBe('');
    const live = JSON.parse(stdout);
    const files = DraGoodPractices.checkPaths(RENDERINGS, { adminSubjects: [`Group:${ADMIN_GROUP}`], kubernetesVersion: testKubernetesMinor() });
    expect(described(live.findings)).toEqual(described(files.findings));
    expect(live.findings.length).toBeGreaterThan(0);
    expect(live.inputErrors).toEqual([]);
    // Error-level findings (DRA001, DRA008) make it exit 1, as on files.
    expect(code).toBe(1);
  });

  test('the auditor may list every kind the reader lists, where it lists it', async () => {
    const refused: string[] = [];
    for (const source of LIVE_SOURCES) {
      const attributes: ResourceAttributes = { group: source.group, resource: source.resource, verb: 'list', ...source.namespace ? { namespace: source.namespace } : {} };
      if (!await authorizerAllows(admin, AUDITOR, attributes)) refused.push(`list ${source.resource}`);
    }
    expect(refused).toEqual([]);
  });

  test('and nothing else: no other verb on them, no pods outside kube-system, no Secrets, no DRA objects', async () => {
    const allowed: string[] = [];
    const ask = async (attributes: ResourceAttributes) => {
      if (await authorizerAllows(admin, AUDITOR, attributes)) allowed.push(`${attributes.verb} ${attributes.resource} ${attributes.namespace ?? '(all)'}`);
    };
    for (const source of LIVE_SOURCES) {
      for (const verb of ['get', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']) {
        await ask({ group: source.group, resource: source.resource, verb, namespace: source.namespace ?? 'default' });
      }
    }
    await ask({ group: '', resource: 'pods', verb: 'list' });
    await ask({ group: '', resource: 'pods', verb: 'list', namespace: 'default' });
    await ask({ group: '', resource: 'secrets', verb: 'list' });
    await ask({ group: '', resource: 'secrets', verb: 'get', namespace: 'kube-system' });
    for (const resource of ['resourceclaims', 'resourceslices', 'deviceclasses']) await ask({ group: 'resource.k8s.io', resource, verb: 'list' });
    expect(allowed).toEqual([]);
  });
});
