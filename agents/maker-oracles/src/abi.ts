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

/**
 * Chronicle Scribe / ScribeOptimistic (chronicleprotocol/scribe IScribe, IScribeOptimistic; auth
 * and readers from chronicle-std Auth and Toll): the source behind PIP_ETH, PIP_WSTETH, PIP_WBTC
 * and PIP_SKY (FLAP_SKY_ORACLE) since 2025 (../shared/reference/sky.md sections 8.6 and 9). Every
 * event names its caller. FeedLifted/FeedDropped have a later form with the feed's index (also
 * indexed); OpPokeChallengedSuccessfully a later form carrying the Schnorr data: both accepted.
 * Reads (`peek`, `tryReadWithAge`) are tolled: the bot calls them as the OSM that reads the Scribe.
 */
export const SCRIBE_EVENTS = {
  Poked: "event Poked(address indexed caller, uint128 val, uint32 age)",
  FeedLifted: "event FeedLifted(address indexed caller, address indexed feed)",
  FeedLiftedIndexed: "event FeedLifted(address indexed caller, address indexed feed, uint256 indexed index)",
  FeedDropped: "event FeedDropped(address indexed caller, address indexed feed)",
  FeedDroppedIndexed: "event FeedDropped(address indexed caller, address indexed feed, uint256 indexed index)",
  BarUpdated: "event BarUpdated(address indexed caller, uint8 oldBar, uint8 newBar)",
  AuthGranted: "event AuthGranted(address indexed caller, address indexed who)",
  AuthRenounced: "event AuthRenounced(address indexed caller, address indexed who)",
  TollGranted: "event TollGranted(address indexed caller, address indexed who)",
  TollRenounced: "event TollRenounced(address indexed caller, address indexed who)",
  OpPokeChallengedSuccessfully: "event OpPokeChallengedSuccessfully(address indexed caller, bytes schnorrErr)",
  OpPokeChallengedSuccessfullyV2: "event OpPokeChallengedSuccessfully(address indexed caller, (bytes32 signature, address commitment, bytes signersBlob) schnorrData, bytes schnorrErr)",
  OpChallengePeriodUpdated: "event OpChallengePeriodUpdated(address indexed caller, uint16 oldOpChallengePeriod, uint16 newOpChallengePeriod)",
} as const;

export const SCRIBE_FUNCTIONS = {
  bar: "function bar() view returns (uint8)",
  wat: "function wat() view returns (bytes32)",
  authed: "function authed(address) view returns (bool)",
  tolled: "function tolled(address) view returns (bool)",
  opChallengePeriod: "function opChallengePeriod() view returns (uint16)",
  tryReadWithAge: "function tryReadWithAge() view returns (bool, uint256, uint256)",
} as const;

export const SCRIBE_IFACE = makeInterface(SCRIBE_EVENTS, SCRIBE_FUNCTIONS);

/** `_pokeData {uint128 val; uint32 age}`: the slot a Scribe keeps its last regular poke in. */
export const SCRIBE_POKE_SLOT = 4;

/**
 * LOCKSTAKE_ORACLE: LockstakeCappedOsmWrapper (sky.md 8.5), PIP_SKY's value capped at `cap`, read
 * by its buds; the OSM getters are pass-throughs. Named events without the caller.
 */
export const CAPPED_EVENTS = {
  Rely: "event Rely(address indexed usr)",
  Deny: "event Deny(address indexed usr)",
  Kiss: "event Kiss(address indexed usr)",
  Diss: "event Diss(address indexed usr)",
  File: "event File(bytes32 indexed what, uint256 data)",
} as const;

export const CAPPED_FUNCTIONS = {
  cap: "function cap() view returns (uint256)",
  osm: "function osm() view returns (address)",
  /** min(OSM value, cap), for buds only (the Spotter, the clipper) */
  peek: "function peek() view returns (bytes32, bool)",
  peep: "function peep() view returns (bytes32, bool)",
} as const;

export const CAPPED_IFACE = makeInterface(CAPPED_EVENTS, CAPPED_FUNCTIONS);
