/** The fault suite's comparison with a clean run (test/faults/suite.ts and its parts). */
import type { EmittedFinding } from "../../shared/runtime/store";
import { diffFindings, toExpected } from "../../shared/testing/replay";

/** Differences between two finding lists (same findings, same order, none twice), as lines. */
export function compareFindings(what: string, clean: readonly EmittedFinding[], other: readonly EmittedFinding[]): string[] {
  const out = diffFindings(toExpected(clean), toExpected(other)).map((l) => `${what}: ${l}`);
  const seen = new Set<string>();
  for (const f of other) {
    if (seen.has(f.finding.uniqueKey)) out.push(`${what}: duplicated: ${f.finding.alertId} at block ${f.blockNumber} (${f.finding.uniqueKey})`);
    seen.add(f.finding.uniqueKey);
  }
  if (out.length === 0) {
    const a = clean.map((f) => f.finding.uniqueKey).join("\n");
    const b = other.map((f) => f.finding.uniqueKey).join("\n");
    if (a !== b) out.push(`${what}: same findings in another order`);
  }
  return out;
}
