/**
 * maker-psm configuration: every key with its default. Amounts are DAI; gems are counted at par
 * (1 gem unit = 1 DAI, as the PSM swaps them), whatever their decimals.
 */
import { readConfig, field, type Env } from "../../../shared/config";
import { ConfigError } from "../../../shared/errors";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  ...ATTRIBUTION_CONFIG,
  swapInfoMin: field.decimal("PSM_SWAP_INFO_MIN", "10000000", "smallest SellGem/BuyGem reported (DAI at par), as Info", { min: "0" }),
  swapLowMin: field.decimal("PSM_SWAP_LOW_MIN", "50000000", "swaps from this size (DAI at par) are reported as Low instead of Info", { min: "0" }),
  runWindow: field.int(
    "PSM_RUN_WINDOW",
    3600,
    "length of the sliding window (seconds of block time) over which the reserve's net outflow (gems bought minus gems sold) is summed",
    { min: 1 },
  ),
  runFraction: field.decimal(
    "PSM_RUN_FRACTION",
    "0.2",
    "net outflow within the window, as a fraction of the reserve at the window's start, that opens a run episode (High)",
    { min: "0", max: "1" },
  ),
  runCriticalFraction: field.decimal(
    "PSM_RUN_CRITICAL_FRACTION",
    "0.5",
    "net outflow fraction that escalates the run episode to Critical",
    { min: "0", max: "1" },
  ),
  runMin: field.decimal(
    "PSM_RUN_MIN",
    "5000000",
    "smallest net outflow (DAI at par) that can count as a run, whatever the fraction (a nearly empty PSM emptied is not a run on the peg)",
    { min: "0" },
  ),
  lineWarn: field.decimal(
    "PSM_LINE_WARN_FRACTION",
    "0.9",
    "debt (Art * rate) of a PSM's collateral type at this fraction of its line opens an episode (Medium): soon no more gems can be sold to it (classic) or no more DAI pre-minted (lite)",
    { min: "0", max: "1" },
  ),
  lineFull: field.decimal(
    "PSM_LINE_FULL_FRACTION",
    "0.99",
    "debt at this fraction of the line escalates the episode to High: the PSM is (about to be) unable to defend the peg in that direction",
    { min: "0", max: "1" },
  ),
  litePendingMin: field.decimal(
    "PSM_LITE_PENDING_MIN",
    "20000000",
    "a lite PSM's rush() (DAI it could pre-mint) or gush() (pre-minted DAI beyond buf) at or above this many DAI counts as a fill or trim pending",
    { min: "0" },
  ),
  litePendingSeconds: field.int(
    "PSM_LITE_PENDING_SECONDS",
    7200,
    "seconds of block time a fill or trim may stay pending before the episode opens (Medium): the keepers (CRON_LITE_PSM_JOB) are not running",
    { min: 1 },
  ),
};

export type PsmConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const cfg = readConfig(CONFIG_SPEC, env);
  if (cfg.swapLowMin.lt(cfg.swapInfoMin)) throw new ConfigError("PSM_SWAP_LOW_MIN", cfg.swapLowMin.toFixed(), `must be at least PSM_SWAP_INFO_MIN (${cfg.swapInfoMin.toFixed()})`);
  if (cfg.runCriticalFraction.lt(cfg.runFraction)) {
    throw new ConfigError("PSM_RUN_CRITICAL_FRACTION", cfg.runCriticalFraction.toFixed(), `must be at least PSM_RUN_FRACTION (${cfg.runFraction.toFixed()})`);
  }
  if (cfg.lineFull.lt(cfg.lineWarn)) throw new ConfigError("PSM_LINE_FULL_FRACTION", cfg.lineFull.toFixed(), `must be at least PSM_LINE_WARN_FRACTION (${cfg.lineWarn.toFixed()})`);
  return cfg;
}
