/**
 * sky-bridges configuration: every key with its default.
 */
import { field, readConfig, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  eids: field.list("SKY_LZ_EIDS", ["30168", "30106"], "LayerZero endpoint ids whose inbound limits are checked every block from the start (Solana, Avalanche); eids seen later in PeerSet, RateLimitsChanged or OFTReceived are added"),
  inboundFraction: field.decimal("SKY_LZ_INBOUND_FRACTION", "0.8", "inbound amount in flight at or above this fraction of an eid's inbound limit opens SKY-LZ-INBOUND-NEAR-LIMIT", { min: "0", max: "1" }),
  ...ATTRIBUTION_CONFIG,
};

export type BridgesConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
