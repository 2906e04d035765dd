import { Decimal, dec } from "../../../shared/math";
import { custodyShortfall, migrationLineBroken, oraclePrice, stusdsLine, takeTooLow, unliquidatableLevel, unsafeDebt, utilisation, utilisationLevel } from "./detectors";

const WAD = 10n ** 18n;
const RAY = 10n ** 27n;

describe("sky-lockstake detectors", () => {
  it("unsafe debt: ink * spot < art * rate, exact to the wei", () => {
    const spot = (RAY * 2n) / 100n; // 0.02
    const urns = [
      { ink: (1000n * WAD).toString(), art: (20n * WAD).toString() }, // 20 <= 20: safe
      { ink: (1000n * WAD).toString(), art: (20n * WAD + 1n).toString() }, // one wei over: unsafe
      { ink: "0", art: "0" },
    ];
    expect(unsafeDebt(urns, spot, RAY)).toEqual({ debtRad: (20n * WAD + 1n) * RAY, count: 1 });
    expect(unsafeDebt(urns, spot, RAY + 1n).count).toBe(2); // a drip's rate tips the first one
  });
  it("unsafe debt is unliquidatable only while the clipper is stopped; large from the threshold", () => {
    const debt = 25_000n * WAD * RAY;
    expect(unliquidatableLevel("0", debt, dec(25_000))).toBeNull();
    expect(unliquidatableLevel("3", 0n, dec(25_000))).toBeNull();
    expect(unliquidatableLevel("1", debt - 1n, dec(25_000))).toBe("some");
    expect(unliquidatableLevel("3", debt, dec(25_000))).toBe("large");
  });
  it("SKY custody: held plus delegated against lsSKY plus auction lots", () => {
    expect(custodyShortfall("700", ["300"], "900", ["100"])).toBeNull();
    expect(custodyShortfall("700", ["300"], "900", ["101"])).toBe(1n);
    expect(custodyShortfall("1001", [], "1000", [])).toBeNull(); // a donation is no shortfall
  });
  it("utilisation: (Art * rate + Due) / (supply * chi)", () => {
    expect(utilisation("95", RAY.toString(), "0", "100", RAY.toString())!.toFixed()).toBe("0.95");
    expect(utilisation("90", RAY.toString(), (5n * RAY).toString(), "100", RAY.toString())!.toFixed()).toBe("0.95");
    expect(utilisation("0", RAY.toString(), "0", "0", RAY.toString())).toBeNull();
    expect(utilisation("1", RAY.toString(), "0", "0", RAY.toString())!.isFinite()).toBe(false);
    expect(utilisationLevel(dec("0.9499"), dec("0.95"), dec(1))).toBeNull();
    expect(utilisationLevel(dec("0.95"), dec("0.95"), dec(1))).toBe("warn");
    expect(utilisationLevel(new Decimal(Infinity), dec("0.95"), dec(1))).toBe("full");
  });
  it("the oracle price from spot and mat, and takes below a fraction of it", () => {
    expect(oraclePrice((RAY * 5n) / 100n, (RAY * 12n) / 10n)).toBe((RAY * 6n) / 100n);
    expect(takeTooLow((RAY * 85n) / 100n, RAY.toString(), dec("0.85"))).toBe(false);
    expect(takeTooLow((RAY * 85n) / 100n - 1n, RAY.toString(), dec("0.85"))).toBe(true);
    expect(takeTooLow("1", "0", dec("0.85"))).toBe(false);
  });

  it("stUSDS's line: min(line, assets - Due), never below 0, exact", () => {
    const RAD = WAD * RAY;
    expect(stusdsLine((10_000_000n * RAD).toString(), (1000n * WAD).toString(), RAY.toString(), "0")).toBe((1000n * RAD).toString());
    expect(stusdsLine((500n * RAD).toString(), (1000n * WAD).toString(), RAY.toString(), "0")).toBe((500n * RAD).toString());
    expect(stusdsLine((500n * RAD).toString(), (1000n * WAD).toString(), RAY.toString(), (2000n * RAD).toString())).toBe("0");
    expect(stusdsLine((10_000_000n * RAD).toString(), (1000n * WAD).toString(), ((RAY * 11n) / 10n).toString(), (100n * RAD).toString())).toBe((1000n * RAD).toString());
  });

  it("a migration breaks the line when it leaves a value that is neither the old one nor stUSDS's", () => {
    expect(migrationLineBroken("100", "0", "90")).toBe(true); // toggled to 0
    expect(migrationLineBroken("100", "100", "90")).toBe(false); // untouched
    expect(migrationLineBroken("100", "90", "90")).toBe(false); // stUSDS set it in the same block
    expect(migrationLineBroken("0", "0", "90")).toBe(false); // already 0 (zeroLine): not the migration's doing
  });
});
