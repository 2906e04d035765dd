import { FindingSeverity, FindingType, createFinding, defaultPriority, defineAlerts, findingKey, findingToJson } from "./findings";

const ALERTS = defineAlerts({
  fire: { id: "TEST-FIRE", name: "fire", severity: FindingSeverity.Critical, type: FindingType.Suspicious },
  quiet: { id: "TEST-QUIET", name: "quiet", severity: FindingSeverity.Medium, type: FindingType.Info, priority: "P1" },
});
const block = { number: 10, hash: "0xabc", timestamp: 1_700_000_000 };

describe("findings", () => {
  it("maps severity to incident priority by default, and lets an alert override it", () => {
    expect([FindingSeverity.Critical, FindingSeverity.High, FindingSeverity.Medium, FindingSeverity.Low, FindingSeverity.Info].map(defaultPriority)).toEqual([
      "P0",
      "P1",
      "P2",
      "P2",
      "none",
    ]);
    const f = createFinding(ALERTS.fire, { description: "d", key: [1], block });
    expect(f.metadata.priority).toBe("P0");
    const g = createFinding(ALERTS.quiet, { description: "d", key: [1], block });
    expect(g.metadata.priority).toBe("P1");
    const h = createFinding(ALERTS.fire, { description: "d", key: [1], block, severity: FindingSeverity.High });
    expect(h.metadata.priority).toBe("P1");
  });

  it("keeps the alert's type unless a finding overrides it (an outsider's parameter change is an Exploit)", () => {
    expect(createFinding(ALERTS.quiet, { description: "d", key: [1], block }).type).toBe(FindingType.Info);
    expect(createFinding(ALERTS.quiet, { description: "d", key: [1], block, type: FindingType.Exploit }).type).toBe(FindingType.Exploit);
  });

  it("derives the same uniqueKey from the same chain data, and another from other data", () => {
    const a = createFinding(ALERTS.fire, { description: "one", key: [1, "0xAbC", 3], block });
    const b = createFinding(ALERTS.fire, { description: "two", key: [1, "0xabc", 3], block });
    const c = createFinding(ALERTS.fire, { description: "one", key: [1, "0xabc", 4], block });
    expect(a.uniqueKey).toBe(b.uniqueKey);
    expect(a.uniqueKey).not.toBe(c.uniqueKey);
    expect(findingKey("TEST-FIRE", [1])).not.toBe(findingKey("TEST-QUIET", [1]));
  });

  it("stringifies metadata, lowercases and dedupes addresses, and takes its time from the block", () => {
    const f = createFinding(ALERTS.fire, {
      description: "d",
      key: [1],
      block,
      metadata: { amount: 5n, ok: true, skipped: undefined },
      addresses: ["0xAA", "0xaa", "0xBb"],
    });
    const j = findingToJson(f);
    expect(j.metadata).toEqual({ amount: "5", ok: "true", priority: "P0" });
    expect(j.addresses).toEqual(["0xaa", "0xbb"]);
    expect(j.timestamp).toBe(new Date(1_700_000_000_000).toISOString());
    expect(j.severity).toBe("Critical");
  });

  it("rejects alert ids that are not UPPER-KEBAB-CASE", () => {
    expect(() => defineAlerts({ x: { id: "bad id", name: "x", severity: FindingSeverity.Info, type: FindingType.Info } })).toThrow(/UPPER-KEBAB/);
  });
});
