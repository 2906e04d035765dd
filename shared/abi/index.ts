/**
 * ABI fragments of the Maker (Sky) contracts the bots watch, and the LogNote decoders.
 *
 * Per contract X (VAT, JUG, SPOT, VOW, POT, END, DOG, CLIP, CAT, OSM, MEDIAN, PAUSE, PAUSE_PROXY,
 * DS_CHIEF, CHIEF, ESM, PSM, LITE_PSM, FLASH, CHAINLOG, ILK_REGISTRY, ERC20, DAI, L2_DAI,
 * L1_ESCROW) the module of its group exports:
 *   - `X_EVENTS`    human-readable event fragments by name: `txEvent.filterLog(ESM_EVENTS.Join, esm)`
 *   - `X_FUNCTIONS` function fragments by name (overloads get distinct names: `file`, `fileIlk`, ...)
 *   - `X_IFACE`     one `ethers.utils.Interface` of both
 *   - `X_NOTES`     for the contracts that write anonymous LogNotes: layout + noted functions
 *
 * Groups: core.ts (Vat, Jug, Spot, Vow, Pot, End), liquidation.ts (Dog, Clipper, Cat),
 * oracles.ts (OSM, Median + storage layouts), governance.ts (DSPause, proxy, chiefs, ESM),
 * psm.ts (PSM, lite PSM, DssFlash), registry.ts (ChainLog, IlkRegistry), tokens.ts (ERC-20, DAI,
 * L2 DAI, L1 escrow). LogNote decoding: note.ts. bytes32 names: bytes32.ts.
 */
import type { ethers } from "forta-agent";
import type { NoteSpec } from "./note";
import * as core from "./core";
import * as liquidation from "./liquidation";
import * as oracles from "./oracles";
import * as governance from "./governance";
import * as psm from "./psm";
import * as registry from "./registry";
import * as tokens from "./tokens";

export * from "./bytes32";
export * from "./note";
export { AUTH_EVENTS, AUTH_FUNCTIONS, LIBNOTE_EVENT, VAT_NOTE_EVENT, DSNOTE_EVENT } from "./define";
export * from "./core";
export * from "./liquidation";
export * from "./oracles";
export * from "./governance";
export * from "./psm";
export * from "./registry";
export * from "./tokens";

export interface ContractAbi {
  readonly events: Readonly<Record<string, string>>;
  readonly functions: Readonly<Record<string, string>>;
  readonly iface: ethers.utils.Interface;
  /** present for the contracts that write anonymous LogNotes */
  readonly notes?: NoteSpec;
}

/** Every contract's ABI in one table, for code that works over several (tests, tooling). */
export const MAKER_ABIS = {
  VAT: { events: core.VAT_EVENTS, functions: core.VAT_FUNCTIONS, iface: core.VAT_IFACE, notes: core.VAT_NOTES },
  JUG: { events: core.JUG_EVENTS, functions: core.JUG_FUNCTIONS, iface: core.JUG_IFACE, notes: core.JUG_NOTES },
  SPOT: { events: core.SPOT_EVENTS, functions: core.SPOT_FUNCTIONS, iface: core.SPOT_IFACE, notes: core.SPOT_NOTES },
  VOW: { events: core.VOW_EVENTS, functions: core.VOW_FUNCTIONS, iface: core.VOW_IFACE, notes: core.VOW_NOTES },
  POT: { events: core.POT_EVENTS, functions: core.POT_FUNCTIONS, iface: core.POT_IFACE, notes: core.POT_NOTES },
  END: { events: core.END_EVENTS, functions: core.END_FUNCTIONS, iface: core.END_IFACE },
  DOG: { events: liquidation.DOG_EVENTS, functions: liquidation.DOG_FUNCTIONS, iface: liquidation.DOG_IFACE },
  CLIP: { events: liquidation.CLIP_EVENTS, functions: liquidation.CLIP_FUNCTIONS, iface: liquidation.CLIP_IFACE },
  CAT: { events: liquidation.CAT_EVENTS, functions: liquidation.CAT_FUNCTIONS, iface: liquidation.CAT_IFACE, notes: liquidation.CAT_NOTES },
  OSM: { events: oracles.OSM_EVENTS, functions: oracles.OSM_FUNCTIONS, iface: oracles.OSM_IFACE, notes: oracles.OSM_NOTES },
  MEDIAN: { events: oracles.MEDIAN_EVENTS, functions: oracles.MEDIAN_FUNCTIONS, iface: oracles.MEDIAN_IFACE, notes: oracles.MEDIAN_NOTES },
  PAUSE: { events: governance.PAUSE_EVENTS, functions: governance.PAUSE_FUNCTIONS, iface: governance.PAUSE_IFACE, notes: governance.PAUSE_NOTES },
  PAUSE_PROXY: { events: governance.PAUSE_PROXY_EVENTS, functions: governance.PAUSE_PROXY_FUNCTIONS, iface: governance.PAUSE_PROXY_IFACE },
  DS_CHIEF: { events: governance.DS_CHIEF_EVENTS, functions: governance.DS_CHIEF_FUNCTIONS, iface: governance.DS_CHIEF_IFACE, notes: governance.DS_CHIEF_NOTES },
  CHIEF: { events: governance.CHIEF_EVENTS, functions: governance.CHIEF_FUNCTIONS, iface: governance.CHIEF_IFACE },
  ESM: { events: governance.ESM_EVENTS, functions: governance.ESM_FUNCTIONS, iface: governance.ESM_IFACE },
  PSM: { events: psm.PSM_EVENTS, functions: psm.PSM_FUNCTIONS, iface: psm.PSM_IFACE },
  LITE_PSM: { events: psm.LITE_PSM_EVENTS, functions: psm.LITE_PSM_FUNCTIONS, iface: psm.LITE_PSM_IFACE },
  FLASH: { events: psm.FLASH_EVENTS, functions: psm.FLASH_FUNCTIONS, iface: psm.FLASH_IFACE },
  CHAINLOG: { events: registry.CHAINLOG_EVENTS, functions: registry.CHAINLOG_FUNCTIONS, iface: registry.CHAINLOG_IFACE },
  ILK_REGISTRY: { events: registry.ILK_REGISTRY_EVENTS, functions: registry.ILK_REGISTRY_FUNCTIONS, iface: registry.ILK_REGISTRY_IFACE },
  ERC20: { events: tokens.ERC20_EVENTS, functions: tokens.ERC20_FUNCTIONS, iface: tokens.ERC20_IFACE },
  DAI: { events: tokens.DAI_EVENTS, functions: tokens.DAI_FUNCTIONS, iface: tokens.DAI_IFACE, notes: tokens.DAI_NOTES },
  L2_DAI: { events: tokens.L2_DAI_EVENTS, functions: tokens.L2_DAI_FUNCTIONS, iface: tokens.L2_DAI_IFACE },
  L1_ESCROW: { events: tokens.L1_ESCROW_EVENTS, functions: tokens.L1_ESCROW_FUNCTIONS, iface: tokens.L1_ESCROW_IFACE },
} as const satisfies Record<string, ContractAbi>;

export type MakerContractName = keyof typeof MAKER_ABIS;

/** The note-writing contracts and which of their calls write notes, in which layout. */
export const MAKER_NOTES = {
  VAT: core.VAT_NOTES,
  JUG: core.JUG_NOTES,
  SPOT: core.SPOT_NOTES,
  VOW: core.VOW_NOTES,
  POT: core.POT_NOTES,
  CAT: liquidation.CAT_NOTES,
  OSM: oracles.OSM_NOTES,
  MEDIAN: oracles.MEDIAN_NOTES,
  DAI: tokens.DAI_NOTES,
  PAUSE: governance.PAUSE_NOTES,
  DS_CHIEF: governance.DS_CHIEF_NOTES,
} as const satisfies Record<string, NoteSpec>;
