import { IConstruct } from 'constructs';
import { DraValidationError } from './validation-error';

export { formatValue } from './format-value';

/**
 * Stops synthesis with a `DraValidationError` that names the construct, the prop, the value
 * and the rule it breaks, e.g.
 * `DraDriver 'gpu' (chart/gpu): driverName 'GPU_1' must be a DNS subdomain (RFC 1123)`.
 *
 * Constructs call this from their constructor, before any object is created, so a bad
 * input never reaches the YAML.
 * A prop left out (value undefined) is named without a value: `admins is required`.
 */
export function invalidProp(scope: IConstruct, prop: string, value: unknown, rule: string): never {
  throw new DraValidationError(describeConstruct(scope), scope.node.path, prop, value, rule);
}

/**
 * The same refusal for input that belongs to no construct, e.g.
 * `ClusterScale: nodes Infinity must be a positive finite number`.
 */
export function invalidInput(subject: string, prop: string, value: unknown, rule: string): never {
  throw new DraValidationError(subject, '', prop, value, rule);
}

/**
 * `DraDriver 'gpu' (chart/gpu)`: the class users wrote and where it sits in the tree; the
 * root of the tree (an App, whose id and path are empty) is its class name alone.
 */
export function describeConstruct(scope: IConstruct): string {
  if (scope.node.scope === undefined) {
    return scope.constructor.name;
  }
  return `${scope.constructor.name} '${scope.node.id}' (${scope.node.path})`;
}
