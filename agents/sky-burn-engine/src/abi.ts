/**
 * The Smart Burn Engine's events and views as declared on mainnet (../shared/reference/sky.md §8.6,
 * §10: dss-flappers Kicker, Splitter, SplitterMom, FlapperUniV2SwapOnly; Chronicle Scribe's Poked).
 * Only this bot reads them (maker-auth reads Rely/Deny and SetOwner/SetAuthority of any contract).
 */
import { AUTH_EVENTS, makeInterface } from "../../../shared/abi/define";

export const KICKER_IFACE = makeInterface(AUTH_EVENTS, {
  File: "event File(bytes32 indexed what, uint256 data)",
  FileInt: "event File(bytes32 indexed what, int256 data)",
  kbump: "function kbump() view returns (uint256)",
  khump: "function khump() view returns (int256)",
  vow: "function vow() view returns (address)",
});

export const SPLITTER_IFACE = makeInterface(AUTH_EVENTS, {
  File: "event File(bytes32 indexed what, uint256 data)",
  FileAddr: "event File(bytes32 indexed what, address data)",
  Kick: "event Kick(uint256 tot, uint256 lot, uint256 pay)",
  Cage: "event Cage(uint256 rad)",
  hop: "function hop() view returns (uint256)",
  burn: "function burn() view returns (uint256)",
  flapper: "function flapper() view returns (address)",
  farm: "function farm() view returns (address)",
});

export const SPLITTER_MOM_IFACE = makeInterface({
  SetOwner: "event SetOwner(address indexed _owner)",
  SetAuthority: "event SetAuthority(address indexed _authority)",
  Stop: "event Stop()",
});

export const FLAPPER_IFACE = makeInterface(AUTH_EVENTS, {
  File: "event File(bytes32 indexed what, uint256 data)",
  FileAddr: "event File(bytes32 indexed what, address data)",
  Exec: "event Exec(uint256 lot, uint256 bought)",
  pip: "function pip() view returns (address)",
  want: "function want() view returns (uint256)",
});

export const SCRIBE_IFACE = makeInterface({
  Poked: "event Poked(address indexed caller, uint128 val, uint32 age)",
});

export const SPOT_PAR_IFACE = makeInterface({ par: "function par() view returns (uint256)" });

/** Chronicle Scribe keeps `_pokeData {uint128 val; uint32 age}` in this slot (the 2025-05-15 spell test writes it). */
export const SCRIBE_POKE_SLOT = 4;
