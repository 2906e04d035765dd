/**
 * Reading a transaction's Maker logs without losing any: notes decoded one log at a time (a
 * malformed note becomes an `UndecodableLog`, reported with `undecodableLogFinding`, instead of
 * throwing away every other log of the transaction, which `filterNotes` would), and the ChainLog
 * followed log by log the same way.
 */
import { decodeNote, NoteDecodeError, type DecodedNote, type LogLike, type NoteSpec } from "../abi";
import { errorMessage } from "../errors";
import type { UndecodableLog } from "../logs";
import { ChainlogError, type AddressBook, type AddressBookChange, type ChainlogLogInput } from "./chainlog";

export type IndexedLog = LogLike & { logIndex: number };
export type IndexedNote = DecodedNote & { logIndex: number };

/**
 * The note and its log's index; its arguments still decoded when first read (a spread would
 * decode every note's: Jug and Pot drips, Vat frobs, ~1.3% of a replay's CPU for nothing).
 */
function withLogIndex(note: DecodedNote, logIndex: number): IndexedNote {
  const { layout, address, selector, signature, name, caller, rawArgs, calldata, calldataIsExact, value, fragment } = note;
  return {
    layout,
    address,
    selector,
    signature,
    name,
    caller,
    get args() {
      return note.args;
    },
    get argsError() {
      return note.argsError;
    },
    rawArgs,
    calldata,
    calldataIsExact,
    value,
    fragment,
    logIndex,
  };
}

/**
 * The notes of `spec`'s functions among `logs` emitted by `addresses`, in log order. A log that has
 * the shape of such a note but does not decode (NoteDecodeError), or whose arguments do not
 * decode although its layout keeps the whole calldata (ds-note), is returned in `undecodable`.
 */
export function readNotes(
  logs: readonly IndexedLog[],
  spec: NoteSpec,
  addresses: string | readonly (string | undefined)[],
): { notes: IndexedNote[]; undecodable: UndecodableLog[] } {
  // one address (the usual call): compared as it is, no Set built per call
  const one = typeof addresses === "string" ? addresses.toLowerCase() : undefined;
  const from = one === undefined ? new Set((addresses as readonly (string | undefined)[]).filter((a): a is string => !!a).map((a) => a.toLowerCase())) : undefined;
  const notes: IndexedNote[] = [];
  const undecodable: UndecodableLog[] = [];
  for (const log of logs) {
    if (typeof log.address !== "string") continue;
    const address = log.address.toLowerCase();
    if (one !== undefined ? address !== one : !from!.has(address)) continue;
    try {
      const note = decodeNote(log, spec);
      if (!note) continue;
      if (note.calldataIsExact && !note.args) {
        undecodable.push({ address: note.address, logIndex: log.logIndex, signature: `${spec.contract} note ${note.signature}`, error: note.argsError ?? "arguments do not decode" });
        continue;
      }
      notes.push(withLogIndex(note, log.logIndex));
    } catch (err) {
      if (!(err instanceof NoteDecodeError)) throw err;
      const selector = typeof log.topics[0] === "string" ? log.topics[0].slice(0, 10) : "?";
      undecodable.push({ address: err.address.toLowerCase(), logIndex: log.logIndex, signature: `${spec.contract} note ${selector}`, error: err.message });
    }
  }
  return { notes, undecodable };
}

/**
 * `book.applyTransaction(tx)`, one log at a time: a ChainLog event that does not decode is
 * returned in `undecodable` and the other logs are still followed.
 */
export function followChainlog(
  book: AddressBook,
  tx: { logs: readonly (ChainlogLogInput & { logIndex: number })[]; blockNumber?: number; hash?: string },
): { changes: AddressBookChange[]; undecodable: UndecodableLog[] } {
  const changes: AddressBookChange[] = [];
  const undecodable: UndecodableLog[] = [];
  for (const log of tx.logs) {
    if (!book.mayApply(log)) continue;
    try {
      const change = book.apply({ ...log, blockNumber: log.blockNumber ?? tx.blockNumber, transactionHash: log.transactionHash ?? tx.hash });
      if (change) changes.push(change);
    } catch (err) {
      if (!(err instanceof ChainlogError)) throw err;
      undecodable.push({ address: String(log.address).toLowerCase(), logIndex: log.logIndex, signature: "ChainLog event", error: errorMessage(err) });
    }
  }
  return { changes, undecodable };
}
