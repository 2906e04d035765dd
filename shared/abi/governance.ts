/**
 * Governance: DSPause (MCD_PAUSE) and its proxy (MCD_PAUSE_PROXY), the chiefs and the ESM.
 *
 * - DSPause (dapphub/ds-pause as deployed, DSAuth + DSNote): `plot/drop/exec/setDelay` write
 *   ds-note LogNotes carrying the whole calldata.
 * - DSChief 1.2 (dapphub/ds-chief, makerdao/chief `src/chief.sol`): the MKR chief, now
 *   `MCD_ADM_LEGACY`; ds-note LogNotes plus `Etch(bytes32 indexed slate)`.
 * - Chief (makerdao/chief `src/Chief.sol`, 2025): the SKY chief at `MCD_ADM`; named events, no
 *   notes. Checked against the repository's newest version (with `liftCooldown`); an earlier
 *   draft had `Lock(uint256)`/`Vote(bytes32)` without the `usr` topic.
 * - ESM (makerdao/esm, the 2021 ESM with `denyProxy`): named events.
 */
import { ethers } from "forta-agent";
import { AUTH_EVENTS, AUTH_FUNCTIONS, DSNOTE_EVENT, makeInterface, noteSpec } from "./define";

// ---- DSPause (MCD_PAUSE) ---------------------------------------------------------------------

export const PAUSE_EVENTS = {
  LogSetOwner: "event LogSetOwner(address indexed owner)",
  LogSetAuthority: "event LogSetAuthority(address indexed authority)",
  LogNote: DSNOTE_EVENT,
} as const;

export const PAUSE_FUNCTIONS = {
  owner: "function owner() view returns (address)",
  authority: "function authority() view returns (address)",
  setOwner: "function setOwner(address owner_)",
  setAuthority: "function setAuthority(address authority_)",
  setDelay: "function setDelay(uint256 delay_)",
  plans: "function plans(bytes32) view returns (bool)",
  proxy: "function proxy() view returns (address)",
  delay: "function delay() view returns (uint256)",
  plot: "function plot(address usr, bytes32 tag, bytes fax, uint256 eta)",
  drop: "function drop(address usr, bytes32 tag, bytes fax, uint256 eta)",
  exec: "function exec(address usr, bytes32 tag, bytes fax, uint256 eta) returns (bytes out)",
} as const;

export const PAUSE_IFACE = makeInterface(PAUSE_EVENTS, PAUSE_FUNCTIONS);

export const PAUSE_NOTES = noteSpec("DSPause", "dsnote", PAUSE_IFACE, [
  "setDelay(uint256)", "plot(address,bytes32,bytes,uint256)", "drop(address,bytes32,bytes,uint256)",
  "exec(address,bytes32,bytes,uint256)",
]);

/** The key of a plan in `DSPause.plans`: keccak256(abi.encode(usr, tag, fax, eta)). */
export function pausePlanHash(usr: string, tag: string, fax: string, eta: ethers.BigNumberish): string {
  return ethers.utils.keccak256(ethers.utils.defaultAbiCoder.encode(["address", "bytes32", "bytes", "uint256"], [usr, tag, fax, eta]));
}

// ---- DSPauseProxy (MCD_PAUSE_PROXY) ----------------------------------------------------------

export const PAUSE_PROXY_EVENTS = {} as const;

export const PAUSE_PROXY_FUNCTIONS = {
  owner: "function owner() view returns (address)",
  exec: "function exec(address usr, bytes fax) returns (bytes out)",
} as const;

export const PAUSE_PROXY_IFACE = makeInterface(PAUSE_PROXY_EVENTS, PAUSE_PROXY_FUNCTIONS);

// ---- DSChief 1.2 (MCD_ADM_LEGACY) ------------------------------------------------------------

export const DS_CHIEF_EVENTS = {
  Etch: "event Etch(bytes32 indexed slate)",
  LogNote: DSNOTE_EVENT,
} as const;

export const DS_CHIEF_FUNCTIONS = {
  GOV: "function GOV() view returns (address)",
  IOU: "function IOU() view returns (address)",
  hat: "function hat() view returns (address)",
  MAX_YAYS: "function MAX_YAYS() view returns (uint256)",
  live: "function live() view returns (bool)",
  last: "function last(address) view returns (uint256)",
  approvals: "function approvals(address) view returns (uint256)",
  deposits: "function deposits(address) view returns (uint256)",
  votes: "function votes(address) view returns (bytes32)",
  slates: "function slates(bytes32, uint256) view returns (address)",
  isUserRoot: "function isUserRoot(address who) view returns (bool)",
  canCall: "function canCall(address caller, address code, bytes4 sig) view returns (bool)",
  launch: "function launch()",
  lock: "function lock(uint256 wad)",
  free: "function free(uint256 wad)",
  etch: "function etch(address[] yays) returns (bytes32 slate)",
  voteYays: "function vote(address[] yays) returns (bytes32)",
  vote: "function vote(bytes32 slate)",
  lift: "function lift(address whom)",
} as const;

export const DS_CHIEF_IFACE = makeInterface(DS_CHIEF_EVENTS, DS_CHIEF_FUNCTIONS);

/**
 * `vote(address[])` is not noted itself, but it calls the noted `etch` and `vote(bytes32)`, whose
 * notes carry the outer call's selector and calldata: one such call logs two notes of `vote(address[])`.
 */
export const DS_CHIEF_NOTES = noteSpec("DSChief", "dsnote", DS_CHIEF_IFACE, [
  "launch()", "lock(uint256)", "free(uint256)", "etch(address[])", "vote(bytes32)", "vote(address[])", "lift(address)",
]);

// ---- Chief (MCD_ADM, SKY) --------------------------------------------------------------------

export const CHIEF_EVENTS = {
  Launch: "event Launch()",
  Lock: "event Lock(address indexed usr, uint256 wad)",
  Free: "event Free(address indexed usr, uint256 wad)",
  Etch: "event Etch(bytes32 indexed slate, address[] yays)",
  Vote: "event Vote(address indexed usr, bytes32 indexed slate)",
  Lift: "event Lift(address indexed whom)",
} as const;

export const CHIEF_FUNCTIONS = {
  live: "function live() view returns (uint256)",
  hat: "function hat() view returns (address)",
  slates: "function slates(bytes32, uint256) view returns (address)",
  votes: "function votes(address) view returns (bytes32)",
  approvals: "function approvals(address) view returns (uint256)",
  deposits: "function deposits(address) view returns (uint256)",
  last: "function last() view returns (uint256)",
  gov: "function gov() view returns (address)",
  maxYays: "function maxYays() view returns (uint256)",
  launchThreshold: "function launchThreshold() view returns (uint256)",
  liftCooldown: "function liftCooldown() view returns (uint256)",
  EMPTY_SLATE: "function EMPTY_SLATE() view returns (bytes32)",
  length: "function length(bytes32 slate) view returns (uint256)",
  canCall: "function canCall(address caller, address, bytes4) view returns (bool ok)",
  GOV: "function GOV() view returns (address)",
  MAX_YAYS: "function MAX_YAYS() view returns (uint256)",
  launch: "function launch()",
  lock: "function lock(uint256 wad)",
  free: "function free(uint256 wad)",
  etch: "function etch(address[] yays) returns (bytes32 slate)",
  voteYays: "function vote(address[] yays) returns (bytes32 slate)",
  vote: "function vote(bytes32 slate)",
  lift: "function lift(address whom)",
} as const;

export const CHIEF_IFACE = makeInterface(CHIEF_EVENTS, CHIEF_FUNCTIONS);

// ---- ESM (MCD_ESM) ---------------------------------------------------------------------------

export const ESM_EVENTS = {
  ...AUTH_EVENTS,
  Fire: "event Fire()",
  Join: "event Join(address indexed usr, uint256 wad)",
  File: "event File(bytes32 indexed what, uint256 data)",
  FileAddress: "event File(bytes32 indexed what, address data)",
  DenyProxy: "event DenyProxy(address indexed base, address indexed pause)",
} as const;

export const ESM_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  gem: "function gem() view returns (address)",
  proxy: "function proxy() view returns (address)",
  sum: "function sum(address) view returns (uint256)",
  Sum: "function Sum() view returns (uint256)",
  min: "function min() view returns (uint256)",
  end: "function end() view returns (address)",
  live: "function live() view returns (uint256)",
  revokesGovernanceAccess: "function revokesGovernanceAccess() view returns (bool ret)",
  file: "function file(bytes32 what, uint256 data)",
  fileAddress: "function file(bytes32 what, address data)",
  cage: "function cage()",
  fire: "function fire()",
  denyProxy: "function denyProxy(address target)",
  join: "function join(uint256 wad)",
  burn: "function burn()",
} as const;

export const ESM_IFACE = makeInterface(ESM_EVENTS, ESM_FUNCTIONS);
