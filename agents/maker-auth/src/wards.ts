/**
 * Admin-right changes as the Maker contracts log them, whatever their style, read from one log
 * with no chain access:
 *
 * | style             | contracts (mainnet)                         | the change             | caller logged? |
 * |-------------------|---------------------------------------------|------------------------|----------------|
 * | `named`           | Dog, Clipper, End, ESM, DssFlash, PSMs, ... | `Rely/Deny(address indexed usr)` | no   |
 * | `named-unindexed` | the ChainLog                                | `Rely/Deny(address usr)` in data | no   |
 * | `libnote`         | Jug, Spot, Vow, Pot, Cat, Dai, joins, OSMs, Medians | LibNote of rely/deny | yes (topic 1) |
 * | `vat-note`        | the Vat                                     | the Vat's own note of rely/deny | no (topic 1 is usr) |
 * | `ds-note`         | ds-note contracts with wards                | DSNote of rely/deny    | yes (topic 1)  |
 * | `ds-auth`         | DSToken (MKR), DSValue, DSPause, ...        | `LogSetOwner/LogSetAuthority(address indexed)` | no |
 * | `mom-auth`        | the Sky MOMs (SPBEAM_MOM, STUSDS_MOM, SPLITTER_MOM, LITE_PSM_MOM) | `SetOwner/SetAuthority(address indexed)` | no |
 * | `chronicle-auth`  | Chronicle Scribes (FLAP_SKY_ORACLE; the sources of PIP_ETH, PIP_WBTC...) | `AuthGranted/AuthRenounced(address indexed caller, address indexed who)` (chronicle-std Auth: `rely`/`deny`) | yes (topic 1) |
 *
 * The three note layouts share topic 0 (the selector); the layout is recognised from the log
 * itself (the decoders check that the topics repeat the calldata words each layout puts there),
 * so a contract added to the ChainLog later needs no configuration.
 */
import { ethers } from "forta-agent";
import { NoteDecodeError, decodeDsNote, decodeLibNote, decodeVatNote, noteTopic, type DecodedNote, type LogLike } from "../../../shared/abi";
import { VigilError } from "../../../shared/errors";

export type WardStyle = "named" | "named-unindexed" | "libnote" | "vat-note" | "ds-note" | "ds-auth" | "mom-auth" | "chronicle-auth";
export type WardAction = "rely" | "deny" | "setOwner" | "setAuthority";

export interface WardChange {
  /** the contract whose rights changed (lowercase) */
  address: string;
  logIndex: number;
  action: WardAction;
  /** the account given or stripped of rights; the new owner/authority for ds-auth */
  usr: string;
  /** msg.sender of the change when the log carries it (LibNote, ds-note), else null */
  caller: string | null;
  style: WardStyle;
}

/** A log that has the topic of a rights change but cannot be read as one. */
export class WardDecodeError extends VigilError {
  constructor(
    readonly address: string,
    readonly signature: string,
    message: string,
  ) {
    super("WARD_DECODE", message);
  }
}

const TOPIC = {
  Rely: ethers.utils.id("Rely(address)"),
  Deny: ethers.utils.id("Deny(address)"),
  LogSetOwner: ethers.utils.id("LogSetOwner(address)"),
  LogSetAuthority: ethers.utils.id("LogSetAuthority(address)"),
  SetOwner: ethers.utils.id("SetOwner(address)"),
  SetAuthority: ethers.utils.id("SetAuthority(address)"),
  AuthGranted: ethers.utils.id("AuthGranted(address,address)"),
  AuthRenounced: ethers.utils.id("AuthRenounced(address,address)"),
  relyNote: noteTopic("rely(address)"),
  denyNote: noteTopic("deny(address)"),
} as const;

/** Topic 0 of every log this module reads (for a quick pre-filter). */
export const WARD_TOPICS: ReadonlySet<string> = new Set(Object.values(TOPIC));

const AUTH_IFACE = new ethers.utils.Interface(["function rely(address usr)", "function deny(address usr)"]);

/** The change `log` records, null when it is not a rights change; throws WardDecodeError when it should be one but is malformed. */
export function wardChangeOf(log: LogLike & { logIndex: number }): WardChange | null {
  const topic0 = typeof log.topics[0] === "string" ? log.topics[0].toLowerCase() : "";
  if (!WARD_TOPICS.has(topic0)) return null;
  const address = log.address.toLowerCase();
  const base = { address, logIndex: log.logIndex };
  switch (topic0) {
    case TOPIC.Rely:
    case TOPIC.Deny: {
      const action = topic0 === TOPIC.Rely ? "rely" : "deny";
      const sig = `${action === "rely" ? "Rely" : "Deny"}(address)`;
      if (log.topics.length === 2) return { ...base, action, usr: addressWord(log.topics[1]!, address, sig), caller: null, style: "named" };
      if (log.topics.length === 1 && ethers.utils.hexDataLength(log.data) === 32) return { ...base, action, usr: addressWord(log.data, address, sig), caller: null, style: "named-unindexed" };
      throw new WardDecodeError(address, sig, `${sig} from ${address} has ${log.topics.length} topics and ${ethers.utils.hexDataLength(log.data)} bytes of data; expected the address indexed (2 topics) or in 32 bytes of data`);
    }
    case TOPIC.LogSetOwner:
    case TOPIC.LogSetAuthority: {
      const action = topic0 === TOPIC.LogSetOwner ? "setOwner" : "setAuthority";
      const sig = `${topic0 === TOPIC.LogSetOwner ? "LogSetOwner" : "LogSetAuthority"}(address)`;
      if (log.topics.length !== 2) throw new WardDecodeError(address, sig, `${sig} from ${address} has ${log.topics.length} topics; expected the address indexed (2 topics)`);
      return { ...base, action, usr: addressWord(log.topics[1]!, address, sig), caller: null, style: "ds-auth" };
    }
    case TOPIC.SetOwner:
    case TOPIC.SetAuthority: {
      const action = topic0 === TOPIC.SetOwner ? "setOwner" : "setAuthority";
      const sig = `${topic0 === TOPIC.SetOwner ? "SetOwner" : "SetAuthority"}(address)`;
      if (log.topics.length !== 2) throw new WardDecodeError(address, sig, `${sig} from ${address} has ${log.topics.length} topics; expected the address indexed (2 topics)`);
      return { ...base, action, usr: addressWord(log.topics[1]!, address, sig), caller: null, style: "mom-auth" };
    }
    case TOPIC.AuthGranted:
    case TOPIC.AuthRenounced: {
      const action = topic0 === TOPIC.AuthGranted ? "rely" : "deny";
      const sig = `${action === "rely" ? "AuthGranted" : "AuthRenounced"}(address,address)`;
      if (log.topics.length !== 3) throw new WardDecodeError(address, sig, `${sig} from ${address} has ${log.topics.length} topics; expected caller and who indexed (3 topics)`);
      return { ...base, action, usr: addressWord(log.topics[2]!, address, sig), caller: addressWord(log.topics[1]!, address, sig), style: "chronicle-auth" };
    }
    default:
      return noteChange(log, base);
  }
}

function noteChange(log: LogLike & { logIndex: number }, base: { address: string; logIndex: number }): WardChange {
  const errors: string[] = [];
  const attempts: [WardStyle, (l: LogLike, i: ethers.utils.Interface) => DecodedNote | null][] = [
    ["libnote", decodeLibNote],
    ["vat-note", decodeVatNote],
    ["ds-note", decodeDsNote],
  ];
  for (const [style, decode] of attempts) {
    let note: DecodedNote | null;
    try {
      note = decode(log, AUTH_IFACE);
    } catch (err) {
      if (!(err instanceof NoteDecodeError)) throw err;
      errors.push(`${style}: ${err.message}`);
      continue;
    }
    if (!note || !note.args) {
      errors.push(`${style}: ${note?.argsError ?? "not a note"}`);
      continue;
    }
    return { ...base, action: note.name as "rely" | "deny", usr: String(note.args.usr).toLowerCase(), caller: note.caller, style };
  }
  const sig = `${log.topics[0]!.toLowerCase() === TOPIC.relyNote ? "rely" : "deny"}(address) note`;
  throw new WardDecodeError(base.address, sig, `${sig} from ${base.address} fits none of the LibNote, Vat-note and ds-note layouts (${errors.map((e) => e.split(";")[0]).join(" | ")})`);
}

function addressWord(word: string, address: string, sig: string): string {
  if (!/^0x0{24}[0-9a-fA-F]{40}$/.test(word)) throw new WardDecodeError(address, sig, `${sig} from ${address}: ${word} is not an address word`);
  return `0x${word.slice(26).toLowerCase()}`;
}
