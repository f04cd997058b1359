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

/** The username the API server gives a ServiceAccount: `system:serviceaccount:<namespace>:<name>`. */
const SERVICE_ACCOUNT_USERNAME = /^system:serviceaccount:([^:]*):([^:]*)$/;

/** Identities that are everyone or no one: binding a DRA persona to them is never least privilege. */
const ANONYMOUS_IDENTITIES = ['system:anonymous', 'system:unauthenticated'];

/**
 * Turns cdk8s-plus subjects into binding subjects, refusing a persona with none, a name that
 * is empty or blank, a ServiceAccount without a namespace (a binding could not name it),
 * anonymous identities, and `system:authenticated` or the `system:serviceaccounts[:<namespace>]`
 * groups for personas that may write (`everyoneAllowed` false).
 *
 * A User named `system:serviceaccount:<namespace>:<name>` is that ServiceAccount (the API
 * server authenticates the account with that username): it is bound, and refused, as the
 * ServiceAccount. A ServiceAccount imported with `ServiceAccount.fromServiceAccountName`
 * without `namespaceName` is refused: cdk8s-plus puts it in `default` without a word, and
 * no binding should grant DRA access there by accident (write the User form above to mean
 * `default`).
 */
export function toRbacSubjects(scope: IConstruct, prop: string, subjects: kplus.ISubject[], everyoneAllowed: boolean): RbacSubject[] {
  if (subjects.length === 0) {
    invalidProp(scope, prop, [], 'must name at least one subject (User, Group or ServiceAccount); omit the persona instead');
  }
  const result: RbacSubject[] = [];
  for (const subject of subjects) {
    const config = asServiceAccountWhenUsername(subject.toSubjectConfiguration());
    const where = `${prop} (${config.kind} ${config.name})`;
    if (typeof config.name !== 'string' || config.name.trim() === '' || config.name !== config.name.trim()) {
      invalidProp(scope, `${prop} (${config.kind})`, config.name, 'must be a subject name without surrounding whitespace: a blank name matches no one, or not the one meant');
    }
    if (config.kind === 'ServiceAccount' && config.namespace === 'default' && isImportedWithoutNamespace(subject)) {
      invalidProp(scope, `${where} namespace`, config.namespace,
        'comes from ServiceAccount.fromServiceAccountName without namespaceName, which cdk8s-plus fills in as default: pass { namespaceName } (or User system:serviceaccount:default:<name> to mean default)');
    }
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

/** `User system:serviceaccount:ns:name` as the ServiceAccount it authenticates as. */
function asServiceAccountWhenUsername(config: kplus.SubjectConfiguration): kplus.SubjectConfiguration {
  const match = config.kind === 'User' && typeof config.name === 'string' ? SERVICE_ACCOUNT_USERNAME.exec(config.name) : null;
  return match ? { kind: 'ServiceAccount', name: match[2], namespace: match[1] } : config;
}

/**
 * cdk8s-plus's imported ServiceAccount keeps no trace of a namespace left out: it reads
 * `default` either way. Only `User system:serviceaccount:default:<name>` says default for sure.
 */
export function isImportedWithoutNamespace(subject: kplus.ISubject): boolean {
  return !(subject instanceof kplus.ServiceAccount) && subject.constructor.name === 'ImportedServiceAccount';
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
