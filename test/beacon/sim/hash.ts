/** Deterministic roots and pseudo-randomness for the simulated beacon chain. */
import { createHash } from "crypto";

/** 0x-hex sha256 over the parts, joined unambiguously. */
export function root(...parts: (string | number | bigint)[]): string {
  return `0x${createHash("sha256").update(parts.map(String).join("\u0000")).digest("hex")}`;
}

/** n bytes of deterministic hex (no 0x) derived from the parts: pubkeys, signatures. */
export function bytesHex(n: number, ...parts: (string | number)[]): string {
  let out = "";
  for (let i = 0; out.length < n * 2; i++) out += createHash("sha256").update([...parts, i].join("\u0000")).digest("hex");
  return out.slice(0, n * 2);
}

/** A 32-bit unsigned integer from the parts. */
export function hashInt(...parts: (string | number)[]): number {
  return createHash("sha256").update(parts.join("\u0000")).digest().readUInt32BE(0);
}

/** Deterministic Fisher-Yates shuffle (not the spec's swap-or-not: we only need determinism). */
export function shuffle<T>(items: readonly T[], ...seed: (string | number)[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = hashInt(...seed, i) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

export const ZERO_ROOT = `0x${"00".repeat(32)}`;
