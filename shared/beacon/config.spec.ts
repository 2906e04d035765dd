import { BotDisabledError } from "../bot";
import { ConfigError } from "../errors";
import { readConfig } from "../config";
import { BEACON_URLS_FIELD, requireBeaconUrls } from "./config";

describe("BEACON_API_URL", () => {
  it("unset: the bot is off for this run (the runtime skips it with a warning)", () => {
    expect(() => requireBeaconUrls("consensus-finality", [])).toThrow(BotDisabledError);
    expect(() => requireBeaconUrls("consensus-finality", [])).toThrow("bot consensus-finality is off: BEACON_API_URL is not set");
  });

  it("too few for the bot: a configuration error naming the key", () => {
    const err = (() => {
      try {
        requireBeaconUrls("consensus-forks", ["http://a:5052"], 2, "it compares nodes");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(String(err)).toContain("BEACON_API_URL");
    expect(String(err)).toContain("set at least 2 beacon node URLs");
  });

  it("accepts several URLs and never echoes one that is malformed (it may carry a key)", () => {
    expect(readConfig({ urls: BEACON_URLS_FIELD }, { BEACON_API_URL: "http://a:5052, https://b.example/key-abcdef0123456789" }).urls).toEqual([
      "http://a:5052",
      "https://b.example/key-abcdef0123456789",
    ]);
    expect(() => readConfig({ urls: BEACON_URLS_FIELD }, { BEACON_API_URL: "ftp://x/key-abcdef0123456789" })).toThrow(/BEACON_API_URL="\(redacted\)"/);
  });
});
