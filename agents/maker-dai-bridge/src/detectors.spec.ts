import { dec } from "../../../shared/math";
import { gapLevel, supplyJump, tooFarAhead } from "./detectors";

const WAD = 10n ** 18n;

describe("maker-dai-bridge detectors", () => {
  const tolerance = dec("10000");
  const critical = dec("1000000");
  const escrow = 5_000_000n * WAD;

  it("places the shortfall against the tolerance and the critical gap, to the wei", () => {
    expect(gapLevel(escrow, escrow + 10_000n * WAD, tolerance, critical).level).toBeNull();
    expect(gapLevel(escrow, escrow + 10_000n * WAD + 1n, tolerance, critical).level).toBe("shortfall");
    expect(gapLevel(escrow, escrow + 1_000_000n * WAD, tolerance, critical).level).toBe("shortfall");
    const r = gapLevel(escrow, escrow + 1_000_000n * WAD + 1n, tolerance, critical);
    expect(r.level).toBe("critical");
    expect(r.gapWad.toFixed()).toBe((1_000_000n * WAD + 1n).toString());
  });

  it("treats a surplus (withdrawals in flight, deposits not yet minted) as covered", () => {
    const r = gapLevel(escrow, escrow - 2_000_000n * WAD, tolerance, critical);
    expect(r.level).toBeNull();
    expect(r.gapWad.isNegative()).toBe(true);
    expect(gapLevel(escrow, escrow + 1n, dec(0), critical).level).toBe("shortfall"); // no tolerance: one wei
  });

  it("reports supply jumps of the threshold or more, either way", () => {
    const t = dec("1000000");
    expect(supplyJump(escrow, escrow + 1_000_000n * WAD - 1n, t)).toBeNull();
    expect(supplyJump(escrow, escrow + 1_000_000n * WAD, t)!.toFixed()).toBe((1_000_000n * WAD).toString());
    expect(supplyJump(escrow, escrow - 1_000_000n * WAD, t)!.toFixed()).toBe((-1_000_000n * WAD).toString());
  });

  it("skips a comparison only when the L2 block is more than maxSkew ahead of the L1 block", () => {
    expect(tooFarAhead(1300, 1000, 300)).toBe(false);
    expect(tooFarAhead(1301, 1000, 300)).toBe(true);
    expect(tooFarAhead(500, 1000, 300)).toBe(false); // an L2 behind the L1 block errs on the safe side
  });
});
