/**
 * maker-governance configuration: every key with its default. Approval amounts are in the chief's
 * governance token (MKR for the ds-chief 1.2 shape, SKY for the 2025 chief: 1 MKR = 24,000 SKY);
 * the approval thresholds are in MKR and scaled to the chief's token.
 */
import { ConfigError } from "../../../shared/errors";
import { readConfig, field, type Env } from "../../../shared/config";
import { MAKER_CHAINLOG_FIELD } from "../../../shared/maker/chainlog";
import { MAKER_KNOWN_SPELLS_FIELD, MAKER_SPELL_DEPLOYERS_FIELD } from "../../../shared/maker/governance";

export const CONFIG_SPEC = {
  chainlog: MAKER_CHAINLOG_FIELD,
  spellDeployers: MAKER_SPELL_DEPLOYERS_FIELD,
  knownSpells: MAKER_KNOWN_SPELLS_FIELD,
  knownLifters: field.addressList(
    "GOV_KNOWN_LIFTERS",
    ["0x5cab1e5286529370880776461c53a0e47d74fb63"],
    "accounts whose lifts are expected (the earlier public Maker bot's lifter by default); spell deployers count as known lifters too. A lift is checked against the caller the note logs and the transaction's sender",
  ),
  minApprovals: field.decimal(
    "GOV_HAT_MIN_APPROVALS",
    "40000",
    "the hat holding fewer approvals than this, in MKR (a SKY chief's approvals count GOV_SKY_PER_MKR SKY to the MKR), opens a High episode; 40,000 MKR as the earlier public bot",
    { min: "0" },
  ),
  criticalApprovals: field.decimal(
    "GOV_HAT_CRITICAL_APPROVALS",
    "10000",
    "below this many approvals, in MKR like GOV_HAT_MIN_APPROVALS, the low-approvals episode escalates to Critical (must not exceed GOV_HAT_MIN_APPROVALS)",
    { min: "0" },
  ),
  skyPerMkr: field.decimal(
    "GOV_SKY_PER_MKR",
    "24000",
    "SKY per MKR (the fixed MKR-to-SKY conversion rate): when the chief's token (GOV()) is SKY, as for MCD_ADM since 2025, its approvals are divided by this before the thresholds apply",
    { min: "1" },
  ),
  graceBlocks: field.int(
    "GOV_HAT_APPROVALS_GRACE_BLOCKS",
    10,
    "the hat's approvals must stay below GOV_HAT_MIN_APPROVALS for this many blocks, with the same hat, before the episode opens (a newly lifted hat starts its own count): voters moving to a new spell leave the old hat briefly empty until the new one is lifted (0: open at once)",
    { min: 0 },
  ),
  minCampaignHours: field.decimal(
    "SKY_GOV_MIN_CAMPAIGN_HOURS",
    "24",
    "new Chief: a spell lifted sooner than this many hours after the first vote the bot saw for it won in a rush (an ordinary executive is voted over days); with the two keys below it decides whether a spell that no list names counts as vetted",
    { min: "0" },
  ),
  minSupporters: field.int("SKY_GOV_MIN_SUPPORTERS", 2, "new Chief: a spell backed by fewer distinct voters (VoteDelegates or accounts) than this when lifted won suspiciously", { min: 1 }),
  minDelegateShare: field.decimal(
    "SKY_GOV_MIN_DELEGATE_SHARE",
    "0.5",
    "new Chief: a spell with less than this share (0-1) of its approvals locked through VoteDelegates (VOTE_DELEGATE_FACTORY) when lifted won from outside the delegates",
    { min: "0" },
  ),
  swingShare: field.decimal(
    "SKY_GOV_SWING_SHARE",
    "0.2",
    "new Chief: one transaction adding more than this share (0-1) of the hat's approvals to a VoteDelegate is a delegation swing (High when its delegate backs a spell that is not vetted)",
    { min: "0" },
  ),
  planImminentHours: field.decimal(
    "GOV_PLAN_IMMINENT_HOURS",
    "12",
    "a plan that no known spell scheduled (MAKER-PAUSE-PLAN-CLOCK) escalates to Critical once fewer than this many hours are left before its eta with the plan still scheduled: the time left to lift Protego or a drop spell",
    { min: "0" },
  ),
  voteDelegateFactories: field.list(
    "SKY_GOV_VOTE_DELEGATE_FACTORY_KEYS",
    ["VOTE_DELEGATE_FACTORY", "VOTE_DELEGATE_FACTORY_LEGACY"],
    "ChainLog keys of the VoteDelegateFactories whose VoteDelegates are watched (created, delegation swings, delegate share of a campaign); the legacy factory's key is the one sky.md names (VOTE_DELEGATE_FACTORY_LEGACY): change it here if the ChainLog names it otherwise",
  ),
};

export type GovernanceConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  const cfg = readConfig(CONFIG_SPEC, env);
  if (cfg.criticalApprovals.gt(cfg.minApprovals)) {
    throw new ConfigError("GOV_HAT_CRITICAL_APPROVALS", env.GOV_HAT_CRITICAL_APPROVALS ?? cfg.criticalApprovals.toFixed(), `must not exceed GOV_HAT_MIN_APPROVALS (${cfg.minApprovals.toFixed()})`);
  }
  return cfg;
}
