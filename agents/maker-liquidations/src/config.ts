/**
 * maker-liquidations configuration: every key with its default. Amounts are DAI of debt liquidated
 * (the Dog's `due`, before the liquidation penalty), fractions are decimals, times are seconds of
 * block time.
 */
import { readConfig, field, type Env } from "../../../shared/config";
import { ConfigError } from "../../../shared/errors";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  ...ATTRIBUTION_CONFIG,
  barkMedium: field.decimal("LIQ_BARK_MEDIUM", "1000000", "DAI: a single liquidation (bark) of at least this much debt is reported (Medium)", { min: "0" }),
  barkHigh: field.decimal("LIQ_BARK_HIGH", "10000000", "DAI: a single liquidation of at least this much debt is High", { min: "0" }),
  window: field.int("LIQ_WINDOW", 3600, "seconds: the rolling window over which liquidation volume is summed, per collateral and overall", { min: 1 }),
  ilkCascadeHigh: field.decimal("LIQ_ILK_CASCADE_HIGH", "5000000", "DAI: debt liquidated in one collateral type within LIQ_WINDOW at or above this opens a High cascade episode", { min: "0" }),
  ilkCascadeCritical: field.decimal("LIQ_ILK_CASCADE_CRITICAL", "25000000", "DAI: per-collateral volume at or above this escalates the episode to Critical", { min: "0" }),
  cascadeHigh: field.decimal("LIQ_CASCADE_HIGH", "10000000", "DAI: debt liquidated across all collateral within LIQ_WINDOW at or above this opens a High cascade episode", { min: "0" }),
  cascadeCritical: field.decimal("LIQ_CASCADE_CRITICAL", "50000000", "DAI: system-wide volume at or above this escalates the episode to Critical", { min: "0" }),
  dirtMedium: field.decimal("LIQ_DIRT_MEDIUM", "0.75", "Dirt / Hole (and dirt / hole per collateral) at or above this opens a Medium episode", { min: "0", max: "1" }),
  dirtHigh: field.decimal("LIQ_DIRT_HIGH", "0.95", "Dirt / Hole at or above this escalates it to High (at 100% the Dog refuses new liquidations)", { min: "0", max: "1" }),
  takeFloor: field.decimal(
    "LIQ_TAKE_PRICE_FLOOR",
    "0.5",
    "a take at a price below this fraction of the collateral's current oracle price is Critical (the zero-bid pattern of March 2020)",
    { min: "0", max: "1" },
  ),
  redoGrace: field.int("LIQ_REDO_GRACE", 1800, "seconds an auction may need a redo before the episode opens (High)", { min: 0 }),
  keeperMaxFraction: field.decimal(
    "LIQ_KEEPER_MAX_FRACTION",
    "0.05",
    "a keeper incentive (coin = tip + chip * tab) on a kick or redo of at least this fraction of the auction's tab is reported",
    { min: "0" },
  ),
  keeperMax: field.decimal("LIQ_KEEPER_MAX", "250000", "DAI: a keeper incentive of at least this much on one kick or redo is reported", { min: "0" }),
};

export type LiquidationsConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const cfg = readConfig(CONFIG_SPEC, env);
  const order: [keyof typeof cfg, keyof typeof cfg][] = [
    ["barkMedium", "barkHigh"],
    ["ilkCascadeHigh", "ilkCascadeCritical"],
    ["cascadeHigh", "cascadeCritical"],
    ["dirtMedium", "dirtHigh"],
  ];
  for (const [lo, hi] of order) {
    const a = cfg[lo] as { lte(x: unknown): boolean; toFixed(): string };
    const b = cfg[hi] as { toFixed(): string };
    if (!a.lte(b)) throw new ConfigError(CONFIG_SPEC[hi].env, b.toFixed(), `must be at least ${CONFIG_SPEC[lo].env} (${a.toFixed()})`);
  }
  return cfg;
}
