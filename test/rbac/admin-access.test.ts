/**
 * Admin access locked down: every CEL expression of the admission policies is parsed, then
 * evaluated on sample admission requests (allowed and denied) to prove it does what it says.
 * The comparison with upstream's example reads ../shared/fixtures/k8s-e2e-test-driver.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '@bufbuild/cel';
import * as kplus from 'cdk8s-plus-28';
import { parseAllDocuments } from 'yaml';
import { AdmissionSample, evaluatePolicy } from './admission';
import { DraRbac } from '../../src';
import { findObject, findObjects, synthValid, testChart } from '../support/harness';

const LABEL = 'resource.kubernetes.io/admin-access';

function synth(adminAccessNamespaces?: string[]): any[] {
  const chart = testChart();
  new DraRbac(chart, 'rbac', {
    admins: [
      kplus.Group.fromName(chart, 'admins', 'platform-admins'),
      kplus.User.fromName(chart, 'root', 'root@example.com'),
      new kplus.ServiceAccount(chart, 'argocd', { metadata: { name: 'argocd-application-controller', namespace: 'argocd' } }),
    ],
    adminAccessNamespaces,
  });
  return synthValid(chart);
}

function admit(objects: any[], name: string, sample: AdmissionSample) {
  return evaluatePolicy(
    findObject(objects, 'ValidatingAdmissionPolicy', name),
    findObject(objects, 'ValidatingAdmissionPolicyBinding', name),
    sample,
  );
}

function claim(...requests: any[]): any {
  return { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name: 'c' }, spec: { devices: { requests } } };
}
const ADMIN_REQUEST = { name: 'gpu', exactly: { deviceClassName: 'gpu.example.com', adminAccess: true } };
const PLAIN_REQUEST = { name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } };

function claimSample(namespace: string, object: any, resource = 'resourceclaims'): AdmissionSample {
  return { operation: 'CREATE', group: 'resource.k8s.io', resource, namespace, object, username: 'dev', groups: ['system:authenticated'] };
}

describe('admission policies', () => {
  const objects = synth(['gpu-debug', 'gpu-ops']);

  test('every CEL expression parses', () => {
    const expressions = findObjects(objects, 'ValidatingAdmissionPolicy').flatMap(p => [
      ...(p.spec.validations ?? []).flatMap((v: any) => [v.expression, v.messageExpression]),
      ...(p.spec.variables ?? []).map((v: any) => v.expression),
      ...(p.spec.matchConditions ?? []).map((c: any) => c.expression),
    ]).filter(e => e !== undefined);
    expect(expressions.length).toBe(8);
    for (const expression of expressions) {
      expect(() => parse(expression)).not.toThrow();
    }
  });

  test('policies fail closed and bindings deny', () => {
    for (const policy of findObjects(objects, 'ValidatingAdmissionPolicy')) {
      expect(policy.spec.failurePolicy).toBe('Fail');
    }
    for (const binding of findObjects(objects, 'ValidatingAdmissionPolicyBinding')) {
      expect(binding.spec.validationActions).toEqual(['Deny']);
    }
  });

  test('the allowed namespaces are created with the admin-access label', () => {
    const namespaces = findObjects(objects, 'Namespace');
    expect(namespaces.map(n => [n.metadata.name, n.metadata.labels[LABEL]])).toEqual([['gpu-debug', 'true'], ['gpu-ops', 'true']]);
  });
});

describe('claims with adminAccess', () => {
  const objects = synth(['gpu-debug']);

  test('are denied outside the allowed namespaces, with a message naming them', () => {
    const result = admit(objects, 'dra-admin-access-claims', claimSample('team-a', claim(PLAIN_REQUEST, ADMIN_REQUEST)));
    expect(result.outcome).toBe('denied');
    expect(result.message).toBe('adminAccess device requests are only allowed in namespaces gpu-debug, not in team-a');
  });

  test('are denied even where someone put the label on a namespace that is not listed', () => {
    const sample = { ...claimSample('team-a', claim(ADMIN_REQUEST)), namespaceLabels: { [LABEL]: 'true' } };
    expect(admit(objects, 'dra-admin-access-claims', sample).outcome).toBe('denied');
  });

  test('are allowed in the allowed namespaces', () => {
    expect(admit(objects, 'dra-admin-access-claims', claimSample('gpu-debug', claim(ADMIN_REQUEST))).outcome).toBe('not-matched');
  });

  test('ordinary claims are allowed everywhere', () => {
    expect(admit(objects, 'dra-admin-access-claims', claimSample('team-a', claim(PLAIN_REQUEST))).outcome).toBe('allowed');
    expect(admit(objects, 'dra-admin-access-claims', claimSample('team-a', claim({ ...PLAIN_REQUEST, exactly: { ...PLAIN_REQUEST.exactly, adminAccess: false } }))).outcome).toBe('allowed');
    const firstAvailable = { name: 'gpu', firstAvailable: [{ name: 'big', deviceClassName: 'gpu.example.com' }] };
    expect(admit(objects, 'dra-admin-access-claims', claimSample('team-a', claim(firstAvailable))).outcome).toBe('allowed');
    const noDevices = { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name: 'c' }, spec: {} };
    expect(admit(objects, 'dra-admin-access-claims', claimSample('team-a', noDevices)).outcome).toBe('allowed');
  });

  test('claim templates are held to the same rule', () => {
    const template = (request: any) => ({ metadata: { name: 't' }, spec: { spec: { devices: { requests: [request] } } } });
    const name = 'dra-admin-access-claim-templates';
    expect(admit(objects, name, claimSample('team-a', template(ADMIN_REQUEST), 'resourceclaimtemplates')).outcome).toBe('denied');
    expect(admit(objects, name, claimSample('team-a', template(PLAIN_REQUEST), 'resourceclaimtemplates')).outcome).toBe('allowed');
    expect(admit(objects, name, claimSample('gpu-debug', template(ADMIN_REQUEST), 'resourceclaimtemplates')).outcome).toBe('not-matched');
  });

  test('updates of an existing admin-access claim are not checked, so its finalizers can be removed', () => {
    const existing = claim(ADMIN_REQUEST);
    const finalizerRemoved = { ...existing, metadata: { ...existing.metadata, finalizers: [] } };
    const update = { ...claimSample('team-a', finalizerRemoved), operation: 'UPDATE' as const, oldObject: existing };
    expect(admit(objects, 'dra-admin-access-claims', update).outcome).toBe('not-matched');
    expect(admit(objects, 'dra-admin-access-claims', claimSample('team-a', existing)).outcome).toBe('denied');
  });

  test('without allowed namespaces, admin access is denied in every namespace', () => {
    const locked = synth();
    expect(findObjects(locked, 'Namespace')).toEqual([]);
    const result = admit(locked, 'dra-admin-access-claims', claimSample('gpu-debug', claim(ADMIN_REQUEST)));
    expect(result).toEqual({ outcome: 'denied', message: 'adminAccess device requests are not allowed in any namespace, not in gpu-debug' });
  });
});

describe('the admin-access namespace label', () => {
  const objects = synth(['gpu-debug']);
  const name = 'dra-admin-access-namespace-label';
  const ns = (labels: { [key: string]: string }) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels } });
  const byUser = (username: string, groups: string[], operation: 'CREATE' | 'UPDATE', object: any, oldObject?: any): AdmissionSample =>
    ({ operation, group: '', resource: 'namespaces', object, oldObject, username, groups });

  test.each([
    ['adding it', ns({}), ns({ [LABEL]: 'true' })],
    ['removing it', ns({ [LABEL]: 'true' }), ns({})],
    ['changing its value', ns({ [LABEL]: 'false' }), ns({ [LABEL]: 'true' })],
    ['adding it to a namespace without labels', { metadata: { name: 'team-a' } }, ns({ [LABEL]: 'true' })],
  ])('non-admins are denied %s', (_what, before, after) => {
    const result = admit(objects, name, byUser('dev', ['system:authenticated'], 'UPDATE', after, before));
    expect(result.outcome).toBe('denied');
    expect(result.message).toMatch(/only DRA admins may add, change or remove the namespace label resource.kubernetes.io\/admin-access/);
  });

  test('non-admins are denied creating a namespace with it', () => {
    expect(admit(objects, name, byUser('dev', [], 'CREATE', ns({ [LABEL]: 'true' }))).outcome).toBe('denied');
  });

  test('non-admins may still create namespaces and change other labels', () => {
    expect(admit(objects, name, byUser('dev', [], 'CREATE', ns({ team: 'a' }))).outcome).toBe('allowed');
    expect(admit(objects, name, byUser('dev', [], 'UPDATE', ns({ team: 'b', [LABEL]: 'true' }), ns({ team: 'a', [LABEL]: 'true' }))).outcome).toBe('allowed');
  });

  test.each([
    ['a member of an admin group', 'carol', ['system:authenticated', 'platform-admins']],
    ['an admin user', 'root@example.com', []],
    ['an admin ServiceAccount', 'system:serviceaccount:argocd:argocd-application-controller', ['system:serviceaccounts']],
  ])('%s may set it', (_who, username, groups) => {
    expect(admit(objects, name, byUser(username, groups, 'UPDATE', ns({ [LABEL]: 'true' }), ns({}))).outcome).toBe('not-matched');
  });

  test('a ServiceAccount of the same name in another namespace is not an admin', () => {
    const result = admit(objects, name, byUser('system:serviceaccount:team-a:argocd-application-controller', [], 'UPDATE', ns({ [LABEL]: 'true' }), ns({})));
    expect(result.outcome).toBe('denied');
  });
});

describe('compared with upstream example (admin-access-policy.yaml)', () => {
  const fixture = path.resolve(__dirname, '../../../shared/fixtures/k8s-e2e-test-driver/admin-access-policy.yaml');
  const upstream = parseAllDocuments(fs.readFileSync(fixture, 'utf-8')).map(d => d.toJSON());
  const objects = synth(['gpu-debug']);

  test('guards the same resources on CREATE (upstream also checks UPDATE), failing closed with Forbidden', () => {
    const resourcesAndOps = (policies: any[]) => policies
      .flatMap(p => p.spec.matchConstraints.resourceRules.map((r: any) => `${r.apiGroups} ${r.resources} ${r.operations}`))
      .sort();
    const ours = findObjects(objects, 'ValidatingAdmissionPolicy').filter(p => p.metadata.name !== 'dra-admin-access-namespace-label');
    // Specs are immutable, so UPDATE adds no protection; it would only block finalizer removal
    // on claims created before their namespace left the list (see admin-access-policies.ts).
    const upstreamOnCreate = upstream.filter(o => o.kind === 'ValidatingAdmissionPolicy').map(p => ({
      spec: { matchConstraints: { resourceRules: p.spec.matchConstraints.resourceRules.map((r: any) => ({ ...r, operations: ['CREATE'] })) } },
    }));
    expect(upstream.filter(o => o.kind === 'ValidatingAdmissionPolicy').every(p => p.spec.matchConstraints.resourceRules
      .every((r: any) => r.operations.includes('CREATE') && r.operations.includes('UPDATE')))).toBe(true);
    expect(resourcesAndOps(ours)).toEqual(resourcesAndOps(upstreamOnCreate));
    for (const policy of ours) {
      expect(policy.spec.failurePolicy).toBe('Fail');
      expect(policy.spec.validations[0].reason).toBe('Forbidden');
    }
  });

  test('decides like upstream on the same claims (upstream on the v1beta1 shape, ours on v1)', () => {
    const upstreamPolicy = upstream.find(o => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name.startsWith('resourceclaim-policy'));
    const upstreamBinding = upstream.find(o => o.kind === 'ValidatingAdmissionPolicyBinding' && o.spec.policyName === upstreamPolicy.metadata.name);
    const beta = (adminAccess?: boolean) => ({ spec: { devices: { requests: [{ name: 'gpu', deviceClassName: 'gpu.example.com', adminAccess }] } } });
    const v1 = (adminAccess?: boolean) => claim({ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com', adminAccess } });
    for (const adminAccess of [true, false, undefined]) {
      const theirs = evaluatePolicy(upstreamPolicy, upstreamBinding, claimSample('team-a', JSON.parse(JSON.stringify(beta(adminAccess)))));
      const ours = admit(objects, 'dra-admin-access-claims', claimSample('team-a', JSON.parse(JSON.stringify(v1(adminAccess)))));
      expect(ours.outcome).toBe(theirs.outcome);
    }
  });
});
