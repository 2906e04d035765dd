/**
 * Tokens and bridges: a plain ERC-20, DAI on L1 (MCD_DAI, dss dai.sol: LibNote on rely/deny),
 * DAI on the L2s (makerdao/optimism-dai-bridge `l2/dai.sol`, also used on Arbitrum and Base at
 * 0xDA10009cBd5D07dd0CeCc66161FC93D7c9000da1) and the L1 escrows of the DAI bridges
 * (OPTIMISM_ESCROW, ARBITRUM_ESCROW, ...: they hold the DAI locked for the L2).
 */
import { AUTH_EVENTS, AUTH_FUNCTIONS, LIBNOTE_EVENT, makeInterface, noteSpec } from "./define";

// ---- ERC-20 ----------------------------------------------------------------------------------

export const ERC20_EVENTS = {
  Transfer: "event Transfer(address indexed from, address indexed to, uint256 value)",
  Approval: "event Approval(address indexed owner, address indexed spender, uint256 value)",
} as const;

export const ERC20_FUNCTIONS = {
  name: "function name() view returns (string)",
  symbol: "function symbol() view returns (string)",
  decimals: "function decimals() view returns (uint8)",
  totalSupply: "function totalSupply() view returns (uint256)",
  balanceOf: "function balanceOf(address) view returns (uint256)",
  allowance: "function allowance(address, address) view returns (uint256)",
  transfer: "function transfer(address to, uint256 value) returns (bool)",
  transferFrom: "function transferFrom(address from, address to, uint256 value) returns (bool)",
  approve: "function approve(address spender, uint256 value) returns (bool)",
} as const;

export const ERC20_IFACE = makeInterface(ERC20_EVENTS, ERC20_FUNCTIONS);

// ---- DAI on L1 (MCD_DAI) ---------------------------------------------------------------------

export const DAI_EVENTS = {
  ...ERC20_EVENTS,
  LogNote: LIBNOTE_EVENT,
} as const;

export const DAI_FUNCTIONS = {
  ...ERC20_FUNCTIONS,
  ...AUTH_FUNCTIONS,
  version: "function version() view returns (string)",
  nonces: "function nonces(address) view returns (uint256)",
  DOMAIN_SEPARATOR: "function DOMAIN_SEPARATOR() view returns (bytes32)",
  PERMIT_TYPEHASH: "function PERMIT_TYPEHASH() view returns (bytes32)",
  mint: "function mint(address usr, uint256 wad)",
  burn: "function burn(address usr, uint256 wad)",
  push: "function push(address usr, uint256 wad)",
  pull: "function pull(address usr, uint256 wad)",
  move: "function move(address src, address dst, uint256 wad)",
  permit: "function permit(address holder, address spender, uint256 nonce, uint256 expiry, bool allowed, uint8 v, bytes32 r, bytes32 s)",
} as const;

export const DAI_IFACE = makeInterface(DAI_EVENTS, DAI_FUNCTIONS);

export const DAI_NOTES = noteSpec("Dai", "libnote", DAI_IFACE, ["rely(address)", "deny(address)"]);

// ---- DAI on an L2 ----------------------------------------------------------------------------

export const L2_DAI_EVENTS = {
  ...ERC20_EVENTS,
  ...AUTH_EVENTS,
} as const;

export const L2_DAI_FUNCTIONS = {
  ...ERC20_FUNCTIONS,
  ...AUTH_FUNCTIONS,
  version: "function version() view returns (string)",
  nonces: "function nonces(address) view returns (uint256)",
  deploymentChainId: "function deploymentChainId() view returns (uint256)",
  DOMAIN_SEPARATOR: "function DOMAIN_SEPARATOR() view returns (bytes32)",
  PERMIT_TYPEHASH: "function PERMIT_TYPEHASH() view returns (bytes32)",
  increaseAllowance: "function increaseAllowance(address spender, uint256 addedValue) returns (bool)",
  decreaseAllowance: "function decreaseAllowance(address spender, uint256 subtractedValue) returns (bool)",
  mint: "function mint(address to, uint256 value)",
  burn: "function burn(address from, uint256 value)",
  permit: "function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)",
} as const;

export const L2_DAI_IFACE = makeInterface(L2_DAI_EVENTS, L2_DAI_FUNCTIONS);

// ---- L1 escrow of a DAI bridge ---------------------------------------------------------------

export const L1_ESCROW_EVENTS = {
  ...AUTH_EVENTS,
  Approve: "event Approve(address indexed token, address indexed spender, uint256 value)",
} as const;

export const L1_ESCROW_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  approve: "function approve(address token, address spender, uint256 value)",
} as const;

export const L1_ESCROW_IFACE = makeInterface(L1_ESCROW_EVENTS, L1_ESCROW_FUNCTIONS);
