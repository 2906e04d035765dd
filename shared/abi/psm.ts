/**
 * Dai liquidity: the PSMs (MCD_PSM_<GEM>_A, makerdao/dss-psm), the lite PSM
 * (MCD_LITE_PSM_<GEM>_A, makerdao/dss-lite-psm, `pocket` holds the gems) and DssFlash
 * (MCD_FLASH, makerdao/dss-flash: ERC-3156 flash mints of Dai and Vat Dai). All named events.
 */
import { AUTH_EVENTS, AUTH_FUNCTIONS, makeInterface } from "./define";

// ---- PSM -------------------------------------------------------------------------------------

export const PSM_EVENTS = {
  ...AUTH_EVENTS,
  /** file("tin" | "tout", wad) */
  File: "event File(bytes32 indexed what, uint256 data)",
  /** value in gem units (gem decimals), fee in Dai wad */
  SellGem: "event SellGem(address indexed owner, uint256 value, uint256 fee)",
  BuyGem: "event BuyGem(address indexed owner, uint256 value, uint256 fee)",
} as const;

export const PSM_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  vat: "function vat() view returns (address)",
  gemJoin: "function gemJoin() view returns (address)",
  dai: "function dai() view returns (address)",
  daiJoin: "function daiJoin() view returns (address)",
  ilk: "function ilk() view returns (bytes32)",
  vow: "function vow() view returns (address)",
  tin: "function tin() view returns (uint256)",
  tout: "function tout() view returns (uint256)",
  file: "function file(bytes32 what, uint256 data)",
  hope: "function hope(address usr)",
  nope: "function nope(address usr)",
  sellGem: "function sellGem(address usr, uint256 gemAmt)",
  buyGem: "function buyGem(address usr, uint256 gemAmt)",
} as const;

export const PSM_IFACE = makeInterface(PSM_EVENTS, PSM_FUNCTIONS);

// ---- Lite PSM --------------------------------------------------------------------------------

export const LITE_PSM_EVENTS = {
  ...AUTH_EVENTS,
  Kiss: "event Kiss(address indexed usr)",
  Diss: "event Diss(address indexed usr)",
  /** file("vow", address) */
  FileAddress: "event File(bytes32 indexed what, address data)",
  /** file("tin" | "tout" | "buf", value); tin/tout = 2^256-1 (HALTED) stops that direction */
  File: "event File(bytes32 indexed what, uint256 data)",
  SellGem: "event SellGem(address indexed owner, uint256 value, uint256 fee)",
  BuyGem: "event BuyGem(address indexed owner, uint256 value, uint256 fee)",
  Fill: "event Fill(uint256 wad)",
  Trim: "event Trim(uint256 wad)",
  Chug: "event Chug(uint256 wad)",
} as const;

export const LITE_PSM_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  ilk: "function ilk() view returns (bytes32)",
  vat: "function vat() view returns (address)",
  daiJoin: "function daiJoin() view returns (address)",
  dai: "function dai() view returns (address)",
  gem: "function gem() view returns (address)",
  to18ConversionFactor: "function to18ConversionFactor() view returns (uint256)",
  pocket: "function pocket() view returns (address)",
  bud: "function bud(address) view returns (uint256)",
  vow: "function vow() view returns (address)",
  tin: "function tin() view returns (uint256)",
  tout: "function tout() view returns (uint256)",
  buf: "function buf() view returns (uint256)",
  HALTED: "function HALTED() view returns (uint256)",
  kiss: "function kiss(address usr)",
  diss: "function diss(address usr)",
  fileAddress: "function file(bytes32 what, address data)",
  file: "function file(bytes32 what, uint256 data)",
  sellGem: "function sellGem(address usr, uint256 gemAmt) returns (uint256 daiOutWad)",
  sellGemNoFee: "function sellGemNoFee(address usr, uint256 gemAmt) returns (uint256 daiOutWad)",
  buyGem: "function buyGem(address usr, uint256 gemAmt) returns (uint256 daiInWad)",
  buyGemNoFee: "function buyGemNoFee(address usr, uint256 gemAmt) returns (uint256 daiInWad)",
  fill: "function fill() returns (uint256 wad)",
  trim: "function trim() returns (uint256 wad)",
  chug: "function chug() returns (uint256 wad)",
  rush: "function rush() view returns (uint256 wad)",
  gush: "function gush() view returns (uint256 wad)",
  cut: "function cut() view returns (uint256 wad)",
} as const;

export const LITE_PSM_IFACE = makeInterface(LITE_PSM_EVENTS, LITE_PSM_FUNCTIONS);

// ---- DssFlash (MCD_FLASH) --------------------------------------------------------------------

export const FLASH_EVENTS = {
  ...AUTH_EVENTS,
  /** file("max", wad) */
  File: "event File(bytes32 indexed what, uint256 data)",
  /** file("vow", address) on later DssFlash versions */
  FileAddress: "event File(bytes32 indexed what, address data)",
  FlashLoan: "event FlashLoan(address indexed receiver, address token, uint256 amount, uint256 fee)",
  VatDaiFlashLoan: "event VatDaiFlashLoan(address indexed receiver, uint256 amount, uint256 fee)",
} as const;

export const FLASH_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  vat: "function vat() view returns (address)",
  daiJoin: "function daiJoin() view returns (address)",
  dai: "function dai() view returns (address)",
  vow: "function vow() view returns (address)",
  max: "function max() view returns (uint256)",
  /** present on the 2021 deployment; later versions dropped the fee */
  toll: "function toll() view returns (uint256)",
  CALLBACK_SUCCESS: "function CALLBACK_SUCCESS() view returns (bytes32)",
  CALLBACK_SUCCESS_VAT_DAI: "function CALLBACK_SUCCESS_VAT_DAI() view returns (bytes32)",
  file: "function file(bytes32 what, uint256 data)",
  maxFlashLoan: "function maxFlashLoan(address token) view returns (uint256)",
  flashFee: "function flashFee(address token, uint256 amount) view returns (uint256)",
  flashLoan: "function flashLoan(address receiver, address token, uint256 amount, bytes data) returns (bool)",
  vatDaiFlashLoan: "function vatDaiFlashLoan(address receiver, uint256 amount, bytes data) returns (bool)",
  convert: "function convert()",
  accrue: "function accrue()",
} as const;

export const FLASH_IFACE = makeInterface(FLASH_EVENTS, FLASH_FUNCTIONS);
