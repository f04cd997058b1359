/**
 * Field-by-field comparison of two Kubernetes objects, for porting a vendor chart: every leaf
 * gets a path (`spec.template.spec.containers[gpus].env[NODE_NAME].value`), lists of named
 * things are keyed by name (tolerations by key), so order does not count and a moved entry
 * is not a difference. Empty objects and lists count as absent (`securityContext: {}`).
 */

/** One leaf that differs: absent on one side is `undefined`. */
export interface FieldDifference {
  readonly path: string;
  readonly vendor: unknown;
  readonly ours: unknown;
}

/** A difference the port makes on purpose, and why. */
export interface IntendedDelta {
  /** Matched against the whole path. */
  readonly path: RegExp;
  readonly reason: string;
}

export function flatten(value: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) return out;
    const keyOf = (item: any) => item?.name ?? item?.key;
    const keyed = value.every(item => typeof keyOf(item) === 'string') && new Set(value.map(keyOf)).size === value.length;
    value.forEach((item, index) => flatten(item, `${path}[${keyed ? keyOf(item) : index}]`, out));
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      flatten(child, path === '' ? key : `${path}.${key}`, out);
    }
    return out;
  }
  // YAML numbers and strings of the same value (containerPort "51516") are not a difference.
  out.set(path, typeof value === 'number' ? String(value) : value);
  return out;
}

export function fieldDifferences(vendor: unknown, ours: unknown): FieldDifference[] {
  const a = flatten(vendor);
  const b = flatten(ours);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter(p => a.get(p) !== b.get(p)).map(p => ({ path: p, vendor: a.get(p), ours: b.get(p) }));
}

/** The differences no intended delta explains, and the deltas that explain no difference. */
export function unexplained(differences: FieldDifference[], deltas: IntendedDelta[]): { differences: FieldDifference[]; unusedDeltas: string[] } {
  const matches = (delta: IntendedDelta, difference: FieldDifference) => new RegExp(`^(?:${delta.path.source})$`).test(difference.path);
  return {
    differences: differences.filter(d => !deltas.some(delta => matches(delta, d))),
    unusedDeltas: deltas.filter(delta => !differences.some(d => matches(delta, d))).map(delta => delta.path.source),
  };
}
