import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { objectKey } from './object-key';
import { oncePerSynthesis, trackSynthesis } from './synthesis';

/**
 * Two objects with the same API group, kind, namespace and name are one object to the API
 * server: whichever is applied last wins, and Kustomize, Argo CD and Flux refuse the pair.
 * cdk8s writes both without a word; this finds them.
 */

/** `Namespace 'gpu'`, `ServiceAccount 'gpu/gpu-kubelet-plugin'`. */
function describeObject(object: ApiObject): string {
  const namespace = object.metadata.namespace;
  return `${object.kind} '${namespace ? `${namespace}/` : ''}${object.name}'`;
}

const DUPLICATE_RULE = 'two objects with one API group, kind, namespace and name are one object to the API server (the last applied wins; Kustomize, Argo CD and Flux refuse both): give one of them another name or namespace';

/**
 * Refuses the objects of `scope` that another part of the app already makes, naming both
 * construct paths, and with `propToChange` the construct's prop that renames the object.
 * Constructs of this library call it last in their constructor; objects written after
 * them are checked at synthesis (`watchAppForDuplicates`).
 */
export function refuseDuplicateObjects(scope: IConstruct, propToChange: (object: ApiObject) => string | undefined = () => undefined): void {
  const own = scope.node.findAll();
  const ownKeys = new Map<ApiObject, string>();
  const ownNames = new Set<string>();
  for (const construct of own) {
    if (!ApiObject.isApiObject(construct)) continue;
    ownKeys.set(construct, keyOf(construct));
    ownNames.add(construct.name);
  }
  const clashing = new Set(ownKeys.values());
  // The other objects (the app without `scope`'s subtree) that share a key with one of ours; the last of them, as the report names it.
  // Only those with one of our names can: their keys alone are computed (the app may hold thousands of objects).
  const others = new Map<string, ApiObject>();
  const pending: IConstruct[] = [scope.node.root];
  while (pending.length > 0) {
    const construct = pending.pop()!;
    if (construct === scope) continue;
    if (ApiObject.isApiObject(construct) && ownNames.has(construct.name)) {
      const key = keyOf(construct);
      if (clashing.has(key)) others.set(key, construct);
    }
    const children = construct.node.children;
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  for (const [construct, key] of ownKeys) {
    const other = others.get(key);
    if (other !== undefined) {
      const hint = propToChange(construct);
      invalidProp(scope, describeObject(construct), `${construct.node.path} and ${other.node.path}`, hint === undefined ? DUPLICATE_RULE : `${DUPLICATE_RULE}; ${hint}`);
    }
  }
  watchAppForDuplicates(scope);
}

const WATCHED = Symbol.for('cdk8s-dra.duplicate-objects-watched');

/**
 * Adds, once per app, a validation that runs before any file is written and fails on every
 * pair of duplicate objects anywhere in the app (hand-written `ApiObject`s, `Include`s and
 * Helm charts included).
 */
export function watchAppForDuplicates(scope: IConstruct): void {
  const root = scope.node.root as IConstruct & { [WATCHED]?: boolean };
  if (root[WATCHED]) {
    return;
  }
  root[WATCHED] = true;
  trackSynthesis(root);
  root.node.addValidation({
    // Once per synthesis, although cdk8s 2.70 validates the app again for each chart it writes.
    validate: () => oncePerSynthesis(root, WATCHED, () => {
      const seen = new Map<string, ApiObject>();
      const errors: string[] = [];
      for (const construct of root.node.findAll()) {
        if (!ApiObject.isApiObject(construct)) continue;
        const key = keyOf(construct);
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, construct);
        } else {
          errors.push(`${describeObject(construct)} is made twice, by ${first.node.path} and ${construct.node.path}: ${DUPLICATE_RULE}`);
        }
      }
      return errors;
    }),
  });
}

function keyOf(object: ApiObject): string {
  return objectKey({ apiGroup: object.apiGroup, kind: object.kind, namespace: object.metadata.namespace, name: object.name });
}
