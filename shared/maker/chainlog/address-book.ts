/**
 * The address book: a view over an `AddressBookState` (plain JSON, kept in `ctx.persistent`) that
 * loads it from the ChainLog (read.ts), follows the ChainLog's logs (follow.ts) and answers
 * lookups: by key, by address, by key pattern, and the set of every address it names.
 */
import type { BlockTag, RpcClient } from "../../rpc/client";
import { UnknownChainlogKeyError } from "./errors";
import { applyChainlogEvent, decodeChainlogLog, mayBeChainlogLog, type AddressBookChange, type ChainlogLogInput } from "./follow";
import { readChainlog } from "./read";
import { similarKeys } from "./similar-keys";
import { checkAddress, emptyBookState, validateState, type AddressBookState } from "./state";

export interface AddressEntry {
  key: string;
  address: string;
}

export class AddressBook {
  /** `matching`'s keys by pattern and `addressSet`'s set, for these entries until the book writes them (asked per transaction) */
  private matched = { entries: undefined as Record<string, string> | undefined, keys: new Map<string, string[]>(), all: undefined as Set<string> | undefined };

  private constructor(private readonly state: AddressBookState) {}

  /** A state with nothing loaded yet (for `ctx.persistent(name, () => AddressBook.emptyState(chainlog))`). */
  static emptyState(chainlog: string, opts: { keep?: RegExp } = {}): AddressBookState {
    return emptyBookState(chainlog, opts);
  }

  /** Read the whole ChainLog at `blockTag` into a new book. */
  static async load(rpc: RpcClient, chainlog: string, blockTag: BlockTag, opts: { keep?: RegExp } = {}): Promise<AddressBook> {
    const book = new AddressBook(AddressBook.emptyState(chainlog, opts));
    await book.reload(rpc, blockTag);
    return book;
  }

  /**
   * A book over an existing state object (from `ctx.persistent` or `toJSON()`), used in place:
   * `apply`/`reload` mutate that very object. If `chainlog` is given and differs from the state's
   * (configuration changed since the state was saved), the state is reset to empty for it; so is
   * a state saved with another `keep` pattern than `opts.keep`, when `opts` is given.
   */
  static attach(state: unknown, chainlog?: string, opts?: { keep?: RegExp }): AddressBook {
    const checked = validateState(state);
    if (chainlog !== undefined) {
      const wanted = checkAddress(chainlog, "ChainLog address");
      if (checked.chainlog !== wanted) {
        const keep = checked.keep;
        Object.assign(checked, AddressBook.emptyState(wanted), { keep });
      }
    }
    if (opts !== undefined) {
      // A state saved by a version of the bot that kept other keys (an upgrade that watches one
      // more contract, or a configuration naming other keys) starts empty and is read again:
      // otherwise the keys the bot needs now would stay missing until the ChainLog changes them.
      const keep = AddressBook.emptyState(checked.chainlog, opts).keep;
      if (JSON.stringify(keep) !== JSON.stringify(checked.keep)) Object.assign(checked, AddressBook.emptyState(checked.chainlog, opts));
    }
    return new AddressBook(checked);
  }

  /** Same as `attach(state)`: restore a book saved with `toJSON()`. */
  static fromJSON(state: unknown): AddressBook {
    return AddressBook.attach(state);
  }

  /** The state object itself (plain JSON). */
  toJSON(): AddressBookState {
    return this.state;
  }

  get chainlog(): string {
    return this.state.chainlog;
  }
  /** block the snapshot was read at (null until loaded) */
  get block(): number | null {
    return this.state.block;
  }
  get version(): string | null {
    return this.state.version;
  }
  get loaded(): boolean {
    return this.state.block !== null;
  }
  get size(): number {
    return Object.keys(this.state.entries).length;
  }

  /** Load unless the state already holds a snapshot (e.g. restored from a checkpoint). */
  async ensureLoaded(rpc: RpcClient, blockTag: BlockTag): Promise<this> {
    if (!this.loaded) await this.reload(rpc, blockTag);
    return this;
  }

  /** Replace the contents with the ChainLog as of `blockTag` (in place). */
  async reload(rpc: RpcClient, blockTag: BlockTag): Promise<void> {
    const snapshot = await readChainlog(rpc, this.state.chainlog, blockTag, this.state.keep);
    const st = this.state;
    st.block = snapshot.block;
    st.version = snapshot.version;
    this.forgetMatches();
    for (const k of Object.keys(st.entries)) delete st.entries[k];
    Object.assign(st.entries, snapshot.entries);
  }

  /** The address of `key`; throws UnknownChainlogKeyError naming similar keys when absent. */
  getAddress(key: string): string {
    const addr = this.tryGetAddress(key);
    if (addr !== undefined) return addr;
    const similar = similarKeys(key, this.keys());
    throw new UnknownChainlogKeyError(
      key,
      `ChainLog ${this.state.chainlog} has no address for ${JSON.stringify(key)}` +
        (this.state.block !== null ? ` (as of block ${this.state.block})` : " (the address book is not loaded yet: call ensureLoaded first)") +
        (this.state.keep ? ` (this book only holds keys matching /${this.state.keep.source}/)` : "") +
        (similar.length ? `; similar keys: ${similar.join(", ")}` : ""),
    );
  }

  tryGetAddress(key: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.state.entries, key) ? this.state.entries[key] : undefined;
  }

  has(key: string): boolean {
    return this.tryGetAddress(key) !== undefined;
  }

  /** All keys, sorted. */
  keys(): string[] {
    return Object.keys(this.state.entries).sort();
  }

  /** All `{key, address}` pairs, sorted by key. */
  entries(): AddressEntry[] {
    return this.keys().map((key) => ({ key, address: this.state.entries[key]! }));
  }

  /** The keys naming `address` (several keys may share one contract). */
  keysOf(address: string): string[] {
    const a = address.toLowerCase();
    const out: string[] = [];
    for (const k in this.state.entries) if (this.state.entries[k] === a) out.push(k);
    return out.length > 1 ? out.sort() : out;
  }

  /** Entries whose key starts with `prefix` (a string) or matches `pattern` (a RegExp), sorted by key. */
  matching(prefixOrPattern: string | RegExp): AddressEntry[] {
    const entries = this.state.entries;
    if (this.matched.entries !== entries) this.matched = { entries, keys: new Map(), all: undefined };
    const memo = typeof prefixOrPattern === "string" ? `s:${prefixOrPattern}` : `r:${prefixOrPattern.flags}:${prefixOrPattern.source}`;
    let keys = this.matched.keys.get(memo);
    if (!keys) {
      const re = typeof prefixOrPattern === "string" ? null : new RegExp(prefixOrPattern.source, prefixOrPattern.flags.replace("g", "")); // no `g`: test() keeps no state
      this.matched.keys.set(memo, (keys = Object.keys(entries).filter((k) => (re ? re.test(k) : k.startsWith(prefixOrPattern as string))).sort()));
    }
    return keys.map((key) => ({ key, address: entries[key]! }));
  }

  /** Every address the book names and the ChainLog's own (lowercase): kept until the book changes, for "is this transaction ours?" (shared/interest.ts). */
  addressSet(): ReadonlySet<string> {
    const entries = this.state.entries;
    if (this.matched.entries !== entries) this.matched = { entries, keys: new Map(), all: undefined };
    return (this.matched.all ??= new Set([this.state.chainlog, ...Object.values(entries)]));
  }

  /**
   * Follow one ChainLog log. Returns what changed, or null when the log is not an
   * UpdateAddress/RemoveAddress/UpdateVersion of this book's ChainLog, changes nothing, or lies at
   * or before the snapshot block (the snapshot already includes it). Removed (reorged) logs are ignored.
   */
  apply(log: ChainlogLogInput): AddressBookChange | null {
    const event = decodeChainlogLog(this.state, log);
    if (!event) return null;
    if (event.name !== "UpdateVersion") this.forgetMatches(); // an address may change
    return applyChainlogEvent(this.state, event);
  }

  /** Follow every ChainLog log of a transaction (forta-agent TransactionEvent or anything with `logs`), in log order. */
  applyTransaction(tx: { logs: readonly ChainlogLogInput[]; blockNumber?: number; hash?: string }): AddressBookChange[] {
    const out: AddressBookChange[] = [];
    for (const log of tx.logs) {
      if (!this.mayApply(log)) continue; // most logs are not the ChainLog's: no copy for them
      const withOrigin = { ...log, blockNumber: log.blockNumber ?? tx.blockNumber, transactionHash: log.transactionHash ?? tx.hash };
      const change = this.apply(withOrigin);
      if (change) out.push(change);
    }
    return out;
  }

  /** False for a log `apply` would certainly ignore (not from this book's ChainLog): a cheap test before copying it. */
  mayApply(log: ChainlogLogInput): boolean {
    return mayBeChainlogLog(this.state.chainlog, log);
  }

  private forgetMatches(): void {
    this.matched = { entries: undefined, keys: new Map(), all: undefined };
  }
}
