import { FindingSeverity, ethers } from "forta-agent";
import type { BlockEvent } from "forta-agent";
import { PAUSE_IFACE } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import { dec } from "../../../shared/math";
import type { GovDeps } from "./deps";
import { clockLevel, planClock } from "./plan-clock";
import { revertText } from "./emergency";

const PAUSE = "0x00000000000000000000000000000000000000aa";
const PLAN = "0x" + "ab".repeat(32);
const H = 3600;
const ETA = 1_000_000;
const plan = { pause: PAUSE, usr: "0x00000000000000000000000000000000000000bb", eta: String(ETA), plotter: "0x00000000000000000000000000000000000000cc", actionKnown: false };
const ref = (n: number, timestamp: number) => ({ number: n, hash: "0x" + n.toString(16).padStart(64, "0"), timestamp });
const blockEvent = (n: number, timestamp: number) => ({ network: 1, blockNumber: n, block: ref(n, timestamp) }) as unknown as BlockEvent;

/** A clock over a fake node whose `plans(hash)` answer per block is given; counts the reads. */
function setup(planned: (block: number) => boolean) {
  const store: Record<string, unknown> = {};
  const reads: number[] = [];
  const rpc = {
    call: async (_tx: { to: string; data: string }, block: number) => {
      reads.push(block);
      return PAUSE_IFACE.encodeFunctionResult("plans", [planned(block)]);
    },
  };
  const ctx = { rpc, persistent: <T>(name: string, init: () => T) => (store[name] ??= init()) as T, log: { warn() {} } } as unknown as BotContext;
  const deps = { ctx, config: { planImminentHours: dec(12) } } as unknown as GovDeps;
  return { clock: planClock(deps), reads, store };
}

describe("clockLevel", () => {
  it("is imminent strictly under the threshold", () => {
    expect(clockLevel(String(ETA), ETA - 12 * H, 12 * H)).toBe("scheduled");
    expect(clockLevel(String(ETA), ETA - 12 * H + 1, 12 * H)).toBe("imminent");
    expect(clockLevel(String(ETA), ETA + 5, 12 * H)).toBe("imminent");
  });
});

describe("planClock", () => {
  it("opens at the plot (High), escalates once on the first block under 12 h with the plan still scheduled (Critical), resolves when executed (Info)", async () => {
    const { clock, reads } = setup(() => true);
    const opened = clock.plotted(PLAN, plan, ref(10, ETA - 48 * H), 1, "0x01")!;
    expect([opened.severity, opened.metadata.episode, opened.metadata.secondsUntilEta]).toEqual([FindingSeverity.High, "opened", String(48 * H)]);
    // quiet blocks before the threshold cost no read
    expect(await clock.onBlock(blockEvent(11, ETA - 13 * H))).toEqual([]);
    expect(reads).toEqual([]);
    const [escalated] = await clock.onBlock(blockEvent(12, ETA - 11 * H));
    expect([escalated!.severity, escalated!.metadata.episode, escalated!.metadata.level]).toEqual([FindingSeverity.Critical, "escalated", "imminent"]);
    expect(reads).toEqual([12]);
    expect(await clock.onBlock(blockEvent(13, ETA - 10 * H))).toEqual([]);
    expect(reads).toEqual([12]); // not read again once escalated
    const resolved = clock.ended(PLAN, "executed", ref(20, ETA + 1), 1, plan.plotter, "0x02")!;
    expect([resolved.severity, resolved.metadata.episode, resolved.metadata.resolvedBecause, resolved.metadata.episodePeak]).toEqual([FindingSeverity.Info, "resolved", "executed", "imminent"]);
    expect(clock.ended(PLAN, "executed", ref(21, ETA + 2), 1, plan.plotter, "0x03")).toBeNull();
  });

  it("opens straight at Critical when under 12 h are left at the plot; the same chain data gives the same uniqueKeys", async () => {
    const a = setup(() => true).clock.plotted(PLAN, plan, ref(10, ETA - H), 1, "0x01")!;
    const b = setup(() => true).clock.plotted(PLAN, plan, ref(10, ETA - H), 1, "0x01")!;
    expect([a.severity, a.metadata.level]).toEqual([FindingSeverity.Critical, "imminent"]);
    expect(a.uniqueKey).toBe(b.uniqueKey);
  });

  it("a plan gone in the very block the clock crosses is left to the transaction handler; gone before it, resolved as no-longer-planned", async () => {
    const gone = setup((b) => b < 12);
    gone.clock.plotted(PLAN, plan, ref(10, ETA - 48 * H), 1, "0x01");
    expect(await gone.clock.onBlock(blockEvent(12, ETA - 11 * H))).toEqual([]); // removed in block 12: its exec/drop resolves it
    const [r] = await gone.clock.onBlock(blockEvent(13, ETA - 10 * H));
    expect([r!.metadata.episode, r!.metadata.resolvedBecause]).toEqual(["resolved", "no-longer-planned"]);
  });

  it("remembers reviewed actions", () => {
    const { clock } = setup(() => true);
    expect(clock.isReviewedAction(plan.usr)).toBe(false);
    clock.reviewed(plan.usr.toUpperCase().replace("0X", "0x"));
    expect(clock.isReviewedAction(plan.usr)).toBe(true);
  });
});

describe("revertText", () => {
  it("decodes Error(string), keeps anything else as hex", () => {
    const data = new ethers.utils.Interface(["function Error(string)"]).encodeFunctionData("Error", ["OSM/not-authorized"]);
    expect(revertText(data)).toBe("OSM/not-authorized");
    expect(revertText("0x")).toBe("");
    expect(revertText("0x4e487b71")).toBe("0x4e487b71");
  });
});
