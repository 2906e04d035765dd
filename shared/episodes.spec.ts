import { FindingSeverity, FindingType } from "forta-agent";
import { EpisodeState, Episodes, episodeFinding } from "./episodes";

const at = (n: number) => ({ number: n, hash: `0x${n.toString(16).padStart(8, "0")}`, timestamp: 1000 + n * 12 });
type Level = "high" | "critical";

describe("episodes", () => {
  it("reports a lasting condition once when it opens, once per escalation, once when it resolves", () => {
    const state: EpisodeState<Level> = {};
    const ep = new Episodes<Level>(["high", "critical"], state);
    const kinds: string[] = [];
    const levels: (Level | null)[] = [null, "high", "high", "high", "critical", "high", "critical", "critical", null, null];
    levels.forEach((l, i) => {
      const t = ep.observe("osm", l, at(i));
      if (t) kinds.push(`${i}:${t.kind}`);
    });
    expect(kinds).toEqual(["1:opened", "4:escalated", "8:resolved"]);
    expect(state).toEqual({});
  });

  it("keeps its state in a plain JSON object that survives a round trip", () => {
    const state: EpisodeState<Level> = {};
    new Episodes<Level>(["high", "critical"], state).observe("x", "high", at(5));
    const restored = JSON.parse(JSON.stringify(state)) as EpisodeState<Level>;
    const again = new Episodes<Level>(["high", "critical"], restored);
    expect(again.observe("x", "high", at(6))).toBeNull();
    expect(again.observe("x", null, at(7))?.kind).toBe("resolved");
  });

  it("waits for clearAfter clear observations before resolving (hysteresis)", () => {
    const ep = new Episodes<Level>(["high", "critical"], {}, { clearAfter: 2 });
    ep.observe("x", "high", at(1));
    expect(ep.observe("x", null, at(2))).toBeNull();
    expect(ep.observe("x", "high", at(3))).toBeNull();
    expect(ep.observe("x", null, at(4))).toBeNull();
    expect(ep.observe("x", null, at(5))?.kind).toBe("resolved");
  });

  it("gives each transition its own deterministic key and Info severity on resolution", () => {
    const spec = { id: "TEST-EP", name: "ep", severity: FindingSeverity.High, type: FindingType.Degraded };
    const ep = new Episodes<Level>(["high", "critical"], {});
    const sev = (l: Level) => (l === "critical" ? FindingSeverity.Critical : FindingSeverity.High);
    const open = episodeFinding(spec, ep.observe("x", "high", at(1))!, sev, { description: "open" });
    const esc = episodeFinding(spec, ep.observe("x", "critical", at(2))!, sev, { description: "esc" });
    const res = episodeFinding(spec, ep.observe("x", null, at(3))!, sev, { description: "res" });
    expect([open.severity, esc.severity, res.severity]).toEqual([FindingSeverity.High, FindingSeverity.Critical, FindingSeverity.Info]);
    expect(new Set([open.uniqueKey, esc.uniqueKey, res.uniqueKey]).size).toBe(3);
    expect(open.metadata.episodeId).toBe(res.metadata.episodeId);
    expect(res.metadata).toMatchObject({ episode: "resolved", episodePeak: "critical", episodeBlocks: "2" });
  });

  it("resolves the episodes of subjects that went away, at once and whatever clearAfter says, with one transition each", () => {
    const spec = { id: "TEST-EP", name: "ep", severity: FindingSeverity.High, type: FindingType.Degraded };
    const state: EpisodeState<Level> = {};
    const ep = new Episodes<Level>(["high", "critical"], state, { clearAfter: 3 });
    ep.observe("old-vat", "high", at(1));
    ep.observe("old-vat", "critical", at(2));
    ep.observe("ETH-A", "high", at(2));
    ep.observe("kept", "high", at(3));
    const ts = ep.resolveExcept(new Set(["kept"]), at(9));
    expect(ts.map((t) => [t.kind, t.subject, t.kind === "resolved" ? t.peak : ""])).toEqual([
      ["resolved", "old-vat", "critical"],
      ["resolved", "ETH-A", "high"],
    ]);
    expect(ts[0]).toMatchObject({ episodeId: "old-vat@1:0x00000001", openedAt: at(1), at: at(9) });
    expect(Object.keys(state)).toEqual(["kept"]);
    expect(ep.resolve("old-vat", at(10))).toBeNull(); // nothing left to resolve
    const f = episodeFinding(spec, ts[0]!, () => FindingSeverity.High, { description: "replaced" });
    expect(f.severity).toBe(FindingSeverity.Info);
    expect(f.metadata).toMatchObject({ episode: "resolved", episodePeak: "critical", episodeBlocks: "8" });
    expect(ep.resolve("kept", at(11))?.kind).toBe("resolved");
    expect(state).toEqual({});
  });
});
