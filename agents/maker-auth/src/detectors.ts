/**
 * maker-auth detection logic: plain functions, no chain access. (Decoding rights changes:
 * wards.ts; who made them: attribution.ts.)
 */

/** Is `key` matched by one of `patterns` (exact names; `*` matches any run of characters, e.g. `PIP_*`, `*_ESCROW`)? */
export function isCoreKey(key: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.includes("*") ? new RegExp(`^${p.split("*").map(escapeRegExp).join(".*")}$`).test(key) : key === p));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export type ChainlogChangeKind = "added" | "re-pointed" | "removed";

/** What an UpdateAddress/RemoveAddress did to a key: `from` and `to` as the address book reports them. */
export function chainlogChangeKind(from: string | null, to: string | null): ChainlogChangeKind {
  if (to === null) return "removed";
  return from === null ? "added" : "re-pointed";
}

/** Which ChainLog alert an UpdateAddress/RemoveAddress is. */
export type ChainlogAlertKind = "outside" | "core" | "key";

/**
 * Outside governance: always the Critical alert. By governance: a key matching the core patterns
 * is High whatever the edit (added, re-pointed, removed: a core key added, or added back after a
 * removal, is where every bot and integration resolving it will look from now on); other keys are
 * Info.
 */
export function chainlogAlertKind(core: boolean, governance: boolean): ChainlogAlertKind {
  if (!governance) return "outside";
  return core ? "core" : "key";
}
