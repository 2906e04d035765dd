/**
 * DSValue (ds-value): the fixed-price oracle behind stablecoin and RWA `PIP_*` keys (PIP_USDC on
 * mainnet). `peek()`/`read()` answer anyone; `poke(bytes32)` and `void()` are `auth` and write a
 * ds-note LogNote (caller in topics[1], the whole calldata in data); owner and authority changes
 * come from ds-auth's named events (which do not log the caller).
 * Only this bot reads DSValues, so the fragments live here rather than in shared/abi.
 */
import { makeInterface, noteSpec } from "../../../shared/abi/define";

export const DSVALUE_EVENTS = {
  LogSetOwner: "event LogSetOwner(address indexed owner)",
  LogSetAuthority: "event LogSetAuthority(address indexed authority)",
} as const;

export const DSVALUE_FUNCTIONS = {
  peek: "function peek() view returns (bytes32, bool)",
  read: "function read() view returns (bytes32)",
  poke: "function poke(bytes32 wut)",
  void: "function void()",
  owner: "function owner() view returns (address)",
  authority: "function authority() view returns (address)",
  setOwner: "function setOwner(address owner_)",
  setAuthority: "function setAuthority(address authority_)",
} as const;

export const DSVALUE_IFACE = makeInterface(DSVALUE_EVENTS, DSVALUE_FUNCTIONS);

export const DSVALUE_NOTES = noteSpec("DSValue", "dsnote", DSVALUE_IFACE, ["poke(bytes32)", "void()"]);

/**
 * MakerDAO's OSM-like LP-token oracles (UNIV2LPOracle, GUniLPOracle, CurveLPOracle, ...): the OSM's
 * getters over another storage layout, and named events instead of notes. None of them logs the
 * caller. `Value(curVal, nxtVal)` is written by each poke with the new current and queued prices;
 * `stop()` clears both (there is no `void`). `Link` replaces one of the price sources (orbs) the
 * LP price is computed from; some versions have `Change(src)`, one `Link(address orb)`.
 */
export const LP_ORACLE_EVENTS = {
  Rely: "event Rely(address indexed usr)",
  Deny: "event Deny(address indexed usr)",
  Step: "event Step(uint256 hop)",
  Stop: "event Stop()",
  Start: "event Start()",
  Value: "event Value(uint128 curVal, uint128 nxtVal)",
  Link: "event Link(uint256 id, address orb)",
  LinkOrb: "event Link(address orb)",
  Change: "event Change(address indexed src)",
  Kiss: "event Kiss(address a)",
  Diss: "event Diss(address a)",
} as const;

export const LP_ORACLE_IFACE = makeInterface(LP_ORACLE_EVENTS);

/** The LP-oracle events the bot reports (Step is seen in state, as a hop change). */
export const LP_ORACLE_WATCHED = ["Rely", "Deny", "Stop", "Start", "Value", "Link", "Change", "Kiss", "Diss"] as const;
