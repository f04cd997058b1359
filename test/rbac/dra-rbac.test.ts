import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DraDriver, DraRbac, DraRbacProps, DraRbacRules } from '../../src';
import { findObject, findObjects, synthValid, testChart } from '../support/harness';

/** The admission policies and bindings every DraRbac writes, in order. */
const ADMIN_ACCESS_GUARD = [
  'ValidatingAdmissionPolicy/dra-admin-access-claims',
  'ValidatingAdmissionPolicyBinding/dra-admin-access-claims',
  'ValidatingAdmissionPolicy/dra-admin-access-claim-templates',
  'ValidatingAdmissionPolicyBinding/dra-admin-access-claim-templates',
  'ValidatingAdmissionPolicy/dra-admin-access-namespace-label',
  'ValidatingAdmissionPolicyBinding/dra-admin-access-namespace-label',
];

function fullProps(chart: Chart): DraRbacProps {
  return {
    admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins')],
    viewers: [kplus.Group.fromName(chart, 'sre', 'sre')],
    workloadNamespaces: [
      { namespace: 'team-a', operators: [kplus.Group.fromName(chart, 'team-a-devs', 'team-a-devs')] },
      { namespace: 'team-b', operators: [kplus.User.fromName(chart, 'alice', 'alice@example.com')] },
    ],
    aggregateToBuiltInRoles: true,
    adminAccessNamespaces: ['gpu-debug'],
  };
}

function synthFull(): { objects: any[]; rbac: DraRbac } {
  const chart = testChart();
  const rbac = new DraRbac(chart, 'rbac', fullProps(chart));
  return { objects: synthValid(chart), rbac };
}

describe('DraRbac objects', () => {
  const { objects, rbac } = synthFull();

  test('every object has an explicit, stable name and the standard labels', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`)).toEqual([
      'ClusterRole/dra-admin',
      'ClusterRoleBinding/dra-admin',
      'ClusterRole/dra-workload-operator',
      'ClusterRole/dra-device-class-reader',
      'RoleBinding/team-a/dra-workload-operator',
      'RoleBinding/team-b/dra-workload-operator',
      'ClusterRoleBinding/dra-device-class-reader',
      'ClusterRole/dra-viewer',
      'ClusterRoleBinding/dra-viewer',
      'ClusterRole/dra-aggregate-to-edit',
      'ClusterRole/dra-aggregate-to-view',
      'Namespace/gpu-debug',
      ...ADMIN_ACCESS_GUARD,
    ]);
    for (const o of objects) {
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'dra-rbac',
        'app.kubernetes.io/part-of': 'cdk8s-dra',
        'app.kubernetes.io/managed-by': 'cdk8s',
      });
      expect(['admin', 'workload-operator', 'viewer', 'aggregation', 'admin-access-guard']).toContain(o.metadata.labels['app.kubernetes.io/component']);
    }
  });

  test('exposes the names of what it made', () => {
    expect(rbac.adminRoleName).toBe('dra-admin');
    expect(rbac.workloadOperatorRoleName).toBe('dra-workload-operator');
    expect(rbac.deviceClassReaderRoleName).toBe('dra-device-class-reader');
    expect(rbac.viewerRoleName).toBe('dra-viewer');
    expect(rbac.adminAccessNamespaces).toEqual(['gpu-debug']);
    expect(rbac.admissionPolicyNames).toEqual(findObjects(objects, 'ValidatingAdmissionPolicy').map(p => p.metadata.name));
    expect(DraRbac.ADMIN_ACCESS_LABEL).toBe('resource.kubernetes.io/admin-access');
  });

  test('each role is built from the public persona rules', () => {
    expect(findObject(objects, 'ClusterRole', 'dra-admin').rules).toEqual(DraRbacRules.admin());
    expect(findObject(objects, 'ClusterRole', 'dra-workload-operator').rules).toEqual(DraRbacRules.workloadOperator());
    expect(findObject(objects, 'ClusterRole', 'dra-device-class-reader').rules).toEqual(DraRbacRules.deviceClassReader());
    expect(findObject(objects, 'ClusterRole', 'dra-viewer').rules).toEqual(DraRbacRules.viewer());
  });

  test('operators are bound per namespace to the workload-operator ClusterRole', () => {
    const bindings = findObjects(objects, 'RoleBinding');
    expect(bindings.map(b => [b.metadata.namespace, b.roleRef, b.subjects])).toEqual([
      ['team-a', { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'dra-workload-operator' },
        [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team-a-devs' }]],
      ['team-b', { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'dra-workload-operator' },
        [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@example.com' }]],
    ]);
  });

  test('only the persona ClusterRoles and the guard exist without optional personas', () => {
    const chart = testChart();
    new DraRbac(chart, 'rbac', { admins: [kplus.User.fromName(chart, 'root', 'root')] });
    const names = synthValid(chart).map(o => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual([
      'ClusterRole/dra-admin',
      'ClusterRoleBinding/dra-admin',
      'ClusterRole/dra-workload-operator',
      'ClusterRole/dra-device-class-reader',
      'ClusterRole/dra-viewer',
      ...ADMIN_ACCESS_GUARD,
    ]);
  });

  test('namePrefix renames every object, so two sets can live in one cluster', () => {
    const chart = testChart();
    new DraRbac(chart, 'rbac', { admins: [kplus.User.fromName(chart, 'root', 'root')], namePrefix: 'lab-dra' });
    for (const o of synthValid(chart)) {
      expect(o.metadata.name).toMatch(/^lab-dra-/);
    }
  });

  test('a ServiceAccount subject is bound with its namespace', () => {
    const chart = testChart();
    const sa = new kplus.ServiceAccount(chart, 'ci', { metadata: { name: 'ci', namespace: 'ci' } });
    new DraRbac(chart, 'rbac', { admins: [sa] });
    const binding = findObject(synthValid(chart), 'ClusterRoleBinding', 'dra-admin');
    expect(binding.subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'ci', namespace: 'ci' }]);
  });

  test('a subject named twice, or operating in two namespaces, is bound once', () => {
    const chart = testChart();
    const devs = kplus.Group.fromName(chart, 'devs', 'devs');
    new DraRbac(chart, 'rbac', {
      admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins'), kplus.Group.fromName(chart, 'admins-again', 'platform-admins')],
      workloadNamespaces: [{ namespace: 'team-a', operators: [devs, devs] }, { namespace: 'team-b', operators: [devs] }],
    });
    const synthesized = synthValid(chart);
    const devsSubject = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' };
    expect(findObject(synthesized, 'ClusterRoleBinding', 'dra-admin').subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'platform-admins' },
    ]);
    expect(findObjects(synthesized, 'RoleBinding').map(b => b.subjects)).toEqual([[devsSubject], [devsSubject]]);
    expect(findObject(synthesized, 'ClusterRoleBinding', 'dra-device-class-reader').subjects).toEqual([devsSubject]);
  });

  test('output is deterministic', () => {
    const again = synthFull().objects;
    expect(JSON.stringify(again)).toBe(JSON.stringify(objects));
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('DraRbacRules', () => {
  test('kubeletPlugin is exactly what DraDriver grants its kubelet plugin', () => {
    const chart = testChart();
    const gpu = new DraDriver(chart, 'gpu', { driverName: 'gpu.example.com', image: 'gpu:1', namespace: 'dra-gpu' });
    const role = findObject(synthValid(chart), 'ClusterRole', gpu.clusterRoleName);
    expect(role.rules).toEqual(DraRbacRules.kubeletPlugin('gpu.example.com'));
  });

  test('returns fresh rules, so a caller cannot change what another construct grants', () => {
    const rules = DraRbacRules.workloadOperator();
    (rules[0].verbs as string[]).push('deletecollection');
    expect(DraRbacRules.workloadOperator()[0].verbs).not.toContain('deletecollection');
  });
});

describe('DraRbac rejects bad input at synth time', () => {
  function build(mutate: (chart: Chart, props: DraRbacProps) => DraRbacProps): () => void {
    return () => {
      const chart = new Chart(Testing.app(), 'test');
      new DraRbac(chart, 'rbac', mutate(chart, fullProps(chart)));
    };
  }

  test.each<[string, (chart: Chart, props: DraRbacProps) => DraRbacProps, string]>([
    ['admins without subjects', (_c, p) => ({ ...p, admins: [] }),
      "DraRbac 'rbac' (test/rbac): admins [] must name at least one subject (User, Group or ServiceAccount); omit the persona instead"],
    ['viewers without subjects', (_c, p) => ({ ...p, viewers: [] }),
      "DraRbac 'rbac' (test/rbac): viewers [] must name at least one subject"],
    ['operators without subjects', (_c, p) => ({ ...p, workloadNamespaces: [{ namespace: 'team-a', operators: [] }] }),
      "DraRbac 'rbac' (test/rbac): workloadNamespaces[team-a].operators [] must name at least one subject"],
    ['an invalid workload namespace', (c, p) => ({ ...p, workloadNamespaces: [{ namespace: 'Team_A', operators: [kplus.User.fromName(c, 'u', 'u')] }] }),
      "DraRbac 'rbac' (test/rbac): workloadNamespaces 'Team_A' must be a namespace name (RFC 1123 label"],
    ['a workload namespace listed twice', (c, p) => ({
      ...p,
      workloadNamespaces: [
        { namespace: 'team-a', operators: [kplus.User.fromName(c, 'u', 'u')] },
        { namespace: 'team-a', operators: [kplus.User.fromName(c, 'v', 'v')] },
      ],
    }), "DraRbac 'rbac' (test/rbac): workloadNamespaces 'team-a' is listed twice"],
    ['an admin-access namespace that is not a DNS label', (_c, p) => ({ ...p, adminAccessNamespaces: ['gpu.debug'] }),
      "DraRbac 'rbac' (test/rbac): adminAccessNamespaces 'gpu.debug' must be a namespace name (RFC 1123 label"],
    ['an admin-access namespace longer than 63 characters', (_c, p) => ({ ...p, adminAccessNamespaces: ['a'.repeat(64)] }),
      'must be a namespace name (RFC 1123 label'],
    ['an admin-access namespace listed twice', (_c, p) => ({ ...p, adminAccessNamespaces: ['gpu-debug', 'gpu-debug'] }),
      "DraRbac 'rbac' (test/rbac): adminAccessNamespaces 'gpu-debug' is listed twice"],
    ['a ServiceAccount without a namespace', (c, p) => ({ ...p, admins: [new kplus.ServiceAccount(c, 'sa', { metadata: { name: 'sa' } })] }),
      "DraRbac 'rbac' (test/rbac): admins (ServiceAccount sa) namespace '' must be set to a namespace name"],
    ['unauthenticated users as viewers', (c, p) => ({ ...p, viewers: [kplus.Group.fromName(c, 'anon', 'system:unauthenticated')] }),
      "viewers (Group system:unauthenticated) 'system:unauthenticated' would grant DRA access to unauthenticated requests"],
    ['every authenticated user as admin', (c, p) => ({ ...p, admins: [kplus.Group.fromName(c, 'all', 'system:authenticated')] }),
      "admins (Group system:authenticated) 'system:authenticated' would grant this persona to every authenticated user"],
    ['every ServiceAccount as admin', (c, p) => ({ ...p, admins: [kplus.Group.fromName(c, 'sas', 'system:serviceaccounts')] }),
      "admins (Group system:serviceaccounts) 'system:serviceaccounts' would grant this persona to every ServiceAccount it covers"],
    ['every ServiceAccount of a namespace as operators', (c, p) => ({
      ...p, workloadNamespaces: [{ namespace: 'team-a', operators: [kplus.Group.fromName(c, 'sas', 'system:serviceaccounts:team-a')] }],
    }), "workloadNamespaces[team-a].operators (Group system:serviceaccounts:team-a) 'system:serviceaccounts:team-a' would grant this persona"],
    ['an invalid name prefix', (_c, p) => ({ ...p, namePrefix: 'DRA' }),
      "DraRbac 'rbac' (test/rbac): namePrefix 'DRA' must be an RFC 1123 label of at most 30 characters"],
  ])('%s', (_what, mutate, message) => {
    expect(build(mutate)).toThrow(message);
  });

  test('every authenticated user, or every ServiceAccount, may be a viewer', () => {
    expect(build((c, p) => ({ ...p, viewers: [kplus.Group.fromName(c, 'all', 'system:authenticated')] }))).not.toThrow();
    expect(build((c, p) => ({ ...p, viewers: [kplus.Group.fromName(c, 'sas', 'system:serviceaccounts')] }))).not.toThrow();
  });

  test('nothing is written when the input is bad', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new DraRbac(chart, 'rbac', { ...fullProps(chart), adminAccessNamespaces: ['Bad'] })).toThrow();
    expect(Testing.synth(chart)).toEqual([]);
  });
});

describe('DraRbac keeps drivers least-privileged', () => {
  const driver = {
    driverName: 'gpu.example.com',
    namespace: 'dra-gpu',
    serviceAccountName: 'gpu-kubelet-plugin',
  };

  test('refuses a driver ServiceAccount as a persona subject', () => {
    const chart = testChart();
    const gpu = new DraDriver(chart, 'gpu', { driverName: driver.driverName, image: 'gpu:1', namespace: driver.namespace });
    expect(() => new DraRbac(chart, 'rbac', {
      admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins')],
      viewers: [gpu.serviceAccountSubject],
      drivers: [gpu],
    })).toThrow(`DraRbac 'rbac' (test/rbac): viewers '${gpu.namespace}/${gpu.serviceAccountName}' is the kubelet plugin ServiceAccount of driver gpu.example.com`);
  });

  test('accepts other ServiceAccounts of the same namespace', () => {
    const chart = testChart();
    const gpu = new DraDriver(chart, 'gpu', { driverName: driver.driverName, image: 'gpu:1', namespace: driver.namespace });
    const ops = kplus.ServiceAccount.fromServiceAccountName(chart, 'ops', 'ops', { namespaceName: gpu.namespace });
    new DraRbac(chart, 'rbac', { admins: [ops], drivers: [gpu] });
    expect(findObject(synthValid(chart), 'ClusterRoleBinding', 'dra-admin').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'ops', namespace: 'dra-gpu', apiGroup: '' },
    ]);
  });
});
