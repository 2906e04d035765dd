/**
 * What a contract lifted to the new Chief's hat is, from what the chain says (plain functions, no
 * I/O). A list of spell deployers goes stale (every crafter's new account makes every new hat
 * "unknown"), so a hat is judged by two kinds of evidence that an ordinary spell always has and an
 * attacker has to fake at a cost:
 *
 * - what it is: the DssSpell getters (`pause()` is MCD_PAUSE, `action()` has code, `tag()` is the
 *   action's code hash, `expiration()` ahead but not the EMSP "never", `description()`); an EMSP
 *   (a ChainLog `EMSP_*` key, or made by an `EMSP_*_FAB` factory), Protego, or a drop spell
 *   Protego made; its deployer's history (the account cast earlier spells that ran as vetted);
 * - how it won: the votes the bot saw for it (the first one, how many voters, how much of its
 *   approvals sit in VoteDelegates): an ordinary spell is voted over days by several delegates,
 *   a takeover gathers its weight in minutes from a few fresh accounts.
 *
 * A configured allow-list or deployer is an override (vetted whatever the rest says).
 */
import { FindingSeverity } from "../../../shared/findings";
import { dec, type Decimal } from "../../../shared/math";

export type SpellClass = "configured" | "normal" | "emsp" | "protego" | "drop-spell" | "suspicious" | "unknown";

/** The DssSpell getters as read from the candidate (null: the getter is missing or reverts). */
export interface SpellShape {
  hasCode: boolean;
  /** pause() equals MCD_PAUSE */
  pauseMatches: boolean | null;
  /** action() has code */
  actionHasCode: boolean | null;
  /** tag() equals extcodehash(action()) */
  tagMatches: boolean | null;
  expiration: string | null;
  done: boolean | null;
  description: string;
}

export interface Campaign {
  /** the bot saw votes for it (false: it started watching after the campaign) */
  observed: boolean;
  /** unix time of the first vote seen for it */
  firstSupport: number | null;
  /** distinct voters whose current slate holds it */
  supporters: number;
  /** how many of them are VoteDelegates made by VOTE_DELEGATE_FACTORY */
  delegateSupporters: number;
  /** its approvals held by those VoteDelegates, as a share of its approvals (null: not read) */
  delegateShare: Decimal | null;
}

export interface SpellFacts {
  configured: boolean;
  /** the ChainLog key that makes it an emergency spell (EMSP_* or, for a factory's spell, the factory's key) */
  emsp: string | null;
  protego: boolean;
  dropSpell: boolean;
  shape: SpellShape;
  campaign: Campaign;
  /** it is a CREATE address of an account that cast an earlier vetted spell */
  learnedDeployer: boolean;
  /** the block time of the lift (or of the vote being judged) */
  now: number;
}

export interface ClassifyThresholds {
  /** fewer seconds than this between the first vote seen and the lift is a rushed campaign */
  minCampaignSeconds: number;
  /** fewer voters than this */
  minSupporters: number;
  /** less than this share of its approvals in VoteDelegates */
  minDelegateShare: Decimal;
}

export interface Verdict {
  class: SpellClass;
  severity: FindingSeverity;
  /** counts as a known spell (the hat, plot and exec alerts treat it as one) */
  vetted: boolean;
  /** why, for people: what was checked and what did not hold */
  reasons: string[];
}

/** A DssSpell's expiration is weeks ahead; the EMSPs' "never" (2^256-1) on anything else is a disguise. */
const FAR = dec(2).pow(255);

export function shapeProblems(s: SpellShape, now: number): string[] {
  if (!s.hasCode) return ["no code at the address"];
  const p: string[] = [];
  if (s.pauseMatches === null || s.actionHasCode === null || s.expiration === null) return ["not DssSpell-shaped (no pause(), action() or expiration())"];
  if (!s.pauseMatches) p.push("pause() is not MCD_PAUSE");
  if (!s.actionHasCode) p.push("action() has no code");
  if (s.tagMatches === false) p.push("tag() is not the action's code hash");
  const exp = dec(s.expiration);
  if (exp.lte(now)) p.push("expired");
  else if (exp.gte(FAR)) p.push("never expires, as an emergency spell, but is no ChainLog EMSP");
  if (!s.description) p.push("no description()");
  return p;
}

export function campaignProblems(c: Campaign, now: number, t: ClassifyThresholds): string[] {
  if (!c.observed) return [];
  const p: string[] = [];
  const age = c.firstSupport === null ? 0 : now - c.firstSupport;
  if (age < t.minCampaignSeconds) p.push(`won ${hoursOf(age)} h after its first vote (under ${hoursOf(t.minCampaignSeconds)} h)`);
  if (c.supporters < t.minSupporters) p.push(`${c.supporters} voter(s) (under ${t.minSupporters})`);
  if (c.delegateShare !== null && c.delegateShare.lt(t.minDelegateShare)) p.push(`${c.delegateShare.times(100).toFixed(1)}% of its approvals in VoteDelegates (under ${t.minDelegateShare.times(100).toFixed(0)}%)`);
  return p;
}

export function classifySpell(f: SpellFacts, t: ClassifyThresholds): Verdict {
  if (f.configured) return { class: "configured", severity: FindingSeverity.Info, vetted: true, reasons: ["configured (MAKER_KNOWN_SPELLS or MAKER_SPELL_DEPLOYERS)"] };
  if (f.protego) return { class: "protego", severity: FindingSeverity.High, vetted: false, reasons: ["MCD_PROTEGO is the hat: anyone can now drop any planned spell, legitimate ones included"] };
  if (f.dropSpell) return { class: "drop-spell", severity: FindingSeverity.Medium, vetted: false, reasons: ["an EmergencyDropSpell made by Protego: it drops one planned spell"] };
  if (f.emsp) return { class: "emsp", severity: FindingSeverity.High, vetted: false, reasons: [`emergency spell ${f.emsp}: its schedule() trips its breaker at once, with no delay`] };
  const shape = shapeProblems(f.shape, f.now);
  if (!f.shape.hasCode || shape[0]?.startsWith("not DssSpell-shaped")) return { class: "unknown", severity: FindingSeverity.Critical, vetted: false, reasons: shape };
  const campaign = campaignProblems(f.campaign, f.now, t);
  const problems = [...shape, ...campaign];
  if (problems.length) return { class: "suspicious", severity: FindingSeverity.High, vetted: false, reasons: problems };
  const reasons = ["DssSpell-shaped (pause, action, tag, expiration, description)"];
  if (f.campaign.observed) reasons.push(`voted over ${hoursOf(f.now - (f.campaign.firstSupport ?? f.now))} h by ${f.campaign.supporters} voters (${f.campaign.delegateSupporters} VoteDelegates)`);
  if (f.learnedDeployer) reasons.push("deployed by an account that cast earlier vetted spells");
  if (f.shape.done) reasons.push("already cast (done)");
  // evidence of how it won, its deployer's history or a cast already through the delay: Info; shape alone: Low
  const strong = f.campaign.observed || f.learnedDeployer || f.shape.done === true;
  if (!strong) reasons.push("its campaign was not observed (the bot started later)");
  return { class: "normal", severity: strong ? FindingSeverity.Info : FindingSeverity.Low, vetted: true, reasons };
}

function hoursOf(seconds: number): string {
  return (seconds / 3600).toFixed(1);
}
