/**
 * maker-flash detection logic: plain functions over a transaction's logs and the watched
 * addresses, no chain access.
 *
 * `classifyActions` names every governance, oracle, liquidation or ESM action a transaction's
 * own logs show (the combination with a flash mint is what MAKER-FLASH-COMBINED reports):
 * - governance: DSPause ds-note notes of plot/drop/exec/setDelay and its LogSetOwner/Authority;
 *   chief ds-note notes (DSChief 1.2: lift, vote, etch, lock, free, launch) and the named events
 *   of the 2025 Chief (Lift, Vote, Etch, Lock, Free, Launch);
 * - oracle: any LibNote of an OSM (`PIP_*`: poke, change, void, stop, start, kiss, diss, rely,
 *   deny), OSM `LogValue`, the ds-note notes of DSValue pips (poke, void), any LibNote or
 *   `LogMedianPrice` of a Median behind an OSM, Spotter `file`/`rely`/`deny`/`cage` notes and
 *   Spotter `Poke`;
 * - liquidation: Clipper `Take`;
 * - esm: ESM `Join`, `Fire`, `DenyProxy`;
 * - psm: PSM / lite PSM `BuyGem` (gems out of the reserve; the agent keeps those of at least
 *   FLASH_COMBINED_PSM_MIN DAI). Vault frobs are not actions here: refinancing and leverage with
 *   flash mints are everyday business.
 * One call logged twice (an OSM poke writes `LogValue` and its note) is one action: the note's
 * bare `OSM.poke()` is dropped beside `OSM.poke(): new value …`.
 * A log from a watched contract that has the shape of one of these but does not decode is
 * returned as `undecodable` (to be reported), never dropped.
 */
import { ethers } from "forta-agent";
import {
  CHIEF_IFACE,
  CLIP_IFACE,
  DS_CHIEF_NOTES,
  LITE_PSM_IFACE,
  ESM_IFACE,
  MEDIAN_IFACE,
  MEDIAN_NOTES,
  NoteDecodeError,
  OSM_IFACE,
  OSM_NOTES,
  PAUSE_IFACE,
  PAUSE_NOTES,
  SPOT_IFACE,
  SPOT_NOTES,
  decodeNote,
  fileChangeOf,
  fromBytes32,
  selectorOfNoteTopic,
  type DecodedNote,
  type NoteSpec,
} from "../../../shared/abi";
import { noteSpec } from "../../../shared/abi/define";
import { decodeEvents, type DecodedEvent, type LogInput, type UndecodableLog } from "../../../shared/logs";
import { dec, fromRad, fromWad, type Decimal, type RawInt } from "../../../shared/math";
import type { Combination } from "./config";

export type LoanLevel = "info" | "low";

/** Which size class a flash mint of `dai` DAI falls in: null below `infoMin`. Exact decimals. */
export function loanLevel(dai: Decimal, infoMin: Decimal, lowMin: Decimal): LoanLevel | null {
  if (dai.gte(lowMin)) return "low";
  if (dai.gte(infoMin)) return "info";
  return null;
}

/** FlashLoan amounts are DAI wad; VatDaiFlashLoan amounts are internal dai (rad). */
export function loanDai(kind: "FlashLoan" | "VatDaiFlashLoan", amount: RawInt): Decimal {
  return kind === "FlashLoan" ? fromWad(amount) : fromRad(amount);
}

/** The contracts whose logs mean something in a flash-mint transaction, by lowercase address. */
export interface Watched {
  pause: ReadonlySet<string>;
  /** DSChief 1.2 (ds-note) or the 2025 Chief (named events): both decoders are tried */
  chiefs: ReadonlyMap<string, string>;
  esm: ReadonlySet<string>;
  spot: ReadonlySet<string>;
  /** PIP_* address -> ChainLog key */
  pips: ReadonlyMap<string, string>;
  /** Median address -> the PIP_* key of the OSM that reads it */
  medians: ReadonlyMap<string, string>;
  /** MCD_CLIP_* address -> ChainLog key */
  clippers: ReadonlyMap<string, string>;
  /** MCD_PSM_* / MCD_LITE_PSM_* address -> ChainLog key */
  psms: ReadonlyMap<string, string>;
}

export interface Action {
  kind: Combination;
  /** the ChainLog key of the contract (or "median of PIP_X") */
  contract: string;
  address: string;
  logIndex: number;
  /** for people, e.g. `lift(0xabc…)`, `poke()`, `take(id 3, lot 10 ETH…)` */
  what: string;
  /** psm: the gems bought (BuyGem value, in the gem's own units) */
  gemRaw?: string;
}

export interface Classified {
  actions: Action[];
  undecodable: UndecodableLog[];
  /** addresses not yet known as Medians whose logs look like a Median's (LogMedianPrice or a Median note) */
  medianCandidates: string[];
}

/** DSValue pips (stablecoin and RWA PIP_*) note `poke(bytes32)` and `void()` in the ds-note layout. */
const DSVALUE_NOTES: NoteSpec = noteSpec(
  "DSValue",
  "dsnote",
  new ethers.utils.Interface(["function poke(bytes32 wut)", "function void()"]),
  ["poke(bytes32)", "void()"],
);

/**
 * The SKY chief's events as deployed without the caller (makerdao/chief `Chief.sol`: `Lock(uint256)`,
 * `Free(uint256)`, `Vote(bytes32 indexed)`), beside CHIEF_IFACE's versions that log `usr`.
 */
const SKY_CHIEF_PLAIN_IFACE = new ethers.utils.Interface(["event Lock(uint256 wad)", "event Free(uint256 wad)", "event Vote(bytes32 indexed slate)"]);

const PAUSE_GOVERNANCE = new Set(["plot", "drop", "exec", "setDelay"]);
const MEDIAN_PRICE_TOPIC = MEDIAN_IFACE.getEventTopic("LogMedianPrice");
const MEDIAN_SELECTORS = new Set(MEDIAN_NOTES.functions.map((f) => MEDIAN_IFACE.getSighash(f)));

const short = (a: string) => `${a.slice(0, 8)}…${a.slice(-4)}`;

/** `lift(0x1234…abcd)`, `file(ETH-A, mat, 1500…)`: a note as a call, for people. */
export function describeNote(note: DecodedNote): string {
  const fc = fileChangeOf(note);
  if (fc) return `file(${[fc.ilk, fc.what, fc.value].filter((x) => x !== null).join(", ")})`;
  if (!note.args) return `${note.name}(…)`;
  const parts = note.fragment.inputs.map((input, i) => {
    const v = note.args![i] as unknown;
    if (input.type === "address") return short(String(v).toLowerCase());
    if (input.type === "address[]") return `[${(v as string[]).map((a) => short(a.toLowerCase())).join(", ")}]`;
    if (input.type === "bytes32") return fromBytes32(String(v));
    if (input.type === "bytes") return `${(String(v).length - 2) / 2} bytes`;
    if (ethers.BigNumber.isBigNumber(v)) return v.toString();
    return String(v);
  });
  return `${note.name}(${parts.join(", ")})`;
}

function describeEvent(e: DecodedEvent): string {
  const args = e.args;
  switch (e.name) {
    case "Take":
      return `take(auction ${args.id.toString()}: owe ${fromRad(args.owe.toString()).toFixed(2)} DAI, price ${dec(args.price.toString()).div("1e27").toFixed(2)}, lot left ${fromWad(args.lot.toString()).toFixed()})`;
    case "Join":
      return `join(${fromWad(args.wad.toString()).toFixed()} tokens by ${short(String(args.usr).toLowerCase())})`;
    case "Fire":
      return "fire()";
    case "DenyProxy":
      return `denyProxy(${short(String(args.base).toLowerCase())})`;
    case "Poke":
      return `poke(${fromBytes32(String(args.ilk))})`;
    case "BuyGem":
      return `buyGem(${args.value.toString()} gem units to ${short(String(args.owner).toLowerCase())})`;
    case "LogValue":
      return `poke(): new value ${fromWad(BigInt(String(args.val)).toString()).toFixed()}`;
    case "LogMedianPrice":
      return `poke(): median price ${fromWad(args.val.toString()).toFixed()}`;
    case "Lift":
      return `lift(${short(String(args.whom).toLowerCase())})`;
    case "Lock":
    case "Free":
      return `${e.name.toLowerCase()}(${fromWad(args.wad.toString()).toFixed()}${args.usr ? ` by ${short(String(args.usr).toLowerCase())}` : ""})`;
    case "Vote":
      return `vote(slate ${String(args.slate).slice(0, 10)}…${args.usr ? ` by ${short(String(args.usr).toLowerCase())}` : ""})`;
    case "LogSetOwner":
      return `setOwner(${short(String(args.owner).toLowerCase())})`;
    case "LogSetAuthority":
      return `setAuthority(${short(String(args.authority).toLowerCase())})`;
    default:
      return `${e.name}()`;
  }
}

/** Named events of `iface` in one log: the event, an undecodable record, or null (not one of them). */
function named(log: LogInput, iface: ethers.utils.Interface, names: readonly string[]): DecodedEvent | UndecodableLog | null {
  const { events, undecodable } = decodeEvents([log], iface, log.address, names);
  return events[0] ?? undecodable[0] ?? null;
}

function isUndecodable(x: DecodedEvent | UndecodableLog): x is UndecodableLog {
  return "error" in x;
}

/**
 * The note of the first spec that decodes the log; null when the log is a note of none of them;
 * an undecodable record when it has a note's shape for one of them but no layout reads it.
 */
function note(log: LogInput, ...specs: NoteSpec[]): { spec: NoteSpec; note: DecodedNote } | UndecodableLog | null {
  let failure: NoteDecodeError | null = null;
  for (const spec of specs) {
    try {
      const n = decodeNote(log, spec);
      if (n) return { spec, note: n };
    } catch (err) {
      if (!(err instanceof NoteDecodeError)) throw err;
      failure ??= err;
    }
  }
  if (!failure) return null;
  return { address: log.address.toLowerCase(), logIndex: log.logIndex, signature: `LogNote (${specs.map((s) => `${s.contract} ${s.layout}`).join(" or ")})`, error: failure.message };
}

export function classifyActions(logs: readonly LogInput[], w: Watched): Classified {
  const actions: Action[] = [];
  const undecodable: UndecodableLog[] = [];
  const medianCandidates = new Set<string>();
  const push = (kind: Combination, contract: string, log: LogInput, what: string) =>
    actions.push({ kind, contract, address: log.address.toLowerCase(), logIndex: log.logIndex, what });

  /** Try a note decoder; returns true when the log was handled (as an action or as undecodable). */
  const viaNote = (log: LogInput, specs: NoteSpec[], accept: (n: DecodedNote) => boolean, kind: Combination, contract: string): boolean => {
    const n = note(log, ...specs);
    if (!n) return false;
    if ("error" in n) {
      undecodable.push(n);
      return true;
    }
    if (accept(n.note)) push(kind, contract, log, `${n.spec.contract}.${describeNote(n.note)}`);
    return true;
  };
  const viaEvent = (log: LogInput, iface: ethers.utils.Interface, names: readonly string[], kind: Combination, contract: string, label: string): boolean => {
    const e = named(log, iface, names);
    if (!e) return false;
    if (isUndecodable(e)) undecodable.push(e);
    else push(kind, contract, log, `${label}.${describeEvent(e)}`);
    return true;
  };

  for (const log of logs) {
    const a = log.address.toLowerCase();
    if (w.pause.has(a)) {
      if (viaNote(log, [PAUSE_NOTES], (n) => PAUSE_GOVERNANCE.has(n.name), "governance", "MCD_PAUSE")) continue;
      viaEvent(log, PAUSE_IFACE, ["LogSetOwner", "LogSetAuthority"], "governance", "MCD_PAUSE", "DSPause");
    } else if (w.chiefs.has(a)) {
      const key = w.chiefs.get(a)!;
      if (viaNote(log, [DS_CHIEF_NOTES], () => true, "governance", key)) continue;
      if (viaEvent(log, CHIEF_IFACE, ["Launch", "Lock", "Free", "Etch", "Vote", "Lift"], "governance", key, "Chief")) continue;
      viaEvent(log, SKY_CHIEF_PLAIN_IFACE, ["Lock", "Free", "Vote"], "governance", key, "Chief");
    } else if (w.esm.has(a)) {
      viaEvent(log, ESM_IFACE, ["Join", "Fire", "DenyProxy"], "esm", "MCD_ESM", "ESM");
    } else if (w.spot.has(a)) {
      if (viaNote(log, [SPOT_NOTES], () => true, "oracle", "MCD_SPOT")) continue;
      viaEvent(log, SPOT_IFACE, ["Poke"], "oracle", "MCD_SPOT", "Spotter");
    } else if (w.pips.has(a)) {
      const key = w.pips.get(a)!;
      if (viaNote(log, [OSM_NOTES, DSVALUE_NOTES], () => true, "oracle", key)) continue;
      if (viaEvent(log, OSM_IFACE, ["LogValue"], "oracle", key, "OSM")) continue;
      // any other log of a price feed still changes or touches an oracle
      push("oracle", key, log, `${key}: log with topic ${log.topics[0]?.slice(0, 10) ?? "(none)"}`);
    } else if (w.medians.has(a)) {
      const key = `median of ${w.medians.get(a)!}`;
      if (viaNote(log, [MEDIAN_NOTES], () => true, "oracle", key)) continue;
      viaEvent(log, MEDIAN_IFACE, ["LogMedianPrice"], "oracle", key, "Median");
    } else if (w.clippers.has(a)) {
      const key = w.clippers.get(a)!;
      viaEvent(log, CLIP_IFACE, ["Take"], "liquidation", key, key);
    } else if (w.psms.has(a)) {
      const key = w.psms.get(a)!;
      const e = named(log, LITE_PSM_IFACE, ["BuyGem"]); // the same BuyGem(address,uint256,uint256) on both PSMs
      if (e && isUndecodable(e)) undecodable.push(e);
      else if (e) actions.push({ kind: "psm", contract: key, address: a, logIndex: log.logIndex, what: `${key}.${describeEvent(e)}`, gemRaw: e.args.value.toString() });
    } else if (log.topics[0] === MEDIAN_PRICE_TOPIC || (log.topics.length === 4 && MEDIAN_SELECTORS.has(selectorOfNoteTopic(log.topics[0] ?? "") ?? ""))) {
      medianCandidates.add(a);
    }
  }
  return { actions: withoutEchoes(actions), undecodable, medianCandidates: [...medianCandidates] };
}

/**
 * One call that logs twice is one action: drop an action whose text another action of the same
 * contract repeats with detail (`OSM.poke()` beside `OSM.poke(): new value 2000`).
 */
export function withoutEchoes(actions: readonly Action[]): Action[] {
  return actions.filter((a) => !actions.some((b) => b !== a && b.address === a.address && b.what.startsWith(`${a.what}:`)));
}

/** The actions whose kind is among `kinds`, grouped for a description: "governance: DSChief.lift(…); oracle: …". */
export function summarizeActions(actions: readonly Action[]): string {
  const byKind = new Map<string, string[]>();
  for (const a of actions) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a.what]);
  return [...byKind].map(([k, whats]) => `${k}: ${[...new Set(whats)].join("; ")}`).join(" | ");
}
