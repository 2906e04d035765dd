/**
 * maker-auth detection logic: plain functions, no chain access. (Decoding rights changes:
 * wards.ts; who made them: attribution.ts.)
 */

/** Is `key` matched by one of `patterns` (exact names, or a prefix followed by `*`)? */
export function isCoreKey(key: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith("*") ? key.startsWith(p.slice(0, -1)) : key === p));
}

export type ChainlogChangeKind = "added" | "re-pointed" | "removed";

/** What an UpdateAddress/RemoveAddress did to a key: `from` and `to` as the address book reports them. */
export function chainlogChangeKind(from: string | null, to: string | null): ChainlogChangeKind {
  if (to === null) return "removed";
  return from === null ? "added" : "re-pointed";
}
