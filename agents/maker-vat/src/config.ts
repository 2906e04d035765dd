/**
 * maker-vat configuration: every key with its default. Amounts are DAI (decimal numbers), fractions
 * are decimals (0.9 = 90%), windows are seconds of block time.
 */
import { readConfig, field, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ConfigError } from "../../../shared/errors";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  ...ATTRIBUTION_CONFIG,
  utilizationMedium: field.decimal(
    "VAT_UTILISATION_MEDIUM",
    "0.9",
    "debt / ceiling (total debt / Line, and Art * rate / line per collateral) at or above this opens a Medium utilisation episode",
    { min: "0", max: "1" },
  ),
  utilizationHigh: field.decimal("VAT_UTILISATION_HIGH", "0.98", "debt / ceiling at or above this escalates the utilisation episode to High", { min: "0", max: "1" }),
  utilizationHysteresis: field.decimal(
    "VAT_UTILISATION_HYSTERESIS",
    "0.02",
    "an open utilisation episode resolves only once debt / ceiling is below VAT_UTILISATION_MEDIUM minus this (no flapping around the threshold)",
    { min: "0", max: "1" },
  ),
  utilizationIgnore: field.list(
    "VAT_UTILISATION_IGNORE_ILKS",
    [],
    "collateral types (e.g. PSM-USDC-A) whose utilisation is not watched, comma-separated; their ceilings and the identity are still checked",
  ),
  ceilingRaiseWarn: field.decimal(
    "VAT_CEILING_RAISE_WARN",
    "0.5",
    "a Line or line raise of at least this fraction of the old ceiling (0.5 = +50%), or from 0, is Medium; other ceiling changes are Info",
    { min: "0" },
  ),
  surplusDrop: field.decimal(
    "VAT_SURPLUS_DROP",
    "1000000",
    "DAI: the surplus buffer (dai(vow) - sin(vow)) falling by at least this much below its highest value within VAT_SURPLUS_WINDOW opens a High episode",
    { min: "0" },
  ),
  surplusWindow: field.int("VAT_SURPLUS_WINDOW", 86400, "seconds: the window over which the surplus buffer's fall is measured", { min: 1 }),
  sinJumpMedium: field.decimal("VAT_SIN_JUMP_MEDIUM", "1000000", "DAI: vice (total bad debt in the Vat) rising by at least this much from one block to the next is Medium", { min: "0" }),
  sinJumpHigh: field.decimal("VAT_SIN_JUMP_HIGH", "10000000", "DAI: a rise of vice of at least this much from one block to the next is High", { min: "0" }),
  sinUnexplainedCritical: field.decimal(
    "VAT_SIN_UNEXPLAINED_CRITICAL",
    "1000000",
    "DAI: sin(vow) growth that no known suck or liquidation explains, summed over an open episode, at or above this escalates the episode to Critical",
    { min: "0" },
  ),
  sinResolveBlocks: field.int(
    "VAT_SIN_RESOLVE_BLOCKS",
    50,
    "an unexplained sin(vow) growth episode resolves after this many consecutive blocks whose growth is fully explained",
    { min: 1 },
  ),
};

export type VatConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const cfg = readConfig(CONFIG_SPEC, env);
  if (cfg.utilizationHigh.lt(cfg.utilizationMedium)) {
    throw new ConfigError("VAT_UTILISATION_HIGH", cfg.utilizationHigh.toFixed(), `must be at least VAT_UTILISATION_MEDIUM (${cfg.utilizationMedium.toFixed()})`);
  }
  if (cfg.sinJumpHigh.lt(cfg.sinJumpMedium)) {
    throw new ConfigError("VAT_SIN_JUMP_HIGH", cfg.sinJumpHigh.toFixed(), `must be at least VAT_SIN_JUMP_MEDIUM (${cfg.sinJumpMedium.toFixed()})`);
  }
  return cfg;
}
