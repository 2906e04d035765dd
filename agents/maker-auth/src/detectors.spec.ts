import { chainlogAlertKind, chainlogChangeKind, isCoreKey } from "./detectors";

describe("core key patterns", () => {
  it("match exact names and * anywhere (escrows re-pointed are as serious as core modules)", () => {
    const patterns = ["MCD_VAT", "PIP_*", "*_ESCROW"];
    expect(["MCD_VAT", "PIP_ETH", "OPTIMISM_ESCROW", "ARBITRUM_ESCROW"].every((k) => isCoreKey(k, patterns))).toBe(true);
    expect(["MCD_VATX", "OPTIMISM_DAI_BRIDGE", "ESCROW_X"].some((k) => isCoreKey(k, patterns))).toBe(false);
  });
});

describe("ChainLog edits", () => {
  const A = "0x00000000000000000000000000000000000000a1";
  const B = "0x00000000000000000000000000000000000000b1";

  it("tell an added key from a re-pointed or removed one", () => {
    expect(chainlogChangeKind(null, A)).toBe("added");
    expect(chainlogChangeKind(A, B)).toBe("re-pointed");
    expect(chainlogChangeKind(A, null)).toBe("removed");
  });

  it("are High for a core key whatever the edit, including a core key added (or added back), Info for other keys, Critical outside governance", () => {
    expect(chainlogAlertKind(true, true)).toBe("core");
    expect(chainlogAlertKind(false, true)).toBe("key");
    expect(chainlogAlertKind(true, false)).toBe("outside");
    expect(chainlogAlertKind(false, false)).toBe("outside");
  });
});
