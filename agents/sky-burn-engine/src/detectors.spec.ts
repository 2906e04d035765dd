import { dec } from "../../../shared/math";
import { flapRatio, headroomOf, isNever, paramWidens, pokeDataOf, priceMove } from "./detectors";

const RAD = 10n ** 45n;

describe("sky-burn-engine detectors", () => {
  it("places the Vow's net position against kbump + khump: clear, near (within the fraction), reached (below)", () => {
    const kbump = (6000n * RAD).toString();
    const khump = (-200_000_000n * RAD).toString();
    const threshold = -199_994_000n * RAD;
    // net 0: far above
    expect(headroomOf("0", "0", kbump, khump, dec("0.05"))).toMatchObject({ net: 0n, threshold, level: null, margin: 9_999_700n * RAD });
    // net = threshold + 9,999,699: near
    const near = threshold + 9_999_699n * RAD;
    expect(headroomOf("0", (-near).toString(), kbump, khump, dec("0.05")).level).toBe("near");
    // exactly at the threshold: a flap still passes, but it is near
    expect(headroomOf("0", (-threshold).toString(), kbump, khump, dec("0.05")).level).toBe("near");
    // one wei of rad below: burns stopped
    expect(headroomOf("0", (-threshold + 1n).toString(), kbump, khump, dec("0.05"))).toMatchObject({ level: "reached", headroom: -1n });
    // a positive threshold (khump > 0) works the same way; the margin is at least kbump
    expect(headroomOf((7000n * RAD).toString(), "0", kbump, "0", dec("0.05"))).toMatchObject({ margin: 300n * RAD, level: null });
  });

  it("reads Scribe's poke data word (val low 128 bits, age the next 32)", () => {
    const word = "0x" + (BigInt(1_700_000_000) << 128n | 60_000_000_000_000_000n).toString(16).padStart(64, "0");
    expect(pokeDataOf(word)).toEqual({ val: 60_000_000_000_000_000n, age: 1_700_000_000 });
  });

  it("measures a flap against the oracle price exactly", () => {
    // 6,000 USDS at 0.06 USD/SKY is worth 100,000 SKY; 98,500 bought = 0.985
    expect(flapRatio("6000000000000000000000", "98500000000000000000000", "60000000000000000", "1000000000000000000000000000").toFixed()).toBe("0.985");
  });

  it("says which parameter changes widen exposure", () => {
    expect(paramWidens("MCD_KICK", "khump", "-200", "-300")).toBe(true);
    expect(paramWidens("MCD_KICK", "khump", "-200", "-100")).toBe(false);
    expect(paramWidens("MCD_KICK", "kbump", "6000", "10000")).toBe(true);
    expect(paramWidens("MCD_FLAP", "want", "980000000000000000", "900000000000000000")).toBe(true);
    expect(paramWidens("MCD_FLAP", "pip", "0xa", "0xb")).toBe(true);
    expect(paramWidens("MCD_SPLIT", "burn", "1", "0")).toBe(false);
    expect(paramWidens("MCD_SPLIT", "hop", "13787", "3600")).toBe(true);
    expect(paramWidens("MCD_SPLIT", "hop", ((1n << 256n) - 1n).toString(), "13787")).toBe(false); // a resume
  });

  it("hop never, and price moves", () => {
    expect(isNever(((1n << 256n) - 1n).toString())).toBe(true);
    expect(isNever("13787")).toBe(false);
    expect(priceMove("60", "69").toFixed()).toBe("0.15");
    expect(priceMove("0", "1").toFixed()).toBe("0");
  });
});
