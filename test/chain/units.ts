/**
 * Maker's fixed-point units as ethers BigNumbers, and bytes32 helpers. Amounts are given as
 * decimal strings ("2000.5"), never floats, so they convert exactly.
 */
import { ethers } from "forta-agent";

type Amount = string | number | bigint;

function units(value: Amount, decimals: number): ethers.BigNumber {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw new RangeError(`amount ${value} is not a safe integer: pass decimal amounts as strings ("2000.5")`);
  }
  return ethers.utils.parseUnits(value.toString(), decimals);
}

/** 1e18-scaled (token amounts, `art`, `ink`). */
export const wad = (v: Amount): ethers.BigNumber => units(v, 18);
/** 1e27-scaled (rates, ratios, `spot`). */
export const ray = (v: Amount): ethers.BigNumber => units(v, 27);
/** 1e45-scaled (internal dai, `line`, `dust`, `debt`). */
export const rad = (v: Amount): ethers.BigNumber => units(v, 45);

export const WAD = ethers.constants.WeiPerEther;
export const RAY = ethers.BigNumber.from(10).pow(27);
export const RAD = ethers.BigNumber.from(10).pow(45);

/** "ETH-A" -> 0x4554482d41000... (right-padded, as Solidity's bytes32 string literals). */
export const b32 = (text: string): string => ethers.utils.formatBytes32String(text);
/** 0x4554482d4100... -> "ETH-A" */
export const fromB32 = (word: string): string => ethers.utils.parseBytes32String(word);

/** A 20-byte address as a left-padded 32-byte topic/word. */
export const addressWord = (address: string): string => ethers.utils.hexZeroPad(address, 32).toLowerCase();

/**
 * Per-second stability fee for an annual rate (ray), e.g. `annualRate("0.02")`. Computed exactly
 * enough by bisection on (1 + x)^31536000 with ray arithmetic, as Maker's rate table does.
 */
export function annualRate(yearly: string): ethers.BigNumber {
  const target = RAY.add(ray(yearly));
  const secs = 31_536_000;
  let lo = RAY;
  let hi = RAY.add(ray("0.000001")); // > 3,000% a year: more than enough
  const rpow = (x: ethers.BigNumber, n: number): ethers.BigNumber => {
    let z = n % 2 ? x : RAY;
    for (n = Math.floor(n / 2); n > 0; n = Math.floor(n / 2)) {
      x = x.mul(x).add(RAY.div(2)).div(RAY);
      if (n % 2) z = z.mul(x).add(RAY.div(2)).div(RAY);
    }
    return z;
  };
  while (hi.sub(lo).gt(1)) {
    const mid = lo.add(hi).div(2);
    if (rpow(mid, secs).lte(target)) lo = mid;
    else hi = mid;
  }
  return lo;
}
