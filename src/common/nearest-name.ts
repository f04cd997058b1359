/**
 * The known name a misspelt one most likely meant, for "did you mean ...?", or undefined when
 * none is close. Case is ignored and a Python-style `snake_case` name is read as `camelCase`.
 * Close means a small edit distance (at most a third of the name, and at least 2), or one
 * name starting or ending with the other (`securityContext` -> `podSecurityContext`,
 * `admins` -> `adminSubjects`).
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const wanted = normalise(name);
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const other = normalise(candidate);
    const distance = editDistance(wanted, other);
    const close = distance <= Math.max(2, Math.floor(Math.max(wanted.length, other.length) / 3))
      || (Math.min(wanted.length, other.length) >= 4 && affix(wanted, other));
    if (close && (best === undefined || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

function normalise(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

function affix(a: string, b: string): boolean {
  return a.startsWith(b) || a.endsWith(b) || b.startsWith(a) || b.endsWith(a);
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
