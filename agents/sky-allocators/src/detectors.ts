/**
 * sky-allocators detection logic: plain functions over raw integers (exact) and plain state, no chain access.
 */
import { dec, type Decimal, type RawInt } from "../../../shared/math";

/** One observation of a vault's debt: block timestamp [s] and debt [rad, integer string]. */
export interface DebtSample {
  t: number;
  debt: string;
}

/**
 * Record `debt` at `t` and keep only what the pacing window needs: the samples inside the last
 * `ttl` seconds and the last one before it (the window's baseline). Returns the new list.
 */
export function recordDebt(samples: readonly DebtSample[], t: number, debt: string, ttl: number): DebtSample[] {
  const last = samples[samples.length - 1];
  const all = last && last.debt === debt ? [...samples] : [...samples, { t, debt }];
  const start = t - ttl;
  let base = -1;
  for (let i = 0; i < all.length; i++) if (all[i]!.t <= start) base = i;
  return base > 0 ? all.slice(base) : all;
}

export interface Pacing {
  /** debt now minus the debt at the start of the window [rad] */
  growth: Decimal;
  /** what the AutoLine lets the debt grow by in one ttl (gap times the factor) [rad] */
  limit: Decimal;
  over: boolean;
}

/**
 * A vault's debt growth over the last `ttl` seconds against the AutoLine's `gap` (times `factor`).
 * The baseline is the debt at `now - ttl` (the last sample at or before it, else the earliest
 * sample: the bot's first observation). An ilk without AutoLine pacing (gap 0) is never over.
 */
export function pacing(samples: readonly DebtSample[], now: number, debtNow: RawInt, gap: RawInt, ttl: number, factor: Decimal): Pacing {
  const start = now - ttl;
  let base = samples[0];
  for (const s of samples) if (s.t <= start) base = s;
  const growth = base ? dec(debtNow).minus(dec(base.debt)) : dec(0);
  const limit = dec(gap).times(factor);
  return { growth, limit, over: !dec(gap).isZero() && growth.gt(limit) };
}

/** Is `addr` one we know (a ChainLog contract or a configured address)? */
export function isKnown(addr: string, chainlogKeys: readonly string[], known: readonly string[]): boolean {
  return chainlogKeys.length > 0 || known.some((k) => k.toLowerCase() === addr.toLowerCase());
}

/** A Plot or Exec checked against what we know: the payload's codehash against the plotted tag. */
export function payloadMismatch(plottedTag: string | null, codehash: string | null): "unplotted" | "no-code" | "codehash" | null {
  if (plottedTag === null) return "unplotted";
  if (codehash === null) return "no-code";
  return plottedTag.toLowerCase() === codehash.toLowerCase() ? null : "codehash";
}

/** keccak256 of empty code: an address with no contract */
export const EMPTY_CODEHASH = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
