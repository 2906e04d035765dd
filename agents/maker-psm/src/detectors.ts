/**
 * maker-psm detection logic: plain functions over raw amounts and plain-JSON state, no chain access.
 *
 * Amounts of gems are raw integers in the gem's own decimals (USDC: 6); they are compared with
 * DAI thresholds at par (1 gem = 1 DAI, the rate the PSM swaps at) exactly, never as floats.
 */
import { dec, type Decimal, type RawInt } from "../../../shared/math";

/** Gem units (a decimal) of a raw gem amount with `decimals` decimals. */
export function gemUnits(raw: RawInt, decimals: number): Decimal {
  return dec(raw).div(dec(10).pow(decimals));
}

export type SwapLevel = "info" | "low";

export function swapLevel(raw: RawInt, decimals: number, infoMin: Decimal, lowMin: Decimal): SwapLevel | null {
  const units = gemUnits(raw, decimals);
  if (units.gte(lowMin)) return "low";
  if (units.gte(infoMin)) return "info";
  return null;
}

/** One block's swaps of one PSM: gems that left the reserve (BuyGem) and came in (SellGem), raw. */
export interface Flow {
  /** block number */
  b: number;
  /** block timestamp (seconds) */
  t: number;
  out: string;
  in: string;
}

/**
 * The swaps of one PSM over the sliding window, and the reserve when the window starts (before
 * its first flow). Plain JSON for ctx.persistent.
 */
export interface FlowWindow {
  /** reserve (raw gem units) just before the first flow in `flows` */
  base: string;
  flows: Flow[];
}

/** Add a swap to the window (merged into the entry of its block). */
export function addFlow(w: FlowWindow, b: number, t: number, direction: "out" | "in", raw: RawInt): void {
  let last = w.flows[w.flows.length - 1];
  if (!last || last.b !== b) {
    last = { b, t, out: "0", in: "0" };
    w.flows.push(last);
  }
  last[direction] = dec(last[direction]).plus(dec(raw)).toFixed(0);
}

/**
 * Drop flows older than `windowSec` before `now` (their timestamp <= now - windowSec), moving the
 * base forward by their net effect: the base stays "the reserve when the window starts" as long
 * as swaps are what moves the reserve. Returns false when the window is empty afterwards.
 */
export function pruneWindow(w: FlowWindow, now: number, windowSec: number): boolean {
  let base = dec(w.base);
  while (w.flows.length > 0 && w.flows[0]!.t <= now - windowSec) {
    const f = w.flows.shift()!;
    base = base.minus(dec(f.out)).plus(dec(f.in));
  }
  w.base = (base.isNegative() ? dec(0) : base).toFixed(0);
  return w.flows.length > 0;
}

/** Net outflow over the window (raw gem units; negative when more came in than went out). */
export function netOutflow(w: FlowWindow): Decimal {
  return w.flows.reduce((acc, f) => acc.plus(dec(f.out)).minus(dec(f.in)), dec(0));
}

export type RunLevel = "run" | "severe";

export interface RunParams {
  fraction: Decimal;
  criticalFraction: Decimal;
  /** DAI at par */
  min: Decimal;
}

/**
 * Is the window a run on the reserve? "run" when the net outflow is at least `min` (at par) and
 * at least `fraction` of the reserve at the window's start; "severe" from `criticalFraction`.
 */
export function runLevel(w: FlowWindow, decimals: number, p: RunParams): { level: RunLevel | null; net: Decimal; share: Decimal | null } {
  const net = netOutflow(w);
  const base = dec(w.base);
  const share = base.isZero() ? null : net.div(base);
  if (net.lte(0) || gemUnits(net, decimals).lt(p.min) || share === null) return { level: null, net, share };
  if (share.gte(p.criticalFraction)) return { level: "severe", net, share };
  if (share.gte(p.fraction)) return { level: "run", net, share };
  return { level: null, net, share };
}

export type LineLevel = "near" | "full";

/**
 * How close an ilk's debt (Art * rate, rad) is to its line (rad): "full" from `full`, "near"
 * from `warn` (fractions of the line). A zero line with debt is "full" (nothing more can be
 * minted); a zero line without debt is an ilk switched off, not a condition.
 */
export function lineLevel(Art: RawInt, rate: RawInt, line: RawInt, warn: Decimal, full: Decimal): { level: LineLevel | null; debt: Decimal; utilization: Decimal | null } {
  const debt = dec(Art).times(dec(rate));
  const l = dec(line);
  if (l.isZero()) return { level: debt.isZero() ? null : "full", debt, utilization: null };
  const utilization = debt.div(l);
  return { level: utilization.gte(full) ? "full" : utilization.gte(warn) ? "near" : null, debt, utilization };
}

/** tin/tout are wad fractions, or 2^256-1 (HALTED) on the lite PSM to stop that direction. */
export const HALTED = (1n << 256n) - 1n;

/**
 * Lite PSM solvency: DAI held [wad] plus the pocket's gems (raw, scaled to 18 decimals) against the
 * PSM urn's art [wad] (rate is RAY for the lite PSM ilk). Shortfall [wad] or null.
 */
export function liteShortfall(daiWad: RawInt, gemRaw: RawInt, decimals: number, artWad: RawInt): bigint | null {
  const held = BigInt(dec(daiWad).toFixed(0)) + BigInt(dec(gemRaw).toFixed(0)) * 10n ** BigInt(18 - decimals);
  const art = BigInt(dec(artWad).toFixed(0));
  return art > held ? art - held : null;
}

/**
 * Fill or trim pending: `rush` or `gush` [wad] at or above `min` [DAI]; lagging once pending for
 * `seconds` of block time. `since` is when it started to be pending (null: not pending now).
 */
export function pendingLevel(rush: RawInt, gush: RawInt, min: Decimal, since: number | undefined, now: number, seconds: number): { since: number | null; lagging: boolean } {
  const pending = dec(rush).gte(min.times("1e18")) || dec(gush).gte(min.times("1e18"));
  if (!pending) return { since: null, lagging: false };
  const start = since ?? now;
  return { since: start, lagging: now - start >= seconds };
}
