/**
 * Patterns for common groups of ChainLog keys, for `AddressBook.matching` (and for `keep`).
 */

/** Patterns for common groups of keys (for `matching`). */
export const CHAINLOG_KEYS = {
  /** price feeds: OSMs for volatile collateral, plain value contracts for stablecoins and RWAs */
  pips: /^PIP_/,
  /** clippers, without their price calculators (MCD_CLIP_CALC_*) */
  clippers: /^MCD_CLIP_(?!CALC_)/,
  /** the PSMs and lite PSMs themselves (not their joins, pockets or jars) */
  psms: /^MCD_(LITE_)?PSM_[A-Z0-9]+_[A-Z]$/,
  /** L1 escrows of the DAI bridges */
  escrows: /^[A-Z0-9]+_ESCROW$/,
  /** collateral join adapters */
  joins: /^MCD_JOIN_/,
} as const;
