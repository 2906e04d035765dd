import { readFinality } from "./finality";

const cp = (finalized: number, justified: number) => ({
  finalized: { epoch: finalized, root: `0x${"11".repeat(32)}` },
  currentJustified: { epoch: justified, root: `0x${"22".repeat(32)}` },
  previousJustified: { epoch: Math.max(0, justified - 1), root: `0x${"33".repeat(32)}` },
  executionOptimistic: false,
});
import { loadConfig } from "./config";

const t = loadConfig({}); // the defaults

describe("readFinality", () => {
  it.each([
    // epoch, finalized, justified -> finality level, justification level
    [100, 98, 99, null, null], // healthy
    [100, 97, 98, null, "stalled"], // epoch 99 not justified: the early warning, finality still 3 behind
    [100, 96, 99, "leak", null], // 4 epochs: inactivity leak
    [100, 91, 97, "leak", "stalled"],
    [100, 90, 90, "critical", "stalled"], // 10 epochs: P0
    [3, 0, 2, null, null], // chain start: nothing finalized yet is normal
    [2, 0, 0, null, null], // nothing can be justified before the end of epoch 2
  ])("epoch %i, finalized %i, justified %i -> %s / %s", (epoch, fin, just, finality, justification) => {
    const r = readFinality(epoch, cp(fin, just), t);
    expect(r.finality).toBe(finality);
    expect(r.justification).toBe(justification);
    expect(r.epochsSinceFinality).toBe(epoch - fin);
  });

  it("with the defaults, a stall is seen an epoch before finality is lost", () => {
    // a chain that stops justifying after epoch 98 (finalized 97): epoch 100 sees justified 98
    // (2 epochs: stalled) while finality is 3 epochs old; finality is lost at epoch 101
    expect(readFinality(100, cp(97, 98), t)).toMatchObject({ justification: "stalled", finality: null });
    expect(readFinality(101, cp(97, 98), t)).toMatchObject({ justification: "stalled", finality: "leak" });
  });
});
