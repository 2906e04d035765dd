/** Configuration keys every consensus bot shares. */
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
  "timeout of one Beacon API request in milliseconds (validator lists on mainnet are large: allow 60000 there)",
  { min: 100 },
);

/** The URLs, or a ConfigError saying how many are needed and why. */
export function requireBeaconUrls(urls: readonly string[], min = 1, why = "the bot reads the beacon chain from it"): string[] {
  if (urls.length < min) {
    throw new ConfigError(
      "BEACON_API_URL",
      urls.length ? `(${urls.length} URL)` : undefined,
      `set at least ${min} beacon node URL${min > 1 ? "s" : ""}, comma-separated (${why})`,
    );
  }
  return [...urls];
}
