import { IConstruct } from 'constructs';

/**
 * Stops synthesis with a message that names the construct, the prop, the value and
 * the rule it breaks, e.g.
 * `DraDriver 'gpu' (chart/gpu): driverName 'GPU_1' must be a DNS subdomain (RFC 1123)`.
 *
 * Constructs call this from their constructor, before any object is created, so a bad
 * input never reaches the YAML.
 */
export function invalidProp(scope: IConstruct, prop: string, value: unknown, rule: string): never {
  throw new Error(`${describeConstruct(scope)}: ${prop} ${formatValue(value)} ${rule}`);
}

/** `DraDriver 'gpu' (chart/gpu)`: the class users wrote and where it sits in the tree. */
export function describeConstruct(scope: IConstruct): string {
  return `${scope.constructor.name} '${scope.node.id}' (${scope.node.path})`;
}

/** Renders a value as users typed it: strings quoted, numbers and objects as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  return JSON.stringify(value) ?? String(value);
}
