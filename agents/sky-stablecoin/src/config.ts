/**
 * sky-stablecoin configuration: every key with its default.
 */
import { field, readConfig, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  cutCriticalFraction: field.decimal(
    "STUSDS_CUT_CRITICAL_FRACTION",
    "0.01",
    "a stUSDS Cut taking at least this fraction of the depositors' value ((oldChi - newChi) / oldChi) is Critical; smaller ones are High",
    { min: "0", max: "1" },
  ),
  surge: field.decimal(
    "SKY_USDS_TO_DAI_SURGE",
    "100000000",
    "USDS: net USDS -> DAI conversions through DAI_USDS (USDS to DAI minus DAI to USDS) within SKY_CONVERSION_WINDOW at or above this opens a Medium episode",
    { min: "0" },
  ),
  conversionWindow: field.int("SKY_CONVERSION_WINDOW", 86400, "seconds of block time over which the net DAI_USDS flow is summed", { min: 1 }),
  dripLarge: field.decimal("SUSDS_DRIP_LARGE", "5000000", "USDS: one sUSDS drip minting at least this much yield is Medium (a long gap since the last drip on a large supply)", { min: "0" }),
  dripExcess: field.decimal(
    "SUSDS_DRIP_EXCESS",
    "0.01",
    "an sUSDS drip minting more than (1 + this) times what its rate, the time since the last drip and the supply explain is High",
    { min: "0" },
  ),
  ...ATTRIBUTION_CONFIG,
};

export type StablecoinConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
