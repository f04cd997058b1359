/** The identity of an object in a cluster: `group/kind/namespace/name`. */
export function objectKey(object: { apiGroup?: string; apiVersion?: string; kind: string; namespace?: string; name: string }): string {
  const group = object.apiGroup ?? groupOf(object.apiVersion ?? '');
  return `${group}/${object.kind}/${object.namespace ?? ''}/${object.name}`;
}

/** `rbac.authorization.k8s.io` of `rbac.authorization.k8s.io/v1`; `''` (core) of `v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
