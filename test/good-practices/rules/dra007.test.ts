import { findings, messages } from '../check';
import { clusterRole, clusterRoleBinding, installation, objectsOf, role } from '../installation';

describe('DRA007 wildcards covering resource.k8s.io', () => {
  test('passes explicit rules, and wildcards that do not reach the DRA API group', () => {
    const objects = [
      ...objectsOf(installation()),
      clusterRole('pods-anywhere', [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }]),
      clusterRole('apps-all', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }]),
    ];
    expect(messages('DRA007', objects)).toEqual([]);
  });

  test.each([
    ['verbs', { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims'], verbs: ['*'] }],
    ['resources', { apiGroups: ['resource.k8s.io'], resources: ['*'], verbs: ['get'] }],
    ['apiGroups, resources, verbs', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    ['apiGroups', { apiGroups: ['*'], resources: ['resourceclaims/status'], verbs: ['update'] }],
    ['resources', { apiGroups: ['resource.k8s.io'], resources: ['*/driver'], resourceNames: ['gpu.example.com'], verbs: ['arbitrary-node:patch'] }],
  ])('flags * in %s', (fields, rule) => {
    const objects = [clusterRole('too-broad', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }, rule])];
    expect(findings(objects)).toEqual(['DRA007 ClusterRole too-broad']);
    expect(messages('DRA007', objects)).toEqual([expect.stringMatching(new RegExp(`^rules\\[1\\] uses \\* in ${fields} and so covers resource\\.k8s\\.io`))]);
  });

  test('leaves out Kubernetes\' own default roles and bindings (a cluster dump holds cluster-admin)', () => {
    const clusterAdmin = clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    const binding = clusterRoleBinding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' }]);
    const controller = clusterRole('system:controller:resource-claim-controller',
      [{ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims'], verbs: ['create', 'delete', 'get', 'list', 'watch'] }],
      { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    const controllerBinding = clusterRoleBinding('system:controller:resource-claim-controller', 'system:controller:resource-claim-controller',
      [{ kind: 'ServiceAccount', name: 'resource-claim-controller', namespace: 'kube-system' }]);
    controllerBinding.metadata.labels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
    expect(findings([clusterAdmin, binding, controller, controllerBinding])).toEqual([]);
    // The same role without the label is the admin's own: flagged.
    delete controllerBinding.metadata.labels;
    expect(findings([controller, controllerBinding])).toEqual(['DRA006 ClusterRoleBinding system:controller:resource-claim-controller']);
  });

  test('flags namespaced Roles too', () => {
    expect(findings([role('team', 'team-a', [{ apiGroups: ['resource.k8s.io'], resources: ['*'], verbs: ['get'] }])]))
      .toEqual(['DRA007 Role team-a/team']);
  });
});
