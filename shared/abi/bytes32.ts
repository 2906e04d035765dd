/**
 * Short names packed into `bytes32`: ilk ids (`ETH-A`), `file` parameter keys (`line`, `spot`,
 * `Line`), ChainLog keys (`MCD_VAT`). Solidity stores them as ASCII, left-aligned and padded with
 * zero bytes on the right.
 */
import { VigilError } from "../errors";

const WORD = /^0x[0-9a-fA-F]{64}$/;

/** A value that should have been a bytes32 word or a short name is not. */
export class Bytes32Error extends VigilError<"BYTES32"> {
  constructor(message: string) {
    super("BYTES32", message);
  }
}

/**
 * `0x4554482d41000…` -> `"ETH-A"`. A word that does not hold printable ASCII followed only by
 * zero bytes (e.g. an address or a hash passed where a name was expected) comes back unchanged
 * as lowercase hex, so callers can always show something. Throws only when `word` is not a
 * 32-byte hex string.
 */
export function fromBytes32(word: string): string {
  return tryFromBytes32(word) ?? word.toLowerCase();
}

/** Like `fromBytes32`, but null when the word is not a printable name. */
export function tryFromBytes32(word: string): string | null {
  if (typeof word !== "string" || !WORD.test(word)) {
    throw new Bytes32Error(`expected a 0x-prefixed 32-byte hex word, got ${JSON.stringify(String(word).slice(0, 80))}`);
  }
  const hex = word.slice(2);
  let text = "";
  let ended = false;
  for (let i = 0; i < 64; i += 2) {
    const byte = parseInt(hex.slice(i, i + 2), 16);
    if (byte === 0) {
      ended = true;
      continue;
    }
    // a non-zero byte after the padding started, or a non-printable byte: not a name
    if (ended || byte < 0x20 || byte > 0x7e) return null;
    text += String.fromCharCode(byte);
  }
  return text.length > 0 ? text : null;
}

/** `"ETH-A"` -> `0x4554482d41000…` (printable ASCII, at most 32 characters). */
export function toBytes32(name: string): string {
  if (typeof name !== "string" || name.length === 0) throw new Bytes32Error("a bytes32 name must be a non-empty string");
  if (name.length > 32) throw new Bytes32Error(`"${name}" is ${name.length} characters long; a bytes32 name holds at most 32`);
  let hex = "";
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) throw new Bytes32Error(`"${name}" contains a character outside printable ASCII; bytes32 names are ASCII`);
    hex += code.toString(16).padStart(2, "0");
  }
  return `0x${hex.padEnd(64, "0")}`;
}

/** Alias that reads better where the word is an ilk id. */
export const ilkName = fromBytes32;
/** Alias that reads better where the word is an ilk id. */
export const ilkId = toBytes32;
