import { isCelError, run } from '@bufbuild/cel';

/**
 * A small ValidatingAdmissionPolicy evaluator for tests: it follows the API server's
 * order (binding namespace selector, match constraints, match conditions, variables,
 * validations) and evaluates every CEL expression with @bufbuild/cel.
 */

export interface AdmissionSample {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly group: string;
  readonly resource: string;
  /** The namespace of the object (undefined for cluster-scoped objects). */
  readonly namespace?: string;
  /** The labels of that namespace (its name label is added automatically). */
  readonly namespaceLabels?: { [key: string]: string };
  readonly object: any;
  readonly oldObject?: any;
  readonly username: string;
  readonly groups?: string[];
}

export interface AdmissionResult {
  readonly outcome: 'not-matched' | 'allowed' | 'denied';
  readonly message?: string;
}

/** JSON to CEL values: objects become maps, so `has()` and `in` work on them. */
export function toCel(value: any): any {
  if (Array.isArray(value)) {
    return value.map(toCel);
  }
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/** Runs a CEL expression; an evaluation error fails the test instead of passing as a value. */
export function celRun(expression: string, bindings: { [name: string]: any }): any {
  const result = run(expression, bindings);
  if (isCelError(result)) {
    throw new Error(`CEL error in ${expression}: ${result.message}`);
  }
  return result;
}

function selectorMatches(selector: any, labels: { [key: string]: string }): boolean {
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expr of selector?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    switch (expr.operator) {
      case 'In': if (!has || !expr.values.includes(labels[expr.key])) return false; break;
      case 'NotIn': if (has && expr.values.includes(labels[expr.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: throw new Error(`unknown selector operator ${expr.operator}`);
    }
  }
  return true;
}

export function evaluatePolicy(policy: any, binding: any, sample: AdmissionSample): AdmissionResult {
  if (binding.spec.policyName !== policy.metadata.name) {
    throw new Error(`binding ${binding.metadata.name} does not bind policy ${policy.metadata.name}`);
  }
  if (sample.namespace !== undefined && binding.spec.matchResources?.namespaceSelector) {
    const labels = { ...sample.namespaceLabels, 'kubernetes.io/metadata.name': sample.namespace };
    if (!selectorMatches(binding.spec.matchResources.namespaceSelector, labels)) {
      return { outcome: 'not-matched' };
    }
  }
  const matched = (policy.spec.matchConstraints.resourceRules as any[]).some(r =>
    r.apiGroups.includes(sample.group) && r.resources.includes(sample.resource) && r.operations.includes(sample.operation));
  if (!matched) {
    return { outcome: 'not-matched' };
  }
  const request = toCel({
    operation: sample.operation,
    namespace: sample.namespace ?? '',
    userInfo: { username: sample.username, groups: sample.groups ?? [] },
  });
  const namespaceObject = sample.namespace === undefined ? null : toCel({
    metadata: { name: sample.namespace, labels: { ...sample.namespaceLabels, 'kubernetes.io/metadata.name': sample.namespace } },
  });
  const bindings: { [name: string]: any } = {
    namespaceObject,
    object: sample.operation === 'DELETE' ? null : toCel(sample.object),
    oldObject: sample.oldObject === undefined ? null : toCel(sample.oldObject),
    request,
  };
  for (const condition of policy.spec.matchConditions ?? []) {
    if (celRun(condition.expression, bindings) !== true) {
      return { outcome: 'not-matched' };
    }
  }
  const variables = new Map<string, any>();
  for (const variable of policy.spec.variables ?? []) {
    variables.set(variable.name, celRun(variable.expression, { ...bindings, variables }));
  }
  for (const validation of policy.spec.validations) {
    const ctx = { ...bindings, variables };
    const result = celRun(validation.expression, ctx);
    if (typeof result !== 'boolean') {
      throw new Error(`validation ${validation.expression} returned ${String(result)}, not a bool`);
    }
    if (!result) {
      const message = validation.messageExpression ? String(celRun(validation.messageExpression, ctx)) : validation.message;
      return { outcome: 'denied', message };
    }
  }
  return { outcome: 'allowed' };
}
