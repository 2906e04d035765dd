/**
 * maker-emergency detection logic: plain functions over decoded values, no chain access.
 */
import { dec, fromWad, type Decimal, type RawInt } from "../../../shared/math";

export type ThresholdLevel = "approaching" | "reached";

/**
 * How close the ESM's running total is to the shutdown threshold: "reached" when Sum >= min
 * (anyone can now fire the ESM), "approaching" when Sum >= warnFraction * min, else null.
 * Raw wad integers in, compared exactly.
 */
export function thresholdLevel(sumWad: RawInt, minWad: RawInt, warnFraction: Decimal): ThresholdLevel | null {
  const sum = dec(sumWad);
  const min = dec(minWad);
  if (sum.gte(min)) return "reached";
  if (sum.gte(min.times(warnFraction))) return "approaching";
  return null;
}

/** Is a join of `wadRaw` (raw wad) at least the configured size (in tokens)? */
export function isReportableJoin(wadRaw: RawInt, joinMin: Decimal): boolean {
  return fromWad(wadRaw).gte(joinMin);
}

/** Sum / min as a fraction, for people; null when min is zero. */
export function progress(sumWad: RawInt, minWad: RawInt): Decimal | null {
  const min = dec(minWad);
  return min.isZero() ? null : dec(sumWad).div(min);
}
