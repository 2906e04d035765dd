import { dec, formatAmount, formatPercent, fromRad, fromRay, fromWad, mulRaw, relChange, toWad } from "./math";

describe("fixed-point math", () => {
  it("converts raw wad/ray/rad integers exactly", () => {
    expect(fromWad("1234567890123456789").toFixed()).toBe("1.234567890123456789");
    expect(fromRay(10n ** 27n + 1n).toFixed()).toBe("1.000000000000000000000000001");
    expect(fromRad(`${10n ** 45n * 3n + 7n}`).toFixed()).toBe("3.000000000000000000000000000000000000000000007");
    expect(dec("0x10").toFixed()).toBe("16");
    expect(toWad("2.5")).toBe("2500000000000000000");
  });

  it("multiplies wad by ray into rad with no rounding (the Vat equation needs it)", () => {
    const art = "123456789012345678901234";
    const rate = "1000000000123456789012345678";
    expect(mulRaw(art, rate).toFixed()).toBe((BigInt(art) * BigInt(rate)).toString());
  });

  it("computes relative changes and formats for people", () => {
    expect(relChange("100", "106").toFixed()).toBe("0.06");
    expect(formatAmount("1234567.891")).toBe("1,234,567.89");
    expect(formatPercent("0.0612")).toBe("6.12%");
  });

  it("never rounds a displayed amount up past a threshold the value is below (issue 8.8)", () => {
    // a bark due of 9,999,999.999 DAI is Medium (below 10M): its text must not read 10,000,000.00
    expect(formatAmount(fromRad("9999999999000000000000000000000000000000000000000000"))).toBe("9,999,999.99");
    expect(formatAmount("9999999.995")).toBe("9,999,999.99");
    expect(formatAmount("10000000")).toBe("10,000,000.00");
    expect(formatAmount("-1234.5678")).toBe("-1,234.56"); // toward zero
    expect(formatAmount("7467.50009", 4)).toBe("7,467.5000");
    expect(formatPercent("0.4999999")).toBe("49.99%");
    expect(formatPercent("-0.06005")).toBe("-6.00%");
  });

  it("refuses what is not a number", () => {
    expect(() => dec("abc")).toThrow(/not a number/);
  });
});
