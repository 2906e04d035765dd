/**
 * sky-burn-engine detection logic: plain functions over raw integers (exact), no chain access.
 */
import { dec, type Decimal, type RawInt } from "../../../shared/math";

const big = (v: RawInt): bigint => BigInt(dec(v).toFixed(0));
const MAX_UINT = (1n << 256n) - 1n;

export type HeadroomLevel = "near" | "reached";

export interface Headroom {
  /** the Vow's dai - sin [rad, signed] */
  net: bigint;
  /** kbump + khump [rad, signed]: a flap needs net >= threshold */
  threshold: bigint;
  /** net - threshold [rad, signed] */
  headroom: bigint;
  /** how close "near" starts [rad] */
  margin: bigint;
  level: HeadroomLevel | null;
}

/**
 * The Kicker flaps while `dai(vow) - sin(vow) >= kbump + khump`. Below that, burns have stopped
 * ("reached"); within `fraction` of |kbump + khump| (at least kbump) above it, they are about to.
 */
export function headroomOf(daiRad: RawInt, sinRad: RawInt, kbumpRad: RawInt, khumpRad: RawInt, fraction: Decimal): Headroom {
  const net = big(daiRad) - big(sinRad);
  const kbump = big(kbumpRad);
  const threshold = kbump + big(khumpRad);
  const headroom = net - threshold;
  const abs = threshold < 0n ? -threshold : threshold;
  const base = abs > kbump ? abs : kbump;
  const margin = BigInt(fraction.times(base.toString()).integerValue(1).toFixed(0));
  const level: HeadroomLevel | null = headroom < 0n ? "reached" : headroom < margin ? "near" : null;
  return { net, threshold, headroom, margin, level };
}

/** Scribe's `_pokeData` word: val in the low 128 bits, age in the next 32. */
export function pokeDataOf(word: string): { val: bigint; age: number } {
  const w = BigInt(word);
  return { val: w & ((1n << 128n) - 1n), age: Number((w >> 128n) & 0xffffffffn) };
}

/**
 * What a flap realised against the oracle: SKY bought as a fraction of what `lot` USDS buys at the
 * oracle price (`price` [wad] USD per SKY, over `par` [ray]). The flapper refuses below `want`.
 */
export function flapRatio(lotWad: RawInt, boughtWad: RawInt, priceWad: RawInt, parRay: RawInt): Decimal {
  // fair SKY [wad] = lot * WAD / (price * RAY / par); ratio = bought / fair = bought * price * RAY / (par * lot * WAD)
  return dec(boughtWad).times(dec(priceWad)).times("1e9").div(dec(parRay).times(dec(lotWad)));
}

/** USDS price of one SKY that a flap realised [decimal], and the oracle's, over par. */
export function realisedPrice(lotWad: RawInt, boughtWad: RawInt): Decimal {
  return dec(lotWad).div(dec(boughtWad));
}

/** Is the Splitter's hop "never" (SplitterMom.stop)? */
export function isNever(hop: RawInt): boolean {
  return big(hop) === MAX_UINT;
}

/**
 * Does a parameter change widen what the engine may lose or expose, or stop it (High), rather
 * than narrow it (Medium)? `before`/`after` as raw integers (signed for khump), or addresses.
 */
export function paramWidens(contractKey: string, what: string, before: string, after: string): boolean {
  if (before === after) return false;
  if (what === "pip" || what === "flapper" || what === "farm") return true; // who prices or receives the burn
  const b = big(before);
  const a = big(after);
  if (contractKey === "MCD_KICK" && what === "khump") return a < b; // flaps go on deeper into deficit
  if (contractKey === "MCD_KICK" && what === "kbump") return a > b; // more sucked per flap
  if (contractKey === "MCD_FLAP" && what === "want") return a < b; // worse prices accepted
  if (contractKey === "MCD_SPLIT" && what === "hop") return a < b && b !== MAX_UINT; // flaps more often (from never: a resume)
  return false;
}

/** Relative move of a price, |next - prev| / prev (0 when prev is 0). */
export function priceMove(prev: RawInt, next: RawInt): Decimal {
  const p = dec(prev);
  if (p.isZero()) return dec(0);
  return dec(next).minus(p).abs().div(p);
}
