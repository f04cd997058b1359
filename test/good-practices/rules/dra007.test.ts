import { findings, messages } from '../check';
import { clusterRole, installation, objectsOf, role } from '../installation';

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
  ])('flags * in %s', (fields, rule) => {
    const objects = [clusterRole('too-broad', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }, rule])];
    expect(findings(objects)).toEqual(['DRA007 ClusterRole too-broad']);
    expect(messages('DRA007', objects)).toEqual([expect.stringMatching(new RegExp(`^rules\\[1\\] uses \\* in ${fields} and so covers resource\\.k8s\\.io`))]);
  });

  test('flags namespaced Roles too', () => {
    expect(findings([role('team', 'team-a', [{ apiGroups: ['resource.k8s.io'], resources: ['*'], verbs: ['get'] }])]))
      .toEqual(['DRA007 Role team-a/team']);
  });
});
