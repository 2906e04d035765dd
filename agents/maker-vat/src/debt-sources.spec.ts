import { grabSin, suckCandidate, unexplainedGrowth, type VouchInput } from "./debt-sources";

const VAT = "0x" + "aa".repeat(20);
const VOW = "0x" + "bb".repeat(20);
const POT = "0x" + "cc".repeat(20);
const FLASH = "0x" + "dd".repeat(20);
const CLIP = "0x" + "ee".repeat(20);
const KEEPER = "0x" + "11".repeat(20);
const ROGUE = "0x" + "22".repeat(20);
const KEYS: Record<string, string[]> = { [VAT]: ["MCD_VAT"], [VOW]: ["MCD_VOW"], [POT]: ["MCD_POT"], [FLASH]: ["MCD_FLASH"], [CLIP]: ["MCD_CLIP_ETH_A"] };
const word = (hex: string) => "0x" + hex.replace(/^0x/, "").padStart(64, "0");

function input(u: string, v: string, rad: bigint, extra: Partial<VouchInput> = {}): VouchInput {
  return { suck: { u, v, rad, logIndex: 5 }, vow: VOW, vat: VAT, logs: [], heals: [], keysOf: (a) => KEYS[a.toLowerCase()] ?? [], ...extra };
}

describe("suckCandidate: which ChainLog contract a suck can be tied to", () => {
  it("a ChainLog contract receiving the dai sucked for itself (drips, flaps, vests)", () => {
    expect(suckCandidate(input(VOW, POT, 10n))).toMatchObject({ sucker: POT, keys: ["MCD_POT"], rule: "receiver" });
  });

  it("debt on a ChainLog contract other than the Vow counts only when the same amount is healed later in the transaction", () => {
    expect(suckCandidate(input(FLASH, ROGUE, 7n, { heals: [{ rad: 7n, logIndex: 9 }] }))).toMatchObject({ sucker: FLASH, rule: "sin-holder" });
    expect(suckCandidate(input(FLASH, ROGUE, 7n, { heals: [{ rad: 6n, logIndex: 9 }] }))).toBeNull();
    expect(suckCandidate(input(FLASH, ROGUE, 7n, { heals: [{ rad: 7n, logIndex: 4 }] }))).toBeNull(); // healed before: not this suck's
    expect(suckCandidate(input(VOW, ROGUE, 7n, { heals: [{ rad: 7n, logIndex: 9 }] }))).toBeNull(); // the Vow is not a sucker
  });

  it("a keeper's incentive: a ChainLog contract's log names the receiver in a topic and carries the amount", () => {
    const kick = { address: CLIP, topics: ["0x" + "01".repeat(32), word("1"), word("33".repeat(20)), word(KEEPER)], data: word("64") + word("2a").slice(2), logIndex: 7 };
    expect(suckCandidate(input(VOW, KEEPER, 42n, { logs: [kick] }))).toMatchObject({ sucker: CLIP, rule: "names-receiver" });
    expect(suckCandidate(input(VOW, KEEPER, 43n, { logs: [kick] }))).toBeNull(); // another amount
    expect(suckCandidate(input(VOW, KEEPER, 42n, { logs: [{ ...kick, address: ROGUE }] }))).toBeNull(); // not a ChainLog contract
    expect(suckCandidate(input(VOW, KEEPER, 42n, { logs: [{ ...kick, address: VAT }] }))).toBeNull(); // the Vat's own note does not vouch
  });

  it("anyone else sucking to themselves has no candidate", () => {
    expect(suckCandidate(input(VOW, ROGUE, 1n))).toBeNull();
  });
});

describe("sin growth", () => {
  it("a grab moves -dart * rate onto the Vow, exactly", () => {
    expect(grabSin(-3n * 10n ** 18n, 1_05n * 10n ** 25n)).toBe(315n * 10n ** 43n);
  });
  it("only growth beyond what known sources added is unexplained, to one unit", () => {
    expect(unexplainedGrowth(100n, 150n, 50n)).toBeNull();
    expect(unexplainedGrowth(100n, 151n, 50n)).toBe(1n);
    expect(unexplainedGrowth(100n, 90n, 0n)).toBeNull(); // a heal
  });
});
