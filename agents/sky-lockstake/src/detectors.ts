/**
 * sky-lockstake detection logic: plain functions over raw integers (exact) and plain-JSON state,
 * no chain access.
 */
import { Decimal, dec, type RawInt } from "../../../shared/math";

const big = (v: RawInt): bigint => BigInt(dec(v).toFixed(0));

export interface UrnPosition {
  /** [wad] */
  ink: string;
  /** [wad] normalised debt */
  art: string;
}

/** Debt [rad] of the urns with ink * spot < art * rate, and how many they are. */
export function unsafeDebt(urns: readonly UrnPosition[], spotRay: RawInt, rateRay: RawInt): { debtRad: bigint; count: number } {
  const spot = big(spotRay);
  const rate = big(rateRay);
  let debtRad = 0n;
  let count = 0;
  for (const u of urns) {
    const debt = big(u.art) * rate;
    if (big(u.ink) * spot < debt) {
      debtRad += debt;
      count++;
    }
  }
  return { debtRad, count };
}

export type UnsafeLevel = "some" | "large";

/** Unsafe debt is only unliquidatable while the clipper is stopped (kicks refused from stopped >= 1). */
export function unliquidatableLevel(stopped: RawInt, debtRad: bigint, highDebt: Decimal): UnsafeLevel | null {
  if (big(stopped) < 1n || debtRad === 0n) return null;
  return dec(debtRad.toString()).shiftedBy(-45).gte(highDebt) ? "large" : "some";
}

/**
 * SKY custody (sky.md §8.1): SKY held by the engine plus what it staked in vote delegates must
 * cover lsSKY supply plus the lots of running auctions. Shortfall [wad] or null.
 */
export function custodyShortfall(engineSky: RawInt, delegated: readonly RawInt[], lsskySupply: RawInt, lots: readonly RawInt[]): bigint | null {
  const held = delegated.reduce<bigint>((s, v) => s + big(v), big(engineSky));
  const owed = lots.reduce<bigint>((s, v) => s + big(v), big(lsskySupply));
  return owed > held ? owed - held : null;
}

/** stUSDS utilisation (sky.md §7): (Art * rate + Due) / (totalSupply * chi). Null when nothing is deposited and nothing borrowed. */
export function utilisation(ArtWad: RawInt, rateRay: RawInt, dueRad: RawInt, supplyWad: RawInt, chiRay: RawInt): Decimal | null {
  const used = big(ArtWad) * big(rateRay) + big(dueRad);
  const assets = big(supplyWad) * big(chiRay);
  if (assets === 0n) return used === 0n ? null : new Decimal(Infinity);
  return dec(used.toString()).div(assets.toString());
}

export type UtilisationLevel = "warn" | "full";

export function utilisationLevel(u: Decimal | null, warn: Decimal, full: Decimal): UtilisationLevel | null {
  if (u === null) return null;
  if (u.gte(full)) return "full";
  if (u.gte(warn)) return "warn";
  return null;
}

/** The capped oracle's price [ray] as the Vat sees it: spot * mat / RAY (the Spotter filed spot = price / mat). */
export function oraclePrice(spotRay: RawInt, matRay: RawInt): bigint {
  return (big(spotRay) * big(matRay)) / 10n ** 27n;
}

/** A take price [ray] below `fraction` of the oracle price [ray]. */
export function takeTooLow(priceRay: RawInt, oracleRay: RawInt, fraction: Decimal): boolean {
  const o = dec(oracleRay);
  if (o.isZero()) return false;
  return dec(priceRay).lt(o.times(fraction));
}

/** The Lockstake ilk's line stUSDS sets [rad] (sky.md §7): min(stusds.line, max(0, totalSupply*chi - clip.Due())). */
export function stusdsLine(lineRad: RawInt, supplyWad: RawInt, chiRay: RawInt, dueRad: RawInt): string {
  const assets = big(supplyWad) * big(chiRay);
  const free = assets > big(dueRad) ? assets - big(dueRad) : 0n;
  const cap = big(lineRad);
  return (cap < free ? cap : free).toString();
}

/** After a migration with debt: is the ilk's line neither what it was nor what stUSDS computes (the migrator's toggling left it)? */
export function migrationLineBroken(beforeRad: RawInt, afterRad: RawInt, expectedRad: RawInt): boolean {
  const after = big(afterRad);
  return after !== big(beforeRad) && after !== big(expectedRad);
}
