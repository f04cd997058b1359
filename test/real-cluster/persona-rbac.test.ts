// Persona RBAC, judged by the real authorizer (Node,RBAC) of a Kubernetes 1.34 API server: for every
// subject DraRbac and DraDriver bind, every DRA resource and subresource, every verb and every scope,
// the server's SubjectAccessReview answer equals the grants computed from the YAML, which
// test/rbac/least-privilege.test.ts proves equal to the allow-matrix. Subjects the objects do not
// name get no DRA access from them.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { clientOf } from '../../harness/cluster/control-plane';
import { authorizerAllows } from '../../harness/cluster/identities';
import { KubeClient } from '../../harness/cluster/kube-client';
import { applyAll, deleteAll, namespaces, problems } from '../../harness/cluster/objects';
import { DraDriver, DraRbac } from '../../src';
import { grantsBySubject } from '../rbac/grants';
import { ADMIN_ACCESS_LABEL_LOCK, CLUSTER_SETUP_TIMEOUT_MS, holdRunLock, sharedControlPlane } from '../support/cluster/shared';

const NAMESPACES = ['rbac-team-a', 'rbac-team-b'];
const OTHER_NAMESPACE = 'rbac-elsewhere';
const RESOURCES = [
  'resource.k8s.io/deviceclasses', 'resource.k8s.io/resourceslices', 'resource.k8s.io/devicetaintrules',
  'resource.k8s.io/resourceclaims', 'resource.k8s.io/resourceclaims/status', 'resource.k8s.io/resourceclaims/driver',
  'resource.k8s.io/resourceclaims/binding', 'resource.k8s.io/resourceclaimtemplates', '/nodes',
];
const CLUSTER_SCOPED = new Set(['resource.k8s.io/deviceclasses', 'resource.k8s.io/resourceslices', 'resource.k8s.io/devicetaintrules', '/nodes']);
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

function personaObjects(): any[] {
  const chart = new Chart(Testing.app(), 'rbac');
  const driver = new DraDriver(chart, 'gpu', {
    driverName: 'rbac.example.com',
    image: 'registry.example.com/rbac:v1',
    namespace: 'rbac-driver',
    controller: { image: 'registry.example.com/rbac-controller:v1', publishesResourceSlices: true, writesDeviceStatus: true },
  });
  // A driver that writes device status gets the claim-status grants, and nothing more.
  const nic = new DraDriver(chart, 'nic', {
    driverName: 'rbac-nic.example.com', image: 'registry.example.com/rbac-nic:v1', namespace: 'rbac-nic', writesDeviceStatus: true,
  });
  const teamADevs = kplus.Group.fromName(chart, 'team-a-devs', 'rbac-team-a-devs');
  new DraRbac(chart, 'rbac', {
    namePrefix: 'rbac',
    admins: [kplus.Group.fromName(chart, 'admins', 'rbac-platform-admins'), kplus.User.fromName(chart, 'root', 'rbac-root')],
    viewers: [kplus.Group.fromName(chart, 'sre', 'rbac-sre')],
    workloadNamespaces: [
      { namespace: NAMESPACES[0], operators: [teamADevs] },
      { namespace: NAMESPACES[1], operators: [kplus.User.fromName(chart, 'alice', 'rbac-alice'), teamADevs] },
    ],
    drivers: [driver, nic],
  });
  return Testing.synth(chart);
}

/** The user and groups a SubjectAccessReview asks about for one RBAC subject id (see grants.ts subjectId). */
function userInfo(subject: string): { user: string; groups: string[] } {
  const [kind, name] = [subject.slice(0, subject.indexOf(':')), subject.slice(subject.indexOf(':') + 1)];
  if (kind === 'ServiceAccount') {
    const [namespace, account] = name.split('/');
    return { user: `system:serviceaccount:${namespace}:${account}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
  }
  if (kind === 'Group') {
    return { user: `a-member-of-${name}`, groups: [name, 'system:authenticated'] };
  }
  return { user: name, groups: ['system:authenticated'] };
}

interface Question {
  readonly groupResource: string;
  readonly verb: string;
  /** A namespace, or 'cluster' for a cluster-wide (all namespaces or cluster-scoped) request. */
  readonly scope: string;
}

/** Every question to ask: each resource and verb, in each workload namespace, another namespace, and cluster-wide. */
function questions(extraVerbs: string[]): Question[] {
  const verbs = [...new Set([...VERBS, ...extraVerbs])];
  return RESOURCES.flatMap(groupResource => verbs.flatMap(verb =>
    (CLUSTER_SCOPED.has(groupResource) ? ['cluster'] : [...NAMESPACES, OTHER_NAMESPACE, 'driver-namespace', 'cluster'])
      .map(scope => ({ groupResource, verb, scope }))));
}

/** What the grants computed from the YAML say about a question (unrestricted grants only: no name is asked). */
function expectedAnswer(grants: Set<string>, q: Question, driverNamespace: string): boolean {
  const scope = q.scope === 'driver-namespace' ? driverNamespace : q.scope;
  return grants.has(`${q.groupResource} ${q.verb} @cluster`) || (scope !== 'cluster' && grants.has(`${q.groupResource} ${q.verb} @${scope}`));
}

let admin: KubeClient;
const objects = personaObjects();
const driverNamespace: string = objects.find(o => o.kind === 'DaemonSet').metadata.namespace;
const workloadsOnly = (o: any) => !['DaemonSet', 'Deployment'].includes(o.kind);
const existing = namespaces([...NAMESPACES, OTHER_NAMESPACE]);

let releaseLabelLock: (() => void) | undefined;

beforeAll(async () => {
  admin = clientOf(await sharedControlPlane());
  releaseLabelLock = await holdRunLock(ADMIN_ACCESS_LABEL_LOCK);
  expect(problems(await applyAll(admin, [...existing, ...objects.filter(workloadsOnly)]))).toEqual([]);
}, CLUSTER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await deleteAll(admin, [...objects.filter(workloadsOnly), ...existing]);
  releaseLabelLock?.();
}, 300_000);

/** The real authorizer's answer, through a SubjectAccessReview. */
async function serverAllows(subject: { user: string; groups: string[] }, q: Question): Promise<boolean> {
  const [group, resource, subresource] = q.groupResource.split('/');
  const namespace = q.scope === 'driver-namespace' ? driverNamespace : q.scope === 'cluster' ? undefined : q.scope;
  return authorizerAllows(admin, subject, { group, resource, subresource, verb: q.verb, namespace });
}

/** Asks every question, a few at a time, and returns the ones whose answer differs from `expected`. */
async function differences(subject: { user: string; groups: string[] }, all: Question[], expected: (q: Question) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (let i = 0; i < all.length; i += 16) {
    const batch = all.slice(i, i + 16);
    const answers = await Promise.all(batch.map(q => serverAllows(subject, q)));
    batch.forEach((q, j) => {
      if (answers[j] !== expected(q)) {
        found.push(`${q.groupResource} ${q.verb} @${q.scope}: server ${answers[j] ? 'allows' : 'denies'}`);
      }
    });
  }
  return found;
}

const granted = grantsBySubject(objects);
const extraVerbs = [...granted.values()].flatMap(g => [...g].map(grant => grant.split(' ')[1]));
const all = questions(extraVerbs);

test('the matrix asked covers every persona, DRA resource, verb and scope', () => {
  expect([...granted.keys()].map(s => s.split(':')[0]).sort()).toEqual(['Group', 'Group', 'Group', 'ServiceAccount', 'ServiceAccount', 'ServiceAccount', 'User', 'User']);
  expect(new Set(all.map(q => q.groupResource))).toEqual(new Set(RESOURCES));
  expect(new Set(all.map(q => q.verb))).toEqual(new Set([...VERBS, ...extraVerbs]));
  expect(new Set(all.map(q => q.scope))).toEqual(new Set([...NAMESPACES, OTHER_NAMESPACE, 'driver-namespace', 'cluster']));
});

test.each([...granted.keys()].sort())('%s: the real authorizer grants exactly what the YAML grants', async subject => {
  const grants = granted.get(subject)!;
  expect(await differences(userInfo(subject), all, q => expectedAnswer(grants, q, driverNamespace))).toEqual([]);
}, 120_000);

test.each([
  ['an authenticated user the objects do not name', { user: 'rbac-nobody', groups: ['system:authenticated'] }],
  ['a ServiceAccount in a workload namespace', { user: `system:serviceaccount:${NAMESPACES[0]}:default`, groups: ['system:serviceaccounts', `system:serviceaccounts:${NAMESPACES[0]}`, 'system:authenticated'] }],
  ['another ServiceAccount in the driver\'s namespace', { user: `system:serviceaccount:${driverNamespace}:default`, groups: ['system:serviceaccounts', `system:serviceaccounts:${driverNamespace}`, 'system:authenticated'] }],
])('%s gets no DRA access from these objects', async (_who, subject) => {
  // The bootstrap roles give authenticated users no DRA resource at all.
  expect(await differences(subject, all.filter(q => q.groupResource !== '/nodes'), () => false)).toEqual([]);
}, 120_000);
