/**
 * maker-dai-bridge detection logic: plain functions over raw wad amounts, no chain access.
 */
import { dec, fromWad, type Decimal, type RawInt } from "../../../shared/math";

export type GapLevel = "shortfall" | "critical";

/**
 * The bridge invariant: the L1 escrow's balance must cover the L2 supply. `gap` = supply - escrow
 * (wad; positive is a shortfall). "shortfall" when the gap exceeds `tolerance` DAI, "critical"
 * when it exceeds `criticalGap` DAI. Exact decimals.
 */
export function gapLevel(escrowWad: RawInt, supplyWad: RawInt, tolerance: Decimal, criticalGap: Decimal): { level: GapLevel | null; gapWad: Decimal } {
  const gapWad = dec(supplyWad).minus(dec(escrowWad));
  const gap = fromWad(gapWad.toFixed(0));
  if (gap.gt(criticalGap)) return { level: "critical", gapWad };
  if (gap.gt(tolerance)) return { level: "shortfall", gapWad };
  return { level: null, gapWad };
}

/** A change of the L2 supply between two readings of at least `threshold` DAI (either way), or null. */
export function supplyJump(previousWad: RawInt, currentWad: RawInt, threshold: Decimal): Decimal | null {
  const delta = dec(currentWad).minus(dec(previousWad));
  return fromWad(delta.abs().toFixed(0)).gte(threshold) ? delta : null;
}

/** Is the L2 block read too far ahead of the L1 block for the comparison to mean anything? */
export function tooFarAhead(l2Timestamp: number, l1Timestamp: number, maxSkewSeconds: number): boolean {
  return l2Timestamp - l1Timestamp > maxSkewSeconds;
}
