/**
 * sky-rates configuration: every key with its default.
 */
import { readConfig, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  ...ATTRIBUTION_CONFIG,
};

export type RatesConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
