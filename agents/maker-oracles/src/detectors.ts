/**
 * maker-oracles detection logic: plain functions over decoded values, no chain access.
 * Prices are raw wad integers compared exactly (no floats); times are unix seconds.
 */
import { FindingSeverity } from "../../../shared/findings";
import { decodeMedianValAge, decodeOsmSrcHopZzz, type OsmFeed } from "../../../shared/abi";
import { dec, type Decimal } from "../../../shared/math";

/** Severity levels of the price and staleness conditions, mildest first. */
export type Level = "Medium" | "High" | "Critical";
export const LEVELS: readonly Level[] = ["Medium", "High", "Critical"];

export function severityOf(level: Level): FindingSeverity {
  return level === "Critical" ? FindingSeverity.Critical : level === "High" ? FindingSeverity.High : FindingSeverity.Medium;
}

/** A threshold and the multiples of it at which a move becomes High, then Critical. */
export interface MagnitudeRule {
  threshold: Decimal;
  highFactor: Decimal;
  criticalFactor: Decimal;
}

/** The level of a relative move `size` (absolute value taken), or null below the threshold. */
export function magnitudeLevel(size: Decimal, rule: MagnitudeRule): Level | null {
  const s = size.abs();
  if (s.gte(rule.threshold.times(rule.criticalFactor))) return "Critical";
  if (s.gte(rule.threshold.times(rule.highFactor))) return "High";
  if (s.gte(rule.threshold)) return "Medium";
  return null;
}

/** `(to - from) / from` of two raw integers; null when `from` is zero. */
export function relative(from: bigint, to: bigint): Decimal | null {
  if (from === 0n) return null;
  return dec(to).minus(dec(from)).div(dec(from));
}

export interface PriceJump {
  /** (nxt - cur) / cur: negative when the price will fall */
  change: Decimal;
  level: Level;
}

/**
 * The OSM's queued price (`nxt`) against its current one (`cur`): reported when the move is at
 * least the threshold. Nothing to compare when either feed is unset (`has` = 0) or cur is zero.
 */
export function priceJump(cur: OsmFeed, nxt: OsmFeed, rule: MagnitudeRule): PriceJump | null {
  if (!cur.has || !nxt.has) return null;
  const change = relative(cur.val, nxt.val);
  if (change === null) return null;
  const level = magnitudeLevel(change, rule);
  return level ? { change, level } : null;
}

export interface Divergence {
  /** (median - cur) / cur, or null when there is nothing to compare */
  gap: Decimal | null;
  level: Level | null;
}

/**
 * The Median's current value against the OSM's current value (what the Spotter and the Clippers
 * use). While an episode is open (`open`), it stays open (at least Medium) until the gap falls
 * below `resolveFraction` of the threshold, so a gap hovering at the threshold does not flap.
 */
export function divergence(medianVal: bigint, cur: OsmFeed, rule: MagnitudeRule, resolveFraction: Decimal, open: boolean): Divergence {
  if (!cur.has || medianVal === 0n) return { gap: null, level: null };
  const gap = relative(cur.val, medianVal);
  if (gap === null) return { gap: null, level: null };
  let level = magnitudeLevel(gap, rule);
  if (!level && open && gap.abs().gte(rule.threshold.times(resolveFraction))) level = "Medium";
  return { gap, level };
}

export interface StaleRule {
  /** seconds allowed after zzz + hop */
  grace: number;
  highHops: number;
  criticalHops: number;
}

/** Seconds since the OSM's next poke became possible (`zzz + hop`); negative while it is not due. */
export function lateness(now: number, zzz: number, hop: number): number {
  return now - (zzz + hop);
}

/**
 * How stale an OSM is at time `now` from its state alone: Medium once it is late by the grace,
 * High once late by the grace plus `highHops` hops, Critical by the grace plus `criticalHops`
 * hops. A hop of 0 makes `poke` revert on mainnet's OSM (`prev` divides by hop), so such an OSM is
 * Critical as soon as it is late by the grace.
 */
export function staleLevel(now: number, zzz: number, hop: number, rule: StaleRule): Level | null {
  const late = lateness(now, zzz, hop);
  if (late < rule.grace) return null;
  if (late >= rule.grace + rule.criticalHops * hop) return "Critical";
  if (late >= rule.grace + rule.highHops * hop) return "High";
  return "Medium";
}

/** Never poked (zzz = 0), or last poked at least `dormantAfter` seconds before `now`. */
export function isDormant(now: number, zzz: number, dormantAfter: number): boolean {
  return zzz === 0 || now - zzz >= dormantAfter;
}

// ---- What a PIP_* is ---------------------------------------------------------------------------

/**
 * - `osm`: mainnet's OSM (makerdao/osm): public `hop/zzz/src/stopped` agree with the packed
 *   storage words (slot 1 stopped, slot 2 src|hop|zzz), so `cur`/`nxt` can be read from slots 3/4.
 * - `osm-like`: answers `hop/zzz/src/stopped` but keeps another storage layout (the LP-token
 *   oracles, e.g. UNIV2LPOracle): watched for staleness and hop changes through its getters.
 * - `capped`: LOCKSTAKE_ORACLE's LockstakeCappedOsmWrapper: the OSM getters passed through to the
 *   OSM it wraps, reads capped at `cap()`; watched for its cap, readers and wards (the OSM it wraps,
 *   PIP_SKY, is watched as an OSM).
 * - `value`: a DSValue-like fixed price (stablecoins, RWAs): `peek()` answers anyone.
 * - `unknown`: a contract that is none of these; `none`: no code at the address.
 */
export type PipKind = "osm" | "osm-like" | "capped" | "value" | "unknown" | "none";

/** What the classifying reads returned; a field is undefined when its call reverted. */
export interface PipProbe {
  code: string;
  hop?: number;
  zzz?: number;
  src?: string;
  stopped?: bigint;
  slot1: string;
  slot2: string;
  peekAnswers: boolean;
  /** `cap()` answers besides the OSM getters (a capped OSM wrapper) */
  capped?: boolean;
}

export function classifyPip(p: PipProbe): PipKind {
  if (p.code === "0x") return "none";
  if (p.capped) return "capped"; // before the OSM tests: it answers the OSM getters too
  if (p.hop !== undefined && p.zzz !== undefined && p.src !== undefined && p.stopped !== undefined) {
    const packed = decodeOsmSrcHopZzz(p.slot2);
    const sameLayout = packed.src === p.src.toLowerCase() && packed.hop === p.hop && packed.zzz === p.zzz && BigInt(p.slot1) === p.stopped;
    return sameLayout ? "osm" : "osm-like";
  }
  if (p.peekAnswers) return "value";
  return "unknown";
}

/**
 * What an OSM reads: mainnet's Median (`median`), a Chronicle Scribe (`scribe`) or ScribeOptimistic
 * (`scribe-optimistic`), or anything else with the `peek()` an OSM relies on (`other`). A Scribe
 * answers `bar()` like a Median but has no `age()`; it is told by chronicle-std's `authed(address)`
 * and `tolled(address)`, the optimistic one also by `opChallengePeriod()`.
 */
export type SourceKind = "median" | "scribe" | "scribe-optimistic" | "other";

export interface SourceProbe {
  bar?: bigint;
  age?: number;
  slot1: string;
  authed?: boolean;
  tolled?: boolean;
  opChallengePeriod?: number;
}

export function sourceKindOf(probe: SourceProbe): SourceKind {
  if (isMedian(probe)) return "median";
  if (probe.bar !== undefined && probe.authed !== undefined && probe.tolled !== undefined) return probe.opChallengePeriod !== undefined ? "scribe-optimistic" : "scribe";
  return "other";
}

export const isScribe = (k: SourceKind | undefined): boolean => k === "scribe" || k === "scribe-optimistic";

/** A source behind an OSM is a Median when it answers `bar()`/`age()` and its slot 1 holds that age. */
export function isMedian(probe: { bar?: bigint; age?: number; slot1: string }): boolean {
  if (probe.bar === undefined || probe.age === undefined) return false;
  return decodeMedianValAge(probe.slot1).age === probe.age;
}

// ---- Oracle controls: who may make them, how severe they are ----------------------------------

export type ControlAction =
  | "change"
  | "stop"
  | "start"
  | "void"
  | "rely"
  | "deny"
  | "kiss"
  | "diss"
  | "lift"
  | "drop"
  | "setBar.lower"
  | "setBar.raise"
  | "value.poke"
  | "value.void";

/**
 * Severity of a control by governance (MCD_PAUSE_PROXY, OSM_MOM, configured trusted callers)
 * and by anyone else. Anything done outside governance means a ward other than governance
 * exists and used its rights: Critical for whatever moves or freezes prices or grants rights.
 */
export const CONTROL_SEVERITY: Record<ControlAction, { governance: FindingSeverity; outsider: FindingSeverity }> = {
  change: { governance: FindingSeverity.High, outsider: FindingSeverity.Critical },
  stop: { governance: FindingSeverity.High, outsider: FindingSeverity.Critical },
  start: { governance: FindingSeverity.Low, outsider: FindingSeverity.Critical },
  void: { governance: FindingSeverity.High, outsider: FindingSeverity.Critical },
  rely: { governance: FindingSeverity.Medium, outsider: FindingSeverity.Critical },
  deny: { governance: FindingSeverity.Medium, outsider: FindingSeverity.Critical },
  kiss: { governance: FindingSeverity.Info, outsider: FindingSeverity.High },
  diss: { governance: FindingSeverity.Low, outsider: FindingSeverity.High },
  lift: { governance: FindingSeverity.Medium, outsider: FindingSeverity.Critical },
  drop: { governance: FindingSeverity.Medium, outsider: FindingSeverity.Critical },
  "setBar.lower": { governance: FindingSeverity.High, outsider: FindingSeverity.Critical },
  "setBar.raise": { governance: FindingSeverity.Medium, outsider: FindingSeverity.Critical },
  "value.poke": { governance: FindingSeverity.Medium, outsider: FindingSeverity.Critical },
  "value.void": { governance: FindingSeverity.High, outsider: FindingSeverity.Critical },
};

export function controlSeverity(action: ControlAction, byGovernance: boolean): FindingSeverity {
  const s = CONTROL_SEVERITY[action];
  return byGovernance ? s.governance : s.outsider;
}

/**
 * Severity of a control whose log does not name the caller (the LP-token oracles' named events):
 * governance cannot be told from an outsider without traces, so High whoever made it (as a DSValue
 * owner change). maker-auth attributes Rely/Deny on every ChainLog contract from the transaction.
 */
export const UNATTRIBUTED_CONTROL_SEVERITY = FindingSeverity.High;

/** An OSM-like oracle's `Value(curVal, nxtVal)` as the feeds priceJump compares (a zero value is unset). */
export function feedsOfValueEvent(curVal: bigint, nxtVal: bigint): { cur: OsmFeed; nxt: OsmFeed } {
  return { cur: { val: curVal, has: curVal !== 0n }, nxt: { val: nxtVal, has: nxtVal !== 0n } };
}

/**
 * What a ChainLog edit of MCD_PAUSE_PROXY or OSM_MOM (the callers trusted as governance) means for
 * oracle controls. `trustedAfter`: the callers trusted once the edit applied (the ChainLog's and
 * ORACLE_TRUSTED_CALLERS), so an address that stays trusted some other way is said to.
 */
export function trustedCallerChange(key: string, from: string | null, to: string | null, trustedAfter: ReadonlySet<string>): string {
  const parts: string[] = [];
  if (to) parts.push(`oracle controls made by ${to} now count as governance's`);
  if (from && from !== to) {
    const subject = to ? `those made by ${from}` : `oracle controls made by ${from}`;
    parts.push(
      trustedAfter.has(from)
        ? `${subject} still ${to ? "do" : "count as governance's"} (it is trusted otherwise: ORACLE_TRUSTED_CALLERS or another governance key)`
        : `${subject} no longer ${to ? "do" : "count as governance's"}: they are reported as made outside governance`,
    );
  }
  const what = !to ? `removed ${key} (was ${from})` : from ? `moved ${key} from ${from} to ${to}` : `added ${key}: ${to}`;
  return `The ChainLog ${what}: ${parts.join("; ")}`;
}

/** A hop change: a shorter delay leaves less time to react to a bad price (High). */
export function hopChangeSeverity(from: number, to: number): FindingSeverity {
  return to < from ? FindingSeverity.High : FindingSeverity.Medium;
}

// ---- The capped LOCKSTAKE_ORACLE -----------------------------------------------------------------

/** A price as a capped wrapper answers it: `peek()`/`peep()` (value, has). */
export interface CappedFeed {
  val: bigint;
  has: boolean;
}

/**
 * Whether a capped wrapper's cap binds: `current` when its current price (`peek`, what the Spotter
 * and the clipper read now) is at the cap, i.e. the OSM's own price is at or above it; `queued`
 * when only the next price (`peep`, current from the next poke) is; null otherwise (also when the
 * price is not valid, or the wrapper has no `peep`).
 */
export function capBinding(cap: bigint, cur: CappedFeed | undefined, nxt: CappedFeed | undefined): "current" | "queued" | null {
  const binds = (f: CappedFeed | undefined) => !!f && f.has && f.val >= cap;
  if (binds(cur)) return "current";
  if (binds(nxt)) return "queued";
  return null;
}
