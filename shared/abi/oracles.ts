/**
 * Oracles: OSM (PIP_<TOKEN>, one hour delay in front of a Median) and Median (MEDIAN_<PAIR>).
 * Checked against the OSM and Median deployed on mainnet (solc 0.5.12, dss LibNote; public
 * sources of makerdao/osm and makerdao/median).
 *
 * `peek/peep/read` of both are whitelisted (`bud`, the `toll` modifier): a monitor that is not
 * kissed reads the values from storage instead; the slots and their packing are below.
 * Not every `PIP_*` is an OSM (stablecoin and RWA pips are plain DSValue-like contracts).
 */
import { VigilError } from "../errors";
import { AUTH_FUNCTIONS, LIBNOTE_EVENT, makeInterface, noteSpec } from "./define";

// ---- OSM -------------------------------------------------------------------------------------

export const OSM_EVENTS = {
  /** a successful poke: the new current value (`cur.val`) */
  LogValue: "event LogValue(bytes32 val)",
  LogNote: LIBNOTE_EVENT,
} as const;

export const OSM_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  stopped: "function stopped() view returns (uint256)",
  src: "function src() view returns (address)",
  hop: "function hop() view returns (uint16)",
  zzz: "function zzz() view returns (uint64)",
  bud: "function bud(address) view returns (uint256)",
  stop: "function stop()",
  start: "function start()",
  change: "function change(address src_)",
  /** not noted on mainnet */
  step: "function step(uint16 ts)",
  void: "function void()",
  pass: "function pass() view returns (bool ok)",
  poke: "function poke()",
  peek: "function peek() view returns (bytes32, bool)",
  peep: "function peep() view returns (bytes32, bool)",
  read: "function read() view returns (bytes32)",
  kiss: "function kiss(address a)",
  diss: "function diss(address a)",
  kissMany: "function kiss(address[] a)",
  dissMany: "function diss(address[] a)",
} as const;

export const OSM_IFACE = makeInterface(OSM_EVENTS, OSM_FUNCTIONS);

export const OSM_NOTES = noteSpec("OSM", "libnote", OSM_IFACE, [
  "rely(address)", "deny(address)", "stop()", "start()", "change(address)", "void()", "poke()",
  "kiss(address)", "diss(address)", "kiss(address[])", "diss(address[])",
]);

/**
 * OSM storage: `wards` 0, `stopped` 1, slot 2 packs `src` (bytes 0-19), `hop` (uint16, bytes
 * 20-21) and `zzz` (uint64, bytes 22-29) counted from the low-order end; `cur` 3 and `nxt` 4 are
 * `Feed {uint128 val; uint128 has}` (val in the low 128 bits); `bud` 5.
 */
export const OSM_SLOTS = { wards: 0, stopped: 1, srcHopZzz: 2, cur: 3, nxt: 4, bud: 5 } as const;

export interface OsmFeed {
  /** the price, wad */
  val: bigint;
  has: boolean;
}

/** A `cur`/`nxt` storage word -> `{val, has}`. */
export function decodeOsmFeed(word: string): OsmFeed {
  const n = slotValue(word);
  return { val: n & ((1n << 128n) - 1n), has: n >> 128n !== 0n };
}

/** Storage slot 2 -> `{src, hop, zzz}` (src lowercase; hop and zzz in seconds). */
export function decodeOsmSrcHopZzz(word: string): { src: string; hop: number; zzz: number } {
  const n = slotValue(word);
  const src = `0x${(n & ((1n << 160n) - 1n)).toString(16).padStart(40, "0")}`;
  const hop = Number((n >> 160n) & 0xffffn);
  const zzz = Number((n >> 176n) & ((1n << 64n) - 1n));
  return { src, hop, zzz };
}

// ---- Median ----------------------------------------------------------------------------------

export const MEDIAN_EVENTS = {
  LogMedianPrice: "event LogMedianPrice(uint256 val, uint256 age)",
  LogNote: LIBNOTE_EVENT,
} as const;

export const MEDIAN_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  age: "function age() view returns (uint32)",
  wat: "function wat() view returns (bytes32)",
  bar: "function bar() view returns (uint256)",
  orcl: "function orcl(address) view returns (uint256)",
  bud: "function bud(address) view returns (uint256)",
  slot: "function slot(uint8) view returns (address)",
  read: "function read() view returns (uint256)",
  peek: "function peek() view returns (uint256, bool)",
  /** not noted on mainnet; its calldata is longer than a note's 224 bytes anyway */
  poke: "function poke(uint256[] val_, uint256[] age_, uint8[] v, bytes32[] r, bytes32[] s)",
  lift: "function lift(address[] a)",
  drop: "function drop(address[] a)",
  setBar: "function setBar(uint256 bar_)",
  kiss: "function kiss(address a)",
  diss: "function diss(address a)",
  kissMany: "function kiss(address[] a)",
  dissMany: "function diss(address[] a)",
} as const;

export const MEDIAN_IFACE = makeInterface(MEDIAN_EVENTS, MEDIAN_FUNCTIONS);

/** `lift`/`drop` of 5 or more feeds do not fit in a note's 224 bytes: their `args` are null. */
export const MEDIAN_NOTES = noteSpec("Median", "libnote", MEDIAN_IFACE, [
  "rely(address)", "deny(address)", "lift(address[])", "drop(address[])", "setBar(uint256)", "kiss(address)",
  "diss(address)", "kiss(address[])", "diss(address[])",
]);

/** Median storage: `wards` 0, slot 1 packs `val` (uint128, low half) and `age` (uint32, next), `bar` 2, `orcl` 3, `bud` 4, `slot` 5. */
export const MEDIAN_SLOTS = { wards: 0, valAge: 1, bar: 2, orcl: 3, bud: 4, slot: 5 } as const;

/** Median storage slot 1 -> `{val, age}` (val wad, age unix seconds). */
export function decodeMedianValAge(word: string): { val: bigint; age: number } {
  const n = slotValue(word);
  return { val: n & ((1n << 128n) - 1n), age: Number((n >> 128n) & 0xffffffffn) };
}

function slotValue(word: string): bigint {
  if (typeof word !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(word)) {
    throw new VigilError("BAD_STORAGE_WORD", `expected a storage word (0x + up to 64 hex digits), got ${JSON.stringify(String(word).slice(0, 80))}`);
  }
  return BigInt(word);
}
