import { dec } from "../../../shared/math";
import { inboundUse, isNoPeer, limitRaised } from "./detectors";

describe("sky-bridges detectors", () => {
  it("a rate limit is raised by a higher limit or the same limit over a shorter window", () => {
    expect(limitRaised({ limit: "5", window: "86400" }, { limit: "6", window: "86400" })).toBe(true);
    expect(limitRaised({ limit: "5", window: "86400" }, { limit: "5", window: "3600" })).toBe(true);
    expect(limitRaised({ limit: "5", window: "86400" }, { limit: "4", window: "3600" })).toBe(false);
    expect(limitRaised({ limit: "5", window: "86400" }, { limit: "5", window: "86400" })).toBe(false);
  });
  it("measures inbound use exactly against the fraction", () => {
    expect(inboundUse("4000000000000000000000000", "5000000000000000000000000", dec("0.8"))).toEqual({ used: dec("0.8"), near: true });
    expect(inboundUse("3999999999999999999999999", "5000000000000000000000000", dec("0.8")).near).toBe(false);
    expect(inboundUse("0", "0", dec("0.8")).near).toBe(false);
  });
  it("an empty peer removes it", () => {
    expect(isNoPeer("0x" + "0".repeat(64))).toBe(true);
    expect(isNoPeer("0x" + "0".repeat(63) + "1")).toBe(false);
  });
});
