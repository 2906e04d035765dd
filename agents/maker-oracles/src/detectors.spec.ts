import { FindingSeverity } from "../../../shared/findings";
import { dec } from "../../../shared/math";
import { ConfigError } from "../../../shared/errors";
import { loadConfig, thresholdFor } from "./config";
import { scribeStaleLevel } from "./scribe";
import {
  capBinding,
  classifyPip,
  controlSeverity,
  divergence,
  feedsOfValueEvent,
  hopChangeSeverity,
  isDormant,
  isMedian,
  magnitudeLevel,
  priceJump,
  sourceKindOf,
  staleLevel,
  trustedCallerChange,
  type PipProbe,
} from "./detectors";

const WAD = 10n ** 18n;
const rule = { threshold: dec("0.06"), highFactor: dec("2"), criticalFactor: dec("4") };
const feed = (val: bigint, has = true) => ({ val, has });
const word = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}`;

describe("price jump (queued nxt against cur)", () => {
  it("reports from exactly the threshold, to the wei, in both directions", () => {
    const cur = feed(2000n * WAD);
    expect(priceJump(cur, feed(2120n * WAD), rule)?.level).toBe("Medium"); // +6.00%
    expect(priceJump(cur, feed(2120n * WAD - 1n), rule)).toBeNull(); // +5.99999...%
    expect(priceJump(cur, feed(1880n * WAD), rule)?.level).toBe("Medium"); // -6%
    expect(priceJump(cur, feed(1880n * WAD + 1n), rule)).toBeNull();
    expect(priceJump(cur, feed(1880n * WAD), rule)?.change.toFixed()).toBe("-0.06");
  });

  it("grows with the size: High from 2x the threshold, Critical from 4x", () => {
    const cur = feed(1000n * WAD);
    expect(priceJump(cur, feed(1119n * WAD), rule)?.level).toBe("Medium");
    expect(priceJump(cur, feed(1120n * WAD), rule)?.level).toBe("High");
    expect(priceJump(cur, feed(760n * WAD), rule)?.level).toBe("Critical");
    expect(priceJump(cur, feed(1n), rule)?.level).toBe("Critical");
  });

  it("has nothing to compare while a feed is unset or the current price is zero", () => {
    expect(priceJump(feed(0n, false), feed(2000n * WAD), rule)).toBeNull();
    expect(priceJump(feed(2000n * WAD), feed(0n, false), rule)).toBeNull();
    expect(priceJump(feed(0n, true), feed(2000n * WAD), rule)).toBeNull();
  });
});

describe("divergence (Median against the OSM's current price)", () => {
  const r = { ...rule, threshold: dec("0.1") };
  it("opens at the threshold and does not flap: an open episode holds down to the resolve fraction", () => {
    const cur = feed(2000n * WAD);
    expect(divergence(2200n * WAD, cur, r, dec("0.8"), false).level).toBe("Medium");
    expect(divergence(2199n * WAD, cur, r, dec("0.8"), false).level).toBeNull();
    expect(divergence(2199n * WAD, cur, r, dec("0.8"), true).level).toBe("Medium"); // 9.95%, still open
    expect(divergence(2160n * WAD, cur, r, dec("0.8"), true).level).toBe("Medium"); // exactly 8%
    expect(divergence(2160n * WAD - 1n, cur, r, dec("0.8"), true).level).toBeNull(); // below 8%: resolves
    expect(divergence(1200n * WAD, cur, r, dec("0.8"), false).level).toBe("Critical"); // -40%
  });
  it("compares nothing without a current OSM price or a Median value", () => {
    expect(divergence(2000n * WAD, feed(0n, false), r, dec("0.8"), true)).toEqual({ gap: null, level: null });
    expect(divergence(0n, feed(2000n * WAD), r, dec("0.8"), true)).toEqual({ gap: null, level: null });
  });
});

describe("staleness from zzz, hop and the block time", () => {
  const s = { grace: 900, highHops: 1, criticalHops: 3 };
  const zzz = 1_700_000_000 - (1_700_000_000 % 3600);
  it("is quiet until the grace after zzz + hop, then escalates a hop at a time", () => {
    expect(staleLevel(zzz + 3600 + 899, zzz, 3600, s)).toBeNull();
    expect(staleLevel(zzz + 3600 + 900, zzz, 3600, s)).toBe("Medium");
    expect(staleLevel(zzz + 2 * 3600 + 899, zzz, 3600, s)).toBe("Medium");
    expect(staleLevel(zzz + 2 * 3600 + 900, zzz, 3600, s)).toBe("High");
    expect(staleLevel(zzz + 4 * 3600 + 899, zzz, 3600, s)).toBe("High");
    expect(staleLevel(zzz + 4 * 3600 + 900, zzz, 3600, s)).toBe("Critical");
  });
  it("treats a zero hop (pokes revert) as Critical once late by the grace", () => {
    expect(staleLevel(zzz + 900, zzz, 0, s)).toBe("Critical");
  });
  it("calls an OSM never poked, or untouched for the dormant period, dormant", () => {
    expect(isDormant(zzz, 0, 86400)).toBe(true);
    expect(isDormant(zzz + 86399, zzz, 86400)).toBe(false);
    expect(isDormant(zzz + 86400, zzz, 86400)).toBe(true);
  });
});

describe("what a PIP is", () => {
  const src = "0x00000000000000000000000000000000000000aa";
  const packed = (hop: number, zzz: number) => word((BigInt(zzz) << 176n) | (BigInt(hop) << 160n) | 0xaan);
  const base: PipProbe = { code: "0x6080", hop: 3600, zzz: 7200, src, stopped: 0n, slot1: word(0n), slot2: packed(3600, 7200), peekAnswers: false };
  it("is an OSM when its getters agree with the mainnet storage layout", () => {
    expect(classifyPip(base)).toBe("osm");
  });
  it("is OSM-like when it answers the getters but stores them elsewhere (LP-token oracles)", () => {
    expect(classifyPip({ ...base, slot2: word(0n) })).toBe("osm-like");
    expect(classifyPip({ ...base, slot1: word(1n) })).toBe("osm-like");
  });
  it("is a fixed-price value when only peek() answers; unknown or none otherwise", () => {
    expect(classifyPip({ ...base, hop: undefined, zzz: undefined, src: undefined, stopped: undefined, peekAnswers: true })).toBe("value");
    expect(classifyPip({ ...base, hop: undefined, peekAnswers: false })).toBe("unknown");
    expect(classifyPip({ ...base, code: "0x" })).toBe("none");
  });
  it("recognises a Median by bar/age and its packed val|age word", () => {
    const slot1 = word((1234n << 128n) | 5n);
    expect(isMedian({ bar: 13n, age: 1234, slot1 })).toBe(true);
    expect(isMedian({ bar: 13n, age: 1233, slot1 })).toBe(false);
    expect(isMedian({ age: 1234, slot1 })).toBe(false);
  });
  it("is a capped OSM wrapper when cap() answers besides the OSM getters (LOCKSTAKE_ORACLE), checked before the layout", () => {
    expect(classifyPip({ ...base, capped: true })).toBe("capped");
    expect(classifyPip({ ...base, slot2: word(0n), capped: true })).toBe("capped");
  });
  it("tells a Chronicle Scribe from a Median behind an OSM: bar() without a Median's age, chronicle-std authed/tolled", () => {
    const slot1 = word((1234n << 128n) | 5n);
    expect(sourceKindOf({ bar: 13n, age: 1234, slot1 })).toBe("median");
    expect(sourceKindOf({ bar: 13n, slot1: word(0n), authed: false, tolled: false })).toBe("scribe");
    expect(sourceKindOf({ bar: 13n, slot1: word(0n), authed: false, tolled: false, opChallengePeriod: 1200 })).toBe("scribe-optimistic");
    // a Scribe whose slot 1 happens to look like a Median's word still is not a Median: it has no age()
    expect(sourceKindOf({ bar: 13n, slot1, authed: true, tolled: true })).toBe("scribe");
    expect(sourceKindOf({ slot1: word(0n) })).toBe("other");
    expect(sourceKindOf({ bar: 13n, slot1: word(0n) })).toBe("other");
  });
  it("a Scribe is stale from its age: Medium past the limit, High at twice, Critical at four times; never poked is not stale", () => {
    const after = 10800;
    expect(scribeStaleLevel(1_000_000, 1_000_000 - after + 1, after)).toBeNull();
    expect(scribeStaleLevel(1_000_000, 1_000_000 - after, after)).toBe("Medium");
    expect(scribeStaleLevel(1_000_000, 1_000_000 - 2 * after, after)).toBe("High");
    expect(scribeStaleLevel(1_000_000, 1_000_000 - 4 * after, after)).toBe("Critical");
    expect(scribeStaleLevel(1_000_000, 0, after)).toBeNull();
  });
});

describe("severities of oracle controls", () => {
  it("makes every price-moving or rights control from outside governance Critical", () => {
    for (const a of ["change", "stop", "start", "void", "rely", "deny", "lift", "drop", "setBar.lower", "setBar.raise", "value.poke", "value.void"] as const) {
      expect(controlSeverity(a, false)).toBe(FindingSeverity.Critical);
    }
    expect(controlSeverity("change", true)).toBe(FindingSeverity.High);
    expect(controlSeverity("start", true)).toBe(FindingSeverity.Low);
    expect(controlSeverity("kiss", true)).toBe(FindingSeverity.Info);
    expect(controlSeverity("diss", false)).toBe(FindingSeverity.High);
  });
  it("rates a shorter hop higher than a longer one", () => {
    expect(hopChangeSeverity(3600, 600)).toBe(FindingSeverity.High);
    expect(hopChangeSeverity(3600, 7200)).toBe(FindingSeverity.Medium);
  });
});

describe("configuration", () => {
  it("reads per-asset thresholds by PIP suffix, with or without the prefix", () => {
    const c = loadConfig({ ORACLE_JUMP_THRESHOLDS: "ETH=0.08, PIP_WBTC=0.05" });
    expect(thresholdFor(["PIP_ETH"], c.jumpThresholds, c.jumpThreshold).toFixed()).toBe("0.08");
    expect(thresholdFor(["PIP_WBTC"], c.jumpThresholds, c.jumpThreshold).toFixed()).toBe("0.05");
    expect(thresholdFor(["PIP_MKR"], c.jumpThresholds, c.jumpThreshold).toFixed()).toBe("0.06");
  });
  it("stops start-up on a bad value, naming the key", () => {
    expect(() => loadConfig({ ORACLE_JUMP_THRESHOLDS: "ETH=0" })).toThrow(ConfigError);
    expect(() => loadConfig({ ORACLE_JUMP_THRESHOLDS: "ETH=0" })).toThrow(/ORACLE_JUMP_THRESHOLDS/);
    expect(() => loadConfig({ ORACLE_HIGH_FACTOR: "5", ORACLE_CRITICAL_FACTOR: "3" })).toThrow(/ORACLE_CRITICAL_FACTOR/);
    expect(() => loadConfig({ OSM_STALE_GRACE: "soon" })).toThrow(/OSM_STALE_GRACE/);
  });
  it("rates magnitudes against the configured factors", () => {
    expect(magnitudeLevel(dec("0.1199"), rule)).toBe("Medium");
    expect(magnitudeLevel(dec("-0.24"), rule)).toBe("Critical");
  });
});

describe("OSM-like (LP-token) oracles' Value event", () => {
  it("gives the feeds priceJump compares: a zero value is unset, so a first poke or one after stop() is no jump", () => {
    const jump = (cur: bigint, nxt: bigint) => {
      const f = feedsOfValueEvent(cur, nxt);
      return priceJump(f.cur, f.nxt, rule);
    };
    expect(jump(2500n * WAD / 1000n, 2000n * WAD / 1000n)?.level).toBe("High"); // -20%
    expect(jump(2500n * WAD / 1000n, 2500n * WAD / 1000n)).toBeNull();
    expect(jump(0n, 2500n * WAD / 1000n)).toBeNull();
    expect(jump(2500n * WAD / 1000n, 0n)).toBeNull();
  });
});

describe("the ChainLog moving the callers trusted as governance", () => {
  const A = "0x00000000000000000000000000000000000000aa";
  const B = "0x00000000000000000000000000000000000000bb";
  it("says that a removed caller's controls no longer count as governance's (not that they now do)", () => {
    expect(trustedCallerChange("OSM_MOM", A, null, new Set())).toBe(
      `The ChainLog removed OSM_MOM (was ${A}): oracle controls made by ${A} no longer count as governance's: they are reported as made outside governance`,
    );
    expect(trustedCallerChange("OSM_MOM", A, null, new Set([A]))).toContain(`oracle controls made by ${A} still count as governance's (it is trusted otherwise`);
  });

  it("says who gains and who loses when a key is added or moved", () => {
    expect(trustedCallerChange("OSM_MOM", null, B, new Set([B]))).toBe(`The ChainLog added OSM_MOM: ${B}: oracle controls made by ${B} now count as governance's`);
    expect(trustedCallerChange("MCD_PAUSE_PROXY", A, B, new Set([B]))).toBe(
      `The ChainLog moved MCD_PAUSE_PROXY from ${A} to ${B}: oracle controls made by ${B} now count as governance's; those made by ${A} no longer do: they are reported as made outside governance`,
    );
  });
});

describe("a capped oracle's cap binding", () => {
  const cap = 25n * 10n ** 15n; // 0.025, mainnet's cap since 2025-12-11
  const f = (val: bigint, has = true) => ({ val, has });
  it("binds on the current price at the cap, on the queued one otherwise, never on an invalid price", () => {
    expect(capBinding(cap, f(cap), f(cap - 1n))).toBe("current");
    expect(capBinding(cap, f(cap - 1n), f(cap))).toBe("queued");
    expect(capBinding(cap, f(cap - 1n), f(cap - 1n))).toBeNull();
    expect(capBinding(cap, f(cap - 1n), undefined)).toBeNull(); // a wrapper without peep
    expect(capBinding(cap, f(cap, false), f(cap, false))).toBeNull();
  });
});
