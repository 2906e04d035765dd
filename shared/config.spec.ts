import { ConfigError } from "./errors";
import { describeConfig, field, readConfig } from "./config";

const spec = {
  joinMin: field.decimal("ESM_JOIN_MIN", "2", "smallest join reported", { min: "0" }),
  fraction: field.decimal("ESM_WARN_FRACTION", "0.5", "fraction of min", { min: "0", max: "1" }),
  chainlog: field.address("MAKER_CHAINLOG", "0xdA0Ab1e0017DEbCd72Be8599041a2aa3bA7e740F", "ChainLog"),
  perIlk: field.decimalMap("PER_ILK", "overrides"),
  urls: field.urlList("BEACON_API_URL", [], "beacon nodes"),
};

describe("configuration", () => {
  it("uses documented defaults when a key is unset", () => {
    const c = readConfig(spec, {});
    expect(c.joinMin.toFixed()).toBe("2");
    expect(c.chainlog).toBe("0xda0ab1e0017debcd72be8599041a2aa3ba7e740f");
    expect(describeConfig(spec)).toContain("| `ESM_JOIN_MIN` | 2 | smallest join reported |");
  });

  it("parses overrides, including per-key maps and URL lists", () => {
    const c = readConfig(spec, { ESM_JOIN_MIN: "10.5", PER_ILK: "ETH-A=0.08, WBTC-A=0.05", BEACON_API_URL: "http://a:1,http://b:2" });
    expect(c.joinMin.toFixed()).toBe("10.5");
    expect(c.perIlk["WBTC-A"]!.toFixed()).toBe("0.05");
    expect(c.urls).toEqual(["http://a:1", "http://b:2"]);
  });

  it("stops on a bad value with one line naming the key, the value and the fix", () => {
    expect(() => readConfig(spec, { ESM_WARN_FRACTION: "1.5" })).toThrow(ConfigError);
    expect(() => readConfig(spec, { ESM_WARN_FRACTION: "1.5" })).toThrow('configuration ESM_WARN_FRACTION="1.5" is invalid: must be at most 1');
    expect(() => readConfig(spec, { MAKER_CHAINLOG: "0x123" })).toThrow(/MAKER_CHAINLOG.*0x-prefixed 20-byte hex address/);
  });

  it("never echoes a URL list back in an error (it may hold a key)", () => {
    try {
      readConfig(spec, { BEACON_API_URL: "ftp://secret-key@host" });
      throw new Error("expected a ConfigError");
    } catch (e) {
      expect((e as Error).message).not.toContain("secret-key");
    }
  });
});
