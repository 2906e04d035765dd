import { expectedDrip, mintVoucher, rpow, windowNet, type FlowPoint } from "./flows";

const RAY = 10n ** 27n;

describe("windowNet", () => {
  it("sums the points within the window and drops older ones", () => {
    const pts: FlowPoint[] = [{ b: 1, t: 100, net: "5" }, { b: 2, t: 150, net: "-2" }, { b: 3, t: 200, net: "10" }];
    expect(windowNet(pts, 200, 1000)).toBe(13n);
    expect(windowNet(pts, 250, 100)).toBe(10n); // the point at t=150 is exactly one window old: dropped
    expect(pts.map((p) => p.b)).toEqual([3]);
  });
});

describe("expectedDrip", () => {
  it("is exactly the yield of the rate over the time on the supply", () => {
    expect(rpow(RAY, 1000n)).toBe(RAY);
    const ssr = RAY + 10n ** 18n; // 1e-9 per second
    expect(rpow(ssr, 2n)).toBe(RAY + 2n * 10n ** 18n + 10n ** 9n);
    const supply = 1_000_000n * 10n ** 18n;
    // one second at 1e-9: 0.001 USDS on 1M
    expect(expectedDrip(ssr, RAY, 100n, supply, 101n)).toBe(10n ** 15n);
    expect(expectedDrip(ssr, RAY, 100n, supply, 100n)).toBe(0n);
  });
});

describe("mintVoucher", () => {
  const SKY = "0x" + "aa".repeat(20);
  const VEST = "0x" + "bb".repeat(20);
  const keysOf = (a: string) => (a === VEST ? ["MCD_VEST_SKY"] : a === SKY ? ["SKY"] : []);
  const vestLog = { address: VEST, topics: ["0x" + "01".repeat(32), "0x" + "0".repeat(63) + "1"], data: "0x" + (5n * 10n ** 18n).toString(16).padStart(64, "0") };
  it("a ChainLog contract's log carrying the minted amount vouches for it", () => {
    expect(mintVoucher([vestLog], 5n * 10n ** 18n, SKY, keysOf)).toBe(VEST);
  });
  it("another amount, an unlisted contract or SKY's own log do not", () => {
    expect(mintVoucher([vestLog], 6n * 10n ** 18n, SKY, keysOf)).toBeNull();
    expect(mintVoucher([{ ...vestLog, address: "0x" + "cc".repeat(20) }], 5n * 10n ** 18n, SKY, keysOf)).toBeNull();
    expect(mintVoucher([{ ...vestLog, address: SKY }], 5n * 10n ** 18n, SKY, keysOf)).toBeNull();
  });
});
