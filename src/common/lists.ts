/** A value read from YAML that should be a list: the list, or empty for anything else. */
export function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}
