import { dec } from "../../../shared/math";
import { isKnown, pacing, payloadMismatch, recordDebt, type DebtSample } from "./detectors";

const RAD = "000000000000000000000000000000000000000000000"; // 45 zeros
const rad = (n: number) => `${n}${RAD}`;

describe("sky-allocators detectors", () => {
  it("keeps the samples of the window and the one before it", () => {
    let s: DebtSample[] = [];
    s = recordDebt(s, 0, rad(0), 100);
    s = recordDebt(s, 10, rad(5), 100);
    s = recordDebt(s, 20, rad(5), 100); // unchanged: not recorded
    s = recordDebt(s, 150, rad(8), 100);
    expect(s).toEqual([{ t: 10, debt: rad(5) }, { t: 150, debt: rad(8) }]);
  });

  it("measures growth over the last ttl against the gap, exactly at the edge", () => {
    const s: DebtSample[] = [{ t: 0, debt: rad(100) }, { t: 50, debt: rad(110) }];
    // at t = 100 the window starts at 0: growth 10 against gap 10 is not over, 10 + 1 wei is
    expect(pacing(s, 100, rad(110), rad(10), 100, dec(1))).toMatchObject({ over: false });
    expect(pacing(s, 100, dec(rad(110)).plus(1).toFixed(), rad(10), 100, dec(1)).over).toBe(true);
    // later the baseline moves to the draw at 50: growth 0
    expect(pacing(s, 160, rad(110), rad(10), 100, dec(1)).growth.toFixed()).toBe("0");
    // a factor of 2 (the default: headroom before the window plus one AutoLine raise) doubles the allowance
    expect(pacing(s, 100, rad(119), rad(10), 100, dec(2)).over).toBe(false);
    expect(pacing(s, 100, rad(121), rad(10), 100, dec(2)).over).toBe(true);
  });

  it("lets the AutoLine's own worst case through at the default factor: a full draw just after one raise and another right after the next", () => {
    // raise at 0 (line = gap), full draw at 5, next raise possible at 100 (ttl), full draw at 100: 2 gaps within (0, 100]
    const s: DebtSample[] = [{ t: 0, debt: rad(0) }, { t: 5, debt: rad(10) }, { t: 100, debt: rad(20) }];
    expect(pacing(s, 100, rad(20), rad(10), 100, dec(2)).over).toBe(false);
    expect(pacing(s, 100, rad(20), rad(10), 100, dec(1)).over).toBe(true);
  });

  it("never flags an ilk without pacing (gap 0), and starts from the first observation", () => {
    expect(pacing([{ t: 0, debt: rad(0) }], 10, rad(1000), "0", 0, dec(1)).over).toBe(false);
    expect(pacing([{ t: 5, debt: rad(0) }], 10, rad(20), rad(10), 86400, dec(1)).growth.toFixed()).toBe(rad(20));
  });

  it("knows ChainLog contracts and configured addresses, case-insensitively", () => {
    expect(isKnown("0xAb", ["ALLOCATOR_SPARK_A_VAULT"], [])).toBe(true);
    expect(isKnown("0xAb", [], ["0xab"])).toBe(true);
    expect(isKnown("0xAb", [], ["0xcd"])).toBe(false);
  });

  it("tells an unplotted payload, one with no code and one whose codehash differs", () => {
    expect(payloadMismatch(null, "0x01")).toBe("unplotted");
    expect(payloadMismatch("0x01", null)).toBe("no-code");
    expect(payloadMismatch("0x01", "0x02")).toBe("codehash");
    expect(payloadMismatch("0xAB", "0xab")).toBeNull();
  });
});
