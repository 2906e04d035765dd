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
  ...ATTRIBUTION_CONFIG,
};

export type StablecoinConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
