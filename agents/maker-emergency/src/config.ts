/**
 * maker-emergency configuration: every key with its default. Amounts are in governance tokens
 * (the ESM's `gem`: MKR, or SKY since the 2024 rebrand), as decimal numbers.
 */
import { readConfig, field, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  ...ATTRIBUTION_CONFIG,
  joinMin: field.decimal(
    "ESM_JOIN_MIN",
    "2",
    "smallest ESM join reported (governance tokens); the earlier public bot used 2 MKR. With a SKY-denominated ESM set it higher (1 MKR = 24,000 SKY)",
    { min: "0" },
  ),
  warnFraction: field.decimal(
    "ESM_WARN_FRACTION",
    "0.5",
    "the ESM running total (Sum) reaching this fraction of min() opens a High episode; reaching min() escalates it to Critical",
    { min: "0", max: "1" },
  ),
};

export type EmergencyConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
