import { mkrSkyShortfall, mkrToSkyConserves, susdsShortfall, unmatchedMints, usdsShortfall } from "./detectors";

const RAY = 10n ** 27n;

describe("sky-stablecoin detectors", () => {
  it("USDS backing is exact to the wei", () => {
    expect(usdsShortfall("1000", (1000n * RAY).toString())).toBeNull();
    expect(usdsShortfall("1001", (1000n * RAY).toString())).toBe(RAY);
    expect(usdsShortfall("1000", (1000n * RAY + 1n).toString())).toBeNull(); // a donation to the join is fine
  });
  it("sUSDS reserve: shares * chi / RAY against USDS held", () => {
    expect(susdsShortfall("1000", "1000", RAY.toString())).toBeNull();
    expect(susdsShortfall("999", "1000", RAY.toString())).toBe(1n);
    expect(susdsShortfall("1500", "1000", (RAY + RAY / 2n).toString())).toBeNull();
  });
  it("MKR_SKY covers MKR supply * rate + take", () => {
    expect(mkrSkyShortfall("24000", "1", "24000", "0")).toBeNull();
    expect(mkrSkyShortfall("24000", "1", "24000", "1")).toBe(1n);
    expect(mkrToSkyConserves("2", "46560", "1440", "24000")).toBe(true);
    expect(mkrToSkyConserves("2", "46561", "1440", "24000")).toBe(false);
  });
  it("each join exit pays for one mint of the same amount to the same account", () => {
    const mints = [{ to: "0xa", wad: "5" }, { to: "0xa", wad: "5" }, { to: "0xb", wad: "7" }];
    expect(unmatchedMints(mints, [{ to: "0xa", wad: "5" }, { to: "0xb", wad: "7" }])).toEqual([{ to: "0xa", wad: "5" }]);
    expect(unmatchedMints(mints, [])).toHaveLength(3);
  });
});
