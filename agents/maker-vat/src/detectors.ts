/**
 * maker-vat detection logic: plain functions over raw on-chain integers (bigint), no chain access.
 * Every comparison against a threshold or the identity is exact (bigint, or decimals with finite
 * expansions), never a float.
 */
import { dec, RAD, type Decimal } from "../../../shared/math";

/** One collateral type as the identity needs it: normalised debt [wad] and rate [ray]. */
export interface IlkDebt {
  Art: bigint;
  rate: bigint;
}

export interface IdentityCheck {
  /** sum over the ilks of Art * rate [rad] */
  ilkDebt: bigint;
  /** vice + ilkDebt [rad] */
  rhs: bigint;
  /** debt - rhs [rad]; 0 when the identity holds */
  gap: bigint;
}

/** The Vat's fundamental equation `debt == vice + sum_i(Art_i * rate_i)`, exactly. */
export function checkIdentity(debt: bigint, vice: bigint, ilks: readonly IlkDebt[]): IdentityCheck {
  let ilkDebt = 0n;
  for (const i of ilks) ilkDebt += i.Art * i.rate;
  const rhs = vice + ilkDebt;
  return { ilkDebt, rhs, gap: debt - rhs };
}

export type UtilizationLevel = "medium" | "high";

export interface UtilizationThresholds {
  medium: Decimal;
  high: Decimal;
  hysteresis: Decimal;
}

/**
 * Where `debt` stands against `ceiling` (both rad): "high" at or above `high`, "medium" at or above
 * `medium`; while an episode is open (`open`) it stays "medium" down to `medium - hysteresis`.
 * Null when clear, and when the ceiling is 0 (the collateral takes no new debt: utilisation has no
 * meaning, e.g. an offboarded ilk still carrying debt).
 */
export function utilizationLevel(debt: bigint, ceiling: bigint, t: UtilizationThresholds, open: boolean): UtilizationLevel | null {
  if (ceiling === 0n) return null;
  const d = dec(debt);
  const c = dec(ceiling);
  if (d.gte(c.times(t.high))) return "high";
  if (d.gte(c.times(t.medium))) return "medium";
  if (open && d.gte(c.times(t.medium.minus(t.hysteresis)))) return "medium";
  return null;
}

/** debt / ceiling as a decimal; null when the ceiling is 0. */
export function utilization(debt: bigint, ceiling: bigint): Decimal | null {
  return ceiling === 0n ? null : dec(debt).div(dec(ceiling));
}

export interface CeilingChange {
  /** new - old [rad], signed */
  delta: bigint;
  /** delta / old; null when old is 0 */
  fraction: Decimal | null;
  /** a raise of at least `raiseWarn` of the old ceiling, or any raise from 0 */
  large: boolean;
}

export function ceilingChange(oldValue: bigint, newValue: bigint, raiseWarn: Decimal): CeilingChange {
  const delta = newValue - oldValue;
  const fraction = oldValue === 0n ? null : dec(delta).div(dec(oldValue));
  const large = delta > 0n && (oldValue === 0n || dec(delta).gte(dec(oldValue).times(raiseWarn)));
  return { delta, fraction, large };
}

/** A point of the surplus buffer's history: block time, block number, value [rad, signed, decimal string]. */
export interface SurplusPoint {
  t: number;
  b: number;
  v: string;
}

/**
 * Keep `window` (a monotonic deque, plain JSON) holding the candidates for the highest surplus
 * within the last `windowSec` seconds, then add `point`. The front is the window's maximum.
 */
export function pushSurplus(window: SurplusPoint[], point: SurplusPoint, windowSec: number): void {
  while (window.length > 0 && window[0]!.t < point.t - windowSec) window.shift();
  const v = BigInt(point.v);
  while (window.length > 0 && BigInt(window[window.length - 1]!.v) <= v) window.pop();
  window.push(point);
}

/** How far the current value (the last point) is below the window's maximum (the first point) [rad, >= 0]. */
export function surplusFall(window: readonly SurplusPoint[]): { peak: SurplusPoint; current: SurplusPoint; fall: bigint } | null {
  if (window.length === 0) return null;
  const peak = window[0]!;
  const current = window[window.length - 1]!;
  return { peak, current, fall: BigInt(peak.v) - BigInt(current.v) };
}

/** A DAI amount (decimal) as a raw rad integer, exactly (truncated below 1e-45 DAI). */
export function daiToRad(amount: Decimal): bigint {
  return BigInt(amount.times(RAD).integerValue(1 /* ROUND_DOWN */).toFixed(0));
}

export type JumpLevel = "medium" | "high";

/** A rise of `delta` [rad] against thresholds [rad]. */
export function sinJumpLevel(delta: bigint, medium: bigint, high: bigint): JumpLevel | null {
  if (delta <= 0n) return null;
  if (delta >= high) return "high";
  if (delta >= medium) return "medium";
  return null;
}
