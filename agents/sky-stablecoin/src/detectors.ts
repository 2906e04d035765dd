/**
 * sky-stablecoin detection logic: plain functions over raw integers (exact), no chain access.
 */
import { dec, type Decimal, type RawInt } from "../../../shared/math";

const RAY = 10n ** 27n;
const big = (v: RawInt): bigint => BigInt(dec(v).toFixed(0));

/** USDS backing: supply [wad] * RAY against vat.dai(USDS_JOIN) [rad]. Shortfall [rad] when unbacked, else null. */
export function usdsShortfall(supplyWad: RawInt, joinDaiRad: RawInt): bigint | null {
  const need = big(supplyWad) * RAY;
  const have = big(joinDaiRad);
  return need > have ? need - have : null;
}

/** sUSDS reserve: USDS held [wad] against totalSupply * chi / RAY [wad]. Shortfall [wad] when short, else null. */
export function susdsShortfall(usdsHeldWad: RawInt, sharesWad: RawInt, chiRay: RawInt): bigint | null {
  const owed = (big(sharesWad) * big(chiRay)) / RAY;
  const held = big(usdsHeldWad);
  return owed > held ? owed - held : null;
}

/** MKR_SKY backing: SKY held against MKR supply * rate + take. Shortfall [wad] when short, else null. */
export function mkrSkyShortfall(skyHeldWad: RawInt, mkrSupplyWad: RawInt, rate: RawInt, takeWad: RawInt): bigint | null {
  const owed = big(mkrSupplyWad) * big(rate) + big(takeWad);
  const held = big(skyHeldWad);
  return owed > held ? owed - held : null;
}

/** An MkrToSky event conserves value when skyAmt + skyFee == mkrAmt * rate. */
export function mkrToSkyConserves(mkrAmt: RawInt, skyAmt: RawInt, skyFee: RawInt, rate: RawInt): boolean {
  return big(skyAmt) + big(skyFee) === big(mkrAmt) * big(rate);
}

export interface Movement {
  /** lowercase addresses */
  from?: string;
  to: string;
  wad: string;
}

/**
 * USDS mints (Transfer from 0) of a transaction that no UsdsJoin Exit (to the same usr, same
 * wad) accounts for: each exit pays for one mint.
 */
export function unmatchedMints(mints: readonly Movement[], exits: readonly Movement[]): Movement[] {
  const left = exits.map((e) => ({ ...e, used: false }));
  const out: Movement[] = [];
  for (const m of mints) {
    const e = left.find((x) => !x.used && x.to === m.to && x.wad === m.wad);
    if (e) e.used = true;
    else out.push(m);
  }
  return out;
}

/** A shortfall as a decimal of the unit (rad or wad scale given). */
export function scaled(raw: bigint, decimals: number): Decimal {
  return dec(raw.toString()).shiftedBy(-decimals);
}
