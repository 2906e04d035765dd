import { ethers } from "forta-agent";
import { dec } from "../../../shared/math";
import {
  RAY,
  barkLevel,
  breakerSeverity,
  cascadeLevel,
  daiToRad,
  decodeSale,
  dirtLevel,
  feedPrice,
  incentiveCheck,
  pruneWindow,
  redoableSince,
  takeBelowOracle,
  windowVolumes,
  type WindowEntry,
} from "./detectors";
import { loadConfig } from "./config";

const RAD = 10n ** 45n;
const WAD = 10n ** 18n;

describe("liquidation size and volume", () => {
  it("grades one liquidation exactly at its thresholds", () => {
    const m = daiToRad(dec("1000000"));
    const h = daiToRad(dec("10000000"));
    expect(barkLevel(m - 1n, m, h)).toBeNull();
    expect(barkLevel(m, m, h)).toBe("medium");
    expect(barkLevel(h - 1n, m, h)).toBe("medium");
    expect(barkLevel(h, m, h)).toBe("high");
  });

  it("sums a rolling window per collateral and overall, dropping what is a full window old", () => {
    const e = (t: number, ilk: string, dai: bigint): WindowEntry => ({ t, b: t, ilk, due: (dai * RAD).toString(), via: "dog" });
    const w = [e(100, "ETH-A", 4_000_000n), e(200, "WBTC-A", 2_000_000n), e(300, "ETH-A", 3_000_000n)];
    let v = windowVolumes(w);
    expect(v.global).toEqual({ total: 9_000_000n * RAD, count: 3, firstBlock: 100 });
    expect(v.ilks["ETH-A"]).toEqual({ total: 7_000_000n * RAD, count: 2, firstBlock: 100 });
    pruneWindow(w, 3699, 3600); // 100 is still inside (3699 - 3600 = 99 < 100)
    expect(w).toHaveLength(3);
    pruneWindow(w, 3700, 3600); // now exactly a window old: out
    v = windowVolumes(w);
    expect(v.global.total).toBe(5_000_000n * RAD);
    expect(v.ilks["ETH-A"]!.total).toBe(3_000_000n * RAD);
  });

  it("grades cascades High and Critical", () => {
    expect(cascadeLevel(5n * RAD - 1n, 5n * RAD, 25n * RAD)).toBeNull();
    expect(cascadeLevel(5n * RAD, 5n * RAD, 25n * RAD)).toBe("high");
    expect(cascadeLevel(25n * RAD, 5n * RAD, 25n * RAD)).toBe("critical");
  });
});

describe("Dirt against Hole", () => {
  const t = { medium: dec("0.75"), high: dec("0.95") };
  it("compares exactly", () => {
    expect(dirtLevel(75n * RAD - 1n, 100n * RAD, t, false)).toBeNull();
    expect(dirtLevel(75n * RAD, 100n * RAD, t, false)).toBe("medium");
    expect(dirtLevel(95n * RAD, 100n * RAD, t, false)).toBe("high");
    expect(dirtLevel(120n * RAD, 100n * RAD, t, true)).toBe("high");
  });
  it("treats a zero limit as 'liquidations stopped' globally and as 'not liquidated by the Dog' per ilk", () => {
    expect(dirtLevel(0n, 0n, t, true)).toBe("high");
    expect(dirtLevel(0n, 0n, t, false)).toBeNull();
  });
});

describe("takes against the oracle", () => {
  it("derives the Clipper's feed price from the oracle value and par", () => {
    expect(feedPrice(2000n * WAD, RAY)).toBe(2000n * RAY);
    expect(feedPrice(2000n * WAD, 2n * RAY)).toBe(1000n * RAY);
  });
  it("flags a take below the floor fraction of the oracle price, exactly", () => {
    const feed = 2000n * RAY;
    expect(takeBelowOracle(1000n * RAY, feed, dec("0.5")).below).toBe(false);
    expect(takeBelowOracle(1000n * RAY - 1n, feed, dec("0.5")).below).toBe(true);
    expect(takeBelowOracle(0n, feed, dec("0.5"))).toMatchObject({ below: true });
    expect(takeBelowOracle(240n * RAY, feed, dec("0.5")).ratio!.toFixed()).toBe("0.12");
  });
});

describe("auctions needing a redo", () => {
  it("dates the need from tic + tail + 1 when the bot first looks after a time jump", () => {
    expect(redoableSince(20_000, 1_000, 8_400, 20_000)).toBe(9_401);
    expect(redoableSince(5_000, 1_000, 8_400, 5_000)).toBe(5_000); // needs a redo by price (cusp), not age
    expect(redoableSince(9_500, 1_000, 8_400, 12_000)).toBe(9_401);
    expect(redoableSince(9_000, 1_000, null, 12_000)).toBe(9_000);
  });
});

describe("keeper incentives", () => {
  const max = daiToRad(dec("250000"));
  it("flags an incentive large by amount or by share of the tab", () => {
    expect(incentiveCheck(11_550n * RAD, 11_300_000n * RAD, dec("0.05"), max)).toMatchObject({ outlier: false, reasons: [] });
    expect(incentiveCheck(1_130_250n * RAD, 11_300_000n * RAD, dec("0.05"), max)).toMatchObject({ outlier: true, reasons: ["amount", "share of tab"] });
    expect(incentiveCheck(260n * RAD, 5_000n * RAD, dec("0.05"), max)).toMatchObject({ outlier: true, reasons: ["share of tab"] });
    expect(incentiveCheck(259n * RAD, 8_475n * RAD, dec("0.05"), max).outlier).toBe(false);
    expect(incentiveCheck(0n, 0n, dec("0.05"), max).outlier).toBe(false);
  });
});

describe("breaker levels", () => {
  it("grades 0 Info, 1 Medium, 2 and 3 High", () => {
    expect([0, 1, 2, 3].map(breakerSeverity)).toEqual(["info", "medium", "high", "high"]);
  });
});

describe("sales(id) of both Clipper kinds", () => {
  const usr = "0x00000000000000000000000000000000000000aa";
  const coder = ethers.utils.defaultAbiCoder;
  it("decodes the dss Clipper's six words and the lockstake Clipper's seven", () => {
    const dss = coder.encode(["uint256", "uint256", "uint256", "address", "uint96", "uint256"], [0, 5, 6, usr, 77, 8]);
    const lse = coder.encode(["uint256", "uint256", "uint256", "uint256", "address", "uint96", "uint256"], [0, 5, 6, 9, usr, 77, 8]);
    for (const data of [dss, lse]) expect(decodeSale(data)).toEqual({ tab: 5n, lot: 6n, usr, tic: 77, top: 8n });
    expect(() => decodeSale("0x1234")).toThrow(/words/);
  });
});

describe("configuration", () => {
  it("refuses thresholds in the wrong order, naming the key", () => {
    expect(() => loadConfig({ LIQ_BARK_MEDIUM: "5", LIQ_BARK_HIGH: "4" })).toThrow(/LIQ_BARK_HIGH.*at least LIQ_BARK_MEDIUM/);
    expect(() => loadConfig({ LIQ_DIRT_HIGH: "1.5" })).toThrow(/LIQ_DIRT_HIGH/);
    expect(loadConfig({}).window).toBe(3600);
  });
});
