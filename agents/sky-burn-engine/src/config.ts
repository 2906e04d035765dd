/**
 * sky-burn-engine configuration: every key with its default.
 */
import { field, readConfig, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  headroomFraction: field.decimal(
    "SKY_BURN_HEADROOM_FRACTION",
    "0.05",
    "the Vow's net position (dai - sin) within this fraction of the size of khump + kbump (at least kbump) above the Kicker's threshold opens SKY-BURN-HEADROOM at Medium (burns about to stop); below the threshold it is High",
    { min: "0", max: "1" },
  ),
  bandMargin: field.decimal(
    "SKY_FLAP_BAND_MARGIN",
    "0.005",
    "a flap whose SKY bought, as a fraction of the oracle's fair amount, is below the flapper's want plus this margin is SKY-FLAP-NEAR-BAND (want 0.98: flaps realising less than 98.5% of the oracle price)",
    { min: "0", max: "1" },
  ),
  oracleJump: field.decimal("SKY_FLAP_ORACLE_JUMP", "0.1", "a poke of the flap oracle moving its price by at least this fraction from the previous one is SKY-FLAP-ORACLE-JUMP", { min: "0" }),
  oracleMaxAge: field.int("SKY_FLAP_ORACLE_MAX_AGE", 86400, "seconds after which the flap oracle's last poke is stale (SKY-FLAP-ORACLE-STALE)", { min: 1 }),
  ...ATTRIBUTION_CONFIG,
};

export type BurnConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
