/**
 * The Maker address book: every contract a Maker bot watches is found through an on-chain
 * ChainLog (`MAKER_CHAINLOG`, mainnet `CHANGELOG`), never hard-coded, and the book follows the
 * ChainLog's `UpdateAddress` / `RemoveAddress` / `UpdateVersion` events so that a bot learns of a
 * new OSM or a replaced clipper in the block it happens.
 *
 * Loading costs two JSON-RPC round trips whatever the number of keys (three when the block tag is
 * not a number: the tag is first resolved to a block number so that every read sees one block):
 *   1. `eth_getCode`, `list()` and `version()` of the ChainLog, in one batch;
 *   2. `getAddress(key)` for every key, in one batch (~550 calls on mainnet).
 *
 * State and checkpoints: the book is a view over a plain JSON object (`AddressBookState`). Keep
 * that object in `ctx.persistent(...)`, as below: the runtime then checkpoints it with its cursor
 * after every block, restores it after a restart (no reload needed) and rewinds it on a reorg,
 * which undoes an `UpdateAddress` seen in an orphaned block. Re-loading at a block instead would
 * be cheap at start-up but could not undo updates applied from blocks that were later orphaned.
 * On mainnet the full state is ~35 KB of JSON; a bot that needs a few keys can pass `keep` (e.g.
 * `/^PIP_/`) to hold and follow only those.
 *
 * ```ts
 * const cfg = readConfig({ chainlog: MAKER_CHAINLOG_FIELD, ... }, ctx.env);
 * const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, { keep })), cfg.chainlog, { keep });
 * // initialize:
 * await book.ensureLoaded(ctx.rpc, ctx.initBlock);
 * // handleTransaction:
 * for (const change of book.applyTransaction(txEvent)) { ... start or stop watching change.to ... }
 * ```
 *
 * Keys whose address is zero are treated as absent (the ChainLog's own `getAddress` reverts for
 * them; mainnet lists `FAUCET` so).
 */
import { ethers } from "forta-agent";
import { CHAINLOG_IFACE } from "../abi/registry";
import { fromBytes32 } from "../abi/bytes32";
import { VigilError } from "../errors";
import type { BlockTag, RpcClient } from "../rpc/client";
import { ContractDecodeError, contract, readCode } from "../rpc/contract";
import { CallRevertedError } from "../rpc/errors";

export { MAINNET_CHAINLOG, MAKER_CHAINLOG_FIELD } from "./config";

/** The ChainLog address is wrong or unusable (no code, not a ChainLog), or saved state is invalid. */
export class ChainlogError extends VigilError<"CHAINLOG"> {
  constructor(message: string, options?: { cause?: unknown }) {
    super("CHAINLOG", message, options);
  }
}

/** A key the ChainLog does not hold (or holds with the zero address). */
export class UnknownChainlogKeyError extends VigilError<"CHAINLOG_UNKNOWN_KEY"> {
  constructor(readonly key: string, message: string) {
    super("CHAINLOG_UNKNOWN_KEY", message);
  }
}

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

export type AddressBookChange =
  | ({ kind: "updated"; key: string; from: string | null; to: string | null } & ChangeOrigin)
  | ({ kind: "removed"; key: string; from: string; to: null } & ChangeOrigin)
  | ({ kind: "version"; key: null; from: string | null; to: string } & ChangeOrigin);

/** Where a change was seen; fields are null when the log did not carry them. */
export interface ChangeOrigin {
  blockNumber: number | null;
  transactionHash: string | null;
  logIndex: number | null;
}

/** A log as forta-agent (`txEvent.logs`) or JSON-RPC (`eth_getLogs`) gives it. */
export interface ChainlogLogInput {
  address: string;
  topics: readonly string[];
  data: string;
  blockNumber?: number | string;
  transactionHash?: string;
  logIndex?: number | string;
  removed?: boolean;
}

export interface AddressEntry {
  key: string;
  address: string;
}

const ZERO = "0x0000000000000000000000000000000000000000";
const TOPIC = {
  UpdateAddress: CHAINLOG_IFACE.getEventTopic("UpdateAddress"),
  RemoveAddress: CHAINLOG_IFACE.getEventTopic("RemoveAddress"),
  UpdateVersion: CHAINLOG_IFACE.getEventTopic("UpdateVersion"),
};

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

export class AddressBook {
  /** `matching`'s keys by pattern and `addressSet`'s set, for these entries until the book writes them (asked per transaction) */
  private matched = { entries: undefined as Record<string, string> | undefined, keys: new Map<string, string[]>(), all: undefined as Set<string> | undefined };

  private constructor(private readonly state: AddressBookState) {}

  /** A state with nothing loaded yet (for `ctx.persistent(name, () => AddressBook.emptyState(chainlog))`). */
  static emptyState(chainlog: string, opts: { keep?: RegExp } = {}): AddressBookState {
    return {
      v: 1,
      chainlog: checkAddress(chainlog, "ChainLog address"),
      block: null,
      version: null,
      entries: {},
      keep: opts.keep ? { source: opts.keep.source, flags: opts.keep.flags } : null,
    };
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
    const chainlog = this.state.chainlog;
    const block = typeof blockTag === "number" ? blockTag : await rpc.blockNumber();
    const reader = contract(rpc, chainlog, CHAINLOG_IFACE, "ChainLog");

    // Round trip 1: is it a ChainLog, and which keys does it hold?
    const [code, list, version] = await Promise.allSettled([
      readCode(rpc, chainlog, block),
      reader.read("list", [], block),
      reader.read("version", [], block),
    ]);
    if (code.status === "rejected") throw code.reason;
    if (code.value === "0x") {
      throw new ChainlogError(
        `there is no contract at ${chainlog} at block ${block} on ${rpc.describe()}; set MAKER_CHAINLOG to the ChainLog (CHANGELOG) address of this chain`,
      );
    }
    if (list.status === "rejected") {
      const err = list.reason as unknown;
      if (err instanceof CallRevertedError || err instanceof ContractDecodeError) {
        throw new ChainlogError(`the contract at ${chainlog} does not answer list() like a ChainLog (block ${block}): ${(err as Error).message}; check MAKER_CHAINLOG`, { cause: err });
      }
      throw err;
    }
    const keep = this.keepPattern();
    const wanted = new Map<string, string>(); // key name -> bytes32 word
    for (const w of list.value[0] as string[]) {
      const k = fromBytes32(w);
      if (!wanted.has(k) && (!keep || keep.test(k))) wanted.set(k, w);
    }
    const keys = [...wanted.keys()];

    // Round trip 2: every address at once (one JSON-RPC batch; nothing awaited in between).
    const answers = await Promise.allSettled(keys.map((k) => reader.read("getAddress", [wanted.get(k)], block)));
    const entries: Record<string, string> = {};
    answers.forEach((a, i) => {
      if (a.status === "fulfilled") {
        const addr = String(a.value[0]).toLowerCase();
        if (addr !== ZERO) entries[keys[i]!] = addr;
      } else if (!(a.reason instanceof CallRevertedError)) {
        // getAddress reverts only for zero addresses; anything else is a real failure
        throw a.reason;
      }
    });

    const st = this.state;
    st.block = block;
    st.version = version.status === "fulfilled" ? String(version.value[0]) : null;
    this.matched = { entries: undefined, keys: new Map(), all: undefined };
    for (const k of Object.keys(st.entries)) delete st.entries[k];
    Object.assign(st.entries, sortedRecord(entries));
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
    if (!log || typeof log !== "object" || log.removed === true) return null;
    if (typeof log.address !== "string" || log.address.toLowerCase() !== this.state.chainlog) return null;
    const topic0 = Array.isArray(log.topics) ? String(log.topics[0] ?? "").toLowerCase() : "";
    if (topic0 !== TOPIC.UpdateAddress && topic0 !== TOPIC.RemoveAddress && topic0 !== TOPIC.UpdateVersion) return null;
    const origin: ChangeOrigin = {
      blockNumber: toNumber(log.blockNumber),
      transactionHash: typeof log.transactionHash === "string" ? log.transactionHash : null,
      logIndex: toNumber(log.logIndex),
    };
    if (origin.blockNumber !== null && this.state.block !== null && origin.blockNumber <= this.state.block) return null;

    let parsed: ethers.utils.LogDescription;
    try {
      parsed = CHAINLOG_IFACE.parseLog({ topics: [...log.topics], data: log.data });
    } catch (err) {
      throw new ChainlogError(`a ${topic0 === TOPIC.UpdateVersion ? "UpdateVersion" : topic0 === TOPIC.UpdateAddress ? "UpdateAddress" : "RemoveAddress"} log of ChainLog ${this.state.chainlog} does not decode (tx ${origin.transactionHash ?? "?"}): ${(err as Error).message}`, { cause: err });
    }

    const entries = this.state.entries;
    if (parsed.name === "UpdateVersion") {
      const to = String(parsed.args[0]);
      const from = this.state.version;
      if (from === to) return null;
      this.state.version = to;
      return { kind: "version", key: null, from, to, ...origin };
    }
    const key = fromBytes32(parsed.args[0] as string);
    this.matched = { entries: undefined, keys: new Map(), all: undefined }; // an address may change below
    const keep = this.keepPattern();
    if (keep && !keep.test(key)) return null;
    const from = this.tryGetAddress(key) ?? null;
    if (parsed.name === "RemoveAddress") {
      if (from === null) return null;
      delete entries[key];
      return { kind: "removed", key, from, to: null, ...origin };
    }
    const raw = String(parsed.args[1]).toLowerCase();
    const to = raw === ZERO ? null : raw;
    if (from === to) return null;
    if (to === null) delete entries[key];
    else entries[key] = to;
    return { kind: "updated", key, from, to, ...origin };
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
    return !!log && typeof log === "object" && (typeof log.address !== "string" || log.address.toLowerCase() === this.state.chainlog);
  }

  private keepPattern(): RegExp | null {
    const k = this.state.keep;
    return k ? new RegExp(k.source, k.flags.replace("g", "")) : null;
  }
}

function checkAddress(address: string, what: string): string {
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
    throw new ChainlogError(`${what} ${JSON.stringify(address)} is not a 0x-prefixed 20-byte hex address`);
  }
  return address.toLowerCase();
}

function validateState(state: unknown): AddressBookState {
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

/** Up to 5 keys close to `key` (edit distance), closest first: the likely typo fixes. */
function similarKeys(key: string, keys: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(key.length / 4));
  const near = keys.map((k) => ({ k, d: editDistance(key.toUpperCase(), k, limit) })).filter((x) => x.d <= limit);
  return near.sort((a, b) => a.d - b.d || a.k.localeCompare(b.k)).slice(0, 5).map((x) => x.k);
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

function toNumber(v: number | string | undefined): number | null {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && /^(0x[0-9a-fA-F]+|\d+)$/.test(v)) return Number(v);
  return null;
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}
