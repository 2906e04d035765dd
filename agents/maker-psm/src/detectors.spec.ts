import { dec } from "../../../shared/math";
import { addFlow, gemUnits, lineLevel, netOutflow, pruneWindow, runLevel, swapLevel, type FlowWindow } from "./detectors";

const USDC = 10n ** 6n;
const RAY = 10n ** 27n;
const RAD = 10n ** 45n;
const params = { fraction: dec("0.2"), criticalFraction: dec("0.5"), min: dec("5000000") };

describe("maker-psm swap sizes", () => {
  it("counts gems in their own decimals, exactly", () => {
    expect(gemUnits(1n, 6).toFixed()).toBe("0.000001");
    expect(gemUnits(123_456_789n, 6).toFixed()).toBe("123.456789");
    expect(gemUnits(10n ** 18n, 18).toFixed()).toBe("1");
  });

  it("classes swaps at the thresholds, one raw unit apart", () => {
    const info = dec("10000000");
    const low = dec("50000000");
    expect(swapLevel(10_000_000n * USDC - 1n, 6, info, low)).toBeNull();
    expect(swapLevel(10_000_000n * USDC, 6, info, low)).toBe("info");
    expect(swapLevel(50_000_000n * USDC - 1n, 6, info, low)).toBe("info");
    expect(swapLevel(50_000_000n * USDC, 6, info, low)).toBe("low");
    // an 18-decimal gem: the same thresholds in its own units
    expect(swapLevel(10_000_000n * 10n ** 18n, 18, info, low)).toBe("info");
  });
});

describe("maker-psm flow window", () => {
  it("merges a block's swaps and keeps the net outflow", () => {
    const w: FlowWindow = { base: (100_000_000n * USDC).toString(), flows: [] };
    addFlow(w, 10, 1000, "out", 5_000_000n * USDC);
    addFlow(w, 10, 1000, "in", 1_000_000n * USDC);
    addFlow(w, 11, 1012, "out", 3_000_000n * USDC);
    expect(w.flows).toEqual([
      { b: 10, t: 1000, out: (5_000_000n * USDC).toString(), in: (1_000_000n * USDC).toString() },
      { b: 11, t: 1012, out: (3_000_000n * USDC).toString(), in: "0" },
    ]);
    expect(netOutflow(w).toFixed()).toBe((7_000_000n * USDC).toString());
  });

  it("slides: flows at or before now - window leave it and move the base to the reserve after them", () => {
    const w: FlowWindow = { base: "1000", flows: [] };
    addFlow(w, 1, 100, "out", 300);
    addFlow(w, 2, 200, "in", 50);
    expect(pruneWindow(w, 1099, 1000)).toBe(true); // 100 > 1099 - 1000: still inside
    expect(w.flows).toHaveLength(2);
    expect(pruneWindow(w, 1100, 1000)).toBe(true);
    expect(w).toEqual({ base: "700", flows: [{ b: 2, t: 200, out: "0", in: "50" }] });
    expect(pruneWindow(w, 5000, 1000)).toBe(false);
    expect(w.base).toBe("750");
  });
});

describe("maker-psm runLevel", () => {
  const window = (base: bigint, out: bigint, inflow = 0n): FlowWindow => {
    const w: FlowWindow = { base: base.toString(), flows: [] };
    addFlow(w, 1, 1, "out", out);
    if (inflow) addFlow(w, 2, 2, "in", inflow);
    return w;
  };

  it("opens at the fraction of the reserve at the window's start and escalates at the critical fraction", () => {
    const base = 100_000_000n * USDC;
    expect(runLevel(window(base, 20_000_000n * USDC - 1n), 6, params).level).toBeNull();
    expect(runLevel(window(base, 20_000_000n * USDC), 6, params).level).toBe("run");
    expect(runLevel(window(base, 50_000_000n * USDC - 1n), 6, params).level).toBe("run");
    const severe = runLevel(window(base, 50_000_000n * USDC), 6, params);
    expect(severe.level).toBe("severe");
    expect(severe.share!.toFixed()).toBe("0.5");
  });

  it("nets gems sold in against gems bought out", () => {
    const base = 100_000_000n * USDC;
    expect(runLevel(window(base, 30_000_000n * USDC, 15_000_000n * USDC), 6, params).level).toBeNull();
    expect(runLevel(window(base, 30_000_000n * USDC, 10_000_000n * USDC), 6, params).level).toBe("run");
  });

  it("does not call a small PSM emptied a run (the absolute floor), nor an empty one", () => {
    expect(runLevel(window(6_000_000n * USDC, 5_000_000n * USDC - 1n), 6, params).level).toBeNull();
    expect(runLevel(window(6_000_000n * USDC, 5_000_000n * USDC), 6, params).level).toBe("severe");
    expect(runLevel(window(0n, 0n, 10n * USDC), 6, params)).toMatchObject({ level: null, share: null });
  });
});

describe("maker-psm lineLevel", () => {
  const warn = dec("0.9");
  const full = dec("0.99");
  const line = 1_000_000n * RAD;

  it("places debt (Art * rate) against the line exactly", () => {
    const rate = RAY; // PSM ilks carry no stability fee
    expect(lineLevel(900_000n * 10n ** 18n - 1n, rate, line, warn, full).level).toBeNull();
    expect(lineLevel(900_000n * 10n ** 18n, rate, line, warn, full).level).toBe("near");
    expect(lineLevel(990_000n * 10n ** 18n - 1n, rate, line, warn, full).level).toBe("near");
    const r = lineLevel(990_000n * 10n ** 18n, rate, line, warn, full);
    expect(r.level).toBe("full");
    expect(r.utilization!.toFixed()).toBe("0.99");
  });

  it("counts the rate: the same Art is more debt at a higher rate", () => {
    expect(lineLevel(850_000n * 10n ** 18n, (RAY * 11n) / 10n, line, warn, full).level).toBe("near");
  });

  it("treats a zero line with debt as full and without debt as switched off", () => {
    expect(lineLevel(1n, RAY, 0n, warn, full)).toMatchObject({ level: "full", utilization: null });
    expect(lineLevel(0n, RAY, 0n, warn, full).level).toBeNull();
  });
});
