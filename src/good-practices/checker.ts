import { GoodPracticesOptions } from './check-options';
import { CheckReport, Finding, ObjectReference, SuppressedFinding } from './finding';
import { ObjectIndex, SourcedObject } from './object-index';
import { parseKubernetesVersion } from '../common/names';
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
  for (const account of options.driverServiceAccounts ?? []) {
    if (!/^[a-z0-9.-]+:[a-z0-9.-]+$/.test(account)) {
      return { prop: 'driverServiceAccounts', value: account, rule: 'must be <namespace>:<name>' };
    }
  }
  return undefined;
}

/** The reference findings carry for a plain object. */
export function referenceOf(object: any, location?: string): ObjectReference {
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
 * Runs every rule over the objects once indexed. `suppressionsOf` returns the accepted
 * rule ids (→ reason) for an object. Options must have passed `optionProblem`.
 */
export function runChecks(
  objects: SourcedObject[],
  options: GoodPracticesOptions,
  suppressionsOf: (source: SourcedObject) => Map<string, string> = () => new Map(),
  inputErrors: string[] = [],
): CheckReport {
  const index = new ObjectIndex(objects, options);
  const findings: Array<Finding & { order: string }> = [];
  const suppressed: Array<SuppressedFinding & { order: string }> = [];
  const notes: string[] = [];
  for (const rule of ALL_RULES) {
    const result = rule.check(index);
    notes.push(...(result.notes ?? []));
    for (const violation of result.violations) {
      const finding: Finding = {
        ruleId: rule.info.id,
        severity: rule.info.severity,
        object: violation.source.ref,
        message: violation.message,
        fix: rule.info.fix,
      };
      const order = sortKey(violation.source.ref, rule.info.id, violation.message);
      const reason = suppressionsOf(violation.source).get(rule.info.id);
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

function sortKey(ref: ObjectReference, ruleId: string, message: string): string {
  // Line numbers padded so that file.yaml:9 sorts before file.yaml:10.
  const location = (ref.location ?? '').replace(/:(\d+)$/, (_, line: string) => `:${line.padStart(10, '0')}`);
  return [location, ref.kind, ref.namespace ?? '', ref.name, ruleId, message].join('\u0000');
}
