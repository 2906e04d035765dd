/**
 * The `bytes` at the end of a ds-note or dss note's data, read whether solc padded it or not
 * (split from note.ts, which decodes the notes).
 */

/**
 * A `bytes` value ABI-encoded after `headWords` static words (`(uint256 wad, bytes fax)`: 1;
 * `(bytes)`: 0), read both as an ABI encoder writes it (padded to 32 bytes) and as solc 0.4.x
 * wrote `msg.data` into events (unpadded: the data ends with the last byte of the value, e.g. a
 * ds-note `lock(uint256)` note of 132 bytes instead of 160). Anything else, e.g. a length past the
 * end of the data or non-zero bytes after it, is refused with the reason.
 */
export function decodeTrailingBytes(data: string, headWords: number): { head: string[]; bytes: string; padded: boolean } {
  const hex = data.slice(2).toLowerCase();
  const size = hex.length / 2;
  const word = (i: number): string => hex.slice(i * 64, (i + 1) * 64);
  const minSize = (headWords + 2) * 32;
  if (size < minSize) throw new Error(`data is ${size} bytes, shorter than the ${minSize} bytes of its head`);
  const offset = BigInt(`0x${word(headWords)}`);
  const expectedOffset = BigInt((headWords + 1) * 32);
  if (offset !== expectedOffset) throw new Error(`the bytes' offset is ${offset}, expected ${expectedOffset}`);
  const length = BigInt(`0x${word(headWords + 1)}`);
  const room = BigInt(size - minSize);
  if (length > room) throw new Error(`the bytes' length ${length} runs past the ${room} bytes of data after it`);
  const n = Number(length);
  const padded = Math.ceil(n / 32) * 32;
  const rest = hex.slice((minSize + n) * 2);
  if (size - minSize > padded) throw new Error(`${size - minSize - padded} bytes of data follow the padded bytes value`);
  if (/[^0]/.test(rest)) throw new Error("the padding after the bytes value is not zero");
  return {
    head: Array.from({ length: headWords }, (_, i) => `0x${word(i)}`),
    bytes: `0x${hex.slice(minSize * 2, (minSize + n) * 2)}`,
    padded: size - minSize === padded,
  };
}
