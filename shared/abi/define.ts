/**
 * Builds the per-contract ABI objects of this folder: one Interface from a contract's event and
 * function fragments, and the note table of the contracts that write anonymous LogNotes.
 * A fragment with a typo throws here, when the module is first imported (the unit tests import
 * every contract module, so a typo fails the test suite, not a bot in production).
 */
import { ethers } from "forta-agent";
import { canonicalSignature, type NoteLayout, type NoteSpec } from "./note";

export type Fragments = Readonly<Record<string, string>>;

export function makeInterface(...groups: Fragments[]): ethers.utils.Interface {
  return new ethers.utils.Interface(groups.flatMap((g) => Object.values(g)));
}

/** A contract's note table; every listed function must belong to `iface`. */
export function noteSpec(contract: string, layout: NoteLayout, iface: ethers.utils.Interface, functions: readonly string[]): NoteSpec {
  const signatures = functions.map((f) => {
    const sig = canonicalSignature(f);
    iface.getFunction(sig); // throws if the table names a function the ABI lacks
    return sig;
  });
  return Object.freeze({ contract, layout, iface, functions: Object.freeze(signatures) });
}

/** The fragments `rely(address)`/`deny(address)`/`wards(address)` most Maker contracts share. */
export const AUTH_FUNCTIONS = {
  wards: "function wards(address) view returns (uint256)",
  rely: "function rely(address usr)",
  deny: "function deny(address usr)",
} as const;

/** Rely/Deny as the newer (named-event) contracts emit them. */
export const AUTH_EVENTS = {
  Rely: "event Rely(address indexed usr)",
  Deny: "event Deny(address indexed usr)",
} as const;

/** The anonymous event fragments of the three note layouts (documentation; decoders do not need them). */
export const LIBNOTE_EVENT = "event LogNote(bytes4 indexed sig, address indexed usr, bytes32 indexed arg1, bytes32 indexed arg2, bytes data) anonymous";
export const VAT_NOTE_EVENT = "event LogNote(bytes4 indexed sig, bytes32 indexed arg1, bytes32 indexed arg2, bytes32 indexed arg3, bytes data) anonymous";
export const DSNOTE_EVENT = "event LogNote(bytes4 indexed sig, address indexed guy, bytes32 indexed foo, bytes32 indexed bar, uint256 wad, bytes fax) anonymous";
