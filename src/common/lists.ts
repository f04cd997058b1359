/** A value read from YAML that should be a list: the list, or empty for anything else. */
export function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** Whether an RBAC or admission list names `value` or `*`. */
export function covers(list: unknown, value: string): boolean {
  return asArray(list).some(item => item === value || item === '*');
}
