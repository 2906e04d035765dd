import { dec } from "../../../shared/math";
import { ceilingChange, checkIdentity, daiToRad, pushSurplus, sinJumpLevel, surplusFall, utilizationLevel, type SurplusPoint } from "./detectors";
import { addIlkOf, ilkOfVatNote, vatNotes } from "./ilks";
import { ethers } from "forta-agent";
import { VAT_IFACE, noteTopic } from "../../../shared/abi";

const RAY = 10n ** 27n;
const RAD = 10n ** 45n;
const WAD = 10n ** 18n;

describe("the Vat identity", () => {
  const ilks = [
    { Art: 60_000n * WAD, rate: 1_012_345_678_901_234_567_890_123_456n },
    { Art: 100_000n * WAD + 7n, rate: RAY + 3n },
    { Art: 0n, rate: RAY },
  ];
  const ilkDebt = ilks.reduce((s, i) => s + i.Art * i.rate, 0n);

  it("holds to the unit and is broken by one unit either way", () => {
    const vice = 1234n * RAD + 5n;
    expect(checkIdentity(vice + ilkDebt, vice, ilks).gap).toBe(0n);
    expect(checkIdentity(vice + ilkDebt + 1n, vice, ilks).gap).toBe(1n);
    expect(checkIdentity(vice + ilkDebt - 1n, vice, ilks).gap).toBe(-1n);
    expect(checkIdentity(vice + ilkDebt, vice, ilks).ilkDebt).toBe(ilkDebt);
  });
});

describe("utilisation", () => {
  const t = { medium: dec("0.9"), high: dec("0.98"), hysteresis: dec("0.02") };
  const line = 1_000_000n * RAD;

  it("places debt against the ceiling exactly at the boundaries", () => {
    expect(utilizationLevel(900_000n * RAD - 1n, line, t, false)).toBeNull();
    expect(utilizationLevel(900_000n * RAD, line, t, false)).toBe("medium");
    expect(utilizationLevel(980_000n * RAD - 1n, line, t, false)).toBe("medium");
    expect(utilizationLevel(980_000n * RAD, line, t, false)).toBe("high");
    expect(utilizationLevel(2n * line, line, t, false)).toBe("high");
  });

  it("keeps an open episode open down to medium minus the hysteresis", () => {
    expect(utilizationLevel(890_000n * RAD, line, t, true)).toBe("medium");
    expect(utilizationLevel(880_000n * RAD, line, t, true)).toBe("medium");
    expect(utilizationLevel(880_000n * RAD - 1n, line, t, true)).toBeNull();
    expect(utilizationLevel(890_000n * RAD, line, t, false)).toBeNull();
  });

  it("has no meaning when the ceiling is 0 (a collateral closed to new debt)", () => {
    expect(utilizationLevel(5n * RAD, 0n, t, false)).toBeNull();
    expect(utilizationLevel(0n, 0n, t, true)).toBeNull();
  });
});

describe("ceiling changes", () => {
  it("calls a raise of at least the configured fraction, or from zero, large", () => {
    const half = dec("0.5");
    expect(ceilingChange(100n * RAD, 150n * RAD, half)).toMatchObject({ delta: 50n * RAD, large: true });
    expect(ceilingChange(100n * RAD, 150n * RAD - 1n, half).large).toBe(false);
    expect(ceilingChange(0n, 1n, half)).toMatchObject({ large: true, fraction: null });
    expect(ceilingChange(100n * RAD, 10n * RAD, half)).toMatchObject({ delta: -90n * RAD, large: false });
    expect(ceilingChange(100n * RAD, 10n * RAD, half).fraction!.toFixed()).toBe("-0.9");
  });
});

describe("the surplus buffer window", () => {
  const p = (t: number, v: bigint): SurplusPoint => ({ t, b: t, v: v.toString() });

  it("measures the fall below the highest value within the window", () => {
    const w: SurplusPoint[] = [];
    pushSurplus(w, p(0, 100n), 60);
    pushSurplus(w, p(10, 120n), 60);
    pushSurplus(w, p(20, 90n), 60);
    expect(surplusFall(w)).toMatchObject({ fall: 30n, peak: { t: 10 } });
    pushSurplus(w, p(30, 95n), 60);
    expect(surplusFall(w)!.fall).toBe(25n);
    // the peak at t=10 leaves the window at t=71
    pushSurplus(w, p(70, 95n), 60);
    expect(surplusFall(w)!.fall).toBe(25n);
    pushSurplus(w, p(71, 95n), 60);
    expect(surplusFall(w)).toMatchObject({ fall: 0n });
    expect(w.length).toBe(1);
  });

  it("handles negative buffers (more sin than dai)", () => {
    const w: SurplusPoint[] = [];
    pushSurplus(w, p(0, -10n), 60);
    pushSurplus(w, p(1, -50n), 60);
    expect(surplusFall(w)!.fall).toBe(40n);
  });

  it("converts DAI thresholds to rad exactly", () => {
    expect(daiToRad(dec("1000000"))).toBe(1_000_000n * RAD);
    expect(daiToRad(dec("0.000000000000000000000000000000000000000000001"))).toBe(1n);
  });
});

describe("bad debt jumps", () => {
  it("grades a rise of vice against both thresholds", () => {
    expect(sinJumpLevel(RAD - 1n, RAD, 10n * RAD)).toBeNull();
    expect(sinJumpLevel(RAD, RAD, 10n * RAD)).toBe("medium");
    expect(sinJumpLevel(10n * RAD, RAD, 10n * RAD)).toBe("high");
    expect(sinJumpLevel(-50n * RAD, RAD, 10n * RAD)).toBeNull();
  });
});

describe("ilk discovery from logs", () => {
  const vat = "0x1111111111111111111111111111111111111111";
  const ilk = ethers.utils.formatBytes32String("ETH-A");
  const note = (sig: string, args: unknown[]) => {
    const data = VAT_IFACE.encodeFunctionData(sig, args);
    const padded = `0x${data.slice(2).padEnd(448, "0").slice(0, 448)}`;
    const words = [1, 2, 3].map((i) => `0x${data.slice(10 + (i - 1) * 64, 10 + i * 64).padEnd(64, "0")}`);
    return { address: vat, topics: [noteTopic(sig), ...words], data: ethers.utils.defaultAbiCoder.encode(["bytes"], [padded]), logIndex: 3 };
  };

  it("reads the ilk of init, frob and file(ilk, ...) notes, not of file(what, ...)", () => {
    const { notes, undecodable } = vatNotes(
      [
        note("init(bytes32)", [ilk]),
        note("frob(bytes32,address,address,address,int256,int256)", [ilk, vat, vat, vat, 1, 1]),
        note("file(bytes32,bytes32,uint256)", [ilk, ethers.utils.formatBytes32String("line"), 5]),
        note("file(bytes32,uint256)", [ethers.utils.formatBytes32String("Line"), 5]),
      ],
      vat,
    );
    expect(undecodable).toEqual([]);
    expect(notes.map((n) => ilkOfVatNote(n.note))).toEqual([ilk, ilk, ilk, null]);
  });

  it("reports a malformed Vat note instead of dropping it", () => {
    const bad = note("init(bytes32)", [ilk]);
    bad.topics[1] = ethers.utils.formatBytes32String("WBTC-A"); // topic no longer repeats calldata
    const { notes, undecodable } = vatNotes([bad], vat);
    expect(notes).toEqual([]);
    expect(undecodable).toHaveLength(1);
    expect(undecodable[0]!.error).toMatch(/topics\[1\]/);
  });

  it("accepts AddIlk with the ilk indexed or in the data", () => {
    const topic = ethers.utils.id("AddIlk(bytes32)");
    expect(addIlkOf({ address: vat, topics: [topic, ilk], data: "0x" })).toEqual({ ilk });
    expect(addIlkOf({ address: vat, topics: [topic], data: ilk })).toEqual({ ilk });
    expect(addIlkOf({ address: vat, topics: [topic], data: "0x" })).toMatchObject({ error: expect.stringMatching(/neither/) });
    expect(addIlkOf({ address: vat, topics: [ethers.utils.id("RemoveIlk(bytes32)"), ilk], data: "0x" })).toBeNull();
  });
});
