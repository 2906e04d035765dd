/**
 * A bot's interest in a transaction, declared next to its handler: `Agent.wantsTransaction`.
 * Our runtime asks it once per bot and transaction and skips `handleTransaction` when it says
 * no (~2,500 handler calls a block, nearly all returning nothing); the forta-agent CLI and the
 * v2 entry never ask, so the bot runs unchanged there.
 *
 * The contract: `false` ONLY when handleTransaction would return no finding, change no persistent
 * state and make no chain read that matters for that transaction. Under VIGIL_CHECK_INTEREST=1
 * (on in the test suite) the runtime runs the skipped handlers anyway and stops with an error
 * naming the bot and the transaction when one returned a finding or changed its state
 * (shared/runtime/interest-check.ts).
 *
 * ```ts
 * return {
 *   handleTransaction,
 *   // what handleTransaction reads: the ChainLog's contracts (as the book names them now) and our urns
 *   wantsTransaction: touching(book, urns),
 * };
 * ```
 * The test is a Set lookup of `tx.to` and of each log's address: forta-agent's events carry both
 * lowercase (`formatAddress`), so the sets must hold lowercase addresses.
 */
import type { TransactionEvent } from "forta-agent";
import type { AddressBook } from "./maker/chainlog";

/**
 * Where a bot's addresses are read at each transaction: a Set (the bot may add to it), a source
 * that keeps its own (an AddressBook: its entries and the ChainLog itself, as they are now), or a
 * function (e.g. the keys of a persistent record, looked up without building a set).
 */
export type AddressSource = ReadonlySet<string> | { addressSet(): ReadonlySet<string> } | ((address: string) => boolean);

/** Whether `tx` is sent to one of `addresses` or has a log of one. */
export function touches(tx: TransactionEvent, addresses: ReadonlySet<string>): boolean {
  const to = tx.to;
  if (to && addresses.has(to)) return true;
  const logs = tx.logs;
  for (let i = 0; i < logs.length; i++) if (addresses.has(logs[i]!.address)) return true;
  return false;
}

/** Whether `tx` is sent to an address `has` accepts or has a log of one. */
function touchesBy(tx: TransactionEvent, has: (address: string) => boolean): boolean {
  const to = tx.to;
  if (to && has(to)) return true;
  const logs = tx.logs;
  for (let i = 0; i < logs.length; i++) if (has(logs[i]!.address)) return true;
  return false;
}

/**
 * `wantsTransaction` for a bot whose handler looks only at transactions sent to, or logging from,
 * the addresses of `sources`, each read afresh at every transaction (so a ChainLog update seen in
 * one transaction counts from the next).
 */
export function touching(...sources: AddressSource[]): (tx: TransactionEvent) => boolean {
  return (tx) => {
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i]!;
      if (typeof s === "function") {
        if (touchesBy(tx, s)) return true;
      } else if (touches(tx, "addressSet" in s ? s.addressSet() : s)) return true;
    }
    return false;
  };
}

/**
 * The addresses of some of a ChainLog book's keys (a list, or a pattern) and the ChainLog's own,
 * as the book names them now: rebuilt when the book changes (its `addressSet()` is then a new
 * Set), for a bot whose book holds every key but whose handler reads only a few contracts.
 */
export function bookKeys(book: AddressBook, keys: readonly string[] | RegExp): { addressSet(): ReadonlySet<string> } {
  let of: ReadonlySet<string> | undefined;
  let set: ReadonlySet<string> = new Set();
  return {
    addressSet() {
      const all = book.addressSet();
      if (all === of) return set;
      const named = Array.isArray(keys) ? keys.map((k) => book.tryGetAddress(k)) : book.matching(keys as RegExp).map((e) => e.address);
      set = new Set([book.chainlog, ...named.filter((a): a is string => a !== undefined)]);
      of = all;
      return set;
    },
  };
}

/** Whether the book names a key matching `pattern` now, answered from a memo until the book changes. */
export function bookHas(book: AddressBook, pattern: RegExp): () => boolean {
  let of: ReadonlySet<string> | undefined;
  let has = false;
  return () => {
    const all = book.addressSet();
    if (all !== of) {
      has = book.matching(pattern).length > 0;
      of = all;
    }
    return has;
  };
}
