/**
 * Exact fixed-point arithmetic for Maker's units: wad (1e18), ray (1e27), rad (1e45).
 * Raw on-chain integers are converted to decimals with no rounding; thresholds are compared
 * with decimals, never with JavaScript floats.
 */
import BigNumberJs from "bignumber.js";

/** A BigNumber clone with enough precision for rad (45 decimals) and no exponent notation. */
export const Decimal = BigNumberJs.clone({ DECIMAL_PLACES: 90, EXPONENTIAL_AT: [-100, 100], ROUNDING_MODE: BigNumberJs.ROUND_DOWN });
export type Decimal = BigNumberJs;

export const WAD = new Decimal("1e18");
export const RAY = new Decimal("1e27");
export const RAD = new Decimal("1e45");

/** Anything a raw on-chain integer arrives as: bigint, decimal or 0x-hex string, ethers BigNumber, number. */
export type RawInt = bigint | string | number | { toString(): string; _isBigNumber?: boolean } | BigNumberJs;

export function dec(value: RawInt): Decimal {
  if (typeof value === "bigint") return new Decimal(value.toString());
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) && !Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return new Decimal(value);
  }
  if (typeof value === "string") {
    const d = /^0x[0-9a-f]*$/i.test(value) ? new Decimal(value === "0x" ? "0" : BigInt(value).toString()) : new Decimal(value);
    if (d.isNaN()) throw new RangeError(`not a number: ${JSON.stringify(value)}`);
    return d;
  }
  if (BigNumberJs.isBigNumber(value)) return new Decimal(value as BigNumberJs);
  const d = new Decimal(value.toString());
  if (d.isNaN()) throw new RangeError(`not a number: ${value.toString()}`);
  return d;
}

export const fromWad = (raw: RawInt): Decimal => dec(raw).div(WAD);
export const fromRay = (raw: RawInt): Decimal => dec(raw).div(RAY);
export const fromRad = (raw: RawInt): Decimal => dec(raw).div(RAD);
/** A decimal amount in units -> the raw wad integer (truncated), as a decimal string. */
export const toWad = (units: RawInt): string => dec(units).times(WAD).integerValue(Decimal.ROUND_DOWN).toFixed(0);

/** wad * ray = rad, exactly (integer product of raw values). */
export const mulRaw = (a: RawInt, b: RawInt): Decimal => dec(a).times(dec(b));

/** a / b as an exact-enough decimal; 0 when b is 0 and `zeroIfDivByZero` is set. */
export function ratio(a: RawInt, b: RawInt): Decimal {
  const db = dec(b);
  if (db.isZero()) throw new RangeError("ratio: division by zero");
  return dec(a).div(db);
}

/** Relative change from `from` to `to` as a fraction (0.06 = +6%). */
export function relChange(from: RawInt, to: RawInt): Decimal {
  return dec(to).minus(dec(from)).div(dec(from));
}

/**
 * Human-readable amount: thousands separators, `dp` decimals, cut toward zero, never rounded up:
 * the text must stay on the same side of every threshold as the exact value, so a bark of
 * 9,999,999.999 DAI (below a 10M threshold) reads "9,999,999.99", never "10,000,000.00". A
 * threshold written with at most `dp` decimals compares the same with the text as with the value
 * (truncation is monotone and leaves such a number unchanged).
 */
export function formatAmount(value: RawInt, dp = 2): string {
  return dec(value).toFormat(dp, Decimal.ROUND_DOWN, {
    decimalSeparator: ".",
    groupSeparator: ",",
    groupSize: 3,
  });
}

/** 0.0612 -> "6.12%"; cut toward zero like formatAmount (0.499999 -> "49.99%", never "50.00%"). */
export function formatPercent(fraction: RawInt, dp = 2): string {
  return `${dec(fraction).times(100).toFixed(dp, Decimal.ROUND_DOWN)}%`;
}
