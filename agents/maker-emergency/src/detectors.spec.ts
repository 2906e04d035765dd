import { dec } from "../../../shared/math";
import { isReportableJoin, progress, thresholdLevel } from "./detectors";

const WAD = 10n ** 18n;

describe("maker-emergency detectors", () => {
  it("places the ESM total against min exactly, at the boundaries", () => {
    const min = 150_000n * WAD;
    const half = dec("0.5");
    expect(thresholdLevel(74_999n * WAD, min, half)).toBeNull();
    expect(thresholdLevel(75_000n * WAD - 1n, min, half)).toBeNull();
    expect(thresholdLevel(75_000n * WAD, min, half)).toBe("approaching");
    expect(thresholdLevel(min - 1n, min, half)).toBe("approaching");
    expect(thresholdLevel(min, min, half)).toBe("reached");
  });

  it("treats min = 0 as reached: the ESM can be fired with no tokens at all", () => {
    expect(thresholdLevel(0n, 0n, dec("0.5"))).toBe("reached");
    expect(progress(0n, 0n)).toBeNull();
  });

  it("reports joins from the configured size up", () => {
    expect(isReportableJoin(2n * WAD, dec("2"))).toBe(true);
    expect(isReportableJoin(2n * WAD - 1n, dec("2"))).toBe(false);
  });
});
