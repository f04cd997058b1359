import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { RBAC_API_GROUP } from './api';
import { invalidProp } from '../common/errors';
import { isDnsLabel } from '../common/names';

/** An RBAC subject as it is written in a binding. */
export interface RbacSubject {
  readonly kind: string;
  readonly name: string;
  readonly apiGroup?: string;
  readonly namespace?: string;
}

/** Identities that are everyone or no one: binding a DRA persona to them is never least privilege. */
const ANONYMOUS_IDENTITIES = ['system:anonymous', 'system:unauthenticated'];

/**
 * Turns cdk8s-plus subjects into binding subjects, refusing a persona with none, a
 * ServiceAccount without a namespace (a binding could not name it), anonymous identities,
 * and `system:authenticated` or the `system:serviceaccounts[:<namespace>]` groups for
 * personas that may write (`everyoneAllowed` false).
 */
export function toRbacSubjects(scope: IConstruct, prop: string, subjects: kplus.ISubject[], everyoneAllowed: boolean): RbacSubject[] {
  if (subjects.length === 0) {
    invalidProp(scope, prop, [], 'must name at least one subject (User, Group or ServiceAccount); omit the persona instead');
  }
  const result: RbacSubject[] = [];
  for (const subject of subjects) {
    const config = subject.toSubjectConfiguration();
    const where = `${prop} (${config.kind} ${config.name})`;
    if (!['User', 'Group', 'ServiceAccount'].includes(config.kind)) {
      invalidProp(scope, where, config.kind, 'must be a User, Group or ServiceAccount');
    }
    if (config.kind === 'ServiceAccount' && (config.namespace === undefined || !isDnsLabel(config.namespace))) {
      invalidProp(scope, `${where} namespace`, config.namespace ?? '', 'must be set to a namespace name (RFC 1123 label) so the binding can name the ServiceAccount');
    }
    if (ANONYMOUS_IDENTITIES.includes(config.name)) {
      invalidProp(scope, where, config.name, 'would grant DRA access to unauthenticated requests');
    }
    if (!everyoneAllowed && config.name === 'system:authenticated') {
      invalidProp(scope, where, config.name, 'would grant this persona to every authenticated user');
    }
    if (!everyoneAllowed && config.kind === 'Group' && /^system:serviceaccounts(:|$)/.test(config.name)) {
      invalidProp(scope, where, config.name, 'would grant this persona to every ServiceAccount it covers (name the ServiceAccounts instead)');
    }
    const apiGroup = config.kind === 'ServiceAccount' ? '' : RBAC_API_GROUP;
    result.push({ kind: config.kind, name: config.name, apiGroup, namespace: config.kind === 'ServiceAccount' ? config.namespace : undefined });
  }
  return uniqueSubjects(result);
}

/** `subjects` without repeats, each at its first position. */
export function uniqueSubjects(subjects: RbacSubject[]): RbacSubject[] {
  const byKey = new Map<string, RbacSubject>();
  for (const subject of subjects) {
    const key = subjectKey(subject);
    if (!byKey.has(key)) {
      byKey.set(key, subject);
    }
  }
  return [...byKey.values()];
}

/** One subject's identity, to drop duplicates. */
export function subjectKey(subject: { kind: string; name: string; namespace?: string }): string {
  return `${subject.kind}/${subject.namespace ?? ''}/${subject.name}`;
}

/**
 * A CEL condition, over an admission request, that is true when the requester is one of
 * `subjects`: users and ServiceAccounts by username, groups by membership.
 */
export function requesterIsOneOf(subjects: RbacSubject[]): string {
  const usernames = subjects
    .filter(s => s.kind !== 'Group')
    .map(s => (s.kind === 'ServiceAccount' ? `system:serviceaccount:${s.namespace}:${s.name}` : s.name));
  const groups = subjects.filter(s => s.kind === 'Group').map(s => s.name);
  const conditions: string[] = [];
  if (usernames.length > 0) {
    conditions.push(`request.userInfo.username in ${celStringList(usernames)}`);
  }
  if (groups.length > 0) {
    conditions.push(`request.userInfo.groups.exists(g, g in ${celStringList(groups)})`);
  }
  return conditions.join(' || ');
}

/** A CEL list literal of strings; JSON string escapes are valid CEL. */
function celStringList(values: string[]): string {
  return `[${values.map(v => JSON.stringify(v)).join(', ')}]`;
}
