/**
 * maker-flash configuration: every key with its default. Amounts are DAI (decimal numbers).
 */
import { readConfig, field, type Env, type Field } from "../../../shared/config";
import { ConfigError } from "../../../shared/errors";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

/** What a flash mint may be combined with in one transaction to be reported (MAKER-FLASH-COMBINED). */
export const COMBINATIONS = ["governance", "oracle", "liquidation", "esm", "psm"] as const;
export type Combination = (typeof COMBINATIONS)[number];

function combinationList(env: string, doc: string): Field<Combination[]> {
  return {
    env,
    doc,
    default: [...COMBINATIONS],
    show: (v) => v.join(","),
    parse(raw) {
      const items = raw
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const bad = items.filter((i) => !(COMBINATIONS as readonly string[]).includes(i));
      if (bad.length) throw new ConfigError(env, raw, `unknown kind(s) ${bad.join(", ")}; use a comma-separated subset of ${COMBINATIONS.join(",")}`);
      return [...new Set(items)] as Combination[];
    },
  };
}

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  ...ATTRIBUTION_CONFIG,
  infoMin: field.decimal(
    "FLASH_LOAN_INFO_MIN",
    "10000000",
    "smallest flash mint reported (DAI; FlashLoan amount or VatDaiFlashLoan amount / 1e27), as Info: size alone is ordinary arbitrage and pages nobody",
    { min: "0" },
  ),
  lowMin: field.decimal(
    "FLASH_LOAN_LOW_MIN",
    "100000000",
    "flash mints from this size (DAI) are reported as Low instead of Info",
    { min: "0" },
  ),
  combinedWith: combinationList(
    "FLASH_COMBINED_WITH",
    "what a flash mint must share its transaction with to raise MAKER-FLASH-COMBINED (High), comma-separated: governance (DSPause plot/drop/exec/setDelay, chief lift/vote/etch/lock/free/launch), oracle (any OSM, Median or PIP_* call, Spotter file/poke), liquidation (Clipper Take), esm (ESM Join/Fire/DenyProxy), psm (PSM or lite PSM BuyGem of at least FLASH_COMBINED_PSM_MIN DAI: the reserve drained with minted DAI); vault frobs are never combined (flash-mint refinancing is routine)",
  ),
  psmMin: field.decimal(
    "FLASH_COMBINED_PSM_MIN",
    "10000000",
    "smallest PSM BuyGem (gems taken out of the reserve, valued in DAI) that counts as a psm action in a flash-mint transaction; smaller in-loan swaps are ordinary peg arbitrage",
    { min: "0" },
  ),
};

export type FlashConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const cfg = readConfig(CONFIG_SPEC, env);
  if (cfg.lowMin.lt(cfg.infoMin)) {
    throw new ConfigError("FLASH_LOAN_LOW_MIN", cfg.lowMin.toFixed(), `must be at least FLASH_LOAN_INFO_MIN (${cfg.infoMin.toFixed()})`);
  }
  return cfg;
}
