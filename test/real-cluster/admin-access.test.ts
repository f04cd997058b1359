// Admin access, judged by a real Kubernetes 1.34 API server: claims and claim templates with
// adminAccess are refused outside DraRbac's adminAccessNamespaces and accepted inside, and only
// DRA admins may add or remove the admin-access namespace label.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { clientOf } from '../../harness/cluster/control-plane';
import { KubeClient } from '../../harness/cluster/kube-client';
import { applyAll, deleteAll, namespaces, problems, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { DraRbac } from '../../src';
import { ADMIN_ACCESS_LABEL_LOCK, CLUSTER_SETUP_TIMEOUT_MS, holdRunLock, sharedControlPlane } from '../support/cluster/shared';

const LABEL = DraRbac.ADMIN_ACCESS_LABEL;
const ALLOWED = 'aa-ops';
const TEAM = 'aa-team';
const ADMIN = 'aa-admin';
const OPERATOR = 'aa-operator';
const NAMESPACE_EDITOR = 'aa-namespace-editor';

function rbacObjects(): any[] {
  const chart = new Chart(Testing.app(), 'aa');
  new DraRbac(chart, 'rbac', {
    namePrefix: 'aa',
    admins: [kplus.User.fromName(chart, 'admin', ADMIN)],
    workloadNamespaces: [TEAM, ALLOWED].map(namespace => ({ namespace, operators: [kplus.User.fromName(chart, `op-${namespace}`, OPERATOR)] })),
    adminAccessNamespaces: [ALLOWED],
  });
  return Testing.synth(chart);
}

/**
 * Namespace labels are not DRA access: both the admin and a non-admin get plain RBAC to patch
 * namespaces, so what stops the non-admin is the library's policy, not RBAC.
 */
const NAMESPACE_PATCHERS = [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'aa-namespace-patcher' },
    rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'patch', 'update'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'aa-namespace-patcher' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'aa-namespace-patcher' },
    subjects: [ADMIN, NAMESPACE_EDITOR].map(name => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name })),
  },
];

const adminAccessClaim = (namespace: string) => ({
  apiVersion: 'resource.k8s.io/v1',
  kind: 'ResourceClaim',
  metadata: { name: 'debug', namespace },
  spec: { devices: { requests: [{ name: 'all', exactly: { deviceClassName: 'gpu.example.com', allocationMode: 'All', adminAccess: true } }] } },
});
const adminAccessTemplate = (namespace: string) => ({
  apiVersion: 'resource.k8s.io/v1',
  kind: 'ResourceClaimTemplate',
  metadata: { name: 'debug', namespace },
  spec: { spec: adminAccessClaim(namespace).spec },
});

let admin: KubeClient;
const objects = rbacObjects();
const existing = namespaces([TEAM]);
const as = (user: string) => admin.as({ token: admin.identity.token, impersonate: user, groups: ['system:authenticated'] });

let releaseLabelLock: (() => void) | undefined;

beforeAll(async () => {
  const client = clientOf(await sharedControlPlane());
  admin = client;
  releaseLabelLock = await holdRunLock(ADMIN_ACCESS_LABEL_LOCK);
  expect(problems(await applyAll(admin, [...existing, ...objects, ...NAMESPACE_PATCHERS]))).toEqual([]);
  await waitForAdmissionPolicies(admin);
}, CLUSTER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await deleteAll(admin, [...NAMESPACE_PATCHERS, ...objects, ...existing]);
  releaseLabelLock?.();
}, 300_000);

/** The status and message of a dry-run create: validated and admitted, never stored. */
async function tryCreate(client: KubeClient, obj: any): Promise<{ status: number; message: string }> {
  const res = await client.request('POST', `${await client.collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace)}?dryRun=All`, obj);
  return { status: res.status, message: String(res.body?.message ?? '') };
}

async function setLabel(client: KubeClient, namespace: string, value: string | null): Promise<{ status: number; message: string }> {
  const res = await client.request('PATCH', `/api/v1/namespaces/${namespace}`, { metadata: { labels: { [LABEL]: value } } }, 'application/merge-patch+json');
  return { status: res.status, message: String(res.body?.message ?? '') };
}

describe('adminAccess claims and templates', () => {
  test.each([
    ['ResourceClaim', adminAccessClaim],
    ['ResourceClaimTemplate', adminAccessTemplate],
  ])('an operator\'s %s with adminAccess is accepted in the allowed namespace', async (_kind, make) => {
    expect(await tryCreate(as(OPERATOR), make(ALLOWED))).toEqual({ status: 201, message: '' });
  });

  test.each([
    ['ResourceClaim', adminAccessClaim],
    ['ResourceClaimTemplate', adminAccessTemplate],
  ])('an operator\'s %s with adminAccess is refused in an unlabelled namespace, by the API server itself', async (_kind, make) => {
    const verdict = await tryCreate(as(OPERATOR), make(TEAM));
    expect(verdict.status).toBe(422);
    expect(verdict.message).toContain(LABEL);
  });

  // The server checks only the label; the library's policy also holds when someone labels a
  // namespace that is not on the list.
  test.each([
    ['ResourceClaim', adminAccessClaim, 'aa-admin-access-claims'],
    ['ResourceClaimTemplate', adminAccessTemplate, 'aa-admin-access-claim-templates'],
  ])('an operator\'s %s with adminAccess is refused by the library\'s policy in a labelled namespace off the list', async (_kind, make, policy) => {
    expect((await setLabel(as(ADMIN), TEAM, 'true')).status).toBe(200);
    try {
      const verdict = await tryCreate(as(OPERATOR), make(TEAM));
      expect(verdict.status).toBe(403);
      expect(verdict.message).toContain(`ValidatingAdmissionPolicy '${policy}'`);
      expect(verdict.message).toContain(`adminAccess device requests are only allowed in namespaces ${ALLOWED}, not in ${TEAM}`);
    } finally {
      await setLabel(as(ADMIN), TEAM, null);
    }
  });
});

describe('the admin-access namespace label', () => {
  const policyMessage = `only DRA admins may add, change or remove the namespace label ${LABEL}`;

  test('a non-admin who may patch namespaces cannot add the label, nor remove it', async () => {
    const adding = await setLabel(as(NAMESPACE_EDITOR), TEAM, 'true');
    expect(adding.status).toBe(403);
    expect(adding.message).toContain(policyMessage);
    const removing = await setLabel(as(NAMESPACE_EDITOR), ALLOWED, null);
    expect(removing.status).toBe(403);
    expect(removing.message).toContain(policyMessage);
    expect((await admin.get(`/api/v1/namespaces/${ALLOWED}`)).metadata.labels[LABEL]).toBe('true');
  });

  test('a non-admin may still change other labels', async () => {
    expect((await admin.request('PATCH', `/api/v1/namespaces/${TEAM}`, { metadata: { labels: { team: 'a' } } }, 'application/merge-patch+json')).status).toBe(200);
    const res = await as(NAMESPACE_EDITOR).request('PATCH', `/api/v1/namespaces/${TEAM}`, { metadata: { labels: { team: 'b' } } }, 'application/merge-patch+json');
    expect(res.status).toBe(200);
  });

  test('a DRA admin can remove the label and add it back', async () => {
    expect((await setLabel(as(ADMIN), ALLOWED, null)).status).toBe(200);
    expect((await setLabel(as(ADMIN), ALLOWED, 'true')).status).toBe(200);
  });
});
