/**
 * Core accounting: Vat, Jug, Spot (Spotter), Vow, Pot, End.
 * Checked against makerdao/dss at the versions deployed on mainnet: Vat/Jug/Spot/Vow/Pot are
 * dss 1.0.x (solc 0.5.12, LogNote, no named events except Spot's Poke); End is the 2021 End
 * (named events, Snip for clippers). The Vat writes notes in its own layout (see note.ts).
 */
import { AUTH_EVENTS, AUTH_FUNCTIONS, LIBNOTE_EVENT, VAT_NOTE_EVENT, makeInterface, noteSpec } from "./define";

// ---- Vat (MCD_VAT) ---------------------------------------------------------------------------

export const VAT_EVENTS = {
  LogNote: VAT_NOTE_EVENT,
} as const;

export const VAT_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  can: "function can(address, address) view returns (uint256)",
  hope: "function hope(address usr)",
  nope: "function nope(address usr)",
  ilks: "function ilks(bytes32) view returns (uint256 Art, uint256 rate, uint256 spot, uint256 line, uint256 dust)",
  urns: "function urns(bytes32, address) view returns (uint256 ink, uint256 art)",
  gem: "function gem(bytes32, address) view returns (uint256)",
  dai: "function dai(address) view returns (uint256)",
  sin: "function sin(address) view returns (uint256)",
  debt: "function debt() view returns (uint256)",
  vice: "function vice() view returns (uint256)",
  Line: "function Line() view returns (uint256)",
  live: "function live() view returns (uint256)",
  init: "function init(bytes32 ilk)",
  /** file("Line", rad) */
  file: "function file(bytes32 what, uint256 data)",
  /** file(ilk, "spot" | "line" | "dust", value) */
  fileIlk: "function file(bytes32 ilk, bytes32 what, uint256 data)",
  cage: "function cage()",
  slip: "function slip(bytes32 ilk, address usr, int256 wad)",
  flux: "function flux(bytes32 ilk, address src, address dst, uint256 wad)",
  move: "function move(address src, address dst, uint256 rad)",
  frob: "function frob(bytes32 i, address u, address v, address w, int256 dink, int256 dart)",
  fork: "function fork(bytes32 ilk, address src, address dst, int256 dink, int256 dart)",
  grab: "function grab(bytes32 i, address u, address v, address w, int256 dink, int256 dart)",
  heal: "function heal(uint256 rad)",
  suck: "function suck(address u, address v, uint256 rad)",
  fold: "function fold(bytes32 i, address u, int256 rate)",
} as const;

export const VAT_IFACE = makeInterface(VAT_EVENTS, VAT_FUNCTIONS);

export const VAT_NOTES = noteSpec("Vat", "vat", VAT_IFACE, [
  "rely(address)", "deny(address)", "hope(address)", "nope(address)", "init(bytes32)",
  "file(bytes32,uint256)", "file(bytes32,bytes32,uint256)", "cage()", "slip(bytes32,address,int256)",
  "flux(bytes32,address,address,uint256)", "move(address,address,uint256)",
  "frob(bytes32,address,address,address,int256,int256)", "fork(bytes32,address,address,int256,int256)",
  "grab(bytes32,address,address,address,int256,int256)", "heal(uint256)", "suck(address,address,uint256)",
  "fold(bytes32,address,int256)",
]);

// ---- Jug (MCD_JUG): stability fees -----------------------------------------------------------

export const JUG_EVENTS = { LogNote: LIBNOTE_EVENT } as const;

export const JUG_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  ilks: "function ilks(bytes32) view returns (uint256 duty, uint256 rho)",
  vat: "function vat() view returns (address)",
  vow: "function vow() view returns (address)",
  base: "function base() view returns (uint256)",
  init: "function init(bytes32 ilk)",
  /** file(ilk, "duty", ray) */
  fileIlk: "function file(bytes32 ilk, bytes32 what, uint256 data)",
  /** file("base", ray) */
  file: "function file(bytes32 what, uint256 data)",
  /** file("vow", address) */
  fileAddress: "function file(bytes32 what, address data)",
  drip: "function drip(bytes32 ilk) returns (uint256 rate)",
} as const;

export const JUG_IFACE = makeInterface(JUG_EVENTS, JUG_FUNCTIONS);

export const JUG_NOTES = noteSpec("Jug", "libnote", JUG_IFACE, [
  "rely(address)", "deny(address)", "init(bytes32)", "file(bytes32,bytes32,uint256)", "file(bytes32,uint256)",
  "file(bytes32,address)", "drip(bytes32)",
]);

// ---- Spotter (MCD_SPOT) ----------------------------------------------------------------------

export const SPOT_EVENTS = {
  Poke: "event Poke(bytes32 ilk, bytes32 val, uint256 spot)",
  LogNote: LIBNOTE_EVENT,
} as const;

export const SPOT_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  ilks: "function ilks(bytes32) view returns (address pip, uint256 mat)",
  vat: "function vat() view returns (address)",
  par: "function par() view returns (uint256)",
  live: "function live() view returns (uint256)",
  /** file(ilk, "pip", address) */
  fileIlkAddress: "function file(bytes32 ilk, bytes32 what, address pip_)",
  /** file("par", ray) */
  file: "function file(bytes32 what, uint256 data)",
  /** file(ilk, "mat", ray) */
  fileIlk: "function file(bytes32 ilk, bytes32 what, uint256 data)",
  poke: "function poke(bytes32 ilk)",
  cage: "function cage()",
} as const;

export const SPOT_IFACE = makeInterface(SPOT_EVENTS, SPOT_FUNCTIONS);

export const SPOT_NOTES = noteSpec("Spotter", "libnote", SPOT_IFACE, [
  "rely(address)", "deny(address)", "file(bytes32,bytes32,address)", "file(bytes32,uint256)",
  "file(bytes32,bytes32,uint256)", "cage()",
]);

// ---- Vow (MCD_VOW): surplus and debt buffer --------------------------------------------------

export const VOW_EVENTS = { LogNote: LIBNOTE_EVENT } as const;

export const VOW_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  vat: "function vat() view returns (address)",
  flapper: "function flapper() view returns (address)",
  flopper: "function flopper() view returns (address)",
  sin: "function sin(uint256 era) view returns (uint256)",
  Sin: "function Sin() view returns (uint256)",
  Ash: "function Ash() view returns (uint256)",
  wait: "function wait() view returns (uint256)",
  dump: "function dump() view returns (uint256)",
  sump: "function sump() view returns (uint256)",
  bump: "function bump() view returns (uint256)",
  hump: "function hump() view returns (uint256)",
  live: "function live() view returns (uint256)",
  file: "function file(bytes32 what, uint256 data)",
  fileAddress: "function file(bytes32 what, address data)",
  fess: "function fess(uint256 tab)",
  flog: "function flog(uint256 era)",
  heal: "function heal(uint256 rad)",
  kiss: "function kiss(uint256 rad)",
  flop: "function flop() returns (uint256 id)",
  flap: "function flap() returns (uint256 id)",
  cage: "function cage()",
} as const;

export const VOW_IFACE = makeInterface(VOW_EVENTS, VOW_FUNCTIONS);

export const VOW_NOTES = noteSpec("Vow", "libnote", VOW_IFACE, [
  "rely(address)", "deny(address)", "file(bytes32,uint256)", "file(bytes32,address)", "fess(uint256)",
  "flog(uint256)", "heal(uint256)", "kiss(uint256)", "flop()", "flap()", "cage()",
]);

// ---- Pot (MCD_POT): Dai Savings Rate ---------------------------------------------------------

export const POT_EVENTS = { LogNote: LIBNOTE_EVENT } as const;

export const POT_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  pie: "function pie(address) view returns (uint256)",
  Pie: "function Pie() view returns (uint256)",
  dsr: "function dsr() view returns (uint256)",
  chi: "function chi() view returns (uint256)",
  vat: "function vat() view returns (address)",
  vow: "function vow() view returns (address)",
  rho: "function rho() view returns (uint256)",
  live: "function live() view returns (uint256)",
  /** file("dsr", ray) */
  file: "function file(bytes32 what, uint256 data)",
  fileAddress: "function file(bytes32 what, address addr)",
  cage: "function cage()",
  drip: "function drip() returns (uint256 tmp)",
  join: "function join(uint256 wad)",
  exit: "function exit(uint256 wad)",
} as const;

export const POT_IFACE = makeInterface(POT_EVENTS, POT_FUNCTIONS);

export const POT_NOTES = noteSpec("Pot", "libnote", POT_IFACE, [
  "rely(address)", "deny(address)", "file(bytes32,uint256)", "file(bytes32,address)", "cage()", "drip()",
  "join(uint256)", "exit(uint256)",
]);

// ---- End (MCD_END): emergency shutdown -------------------------------------------------------

export const END_EVENTS = {
  ...AUTH_EVENTS,
  File: "event File(bytes32 indexed what, uint256 data)",
  FileAddress: "event File(bytes32 indexed what, address data)",
  /** global settlement started */
  Cage: "event Cage()",
  /** the cage price of one ilk was fixed */
  CageIlk: "event Cage(bytes32 indexed ilk)",
  Snip: "event Snip(bytes32 indexed ilk, uint256 indexed id, address indexed usr, uint256 tab, uint256 lot, uint256 art)",
  Skip: "event Skip(bytes32 indexed ilk, uint256 indexed id, address indexed usr, uint256 tab, uint256 lot, uint256 art)",
  Skim: "event Skim(bytes32 indexed ilk, address indexed urn, uint256 wad, uint256 art)",
  Free: "event Free(bytes32 indexed ilk, address indexed usr, uint256 ink)",
  Thaw: "event Thaw()",
  Flow: "event Flow(bytes32 indexed ilk)",
  Pack: "event Pack(address indexed usr, uint256 wad)",
  Cash: "event Cash(bytes32 indexed ilk, address indexed usr, uint256 wad)",
} as const;

export const END_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  vat: "function vat() view returns (address)",
  cat: "function cat() view returns (address)",
  dog: "function dog() view returns (address)",
  vow: "function vow() view returns (address)",
  pot: "function pot() view returns (address)",
  spot: "function spot() view returns (address)",
  cure: "function cure() view returns (address)",
  live: "function live() view returns (uint256)",
  when: "function when() view returns (uint256)",
  wait: "function wait() view returns (uint256)",
  debt: "function debt() view returns (uint256)",
  tag: "function tag(bytes32) view returns (uint256)",
  gap: "function gap(bytes32) view returns (uint256)",
  Art: "function Art(bytes32) view returns (uint256)",
  fix: "function fix(bytes32) view returns (uint256)",
  bag: "function bag(address) view returns (uint256)",
  out: "function out(bytes32, address) view returns (uint256)",
  file: "function file(bytes32 what, uint256 data)",
  fileAddress: "function file(bytes32 what, address data)",
  cage: "function cage()",
  cageIlk: "function cage(bytes32 ilk)",
  snip: "function snip(bytes32 ilk, uint256 id)",
  skip: "function skip(bytes32 ilk, uint256 id)",
  skim: "function skim(bytes32 ilk, address urn)",
  free: "function free(bytes32 ilk)",
  thaw: "function thaw()",
  flow: "function flow(bytes32 ilk)",
  pack: "function pack(uint256 wad)",
  cash: "function cash(bytes32 ilk, uint256 wad)",
} as const;

export const END_IFACE = makeInterface(END_EVENTS, END_FUNCTIONS);
