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
