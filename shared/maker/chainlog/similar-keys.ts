/**
 * "Did you mean ...": the keys close to a key the ChainLog does not hold, for
 * UnknownChainlogKeyError's message.
 */

/** Up to 5 keys close to `key` (edit distance), closest first: the likely typo fixes. */
export function similarKeys(key: string, keys: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(key.length / 4));
  const near = keys.map((k) => ({ k, d: editDistance(key.toUpperCase(), k, limit) })).filter((x) => x.d <= limit);
  return near.sort((a, b) => a.d - b.d || a.k.localeCompare(b.k)).slice(0, 5).map((x) => x.k);
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
