/**
 * Liquidations: Dog and Clipper (liquidations 2.0, named events) and the legacy Cat (1.0, LogNote
 * plus its Bite event). Checked against makerdao/dss (dog.sol, clip.sol as deployed in 2021, and
 * the Cat of dss 1.1).
 *
 * Lockstake clippers (`MCD_CLIP_LSE*`) are a different contract whose `sales()` returns an extra
 * `tot` field; their events and `getStatus` match the ones here.
 */
import { AUTH_EVENTS, AUTH_FUNCTIONS, LIBNOTE_EVENT, makeInterface, noteSpec } from "./define";

// ---- Dog (MCD_DOG) ---------------------------------------------------------------------------

export const DOG_EVENTS = {
  ...AUTH_EVENTS,
  /** file("Hole", rad) */
  File: "event File(bytes32 indexed what, uint256 data)",
  /** file("vow", address) */
  FileAddress: "event File(bytes32 indexed what, address data)",
  /** file(ilk, "chop" | "hole", value) */
  FileIlk: "event File(bytes32 indexed ilk, bytes32 indexed what, uint256 data)",
  /** file(ilk, "clip", address) */
  FileIlkAddress: "event File(bytes32 indexed ilk, bytes32 indexed what, address clip)",
  Bark: "event Bark(bytes32 indexed ilk, address indexed urn, uint256 ink, uint256 art, uint256 due, address clip, uint256 indexed id)",
  Digs: "event Digs(bytes32 indexed ilk, uint256 rad)",
  Cage: "event Cage()",
} as const;

export const DOG_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  vat: "function vat() view returns (address)",
  ilks: "function ilks(bytes32) view returns (address clip, uint256 chop, uint256 hole, uint256 dirt)",
  vow: "function vow() view returns (address)",
  live: "function live() view returns (uint256)",
  Hole: "function Hole() view returns (uint256)",
  Dirt: "function Dirt() view returns (uint256)",
  chop: "function chop(bytes32 ilk) view returns (uint256)",
  fileAddress: "function file(bytes32 what, address data)",
  file: "function file(bytes32 what, uint256 data)",
  fileIlk: "function file(bytes32 ilk, bytes32 what, uint256 data)",
  fileIlkAddress: "function file(bytes32 ilk, bytes32 what, address clip)",
  bark: "function bark(bytes32 ilk, address urn, address kpr) returns (uint256 id)",
  digs: "function digs(bytes32 ilk, uint256 rad)",
  cage: "function cage()",
} as const;

export const DOG_IFACE = makeInterface(DOG_EVENTS, DOG_FUNCTIONS);

// ---- Clipper (MCD_CLIP_<ILK>): Dutch auctions ------------------------------------------------

export const CLIP_EVENTS = {
  ...AUTH_EVENTS,
  File: "event File(bytes32 indexed what, uint256 data)",
  FileAddress: "event File(bytes32 indexed what, address data)",
  Kick: "event Kick(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin)",
  Take: "event Take(uint256 indexed id, uint256 max, uint256 price, uint256 owe, uint256 tab, uint256 lot, address indexed usr)",
  Redo: "event Redo(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin)",
  Yank: "event Yank(uint256 id)",
} as const;

export const CLIP_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  ilk: "function ilk() view returns (bytes32)",
  vat: "function vat() view returns (address)",
  dog: "function dog() view returns (address)",
  vow: "function vow() view returns (address)",
  spotter: "function spotter() view returns (address)",
  calc: "function calc() view returns (address)",
  buf: "function buf() view returns (uint256)",
  tail: "function tail() view returns (uint256)",
  cusp: "function cusp() view returns (uint256)",
  chip: "function chip() view returns (uint64)",
  tip: "function tip() view returns (uint192)",
  chost: "function chost() view returns (uint256)",
  kicks: "function kicks() view returns (uint256)",
  active: "function active(uint256) view returns (uint256)",
  sales: "function sales(uint256) view returns (uint256 pos, uint256 tab, uint256 lot, address usr, uint96 tic, uint256 top)",
  /** circuit breaker: 0 none, 1 no kick, 2 no kick/redo, 3 no kick/redo/take */
  stopped: "function stopped() view returns (uint256)",
  count: "function count() view returns (uint256)",
  list: "function list() view returns (uint256[])",
  getStatus: "function getStatus(uint256 id) view returns (bool needsRedo, uint256 price, uint256 lot, uint256 tab)",
  file: "function file(bytes32 what, uint256 data)",
  fileAddress: "function file(bytes32 what, address data)",
  kick: "function kick(uint256 tab, uint256 lot, address usr, address kpr) returns (uint256 id)",
  redo: "function redo(uint256 id, address kpr)",
  take: "function take(uint256 id, uint256 amt, uint256 max, address who, bytes data)",
  upchost: "function upchost()",
  yank: "function yank(uint256 id)",
} as const;

export const CLIP_IFACE = makeInterface(CLIP_EVENTS, CLIP_FUNCTIONS);

// ---- Cat (MCD_CAT): liquidations 1.0, legacy -------------------------------------------------

export const CAT_EVENTS = {
  Bite: "event Bite(bytes32 indexed ilk, address indexed urn, uint256 ink, uint256 art, uint256 tab, address flip, uint256 id)",
  LogNote: LIBNOTE_EVENT,
} as const;

export const CAT_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  ilks: "function ilks(bytes32) view returns (address flip, uint256 chop, uint256 dunk)",
  live: "function live() view returns (uint256)",
  vat: "function vat() view returns (address)",
  vow: "function vow() view returns (address)",
  box: "function box() view returns (uint256)",
  litter: "function litter() view returns (uint256)",
  fileAddress: "function file(bytes32 what, address data)",
  file: "function file(bytes32 what, uint256 data)",
  fileIlk: "function file(bytes32 ilk, bytes32 what, uint256 data)",
  fileIlkAddress: "function file(bytes32 ilk, bytes32 what, address flip)",
  bite: "function bite(bytes32 ilk, address urn) returns (uint256 id)",
  claw: "function claw(uint256 rad)",
  cage: "function cage()",
} as const;

export const CAT_IFACE = makeInterface(CAT_EVENTS, CAT_FUNCTIONS);

export const CAT_NOTES = noteSpec("Cat", "libnote", CAT_IFACE, [
  "rely(address)", "deny(address)", "file(bytes32,address)", "file(bytes32,uint256)", "file(bytes32,bytes32,uint256)",
  "file(bytes32,bytes32,address)", "claw(uint256)", "cage()",
]);
