/**
 * The fault suite's own checks can fail: a lost, duplicated, changed or reordered finding is a
 * mismatch, retractions are applied, and the fault schedule is a function of the seed.
 */
import type { EmittedFinding } from "../../shared/runtime/store";
import { compareFindings, effectiveFindings } from "./suite";
import { seeded } from "./fault-proxy";

const f = (block: number, key: string, description = `d${key}`): EmittedFinding => ({
  bot: "b",
  chainId: 1,
  blockNumber: block,
  blockHash: `0x${block}`,
  finding: { alertId: "A", severity: "Info", uniqueKey: key, description, metadata: {} } as never,
});

describe("fault suite comparisons", () => {
  const clean = [f(1, "a"), f(2, "b"), f(3, "c")];
  it("finds nothing to say about identical runs", () => {
    expect(compareFindings("x", clean, [...clean])).toEqual([]);
  });
  it("names lost, duplicated, changed and reordered findings", () => {
    expect(compareFindings("x", clean, [clean[0]!, clean[2]!])).toEqual(["x: missing: A at block 2 (db)"]);
    expect(compareFindings("x", clean, [...clean, clean[1]!])).toEqual(expect.arrayContaining(["x: duplicated: A at block 2 (b)"]));
    expect(compareFindings("x", clean, [clean[0]!, f(2, "b", "other"), clean[2]!])[0]).toMatch(/^x: changed: A at block 2/);
    expect(compareFindings("x", clean, [clean[1]!, clean[0]!, clean[2]!])).toEqual(["x: same findings in another order"]);
  });
  it("applies retractions: what a consumer ends up believing", () => {
    const retraction = { ...f(1, "r"), finding: { alertId: "VIGIL-REORG-RETRACTION", uniqueKey: "r", metadata: { retractedKeys: JSON.stringify(["b", "c"]) } } as never };
    expect(effectiveFindings([...clean, retraction, f(2, "b2"), f(3, "c2")]).map((x) => x.finding.uniqueKey)).toEqual(["a", "b2", "c2"]);
  });
  it("draws the same fault schedule from the same seed", () => {
    const a = seeded(7);
    const b = seeded(7);
    const c = seeded(8);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });
});
