/**
 * sky-lockstake configuration: every key with its default. Amounts are USDS.
 */
import { field, readConfig, type Env } from "../../../shared/config";
import { ConfigError } from "../../../shared/errors";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  ...ATTRIBUTION_CONFIG,
  unsafeHighDebt: field.decimal(
    "LOCKSTAKE_UNSAFE_HIGH_DEBT",
    "1000000",
    "debt (USDS) of unsafe urns, while the clipper is stopped, from which the episode is High (below: Medium)",
    { min: "0" },
  ),
  utilisationWarn: field.decimal("LOCKSTAKE_UTILISATION_WARN", "0.95", "(Art*rate + Due) / stUSDS assets that opens the utilisation episode (Medium)", { min: "0" }),
  utilisationFull: field.decimal("LOCKSTAKE_UTILISATION_FULL", "1", "utilisation that escalates it to High: stUSDS withdrawals revert", { min: "0" }),
  takeFraction: field.decimal(
    "LOCKSTAKE_TAKE_PRICE_FRACTION",
    "0.85",
    "a take at a price below this fraction of the capped oracle's price (LOCKSTAKE_ORACLE read as the Spotter, else Vat spot * Spotter mat) is reported",
    { min: "0", max: "1" },
  ),
  migrateLargeDebt: field.decimal("LOCKSTAKE_MIGRATE_LARGE_DEBT", "5000000", "a Migrate carrying at least this debt (USDS) is High (smaller: Info)", { min: "0" }),
  scanFrom: field.int(
    "LOCKSTAKE_SCAN_FROM_BLOCK",
    22_400_000,
    "first block of the history scanned at start for urns, vote delegates and auctions (mainnet default: before the 2025-05-15 migration spell); a chain shorter than this is scanned from 0",
    { min: 0 },
  ),
  logChunk: field.int("LOCKSTAKE_LOG_CHUNK", 10_000, "blocks per eth_getLogs request of that scan (lower it if the node refuses ranges)", { min: 1 }),
};

export type LockstakeConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const cfg = readConfig(CONFIG_SPEC, env);
  if (cfg.utilisationFull.lt(cfg.utilisationWarn)) {
    throw new ConfigError("LOCKSTAKE_UTILISATION_FULL", cfg.utilisationFull.toFixed(), `must be at least LOCKSTAKE_UTILISATION_WARN (${cfg.utilisationWarn.toFixed()})`);
  }
  return cfg;
}
