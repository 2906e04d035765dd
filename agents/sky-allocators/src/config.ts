/**
 * sky-allocators configuration: every key with its default.
 */
import { field, readConfig, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { ATTRIBUTION_CONFIG } from "../../../shared/maker/callers";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  knownAddresses: field.list(
    "SKY_ALLOCATOR_KNOWN_ADDRESSES",
    [],
    "addresses besides the ChainLog's that may hold allocator roles or buffer approvals without a High finding (comma-separated): the Stars' ALM proxies and operators; any other grantee or spender is 'unknown'",
  ),
  paceFactor: field.decimal(
    "SKY_ALLOCATOR_PACE_FACTOR",
    "2",
    "a vault's debt growth over the last AutoLine ttl above this multiple of the AutoLine gap opens SKY-ALLOCATOR-PACE; 2 because the AutoLine alone allows up to 2 gaps within one ttl (the headroom left before the window plus one raise inside it), so more means the line was lifted some other way",
    { min: "0" },
  ),
  ...ATTRIBUTION_CONFIG,
};

export type AllocatorsConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
