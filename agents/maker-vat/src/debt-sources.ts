/**
 * Who may create Vat dai against the Vow: plain functions over a transaction's decoded Vat notes
 * and logs, no chain access (sucks.ts reads the one thing left: whether the candidate is a ward).
 *
 * The Vat's note does not log its caller, so a `suck(u, v, rad)` is tied to the contract that
 * made it by what the transaction shows, and the candidate must be named in the ChainLog (the
 * known set follows the ChainLog; no address is written here):
 * 1. `receiver`: the dai receiver `v` is a ChainLog contract: it sucked for itself (the Pot's,
 *    sUSDS's and stUSDS's drip, the Kicker's flap, a suck-type vest, the pause proxy paying a spell);
 * 2. `sin-holder`: the debt lands on a ChainLog contract `u` other than the Vow, and the same amount
 *    is healed later in the transaction (DssFlash's vatDaiFlashLoan: suck to the borrower, heal);
 * 3. `names-receiver`: a log of a ChainLog contract in the transaction names `v` in an indexed topic
 *    and carries `rad` as a word of its data (a Clipper's Kick/Redo paying a keeper's incentive
 *    `coin` to `kpr`).
 * Limits: rule 1 also vouches for a rogue ward sucking into a ChainLog contract (the dai then
 * sits where that contract's code governs it, so no outsider holds it); a contract not named in
 * the ChainLog (a new module governance forgot to register) is reported until it is.
 */
import type { LogLike } from "../../../shared/abi";

export type SuckRule = "receiver" | "sin-holder" | "names-receiver";

export interface SuckNote {
  u: string;
  v: string;
  rad: bigint;
  logIndex: number;
}

export interface SuckCandidate {
  /** the ChainLog contract the suck is attributed to */
  sucker: string;
  keys: readonly string[];
  rule: SuckRule;
  /** in words, for the finding */
  why: string;
}

export interface VouchInput {
  suck: SuckNote;
  vow: string | null;
  vat: string;
  /** the transaction's logs, in order */
  logs: readonly (LogLike & { logIndex: number })[];
  /** Vat heal amounts [rad] logged after each log index in the transaction */
  heals: readonly { rad: bigint; logIndex: number }[];
  keysOf(address: string): readonly string[];
}

const word = (a: string) => "0x" + a.toLowerCase().replace(/^0x/, "").padStart(64, "0");

/** The ChainLog contract a suck can be tied to (rules 1-3, in that order), or null. */
export function suckCandidate({ suck, vow, vat, logs, heals, keysOf }: VouchInput): SuckCandidate | null {
  const u = suck.u.toLowerCase();
  const v = suck.v.toLowerCase();
  const vKeys = keysOf(v);
  if (vKeys.length > 0) return { sucker: v, keys: vKeys, rule: "receiver", why: `the dai went to ${vKeys.join("/")} ${v} itself` };
  const uKeys = keysOf(u);
  if (u !== vow && uKeys.length > 0 && heals.some((h) => h.logIndex > suck.logIndex && h.rad === suck.rad)) {
    return { sucker: u, keys: uKeys, rule: "sin-holder", why: `the debt sat on ${uKeys.join("/")} ${u} and the same amount was healed later in the transaction (a flash loan)` };
  }
  const vTopic = word(v);
  const amount = word(suck.rad.toString(16));
  for (const log of logs) {
    const from = String(log.address).toLowerCase();
    if (from === vat) continue;
    if (!log.topics.slice(1).some((t) => String(t).toLowerCase() === vTopic)) continue;
    const data = String(log.data).toLowerCase().replace(/^0x/, "");
    const words = Array.from({ length: Math.floor(data.length / 64) }, (_, i) => "0x" + data.slice(i * 64, i * 64 + 64));
    if (!words.includes(amount)) continue;
    const keys = keysOf(from);
    if (keys.length === 0) continue;
    return { sucker: from, keys, rule: "names-receiver", why: `${keys.join("/")} ${from} logged the receiver and the amount (log ${log.logIndex}: a keeper's incentive)` };
  }
  return null;
}

/**
 * What a Vat `grab(i, u, v, w, dink, dart)` adds to sin(w) [rad]: -dart * rate (a liquidation moves
 * the urn's debt onto the Vow as sin). `rate` is the ilk's at the end of the block: when a fold of
 * that ilk follows the grab in the same block it overstates the growth explained, never understates it.
 */
export function grabSin(dart: bigint, rate: bigint): bigint {
  return -dart * rate;
}

/**
 * Sin growth the block's known sources do not explain [rad]: the change of sin(vow) over the block
 * minus what known sucks and grabs added. Heals (which lower sin) are not counted: a heal in the
 * same block can hide growth, never invent it. Null when nothing is unexplained.
 */
export function unexplainedGrowth(sinBefore: bigint, sinAfter: bigint, explained: bigint): bigint | null {
  const u = sinAfter - sinBefore - explained;
  return u > 0n ? u : null;
}
