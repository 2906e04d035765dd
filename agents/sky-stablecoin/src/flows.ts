/**
 * Plain functions (no chain access) for sky-stablecoin's flow checks: the DAI_USDS net flow over a
 * window, the yield an sUSDS drip should mint, and which SKY mints a known minter vouches for.
 */
import type { LogLike } from "../../../shared/abi";

const RAY = 10n ** 27n;

/** One block's net conversion through DAI_USDS [wad, signed decimal string]: USDS->DAI minus DAI->USDS. */
export interface FlowPoint {
  b: number;
  t: number;
  net: string;
}

/** Drop points older than `windowSec` before `now`; the window's net USDS->DAI flow [wad]. */
export function windowNet(points: FlowPoint[], now: number, windowSec: number): bigint {
  while (points.length > 0 && points[0]!.t <= now - windowSec) points.shift();
  return points.reduce((s, p) => s + BigInt(p.net), 0n);
}

/** x^n in ray, by squaring, truncating each product (the shape of sUSDS's _rpow). */
export function rpow(x: bigint, n: bigint): bigint {
  let z = n % 2n !== 0n ? x : RAY;
  for (n /= 2n; n !== 0n; n /= 2n) {
    x = (x * x) / RAY;
    if (n % 2n !== 0n) z = (z * x) / RAY;
  }
  return z;
}

/**
 * The USDS an sUSDS drip at time `now` mints given the state before it (ssr [ray/s], chi [ray], rho
 * [s], totalSupply [wad]): supply * nChi / RAY - supply * chi / RAY with nChi = rpow(ssr, now - rho)
 * * chi / RAY. Mainnet's rpow rounds half up where this one truncates: callers allow a tolerance.
 */
export function expectedDrip(ssr: bigint, chi: bigint, rho: bigint, supply: bigint, now: bigint): bigint {
  if (now <= rho) return 0n;
  const nChi = (rpow(ssr, now - rho) * chi) / RAY;
  return (supply * nChi) / RAY - (supply * chi) / RAY;
}

const word = (v: bigint) => "0x" + v.toString(16).padStart(64, "0");

/**
 * The ChainLog contract that vouches for a SKY mint of `amount` [wad] in a transaction: one of its
 * logs carries the amount as a data word (a vest's `Vest(id, amt)`, the legacy converter's
 * `MkrToSky(..., skyAmt)`). Returns its address, or null. The SKY token's own logs do not count.
 */
export function mintVoucher(logs: readonly LogLike[], amount: bigint, sky: string, keysOf: (a: string) => readonly string[]): string | null {
  const w = word(amount).slice(2);
  for (const log of logs) {
    const from = String(log.address).toLowerCase();
    if (from === sky || keysOf(from).length === 0) continue;
    const data = String(log.data).toLowerCase().replace(/^0x/, "");
    for (let i = 0; i + 64 <= data.length; i += 64) if (data.slice(i, i + 64) === w) return from;
  }
  return null;
}
