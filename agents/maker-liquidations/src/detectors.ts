/**
 * maker-liquidations detection logic: plain functions over raw on-chain integers (bigint), no chain
 * access. Comparisons with thresholds are exact (bigint, or decimals with finite expansions).
 */
import { ethers } from "forta-agent";
import { VigilError } from "../../../shared/errors";
import { dec, RAD, type Decimal } from "../../../shared/math";

export const WAD = 10n ** 18n;
export const RAY = 10n ** 27n;

/** A DAI amount (decimal) as a raw rad integer (truncated below 1e-45 DAI). */
export function daiToRad(amount: Decimal): bigint {
  return BigInt(amount.times(RAD).integerValue(1 /* ROUND_DOWN */).toFixed(0));
}

// ---- size of one liquidation -------------------------------------------------------------------

export type SizeLevel = "medium" | "high";

/** A liquidation of `due` [rad] against the Medium/High thresholds [rad]. */
export function barkLevel(due: bigint, medium: bigint, high: bigint): SizeLevel | null {
  if (due >= high) return "high";
  if (due >= medium) return "medium";
  return null;
}

// ---- volume in a rolling window ------------------------------------------------------------------

/** One liquidation in the window (plain JSON): block time, block, ilk name, debt liquidated [rad, decimal string]. */
export interface WindowEntry {
  t: number;
  b: number;
  ilk: string;
  due: string;
  /** "dog" or "cat" */
  via: string;
}

/** Drop entries that are `windowSec` or more seconds older than `now` (the window is (now - windowSec, now]). */
export function pruneWindow(entries: WindowEntry[], now: number, windowSec: number): void {
  let keep = 0;
  while (keep < entries.length && entries[keep]!.t <= now - windowSec) keep++;
  if (keep > 0) entries.splice(0, keep);
}

export interface Volume {
  total: bigint;
  count: number;
  firstBlock: number;
}

/** Debt liquidated in the window, overall and per ilk. */
export function windowVolumes(entries: readonly WindowEntry[]): { global: Volume; ilks: Record<string, Volume> } {
  const global: Volume = { total: 0n, count: 0, firstBlock: 0 };
  const ilks: Record<string, Volume> = {};
  for (const e of entries) {
    const due = BigInt(e.due);
    for (const v of [global, (ilks[e.ilk] ??= { total: 0n, count: 0, firstBlock: 0 })]) {
      if (v.count === 0) v.firstBlock = e.b;
      v.total += due;
      v.count += 1;
    }
  }
  return { global, ilks };
}

export type CascadeLevel = "high" | "critical";

export function cascadeLevel(volume: bigint, high: bigint, critical: bigint): CascadeLevel | null {
  if (volume >= critical) return "critical";
  if (volume >= high) return "high";
  return null;
}

// ---- Dirt against Hole ---------------------------------------------------------------------------

export type DirtLevel = "medium" | "high";

/**
 * How close `dirt` is to its limit `hole` (both rad): "high" at or above `high` of it, "medium" at
 * or above `medium`. A limit of 0 stops all liquidations: "high" for the global Hole, but null for
 * an ilk's hole (an ilk that is not liquidated through the Dog, e.g. a PSM or RWA ilk).
 */
export function dirtLevel(dirt: bigint, hole: bigint, t: { medium: Decimal; high: Decimal }, global: boolean): DirtLevel | null {
  if (hole === 0n) return global ? "high" : null;
  const d = dec(dirt);
  const h = dec(hole);
  if (d.gte(h.times(t.high))) return "high";
  if (d.gte(h.times(t.medium))) return "medium";
  return null;
}

// ---- auctions -----------------------------------------------------------------------------------

/** The Clipper's feed price [ray] from the oracle's value [wad] and the Spotter's par [ray]: rdiv(val * 1e9, par). */
export function feedPrice(valWad: bigint, par: bigint): bigint {
  if (par === 0n) throw new VigilError("PAR_ZERO", "the Spotter's par is 0: no feed price can be derived");
  return (valWad * 10n ** 9n * RAY) / par;
}

/** Is a take at `price` [ray] below `floor` (a fraction) of the oracle price `feed` [ray]? */
export function takeBelowOracle(price: bigint, feed: bigint, floor: Decimal): { below: boolean; ratio: Decimal | null } {
  if (feed === 0n) return { below: false, ratio: null };
  return { below: dec(price).lt(dec(feed).times(floor)), ratio: dec(price).div(dec(feed)) };
}

/**
 * Since when an auction has needed a redo: the first block time it was seen needing one, or, when
 * its age already exceeds `tail`, the moment the age first did (`tic + tail + 1`), whichever is
 * earlier (time may jump between the blocks the bot sees).
 */
export function redoableSince(firstSeen: number, tic: number, tail: number | null, now: number): number {
  if (tail !== null && now - tic > tail) return Math.min(firstSeen, tic + tail + 1);
  return firstSeen;
}

export interface IncentiveCheck {
  outlier: boolean;
  /** coin / tab; null when tab is 0 */
  fraction: Decimal | null;
  reasons: string[];
}

/** A keeper incentive `coin` [rad] paid on a Kick or Redo of `tab` [rad] against the limits. */
export function incentiveCheck(coin: bigint, tab: bigint, maxFraction: Decimal, maxCoin: bigint): IncentiveCheck {
  const fraction = tab === 0n ? null : dec(coin).div(dec(tab));
  const reasons: string[] = [];
  if (coin > 0n && coin >= maxCoin) reasons.push("amount");
  if (coin > 0n && (tab === 0n || dec(coin).gte(dec(tab).times(maxFraction)))) reasons.push("share of tab");
  return { outlier: reasons.length > 0, fraction, reasons };
}

export type BreakerSeverity = "info" | "medium" | "high";

/** Clipper breaker (`stopped`): 0 runs, 1 no new kicks, 2 no kicks or redos (ClipperMom's trip), 3 nothing, not even takes. */
export function breakerSeverity(level: number): BreakerSeverity {
  if (level <= 0) return "info";
  if (level === 1) return "medium";
  return "high";
}

export function breakerMeaning(level: number): string {
  switch (level) {
    case 0:
      return "liquidations running (no breaker)";
    case 1:
      return "no new auctions (kick stopped)";
    case 2:
      return "no new auctions and no redos (kick and redo stopped)";
    case 3:
      return "auctions frozen (kick, redo and take stopped)";
    default:
      return `unknown breaker level ${level}`;
  }
}

export interface Sale {
  tab: bigint;
  lot: bigint;
  usr: string;
  tic: number;
  top: bigint;
}

/**
 * A Clipper's `sales(id)` answer: 6 words (pos, tab, lot, usr, tic, top) for the dss Clipper, 7
 * (pos, tab, lot, tot, usr, tic, top) for the lockstake Clipper.
 */
export function decodeSale(data: string): Sale {
  const words = (data.length - 2) / 64;
  const coder = ethers.utils.defaultAbiCoder;
  if (words === 6) {
    const [, tab, lot, usr, tic, top] = coder.decode(["uint256", "uint256", "uint256", "address", "uint96", "uint256"], data);
    return { tab: tab.toBigInt(), lot: lot.toBigInt(), usr: String(usr).toLowerCase(), tic: Number(tic), top: top.toBigInt() };
  }
  if (words === 7) {
    const [, tab, lot, , usr, tic, top] = coder.decode(["uint256", "uint256", "uint256", "uint256", "address", "uint96", "uint256"], data);
    return { tab: tab.toBigInt(), lot: lot.toBigInt(), usr: String(usr).toLowerCase(), tic: Number(tic), top: top.toBigInt() };
  }
  throw new VigilError("BAD_SALE", `sales(id) answered ${words} words; a Clipper answers 6 (dss) or 7 (lockstake)`);
}
