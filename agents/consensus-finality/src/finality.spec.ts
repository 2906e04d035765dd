import { readFinality } from "./finality";

const cp = (finalized: number, justified: number) => ({
  finalized: { epoch: finalized, root: `0x${"11".repeat(32)}` },
  currentJustified: { epoch: justified, root: `0x${"22".repeat(32)}` },
  previousJustified: { epoch: Math.max(0, justified - 1), root: `0x${"33".repeat(32)}` },
  executionOptimistic: false,
});
const t = { leakEpochs: 4, criticalEpochs: 10, justificationStallEpochs: 3 };

describe("readFinality", () => {
  it.each([
    // epoch, finalized, justified -> finality level, justification level
    [100, 98, 99, null, null], // healthy
    [100, 97, 98, null, null], // one missed justification: lag 3 is still fine
    [100, 96, 99, "leak", null], // 4 epochs: inactivity leak
    [100, 91, 97, "leak", "stalled"],
    [100, 90, 90, "critical", "stalled"], // 10 epochs: P0
    [3, 0, 2, null, null], // chain start: nothing finalized yet is normal
  ])("epoch %i, finalized %i, justified %i -> %s / %s", (epoch, fin, just, finality, justification) => {
    const r = readFinality(epoch, cp(fin, just), t);
    expect(r.finality).toBe(finality);
    expect(r.justification).toBe(justification);
    expect(r.epochsSinceFinality).toBe(epoch - fin);
  });
});
