/**
 * The address book's state: a plain JSON object (fit for `ctx.persistent`, checkpointed and
 * rewound by the runtime), how an empty one is made, and how a saved one is checked before use.
 * No I/O here.
 */
import { ChainlogError } from "./errors";

/** Plain JSON: fit for `ctx.persistent`. */
export interface AddressBookState {
  v: 1;
  /** the ChainLog's address, lowercase */
  chainlog: string;
  /** the block the snapshot was read at; null until loaded */
  block: number | null;
  /** the ChainLog's `version()` */
  version: string | null;
  /** key -> address (lowercase, never the zero address) */
  entries: Record<string, string>;
  /** when set, only keys matching this pattern are held and followed */
  keep: { source: string; flags: string } | null;
}

/** The ChainLog's answer for a key it does not hold; the book never stores it. */
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** A state with nothing loaded yet. */
export function emptyBookState(chainlog: string, opts: { keep?: RegExp } = {}): AddressBookState {
  return {
    v: 1,
    chainlog: checkAddress(chainlog, "ChainLog address"),
    block: null,
    version: null,
    entries: {},
    keep: opts.keep ? { source: opts.keep.source, flags: opts.keep.flags } : null,
  };
}

/** A state's `keep` as a RegExp (without `g`, so that test() keeps no state), or null. */
export function keepPattern(keep: AddressBookState["keep"]): RegExp | null {
  return keep ? new RegExp(keep.source, keep.flags.replace("g", "")) : null;
}

/** `address` lowercased, or a ChainlogError naming `what` when it is not a 20-byte hex address. */
export function checkAddress(address: string, what: string): string {
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
    throw new ChainlogError(`${what} ${JSON.stringify(address)} is not a 0x-prefixed 20-byte hex address`);
  }
  return address.toLowerCase();
}

/** `state` itself once checked (a missing `keep` becomes null); a ChainlogError saying what is wrong otherwise. */
export function validateState(state: unknown): AddressBookState {
  const bad = (why: string): never => {
    throw new ChainlogError(`saved address book state is not valid (${why}); delete the bot's saved state to reload it from the chain`);
  };
  if (!state || typeof state !== "object" || Array.isArray(state)) return bad("not an object");
  const s = state as Partial<AddressBookState>;
  if (s.v !== 1) bad(`unknown version ${JSON.stringify(s.v)}`);
  if (typeof s.chainlog !== "string" || !/^0x[0-9a-f]{40}$/.test(s.chainlog)) bad("chainlog is not a lowercase address");
  if (!(s.block === null || (typeof s.block === "number" && Number.isSafeInteger(s.block) && s.block >= 0))) bad("block is not a block number or null");
  if (!(s.version === null || typeof s.version === "string")) bad("version is not a string or null");
  if (!s.entries || typeof s.entries !== "object" || Array.isArray(s.entries)) bad("entries is not an object");
  for (const [k, a] of Object.entries(s.entries!)) {
    if (typeof a !== "string" || !/^0x[0-9a-f]{40}$/.test(a)) bad(`entry ${k} is not a lowercase address`);
  }
  if (s.keep === undefined) s.keep = null;
  if (s.keep !== null && (typeof s.keep !== "object" || typeof s.keep.source !== "string" || typeof s.keep.flags !== "string")) bad("keep is not {source, flags}");
  return s as AddressBookState;
}
