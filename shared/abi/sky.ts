/**
 * The Sky contracts added since 2024 (../shared/reference/sky.md §1-6, §12): events exactly as
 * declared on mainnet, and the view functions the sky-* bots read.
 */
import { AUTH_EVENTS, AUTH_FUNCTIONS, makeInterface } from "./define";

const ERC20 = {
  Approval: "event Approval(address indexed owner, address indexed spender, uint256 value)",
  Transfer: "event Transfer(address indexed from, address indexed to, uint256 value)",
  totalSupply: "function totalSupply() view returns (uint256)",
  balanceOf: "function balanceOf(address) view returns (uint256)",
} as const;
const UPGRADED = { Upgraded: "event Upgraded(address indexed implementation)" } as const;

/** USDS (and the SKY token, same shape without Upgraded) */
export const USDS_IFACE = makeInterface(AUTH_EVENTS, AUTH_FUNCTIONS, ERC20, UPGRADED);

export const USDS_JOIN_IFACE = makeInterface({
  Join: "event Join(address indexed caller, address indexed usr, uint256 wad)",
  Exit: "event Exit(address indexed caller, address indexed usr, uint256 wad)",
});

export const DAI_USDS_IFACE = makeInterface({
  DaiToUsds: "event DaiToUsds(address indexed caller, address indexed usr, uint256 wad)",
  UsdsToDai: "event UsdsToDai(address indexed caller, address indexed usr, uint256 wad)",
});

export const MKR_SKY_IFACE = makeInterface(AUTH_EVENTS, AUTH_FUNCTIONS, {
  File: "event File(bytes32 indexed what, uint256 data)",
  Collect: "event Collect(address indexed to, uint256 take)",
  Burn: "event Burn(uint256 skyAmt)",
  MkrToSky: "event MkrToSky(address indexed caller, address indexed usr, uint256 mkrAmt, uint256 skyAmt, uint256 skyFee)",
  rate: "function rate() view returns (uint256)",
  take: "function take() view returns (uint256)",
  fee: "function fee() view returns (uint256)",
});

export const SUSDS_IFACE = makeInterface(AUTH_EVENTS, AUTH_FUNCTIONS, ERC20, UPGRADED, {
  File: "event File(bytes32 indexed what, uint256 data)",
  Deposit: "event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares)",
  Withdraw: "event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares)",
  Referral: "event Referral(uint16 indexed referral, address indexed owner, uint256 assets, uint256 shares)",
  Drip: "event Drip(uint256 chi, uint256 diff)",
  chi: "function chi() view returns (uint256)",
  rho: "function rho() view returns (uint256)",
  ssr: "function ssr() view returns (uint256)",
});

export const SPBEAM_IFACE = makeInterface(AUTH_EVENTS, AUTH_FUNCTIONS, {
  Kiss: "event Kiss(address indexed usr)",
  Diss: "event Diss(address indexed usr)",
  File: "event File(bytes32 indexed what, uint256 data)",
  FileId: "event File(bytes32 indexed id, bytes32 indexed what, uint256 data)",
  Set: "event Set(bytes32 indexed id, uint256 bps)",
  cfgs: "function cfgs(bytes32) view returns (uint16 min, uint16 max, uint16 step)",
  buds: "function buds(address) view returns (uint256)",
  bad: "function bad() view returns (uint8)",
  conv: "function conv() view returns (address)",
});

export const SPBEAM_MOM_IFACE = makeInterface({
  SetOwner: "event SetOwner(address indexed owner)",
  SetAuthority: "event SetAuthority(address indexed authority)",
  Halt: "event Halt(address indexed spbeam)",
});

/** rates-conv: bps (yearly) <-> per-second ray */
export const CONV_IFACE = makeInterface({
  btor: "function btor(uint256 bps) view returns (uint256)",
  rtob: "function rtob(uint256 ray) view returns (uint256)",
});

/** stUSDS: sUSDS's shape with `str`, `cap`, `line` and `Cut` */
export const STUSDS_IFACE = makeInterface(AUTH_EVENTS, AUTH_FUNCTIONS, ERC20, UPGRADED, {
  File: "event File(bytes32 indexed what, uint256 data)",
  Cut: "event Cut(uint256 assets, uint256 oldChi, uint256 newChi)",
  Deposit: "event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares)",
  Withdraw: "event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares)",
  Referral: "event Referral(uint16 indexed referral, address indexed owner, uint256 assets, uint256 shares)",
  Drip: "event Drip(uint256 chi, uint256 diff)",
  chi: "function chi() view returns (uint256)",
  str: "function str() view returns (uint256)",
  cap: "function cap() view returns (uint256)",
  line: "function line() view returns (uint256)",
});

export const STUSDS_RATE_SETTER_IFACE = makeInterface(AUTH_EVENTS, AUTH_FUNCTIONS, {
  Kiss: "event Kiss(address indexed usr)",
  Diss: "event Diss(address indexed usr)",
  File: "event File(bytes32 indexed what, uint256 data)",
  FileId: "event File(bytes32 indexed id, bytes32 indexed what, uint256 data)",
  Set: "event Set(uint256 strBps, uint256 dutyBps, uint256 line, uint256 cap)",
  cfgs: "function cfgs(bytes32) view returns (uint16 min, uint16 max, uint16 step)",
  conv: "function conv() view returns (address)",
  ilk: "function ilk() view returns (bytes32)",
  maxLine: "function maxLine() view returns (uint256)",
  maxCap: "function maxCap() view returns (uint256)",
});

export const STUSDS_MOM_IFACE = makeInterface({
  SetOwner: "event SetOwner(address indexed owner)",
  SetAuthority: "event SetAuthority(address indexed authority)",
  DissRateSetterBud: "event DissRateSetterBud(address indexed rateSetter, address bud)",
  HaltRateSetter: "event HaltRateSetter(address indexed rateSetter)",
  ZeroCap: "event ZeroCap(address indexed rateSetter)",
  ZeroLine: "event ZeroLine(address indexed rateSetter)",
});
