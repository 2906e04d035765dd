/**
 * The Stars' capital perimeter as declared on mainnet (../shared/reference/sky.md §13-14:
 * dss-allocator's AllocatorRoles, AllocatorRegistry, AllocatorVault, AllocatorBuffer; endgame-toolkit's
 * SubProxy; StarGuard) and the two Maker views the pacing reads (the Vat's urn and ilk, the AutoLine's ilk).
 * Only this bot reads them (maker-auth reads Rely/Deny of any ChainLog contract).
 */
import { AUTH_EVENTS, makeInterface } from "../../../shared/abi/define";

export const ROLES_IFACE = makeInterface({
  SetIlkAdmin: "event SetIlkAdmin(bytes32 indexed ilk, address user)",
  SetUserRole: "event SetUserRole(bytes32 indexed ilk, address indexed who, uint8 indexed role, bool enabled)",
  SetRoleAction: "event SetRoleAction(bytes32 indexed ilk, uint8 indexed role, address indexed target, bytes4 sig, bool enabled)",
  ilkAdmins: "function ilkAdmins(bytes32) view returns (address)",
});

export const REGISTRY_IFACE = makeInterface({
  File: "event File(bytes32 indexed ilk, bytes32 indexed what, address data)",
  buffers: "function buffers(bytes32) view returns (address)",
});

export const VAULT_IFACE = makeInterface({
  File: "event File(bytes32 indexed what, address data)",
  Draw: "event Draw(address indexed sender, uint256 wad)",
  Wipe: "event Wipe(address indexed sender, uint256 wad)",
  ilk: "function ilk() view returns (bytes32)",
  jug: "function jug() view returns (address)",
});

export const BUFFER_IFACE = makeInterface({
  Approve: "event Approve(address indexed asset, address indexed spender, uint256 amount)",
});

export const SUBPROXY_IFACE = makeInterface(AUTH_EVENTS);

export const STARGUARD_IFACE = makeInterface({
  File: "event File(bytes32 indexed what, uint256 data)",
  Plot: "event Plot(address indexed addr, bytes32 tag, uint256 deadline)",
  Drop: "event Drop(address indexed addr)",
  Exec: "event Exec(address indexed addr)",
  spellData: "function spellData() view returns (address addr, bytes32 tag, uint256 deadline)",
  maxDelay: "function maxDelay() view returns (uint256)",
});

export const PACING_IFACE = makeInterface({
  urns: "function urns(bytes32, address) view returns (uint256 ink, uint256 art)",
  ilks: "function ilks(bytes32) view returns (uint256 Art, uint256 rate, uint256 spot, uint256 line, uint256 dust)",
});

export const AUTOLINE_IFACE = makeInterface({
  ilks: "function ilks(bytes32) view returns (uint256 line, uint256 gap, uint48 ttl, uint48 last, uint48 lastInc)",
});
