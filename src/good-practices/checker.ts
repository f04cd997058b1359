import * as path from 'path';
import { GoodPracticesOptions } from './check-options';
import { GoodPracticesReport, GoodPracticeFinding, FindingObject, SuppressedFinding } from './finding';
import { nodeConfigKind } from './node-config';
import { describeRefAt, ObjectIndex, SourcedObject } from './object-index';
import { DEFAULT_TARGET_VERSION, parseTargetVersion } from './served-apis';
import { isDnsLabel, isDnsSubdomain, parseKubernetesVersion } from '../common/names';
import { ControlPlaneSizing } from '../control-plane/sizing';
import { ALL_RULES } from './rules/all-rules';

/** A bad option: which one, its value, and the rule it breaks. */
export interface OptionProblem {
  readonly prop: string;
  readonly value: unknown;
  readonly rule: string;
}

const SUBJECT_KINDS = ['User', 'Group', 'ServiceAccount'];

/** The first problem with the options, or undefined when they are usable. */
export function optionProblem(options: GoodPracticesOptions): OptionProblem | undefined {
  if (options.minKubeletVersion !== undefined && !parseKubernetesVersion(options.minKubeletVersion)) {
    return { prop: 'minKubeletVersion', value: options.minKubeletVersion, rule: 'must be a Kubernetes version like 1.33 or v1.33.2' };
  }
  if (options.kubernetesVersion !== undefined && !parseTargetVersion(options.kubernetesVersion)) {
    return { prop: 'kubernetesVersion', value: options.kubernetesVersion, rule: `must be a Kubernetes version of ${DEFAULT_TARGET_VERSION} or later, like 1.35 or v1.34.2` };
  }
  if (options.scale) {
    try {
      ControlPlaneSizing.recommend(options.scale);
    } catch (e) {
      return { prop: 'scale', value: options.scale, rule: `is not a valid ClusterScale (${(e as Error).message})` };
    }
  }
  for (const subject of options.adminSubjects ?? []) {
    const [kind, ...rest] = subject.split(':');
    const nameParts = kind === 'ServiceAccount' ? 2 : 1;
    if (!SUBJECT_KINDS.includes(kind) || rest.length < nameParts || rest.some(p => p === '')) {
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

/** Annotation prefix that suppresses a rule on one object in YAML: `cdk8s-dra/suppress-DRA004: "<reason>"`. */
const SUPPRESS_ANNOTATION_PREFIX = 'cdk8s-dra/suppress-';

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
  const index = new ObjectIndex(objects, options);
  const findings: Array<GoodPracticeFinding & { order: string }> = [];
  const suppressed: Array<SuppressedFinding & { order: string }> = [];
  const notes: string[] = [];
  const annotated = annotationSuppressions(objects, notes);
  for (const rule of ALL_RULES) {
    const result = rule.check(index);
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
    inputErrors,
    objectCount: objects.length,
  };
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
