/**
 * Anonymous `LogNote` events: the call-logging style of the Maker contracts deployed in 2019-20.
 *
 * A `note` modifier logs the call itself: topic 0 is the 4-byte function selector left-aligned in
 * 32 bytes (not an event hash), the other topics hold the caller and/or the first arguments, and
 * the data holds calldata. Three layouts exist on mainnet (checked against the public sources):
 *
 * | layout    | contracts                                   | topics[1..3]                    | data                                   |
 * |-----------|---------------------------------------------|---------------------------------|----------------------------------------|
 * | `libnote` | dss LibNote: Jug, Spot, Vow, Pot, Cat, Dai, OSM, Median | caller, arg1, arg2   | ABI `bytes`: the first 224 bytes of calldata |
 * | `vat`     | the mainnet Vat (its own `note`, dss 1.0)   | arg1, arg2, arg3 (no caller!)   | ABI `bytes`: the first 224 bytes of calldata |
 * | `dsnote`  | ds-note DSNote: DSPause, DSChief (legacy), DSToken, DSValue | caller (guy), foo=arg1, bar=arg2 | ABI `(uint256 wad, bytes fax)`: msg.value and the whole calldata |
 *
 * ds-note contracts compiled with solc 0.4.x (MKR's DSToken, the 2019 chief, old DSValue PIPs)
 * write `fax` unpadded: the data ends with the last calldata byte (a `lock(uint256)` note is 132
 * bytes, not 160). Both the padded and the unpadded form decode, for every layout.
 *
 * (argN = the N-th 32-byte word of calldata after the selector, i.e. `calldataload(4 + 32*(N-1))`.)
 *
 * The dss layouts copy a fixed 224-byte window of calldata: zero-padded when the call was shorter,
 * cut when it was longer. A function whose arguments need more than the 220 bytes after the
 * selector (e.g. `Median.lift(address[])` with 5+ addresses) cannot be decoded from its note:
 * `args` is null and `argsError` says why; `rawArgs` (from the topics) are still there. ds-note
 * carries the whole calldata, so e.g. `DSPause.plot(usr, tag, fax, eta)` decodes fully.
 *
 * A function that calls another noted function internally logs the *outer* call's selector and
 * calldata (Solidity keeps `msg.sig`/`msg.data`): `DSChief.vote(address[])` is not noted itself
 * but logs two notes carrying its own selector (from `etch` and `vote(bytes32)`).
 */
import { ethers } from "forta-agent";
import { VigilError } from "../errors";
import { tryFromBytes32 } from "./bytes32";
import { decodeTrailingBytes } from "./trailing-bytes";

export { decodeTrailingBytes };

export type NoteLayout = "libnote" | "vat" | "dsnote";

/** What a decoder needs of a log: a forta-agent `Log`, a JSON-RPC log, or a hand-built one. */
export interface LogLike {
  address: string;
  topics: readonly string[];
  data: string;
}

/** Which functions of a contract write notes, and in which layout. */
export interface NoteSpec {
  /** contract name, for messages ("Vat", "OSM") */
  readonly contract: string;
  readonly layout: NoteLayout;
  readonly iface: ethers.utils.Interface;
  /** canonical signatures (`file(bytes32,uint256)`) of the calls that write notes on mainnet */
  readonly functions: readonly string[];
}

export interface DecodedNote {
  layout: NoteLayout;
  /** the contract that emitted the log, lowercase */
  address: string;
  /** 4-byte function selector, `0x` + 8 hex digits */
  selector: string;
  /** canonical signature, e.g. `file(bytes32,bytes32,uint256)` */
  signature: string;
  /** function name, e.g. `file` */
  name: string;
  /** msg.sender of the noted call (lowercase), or null for the Vat layout, which does not log it */
  caller: string | null;
  /** the arguments decoded from calldata with the interface's fragment; null when they cannot be */
  args: ethers.utils.Result | null;
  /** why `args` is null (e.g. calldata cut at 224 bytes); null when args decoded */
  argsError: string | null;
  /** the argument words carried in the indexed topics (arg1, arg2[, arg3]), lowercase 32-byte hex */
  rawArgs: string[];
  /** calldata as carried by the log: exact for ds-note, a 224-byte window for the dss layouts */
  calldata: string;
  calldataIsExact: boolean;
  /** ds-note only: msg.value of the call (wei, decimal string); null for the dss layouts */
  value: string | null;
  fragment: ethers.utils.FunctionFragment;
}

/** A log that is shaped like a note of a known function but cannot be read as one. */
export class NoteDecodeError extends VigilError<"NOTE_DECODE"> {
  constructor(
    readonly address: string,
    message: string,
  ) {
    super("NOTE_DECODE", message);
  }
}

const HEX = /^0x([0-9a-fA-F]{2})*$/;
const WORD = /^0x[0-9a-fA-F]{64}$/;
const NOTE_TOPIC = /^0x[0-9a-fA-F]{8}0{56}$/;

/** `file(bytes32,uint256)` or `function file(bytes32 what, uint256 data)` -> canonical signature. */
export function canonicalSignature(signature: string): string {
  const text = typeof signature === "string" ? signature.trim().replace(/^function\s+/, "") : "";
  let fragment: ethers.utils.Fragment | undefined;
  try {
    fragment = ethers.utils.Fragment.from(`function ${text}`);
  } catch {
    fragment = undefined;
  }
  if (!(fragment instanceof ethers.utils.FunctionFragment)) {
    throw new VigilError("BAD_SIGNATURE", `${JSON.stringify(signature)} is not a function signature; write it like "file(bytes32,uint256)"`);
  }
  return fragment.format(ethers.utils.FormatTypes.sighash);
}

/** The 4-byte selector of a function signature: `noteSelector("poke()")` = `0x18178358`. */
export function noteSelector(signature: string): string {
  return ethers.utils.id(canonicalSignature(signature)).slice(0, 10);
}

/** What a note of this function carries in topic 0 (filter logs on it): the selector left-aligned in 32 bytes. */
export function noteTopic(signature: string): string {
  return noteSelector(signature).padEnd(66, "0");
}

/** The selector a topic 0 holds if it has the note shape (4 bytes then 28 zero bytes), else null. */
export function selectorOfNoteTopic(topic0: string): string | null {
  return typeof topic0 === "string" && NOTE_TOPIC.test(topic0) ? topic0.slice(0, 10).toLowerCase() : null;
}

/** dss LibNote (Jug, Spot, Vow, Pot, Cat, Dai, OSM, Median, ...): caller in topics[1]. Null when not a note of a function of `iface`. */
export function decodeLibNote(log: LogLike, iface: ethers.utils.Interface): DecodedNote | null {
  return decodeWith("libnote", log, iface);
}

/** The mainnet Vat's own note: topics[1..3] are the first three argument words; the caller is not logged. */
export function decodeVatNote(log: LogLike, iface: ethers.utils.Interface): DecodedNote | null {
  return decodeWith("vat", log, iface);
}

/** ds-note DSNote (DSPause, legacy DSChief): caller in topics[1], the whole calldata in data. */
export function decodeDsNote(log: LogLike, iface: ethers.utils.Interface): DecodedNote | null {
  return decodeWith("dsnote", log, iface);
}

/** Decode with the layout a contract's NoteSpec names. */
export function decodeNote(log: LogLike, spec: NoteSpec): DecodedNote | null {
  return decodeWith(spec.layout, log, spec.iface);
}

/**
 * The notes among `logs` emitted by `address` (one address or several), optionally only those of
 * the named functions (`["rely", "deny"]` or signatures). Logs of other contracts and logs that
 * are not notes are skipped; a malformed note still throws NoteDecodeError.
 */
export function filterNotes(
  logs: readonly LogLike[],
  spec: NoteSpec,
  address?: string | readonly string[],
  functions?: readonly string[],
): DecodedNote[] {
  const from = address === undefined ? null : new Set((typeof address === "string" ? [address] : address).map((a) => a.toLowerCase()));
  const wanted = functions ? new Set(functions.map((f) => (f.includes("(") ? canonicalSignature(f) : f))) : null;
  const out: DecodedNote[] = [];
  for (const log of logs) {
    if (from && !from.has(String(log.address).toLowerCase())) continue;
    const note = decodeNote(log, spec);
    if (!note) continue;
    if (wanted && !wanted.has(note.name) && !wanted.has(note.signature)) continue;
    out.push(note);
  }
  return out;
}

/**
 * Functions of an interface by selector, looked up once: ethers' `getFunction(selector)` scans and
 * re-formats every fragment on each call, which showed up at 12% of per-block CPU in a profile.
 * null = the interface has no function with that selector.
 */
interface KnownFunction {
  fragment: ethers.utils.FunctionFragment;
  signature: string;
  /** the full human-readable ABI, argument names included */
  full: string;
}
const FRAGMENTS = new WeakMap<ethers.utils.Interface, Map<string, KnownFunction | null>>();

function functionBySelector(iface: ethers.utils.Interface, selector: string): KnownFunction | null {
  let table = FRAGMENTS.get(iface);
  if (!table) {
    table = new Map();
    for (const fragment of Object.values(iface.functions)) {
      table.set(iface.getSighash(fragment).toLowerCase(), { fragment, signature: fragment.format(ethers.utils.FormatTypes.sighash), full: fragment.format(ethers.utils.FormatTypes.full) });
    }
    FRAGMENTS.set(iface, table);
  }
  return table.get(selector) ?? null;
}

/**
 * Decoded notes by log object, then by layout and the function's full ABI (names included, as
 * they name `args`). The runtime hands every bot the same log objects of a block, and several
 * bots decode the same notes with interfaces of their own (every Vat note is read by the vat,
 * liquidations, flash and PSM bots): ethers' calldata decoding led the per-block profile, so each
 * is decoded once. Entries go with their log (a WeakMap); results are frozen, so a bot cannot
 * change what the next bot reads; an undecodable note throws the same error each time.
 */
const DECODED = new WeakMap<object, Map<string, { note: DecodedNote } | { error: unknown }>>();

function decodeWith(layout: NoteLayout, log: LogLike, iface: ethers.utils.Interface): DecodedNote | null {
  checkShape(log);
  if (log.topics.length !== 4) return null;
  const selector = selectorOfNoteTopic(log.topics[0]!);
  if (!selector) return null;
  const known = functionBySelector(iface, selector);
  if (!known) return null; // not a function of this interface
  let byFunction = DECODED.get(log);
  if (!byFunction) DECODED.set(log, (byFunction = new Map()));
  const key = `${layout} ${known.full}`;
  let entry = byFunction.get(key);
  if (!entry) {
    try {
      entry = { note: freezeNote(decodeKnown(layout, log, iface, selector, known)) };
    } catch (error) {
      entry = { error };
    }
    byFunction.set(key, entry);
  }
  if ("error" in entry) throw entry.error;
  return entry.note;
}

function freezeNote(note: DecodedNote): DecodedNote {
  Object.freeze(note.rawArgs);
  return Object.freeze(note);
}

function decodeKnown(layout: NoteLayout, log: LogLike, iface: ethers.utils.Interface, selector: string, known: KnownFunction): DecodedNote {
  const { fragment, signature } = known;
  const address = log.address.toLowerCase();
  const topics = log.topics.map((t) => t.toLowerCase());
  const where = `note of ${signature} from ${address}`;

  let calldata: string;
  let value: string | null = null;
  try {
    // ds-note from solc 0.4.x builds (MKR, the 2019 chief, old DSValue PIPs) leaves fax unpadded
    if (layout === "dsnote") {
      const { head, bytes } = decodeTrailingBytes(log.data, 1);
      calldata = bytes;
      value = BigInt(head[0]!).toString();
    } else {
      calldata = decodeTrailingBytes(log.data, 0).bytes;
    }
  } catch (err) {
    throw new NoteDecodeError(
      address,
      `${where}: data is not the ${layout === "dsnote" ? "(uint256 wad, bytes fax)" : "bytes"} a ${layout} LogNote carries, padded or not (${shortError(err)}); ` +
        `check that this contract uses the ${layout} layout`,
    );
  }

  // The topics repeat calldata words: checking them catches a decoder applied to the wrong layout.
  if (calldata.slice(0, 10) !== selector) {
    throw new NoteDecodeError(address, `${where}: calldata starts with ${calldata.slice(0, 10) || "(nothing)"}, not the selector in topic 0; is this contract's layout ${layout}?`);
  }
  const rawArgs = layout === "vat" ? topics.slice(1, 4) : topics.slice(2, 4);
  rawArgs.forEach((word, i) => {
    const expected = calldataWord(calldata, i);
    if (word !== expected) {
      const position = layout === "vat" ? i + 1 : i + 2;
      throw new NoteDecodeError(
        address,
        `${where}: topics[${position}] should repeat argument word ${i + 1} of calldata under the ${layout} layout but does not; ` +
          `the contract probably writes notes in another layout (the mainnet Vat: decodeVatNote; DSPause/DSChief: decodeDsNote; others: decodeLibNote)`,
      );
    }
  });

  let caller: string | null = null;
  if (layout !== "vat") {
    const word = topics[1]!;
    if (!/^0x0{24}[0-9a-f]{40}$/.test(word)) throw new NoteDecodeError(address, `${where}: topics[1] should hold the caller's address but holds ${word}`);
    caller = `0x${word.slice(26)}`;
  }

  // The arguments are decoded when first read: most readers only look at the signature (a Vat
  // note's frob among many), and ethers' decoding was the costliest step.
  let decoded: { args: ethers.utils.Result | null; argsError: string | null } | undefined;
  const decodeArgs = (): { args: ethers.utils.Result | null; argsError: string | null } => {
    if (decoded) return decoded;
    try {
      decoded = { args: iface.decodeFunctionData(fragment, calldata), argsError: null };
    } catch (err) {
      decoded = {
        args: null,
        argsError:
          layout === "dsnote"
            ? `calldata of ${signature} does not decode: ${shortError(err)}`
            : `the arguments of ${signature} do not fit in the 224 bytes of calldata a ${layout} note keeps (${shortError(err)}); use rawArgs, or read the transaction input`,
      };
    }
    return decoded;
  };

  return {
    layout,
    address,
    selector,
    signature,
    name: fragment.name,
    caller,
    get args() {
      return decodeArgs().args;
    },
    get argsError() {
      return decodeArgs().argsError;
    },
    rawArgs,
    calldata,
    calldataIsExact: layout === "dsnote",
    value,
    fragment,
  };
}

/** The i-th argument word of calldata (0-based, after the selector), zero-padded like calldataload. */
function calldataWord(calldata: string, i: number): string {
  const start = 10 + i * 64;
  return `0x${calldata.slice(start, start + 64).padEnd(64, "0")}`;
}

function checkShape(log: LogLike): void {
  const ok =
    log !== null &&
    typeof log === "object" &&
    typeof log.address === "string" &&
    /^0x[0-9a-fA-F]{40}$/.test(log.address) &&
    Array.isArray(log.topics) &&
    log.topics.every((t) => typeof t === "string" && WORD.test(t)) &&
    typeof log.data === "string" &&
    HEX.test(log.data);
  if (!ok) {
    const address = log && typeof log === "object" && typeof log.address === "string" ? log.address : "(no address)";
    throw new NoteDecodeError(
      address,
      `malformed log from ${address}: expected {address: 20-byte hex, topics: 32-byte hex words, data: even-length hex}; got ${describe(log)}`,
    );
  }
}

function describe(log: unknown): string {
  try {
    return JSON.stringify(log).slice(0, 200);
  } catch {
    return String(log);
  }
}

function shortError(err: unknown): string {
  const e = err as { reason?: string; message?: string };
  return (e.reason ?? e.message ?? String(err)).split(" (")[0]!;
}

export interface FileChange {
  /** the ilk for `file(ilk, what, data)`, null for `file(what, data)` */
  ilk: string | null;
  /** the parameter name, e.g. `line`, `Line`, `spot`, `pip`, `duty` */
  what: string;
  /** uint values as decimal strings, addresses lowercase, strings as they are */
  value: string;
  valueType: string;
}

/** Whether a file(...) note sets `what`, read from its calldata without decoding its arguments (a Spotter poke files every ilk's spot): true wherever fileChangeOf(note)?.what === what. */
export function fileSets(note: DecodedNote, what: string): boolean {
  const n = note.name === "file" ? note.fragment.inputs.length : 0;
  const start = 10 + (n - 2) * 64;
  return (n === 2 || n === 3) && note.calldata.slice(start, start + 64).toLowerCase() === Buffer.from(what, "latin1").toString("hex").padEnd(64, "0");
}

/**
 * The parameter a `file(...)` note changed: `{ilk: "ETH-A", what: "line", value: "…"}`. Null for
 * notes of other functions or when the arguments were not decodable.
 */
export function fileChangeOf(note: DecodedNote): FileChange | null {
  if (note.name !== "file" || !note.args) return null;
  const inputs = note.fragment.inputs;
  const last = inputs[inputs.length - 1];
  if (!last || inputs.length < 2 || inputs.length > 3) return null;
  const raw = note.args[inputs.length - 1] as unknown;
  const value = ethers.BigNumber.isBigNumber(raw) ? raw.toString() : typeof raw === "string" ? (last.type === "address" ? raw.toLowerCase() : raw) : String(raw);
  const name = (i: number): string => {
    const w = note.args![i] as unknown;
    return typeof w === "string" && WORD.test(w) ? (tryFromBytes32(w) ?? w.toLowerCase()) : String(w);
  };
  return {
    ilk: inputs.length === 3 ? name(0) : null,
    what: name(inputs.length - 2),
    value,
    valueType: last.type,
  };
}
