/**
 * What RBAC actually grants, computed from synthesized objects the way the API server's
 * authorizer reads them: a ClusterRoleBinding grants its role's rules cluster-wide; a
 * RoleBinding grants them in its namespace only, and grants nothing on cluster-scoped
 * resources even when it references a ClusterRole.
 */

/** Resources this library's roles may mention, by `group/resource`, and whether they are namespaced. */
const KNOWN_RESOURCES: { [groupResource: string]: 'namespaced' | 'cluster' } = {
  'resource.k8s.io/deviceclasses': 'cluster',
  'resource.k8s.io/resourceslices': 'cluster',
  'resource.k8s.io/devicetaintrules': 'cluster',
  'resource.k8s.io/resourceclaims': 'namespaced',
  'resource.k8s.io/resourceclaims/status': 'namespaced',
  'resource.k8s.io/resourceclaims/driver': 'namespaced',
  'resource.k8s.io/resourceclaims/binding': 'namespaced',
  'resource.k8s.io/resourceclaimtemplates': 'namespaced',
  '/nodes': 'cluster',
};

/** `Kind:name` for users and groups, `ServiceAccount:namespace/name` for ServiceAccounts. */
export function subjectId(subject: { kind: string; name: string; namespace?: string }): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount:${subject.namespace}/${subject.name}` : `${subject.kind}:${subject.name}`;
}

/**
 * One grant: `group/resource verb @scope`, with `[names]` when the rule is limited to
 * resourceNames. Scope is `cluster` (every namespace, and cluster-scoped objects) or a namespace.
 */
export function grantsOfRules(rules: any[], scope: { namespace?: string }): string[] {
  const grants: string[] = [];
  for (const rule of rules) {
    if (rule.nonResourceURLs) {
      throw new Error(`unexpected nonResourceURLs rule: ${JSON.stringify(rule)}`);
    }
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        const groupResource = `${group}/${resource}`;
        const kind = KNOWN_RESOURCES[groupResource];
        if (!kind) {
          throw new Error(`rule on ${groupResource} that the least-privilege matrix does not know: add it to KNOWN_RESOURCES`);
        }
        if (scope.namespace !== undefined && kind === 'cluster') {
          continue;
        }
        const names = rule.resourceNames ? ` [${rule.resourceNames.join(',')}]` : '';
        for (const verb of rule.verbs) {
          grants.push(`${groupResource} ${verb} @${scope.namespace ?? 'cluster'}${names}`);
        }
      }
    }
  }
  return grants;
}

/** Every subject's grants, from every binding in `objects`. */
export function grantsBySubject(objects: any[]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const binding of objects.filter(o => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')) {
    const namespace = binding.kind === 'RoleBinding' ? binding.metadata.namespace : undefined;
    const role = objects.find(o =>
      o.kind === binding.roleRef.kind && o.metadata.name === binding.roleRef.name &&
      (o.kind === 'ClusterRole' || o.metadata.namespace === namespace));
    if (!role) {
      throw new Error(`${binding.kind} ${binding.metadata.name} references a missing ${binding.roleRef.kind} ${binding.roleRef.name}`);
    }
    const grants = grantsOfRules(role.rules ?? [], { namespace });
    for (const subject of binding.subjects) {
      const id = subjectId(subject);
      const set = result.get(id) ?? new Set<string>();
      grants.forEach(g => set.add(g));
      result.set(id, set);
    }
  }
  return result;
}

/**
 * Expands a readable allow-matrix row into grants: `['resource.k8s.io/resourceclaims',
 * 'get list', 'team-a']` gives two grants in namespace team-a.
 */
export function allow(groupResource: string, verbs: string, scope: string): string[] {
  return verbs.split(' ').map(verb => `${groupResource} ${verb} @${scope}`);
}
