/**
 * maker-auth configuration: every key with its default.
 */
import { readConfig, field, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { MAKER_KNOWN_SPELLS_FIELD, MAKER_SPELL_DEPLOYERS_FIELD } from "../../../shared/maker/governance";

export const DEFAULT_CORE_KEYS = [
  "CHANGELOG", "MCD_VAT", "MCD_DAI", "MCD_JOIN_DAI", "MCD_JUG", "MCD_SPOT", "MCD_VOW", "MCD_POT", "MCD_DOG", "MCD_CAT",
  "MCD_END", "MCD_ESM", "MCD_FLASH", "MCD_GOV", "MCD_IOU", "MCD_ADM", "MCD_PAUSE", "MCD_PAUSE_PROXY", "MCD_FLAP", "MCD_FLOP",
  "MCD_SPLIT", "MCD_CURE", "ILK_REGISTRY", "USDS", "USDS_JOIN", "SUSDS", "SKY", "PIP_*", "MCD_CLIP_*", "MCD_JOIN_*",
  "MCD_PSM_*", "MCD_LITE_PSM_*", "*_ESCROW",
  // the 2025 Chief's emergency paths (their contracts hold no rights of their own: re-pointing the key is the change)
  "MCD_PROTEGO", "VOTE_DELEGATE_FACTORY", "EMSP_*",
  // the Smart Burn Engine: the Kicker is a Vat ward; the MOM and the oracle steer the burns
  "MCD_KICK", "SPLITTER_MOM", "FLAP_SKY_ORACLE",
  // Sky part 2, Lockstake and the LitePSM (sky.md §7-8, §11)
  "LOCKSTAKE_ENGINE", "LOCKSTAKE_SKY", "LOCKSTAKE_CLIP", "LOCKSTAKE_MIGRATOR", "LOCKSTAKE_ORACLE", "STUSDS", "LITE_PSM_MOM", "WRAPPER_USDS_LITE_PSM_USDC_A",
  // the Stars' capital perimeter (sky.md §13-14): re-pointing one re-points what sky-allocators watches
  "ALLOCATOR_*", "*_SUBPROXY", "*_STARGUARD",
];

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  spellDeployers: MAKER_SPELL_DEPLOYERS_FIELD,
  knownSpells: MAKER_KNOWN_SPELLS_FIELD,
  coreKeys: field.list(
    "AUTH_CORE_KEYS",
    DEFAULT_CORE_KEYS,
    "ChainLog keys whose UpdateAddress (adding or re-pointing) or RemoveAddress by governance is High (* matches any characters, e.g. PIP_* or *_ESCROW); other keys' changes are Info",
  ),
};

export type AuthConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
