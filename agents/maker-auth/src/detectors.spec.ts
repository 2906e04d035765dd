import { isCoreKey } from "./detectors";

describe("core key patterns", () => {
  it("match exact names and * anywhere (escrows re-pointed are as serious as core modules)", () => {
    const patterns = ["MCD_VAT", "PIP_*", "*_ESCROW"];
    expect(["MCD_VAT", "PIP_ETH", "OPTIMISM_ESCROW", "ARBITRUM_ESCROW"].every((k) => isCoreKey(k, patterns))).toBe(true);
    expect(["MCD_VATX", "OPTIMISM_DAI_BRIDGE", "ESCROW_X"].some((k) => isCoreKey(k, patterns))).toBe(false);
  });
});
