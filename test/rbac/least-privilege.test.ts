/**
 * The least-privilege proof: for every persona, the full set of (group/resource, verb,
 * scope) its subjects are granted is computed from the synthesized objects and compared
 * with the allow-matrix below. A grant added or lost anywhere fails here.
 * (The kubelet-plugin comparison reads ../shared/fixtures, the example driver's chart.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { allow, grantsBySubject, grantsOfRules } from './grants';
import { DraRbac, DraRbacRules } from '../../src';
import { synthValid, testChart } from '../support/harness';

const RESOURCE = 'resource.k8s.io';
const ALL_WRITE = 'create update patch delete deletecollection';
const READ = 'get list watch';
const OPERATE = 'create get list watch update patch delete';

function synthPersonas(aggregateToBuiltInRoles = false): any[] {
  const chart = testChart();
  const argocd = new kplus.ServiceAccount(chart, 'argocd', { metadata: { name: 'argocd-application-controller', namespace: 'argocd' } });
  const teamADevs = kplus.Group.fromName(chart, 'team-a-devs', 'team-a-devs');
  new DraRbac(chart, 'rbac', {
    admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins'), argocd],
    viewers: [kplus.Group.fromName(chart, 'sre', 'sre')],
    workloadNamespaces: [
      { namespace: 'team-a', operators: [teamADevs] },
      { namespace: 'team-b', operators: [kplus.User.fromName(chart, 'alice', 'alice@example.com'), teamADevs] },
    ],
    adminAccessNamespaces: ['gpu-debug'],
    aggregateToBuiltInRoles,
  });
  return synthValid(chart);
}

const ADMIN = [
  ...allow(`${RESOURCE}/deviceclasses`, `${READ} ${ALL_WRITE}`, 'cluster'),
  ...allow(`${RESOURCE}/resourceslices`, `${READ} ${ALL_WRITE}`, 'cluster'),
  ...allow(`${RESOURCE}/devicetaintrules`, `${READ} ${ALL_WRITE}`, 'cluster'),
  ...allow(`${RESOURCE}/resourceclaims`, READ, 'cluster'),
  ...allow(`${RESOURCE}/resourceclaimtemplates`, READ, 'cluster'),
];

const VIEWER = [
  ...allow(`${RESOURCE}/deviceclasses`, READ, 'cluster'),
  ...allow(`${RESOURCE}/resourceslices`, READ, 'cluster'),
  ...allow(`${RESOURCE}/devicetaintrules`, READ, 'cluster'),
  ...allow(`${RESOURCE}/resourceclaims`, READ, 'cluster'),
  ...allow(`${RESOURCE}/resourceclaimtemplates`, READ, 'cluster'),
];

function operatorIn(...namespaces: string[]): string[] {
  return [
    ...allow(`${RESOURCE}/deviceclasses`, READ, 'cluster'),
    ...namespaces.flatMap(ns => [
      ...allow(`${RESOURCE}/resourceclaims`, OPERATE, ns),
      ...allow(`${RESOURCE}/resourceclaimtemplates`, OPERATE, ns),
    ]),
  ];
}

/** The allow-matrix: every subject that gets anything, and exactly what. */
const ALLOW_MATRIX: { [subject: string]: string[] } = {
  'Group:platform-admins': ADMIN,
  'ServiceAccount:argocd/argocd-application-controller': ADMIN,
  'Group:sre': VIEWER,
  'Group:team-a-devs': operatorIn('team-a', 'team-b'),
  'User:alice@example.com': operatorIn('team-b'),
};

const KUBELET_PLUGIN = [
  ...allow(`${RESOURCE}/resourceclaims`, 'get', 'cluster'),
  ...allow(`${RESOURCE}/resourceslices`, 'list watch create update delete', 'cluster'),
  ...allow('/nodes', 'get', 'cluster'),
];
/** What `writesDeviceStatus` adds. */
const DEVICE_STATUS_WRITER = [
  ...allow(`${RESOURCE}/resourceclaims/status`, 'update patch', 'cluster'),
  `${RESOURCE}/resourceclaims/driver associated-node:update @cluster [gpu.example.com]`,
  `${RESOURCE}/resourceclaims/driver associated-node:patch @cluster [gpu.example.com]`,
];

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

function roles(objects: any[]): any[] {
  return objects.filter(o => o.kind === 'ClusterRole' || o.kind === 'Role');
}

describe('least privilege per persona', () => {
  const objects = synthPersonas();
  const granted = grantsBySubject(objects);

  test('only the declared subjects are granted anything', () => {
    expect(sorted(granted.keys())).toEqual(sorted(Object.keys(ALLOW_MATRIX)));
  });

  test.each(Object.keys(ALLOW_MATRIX))('%s is granted exactly its allow-matrix', subject => {
    expect(sorted(granted.get(subject)!)).toEqual(sorted(ALLOW_MATRIX[subject]));
  });

  test('operators get claims only through RoleBindings, never a ClusterRoleBinding', () => {
    for (const binding of objects.filter(o => o.kind === 'ClusterRoleBinding')) {
      const role = objects.find(o => o.kind === 'ClusterRole' && o.metadata.name === binding.roleRef.name);
      const grants = grantsOfRules(role.rules, {});
      const operatorSubjects = binding.subjects.filter((s: any) => ['team-a-devs', 'alice@example.com'].includes(s.name));
      if (operatorSubjects.length > 0) {
        expect(grants).toEqual(allow(`${RESOURCE}/deviceclasses`, READ, 'cluster'));
      }
    }
  });

  test('no role uses *, escalate, bind or impersonate', () => {
    for (const role of roles(objects)) {
      for (const rule of role.rules) {
        for (const field of ['apiGroups', 'resources', 'verbs', 'resourceNames']) {
          expect(rule[field] ?? []).not.toContain('*');
        }
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['escalate']));
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['bind']));
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['impersonate']));
        expect(rule.nonResourceURLs).toBeUndefined();
      }
    }
  });

  test('only admins may write resourceslices', () => {
    const writers = [...granted.entries()]
      .filter(([, grants]) => [...grants].some(g => g.startsWith(`${RESOURCE}/resourceslices `) && !/ (get|list|watch) @/.test(g)))
      .map(([subject]) => subject);
    expect(sorted(writers)).toEqual(['Group:platform-admins', 'ServiceAccount:argocd/argocd-application-controller']);
  });
});

describe('aggregation into the built-in roles', () => {
  test('adds only namespaced claim access to admin/edit and read to view', () => {
    const objects = synthPersonas(true);
    const aggregated = (label: string) => roles(objects)
      .filter(r => r.metadata.labels?.[`rbac.authorization.k8s.io/aggregate-to-${label}`] === 'true')
      .flatMap(r => grantsOfRules(r.rules, {}));
    const operate = [...allow(`${RESOURCE}/resourceclaims`, OPERATE, 'cluster'), ...allow(`${RESOURCE}/resourceclaimtemplates`, OPERATE, 'cluster')];
    expect(sorted(aggregated('admin'))).toEqual(sorted(operate));
    expect(sorted(aggregated('edit'))).toEqual(sorted(operate));
    expect(sorted(aggregated('view'))).toEqual(sorted([
      ...allow(`${RESOURCE}/resourceclaims`, READ, 'cluster'),
      ...allow(`${RESOURCE}/resourceclaimtemplates`, READ, 'cluster'),
    ]));
    // Aggregation adds roles, never bindings: who is granted what stays the matrix.
    const granted = grantsBySubject(objects);
    for (const subject of Object.keys(ALLOW_MATRIX)) {
      expect(sorted(granted.get(subject)!)).toEqual(sorted(ALLOW_MATRIX[subject]));
    }
  });

  test('is off by default', () => {
    const labels = roles(synthPersonas()).flatMap(r => Object.keys(r.metadata.labels ?? {}));
    expect(labels.filter(l => l.includes('aggregate-to'))).toEqual([]);
  });
});

describe('kubelet-plugin persona', () => {
  function bindKubeletPlugin(writesDeviceStatus = false): any[] {
    const chart = testChart();
    new k8s.KubeClusterRole(chart, 'role', { metadata: { name: 'gpu-kubelet-plugin' }, rules: DraRbacRules.kubeletPlugin('gpu.example.com', { writesDeviceStatus }) });
    new k8s.KubeClusterRoleBinding(chart, 'binding', {
      metadata: { name: 'gpu-kubelet-plugin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'gpu-kubelet-plugin' },
      subjects: [{ kind: 'ServiceAccount', name: 'gpu-kubelet-plugin', namespace: 'gpu' }],
    });
    return synthValid(chart);
  }

  test('is granted exactly its allow-matrix', () => {
    const granted = grantsBySubject(bindKubeletPlugin());
    expect(sorted(granted.get('ServiceAccount:gpu/gpu-kubelet-plugin')!)).toEqual(sorted(KUBELET_PLUGIN));
  });

  test('a driver that writes device status gets the claim status verbs, limited to its name from 1.36', () => {
    const granted = grantsBySubject(bindKubeletPlugin(true));
    expect(sorted(granted.get('ServiceAccount:gpu/gpu-kubelet-plugin')!)).toEqual(sorted([...KUBELET_PLUGIN, ...DEVICE_STATUS_WRITER]));
  });

  test('grants what upstream\'s e2e test driver grants, without ResourceSlice get and patch, which the helper never calls', () => {
    const fixture = path.resolve(__dirname, '../../../shared/fixtures/k8s-e2e-test-driver/plugin-permissions.yaml');
    const upstream = parseAllDocuments(fs.readFileSync(fixture, 'utf-8')).map(d => d.toJSON())
      .find(o => o?.kind === 'ClusterRole');
    const ours = new Set(grantsOfRules(DraRbacRules.kubeletPlugin('gpu.example.com'), {}));
    const theirs = grantsOfRules(upstream.rules, {});
    expect(sorted(theirs.filter(g => !ours.has(g)))).toEqual(sorted(allow(`${RESOURCE}/resourceslices`, 'get patch', 'cluster')));
    expect([...ours].filter(g => !theirs.includes(g))).toEqual([]);
  });

  test('the reference driver chart grants more: claims list and watch, and claim status to every node (issue 19)', () => {
    const fixture = path.resolve(__dirname, '../../../shared/fixtures/dra-example-driver/rendered-defaults.yaml');
    const upstream = parseAllDocuments(fs.readFileSync(fixture, 'utf-8')).map(d => d.toJSON())
      .find(o => o?.kind === 'ClusterRole' && o.metadata.name === 'dra-example-driver-role');
    const ours = new Set(grantsOfRules(DraRbacRules.kubeletPlugin('gpu.example.com'), {}));
    expect(sorted(grantsOfRules(upstream.rules, {}).filter(g => !ours.has(g)))).toEqual(sorted([
      ...allow(`${RESOURCE}/resourceclaims`, 'list watch', 'cluster'),
      ...allow(`${RESOURCE}/resourceclaims/status`, 'update', 'cluster'),
      `${RESOURCE}/resourceclaims/driver associated-node:update @cluster [gpu.example.com]`,
      `${RESOURCE}/resourceclaims/driver associated-node:patch @cluster [gpu.example.com]`,
      ...allow(`${RESOURCE}/resourceslices`, 'get patch', 'cluster'),
    ]));
  });
});

describe('driver-controller persona', () => {
  const grantsOf = (options: { publishesResourceSlices?: boolean; writesDeviceStatus?: boolean }) =>
    sorted(grantsOfRules(DraRbacRules.driverController('gpu.example.com', options), {}));

  test('gets nothing by default, node-less slices when it publishes them', () => {
    expect(grantsOf({})).toEqual([]);
    expect(grantsOf({ publishesResourceSlices: true })).toEqual(sorted(allow(`${RESOURCE}/resourceslices`, 'list watch create update delete', 'cluster')));
  });

  test('writes its own driver\'s device status in claims on any node, never claim allocations', () => {
    expect(grantsOf({ writesDeviceStatus: true })).toEqual(sorted([
      ...allow(`${RESOURCE}/resourceclaims/status`, 'update patch', 'cluster'),
      `${RESOURCE}/resourceclaims/driver arbitrary-node:update @cluster [gpu.example.com]`,
      `${RESOURCE}/resourceclaims/driver arbitrary-node:patch @cluster [gpu.example.com]`,
    ]));
  });

  test('no persona is granted resourceclaims/binding, which only the scheduler writes', () => {
    const everyGrant = [
      ...[...grantsBySubject(synthPersonas()).values()].flatMap(g => [...g]),
      ...grantsOfRules(DraRbacRules.kubeletPlugin('gpu.example.com', { writesDeviceStatus: true }), {}),
      ...grantsOf({ publishesResourceSlices: true, writesDeviceStatus: true }),
    ];
    expect(everyGrant.filter(g => g.includes('resourceclaims/binding'))).toEqual([]);
  });
});

describe('least privilege holds for any valid input', () => {
  const namespaceName = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
  const subjectName = fc.constantFrom('alice', 'bob', 'carol', 'ci', 'devs', 'ops');

  test('operators get claims only in their namespaces, cluster-scoped writes only go to admins', () => {
    fc.assert(fc.property(
      fc.uniqueArray(namespaceName, { minLength: 0, maxLength: 4 }),
      fc.array(fc.tuple(fc.constantFrom('User', 'Group'), subjectName), { minLength: 1, maxLength: 3 }),
      fc.uniqueArray(namespaceName, { maxLength: 2 }),
      fc.boolean(),
      (namespaces, operatorSpecs, adminAccessNamespaces, aggregate) => {
        const chart = testChart();
        const operator = (kind: string, name: string, i: number, ns: string): kplus.ISubject =>
          kind === 'User' ? kplus.User.fromName(chart, `${ns}-u${i}`, name) : kplus.Group.fromName(chart, `${ns}-g${i}`, name);
        new DraRbac(chart, 'rbac', {
          admins: [kplus.Group.fromName(chart, 'admins', 'root-admins')],
          workloadNamespaces: namespaces.map(ns => ({ namespace: ns, operators: operatorSpecs.map(([k, n], i) => operator(k, n, i, ns)) })),
          adminAccessNamespaces,
          aggregateToBuiltInRoles: aggregate,
        });
        // Plain synth: schema validation per run would spawn 60 processes; the fixed cases above validate.
        const granted = grantsBySubject(Testing.synth(chart));
        for (const [subject, grants] of granted) {
          if (subject === 'Group:root-admins') {
            expect(sorted(grants)).toEqual(sorted(ADMIN));
            continue;
          }
          const [kind, name] = subject.split(':');
          expect(operatorSpecs).toContainEqual([kind, name]);
          expect(sorted(grants)).toEqual(sorted(operatorIn(...namespaces)));
        }
      },
    ), { numRuns: 60 });
  });
});
