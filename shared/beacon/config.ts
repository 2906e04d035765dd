/** Configuration keys every consensus bot shares. */
import { BotDisabledError } from "../bot";
import { field } from "../config";
import { ConfigError } from "../errors";

export const BEACON_URLS_FIELD = field.urlList(
  "BEACON_API_URL",
  [],
  "Beacon Node REST API base URL(s), comma-separated (e.g. http://localhost:5052). Several URLs: tried in order when one fails or lags. May carry API keys: never printed",
);

export const BEACON_TIMEOUT_FIELD = field.int(
  "BEACON_TIMEOUT_MS",
  10_000,
  "timeout of one Beacon API request in milliseconds",
  { min: 100 },
);

/**
 * The URLs. None at all: the bot does not apply to this run (BotDisabledError: the runtime
 * skips it with a warning, so Maker-only setups run without a beacon node). Some, but fewer
 * than `min`: a ConfigError saying how many are needed and why.
 */
export function requireBeaconUrls(bot: string, urls: readonly string[], min = 1, why = "the bot reads the beacon chain from it"): string[] {
  if (urls.length === 0) {
    throw new BotDisabledError(bot, `BEACON_API_URL is not set; set it to ${min > 1 ? `${min} or more beacon node URLs` : "a beacon node URL"} (comma-separated) to run it`);
  }
  if (urls.length < min) {
    throw new ConfigError("BEACON_API_URL", `(${urls.length} URL)`, `set at least ${min} beacon node URLs, comma-separated (${why})`);
  }
  return [...urls];
}
