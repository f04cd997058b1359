import * as path from 'path';
import { GoodPracticesOptions } from './check-options';
import { GoodPracticesReport, GoodPracticeFinding, FindingObject, SuppressedFinding } from './finding';
import { describeRef, describeRefAt, ObjectIndex, SourcedObject } from './object-index';
import { SUPPRESS_ANNOTATION_PREFIX } from '../../common/good-practice-ids';
import { kubernetesVersionProblem } from '../../common/kubernetes-versions';
import { isDnsLabel, isDnsSubdomain } from '../../common/names';
import { objectKey } from '../../common/object-key';
import { checkProps, typeName } from '../../common/prop-types';
import { DraValidationError } from '../../common/validation-error';
import { kubeletVersionProblem } from '../../common/version-skew';
import { ControlPlaneSizing } from '../../control-plane/sizing';
import { GOOD_PRACTICES_OPTIONS } from '../good-practices-prop-types';
import { nodeConfigKind } from '../inputs/node-config';
import { ALL_RULES } from '../rules/all-rules';

/** A bad option: which one, its value, and the rule it breaks. */
export interface OptionProblem {
  readonly prop: string;
  readonly value: unknown;
  readonly rule: string;
}

const SUBJECT_KINDS = ['User', 'Group', 'ServiceAccount'];

/** The first problem with the options, or undefined when they are usable. */
export function optionProblem(options: GoodPracticesOptions): OptionProblem | undefined {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return { prop: 'options', value: options, rule: `must be an object, not ${typeName(options)}` };
  }
  try {
    checkProps('GoodPracticesOptions', options, GOOD_PRACTICES_OPTIONS);
  } catch (e) {
    if (!(e instanceof DraValidationError)) throw e;
    return { prop: e.prop, value: e.value, rule: e.rule };
  }
  if (options.minKubeletVersion !== undefined) {
    const problem = kubeletVersionProblem(options.minKubeletVersion);
    if (problem !== undefined) {
      return { prop: 'minKubeletVersion', value: options.minKubeletVersion, rule: problem };
    }
  }
  const versionProblem = options.kubernetesVersion === undefined ? undefined : kubernetesVersionProblem(options.kubernetesVersion);
  if (versionProblem !== undefined) {
    return { prop: 'kubernetesVersion', value: options.kubernetesVersion, rule: versionProblem };
  }
  if (options.scale) {
    try {
      ControlPlaneSizing.recommend(options.scale);
    } catch (e) {
      if (!(e instanceof DraValidationError)) throw e;
      return { prop: `scale.${e.prop}`, value: e.value, rule: e.rule };
    }
  }
  for (const dir of options.registrationDirs ?? []) {
    if (!dir.startsWith('/')) {
      return { prop: 'registrationDirs', value: dir, rule: 'must be an absolute host path' };
    }
  }
  for (const subject of options.adminSubjects ?? []) {
    const [kind, ...rest] = subject.split(':');
    const nameParts = kind === 'ServiceAccount' ? 2 : 1;
    if (!SUBJECT_KINDS.includes(kind) || rest.length < nameParts || rest.some(p => p.trim() === '')) {
      return { prop: 'adminSubjects', value: subject, rule: 'must be User:<name>, Group:<name> or ServiceAccount:<namespace>:<name>' };
    }
  }
  if (options.defaultNamespace !== undefined && !isDnsLabel(options.defaultNamespace)) {
    return { prop: 'defaultNamespace', value: options.defaultNamespace, rule: 'must be a DNS label (RFC 1123)' };
  }
  for (const account of options.driverServiceAccounts ?? []) {
    const [namespace, name, ...extra] = account.split(':');
    if (name === undefined || extra.length > 0 || !isDnsLabel(namespace) || !isDnsSubdomain(name)) {
      return { prop: 'driverServiceAccounts', value: account, rule: 'must be <namespace>:<name>' };
    }
  }
  return undefined;
}

/**
 * The reference findings carry for a plain object. A node config file (k3s/RKE2, Talos) has
 * no kind or name: it is named by what it is and by its file.
 */
export function referenceOf(object: any, location?: string): FindingObject {
  const file = location?.replace(/:\d+$/, '');
  const nodeKind = nodeConfigKind(object, file);
  if (nodeKind !== undefined) {
    return { apiVersion: '', kind: nodeKind, name: file ? path.basename(file) : '<unnamed>', ...(location !== undefined ? { location } : {}) };
  }
  const metadata = object?.metadata ?? {};
  return {
    apiVersion: String(object?.apiVersion ?? ''),
    kind: String(object?.kind ?? ''),
    name: typeof metadata.name === 'string' ? metadata.name : '<unnamed>',
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    ...(location !== undefined ? { location } : {}),
  };
}

/**
 * Runs every rule over the objects once indexed. Findings are suppressed by the object's
 * `cdk8s-dra/suppress-<ruleId>` annotations and by `suppressionsOf` (rule id → reason; it
 * wins). Options must have passed `optionProblem`.
 */
export function runChecks(
  objects: SourcedObject[],
  options: GoodPracticesOptions,
  suppressionsOf: (source: SourcedObject) => Map<string, string> = () => new Map(),
  inputErrors: string[] = [],
): GoodPracticesReport {
  const errors = [...inputErrors, ...duplicateObjects(objects, options)];
  // An object that makes indexing or a rule throw is an input error of its own: the others are still checked.
  // Indexing one object alone runs a subset of what indexing it among the others runs, so when
  // all of them index together, none fails alone: only then is each one indexed by itself.
  let index: ObjectIndex | undefined;
  try {
    index = new ObjectIndex(objects, options);
  } catch {
    index = undefined;
  }
  const checkable = index !== undefined ? objects : objects.filter(source => {
    const problem = failureOf(() => new ObjectIndex([source], options));
    if (problem !== undefined) errors.push(`${whereOf(source)}: cannot be checked (${problem})`);
    return problem === undefined;
  });
  index ??= new ObjectIndex(checkable, options);
  const findings: Array<GoodPracticeFinding & { order: string }> = [];
  const suppressed: Array<SuppressedFinding & { order: string }> = [];
  const notes: string[] = [];
  const annotated = annotationSuppressions(checkable, notes);
  for (const rule of ALL_RULES) {
    let result: ReturnType<typeof rule.check>;
    try {
      result = rule.check(index);
    } catch (e) {
      errors.push(...blameFor(rule.info.id, checkable, options, e));
      continue;
    }
    notes.push(...(result.notes ?? []));
    for (const violation of result.violations) {
      const finding: GoodPracticeFinding = {
        ruleId: rule.info.id,
        severity: rule.info.severity,
        object: violation.source.ref,
        message: violation.message,
        fix: rule.info.fix,
      };
      const order = sortKey(violation.source.ref, rule.info.id, violation.message);
      const reason = suppressionsOf(violation.source).get(rule.info.id) ?? annotated.get(violation.source)?.get(rule.info.id);
      if (reason !== undefined) {
        suppressed.push({ finding, reason, order });
      } else {
        findings.push({ ...finding, order });
      }
    }
  }
  const byOrder = (a: { order: string }, b: { order: string }) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0);
  return {
    findings: findings.sort(byOrder).map(({ order, ...f }) => f),
    suppressed: suppressed.sort(byOrder).map(({ order, ...s }) => s),
    notes,
    inputErrors: errors,
    emptyInputs: [],
    objectCount: objects.length,
  };
}

/** The message of what `run` throws, or undefined when it does not. */
function failureOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

/** `file.yaml: document 2 (line 14): ClusterRole gpu` or `ClusterRole gpu (chart/role)`. */
function whereOf(source: SourcedObject): string {
  return source.where !== undefined ? `${source.where}: ${describeRef(source.ref)}` : describeRefAt(source.ref);
}

/** The objects that make rule `ruleId` throw when checked alone; all of them together when none does. */
function blameFor(ruleId: string, objects: SourcedObject[], options: GoodPracticesOptions, error: unknown): string[] {
  const rule = ALL_RULES.find(r => r.info.id === ruleId)!;
  const culprits = objects.filter(source => failureOf(() => rule.check(new ObjectIndex([source], options))) !== undefined);
  const message = failureOf(() => { throw error; });
  if (culprits.length === 0) {
    return [`${ruleId} could not check these objects together (${message}): the other rules ran`];
  }
  return culprits.map(source => `${whereOf(source)}: ${ruleId} cannot check it (${message}): is it a valid ${source.ref.kind}?`);
}

/**
 * Objects given twice: one group, kind, namespace and name. The API server keeps one of
 * them (the last applied), and Kustomize, Argo CD and Flux refuse the set.
 */
function duplicateObjects(objects: SourcedObject[], options: GoodPracticesOptions): string[] {
  const first = new Map<string, SourcedObject>();
  const out: string[] = [];
  for (const source of objects) {
    const object = source.object;
    if (typeof object?.kind !== 'string' || typeof object?.metadata?.name !== 'string') continue;
    const namespace = typeof object.metadata.namespace === 'string' && object.metadata.namespace !== ''
      ? object.metadata.namespace : options.defaultNamespace ?? 'default';
    const key = objectKey({ apiVersion: String(object.apiVersion), kind: object.kind, namespace, name: object.metadata.name });
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, source);
    } else {
      out.push(`${whereOf(source)}: duplicates ${whereOf(earlier)} (same API group, kind, namespace and name: only one of them can exist in the cluster)`);
    }
  }
  return out;
}

/** Suppression annotations by object; malformed ones are ignored with a note. */
function annotationSuppressions(objects: SourcedObject[], notes: string[]): Map<SourcedObject, Map<string, string>> {
  const ruleIds = new Set(ALL_RULES.map(rule => rule.info.id));
  const out = new Map<SourcedObject, Map<string, string>>();
  for (const source of objects) {
    const annotations = source.object?.metadata?.annotations;
    if (!annotations || typeof annotations !== 'object') continue;
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(SUPPRESS_ANNOTATION_PREFIX)) continue;
      const ruleId = key.slice(SUPPRESS_ANNOTATION_PREFIX.length);
      const where = describeRefAt(source.ref);
      if (!ruleIds.has(ruleId)) {
        notes.push(`annotation ${key} on ${where} names no rule (${[...ruleIds].join(', ')}): ignored`);
      } else if (typeof value !== 'string' || value.trim() === '') {
        notes.push(`annotation ${key} on ${where} gives no reason: ignored (the reason is mandatory)`);
      } else {
        const map = out.get(source) ?? new Map<string, string>();
        map.set(ruleId, value.trim());
        out.set(source, map);
      }
    }
  }
  return out;
}

function sortKey(ref: FindingObject, ruleId: string, message: string): string {
  // Line numbers padded so that file.yaml:9 sorts before file.yaml:10.
  const location = (ref.location ?? '').replace(/:(\d+)$/, (_, line: string) => `:${line.padStart(10, '0')}`);
  return [location, ref.kind, ref.namespace ?? '', ref.name, ruleId, message].join('\u0000');
}
