/**
 * The JSON-RPC client bots and the runtime share.
 *
 * - Calls made in the same turn of the event loop go out as one JSON-RPC batch. A call asked
 *   for `later` (the runtime's blocks fetched ahead) does not send a batch of its own: it rides
 *   with the next batch that goes out, or goes when `sendQueued()` is called (or a cached answer
 *   still waiting in the queue is asked for).
 * - Answers tied to a block (eth_call at a block number, a block, its receipts, logs of fixed
 *   blocks) are cached for the last `cacheBlocks` blocks, and identical calls in flight are
 *   shared: N bots asking the same question at the same block cost one call.
 * - A call that reverts is cached like an answer (it is the node's answer at that block); a
 *   call that failed (transport, node error) is not, nor a null answer (a block the node does
 *   not have yet).
 * - `invalidateFrom(n)` drops cached answers of blocks >= n (after a reorg).
 */
import { CallRevertedError, RpcAnswerError, toRpcError } from "./errors";
import type { RpcCall, RpcOutcome, RpcTransport } from "./transport";

export type BlockTag = number | "latest" | "pending" | "earliest" | "finalized" | "safe";

export function toTag(tag: BlockTag): string {
  return typeof tag === "number" ? `0x${tag.toString(16)}` : tag;
}

export interface RpcClientOptions {
  /** how many recent block numbers keep their cached answers (default 16) */
  cacheBlocks?: number;
  /** upper bound on cached answers, whatever their block (default 20000) */
  maxCacheEntries?: number;
}

interface Pending {
  call: RpcCall;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface CacheEntry {
  block: number | undefined;
  value: Promise<unknown>;
}

/** The block a cacheable call is pinned to: a number, "hash" (pinned, number unknown), or null (not cacheable). */
export function pinnedBlock(method: string, params: readonly unknown[]): number | "hash" | "forever" | null {
  const tagAt = (i: number): number | "hash" | null => {
    const t = params[i];
    if (typeof t === "string" && /^0x[0-9a-f]{1,16}$/i.test(t)) return parseInt(t, 16);
    if (typeof t === "string" && /^0x[0-9a-f]{64}$/i.test(t)) return "hash";
    if (t && typeof t === "object" && "blockHash" in t) return "hash";
    if (t && typeof t === "object" && "blockNumber" in t) {
      const n = (t as { blockNumber: unknown }).blockNumber;
      return typeof n === "string" && /^0x[0-9a-f]{1,16}$/i.test(n) ? parseInt(n, 16) : null;
    }
    return null;
  };
  switch (method) {
    case "eth_chainId":
      return "forever";
    case "eth_call":
    case "eth_getBalance":
    case "eth_getCode":
    case "eth_getTransactionCount":
      return tagAt(1);
    case "eth_getStorageAt":
      return tagAt(2);
    case "eth_getBlockByNumber":
    case "eth_getBlockReceipts":
    case "eth_getBlockByHash":
      return tagAt(0);
    case "eth_getLogs": {
      const f = params[0] as { fromBlock?: string; toBlock?: string; blockHash?: string } | undefined;
      if (!f) return null;
      if (f.blockHash) return "hash";
      const hex = /^0x[0-9a-f]+$/i;
      if (f.fromBlock && f.toBlock && hex.test(f.fromBlock) && hex.test(f.toBlock)) return parseInt(f.toBlock, 16);
      return null;
    }
    default:
      return null;
  }
}

/**
 * Told of the requests a bot makes through its view of the client (`RpcClient.viewFor`): the
 * runtime uses it to see what a bot's handler is waiting for.
 */
export interface RequestObserver {
  started(client: RpcClient, method: string): void;
  settled(client: RpcClient, method: string, failed: boolean, error?: unknown): void;
}

/** Where a view reports its requests: the runtime points `current` at the handler call running. */
export interface ObserverSlot {
  current: RequestObserver | undefined;
}

export class RpcClient {
  /**
   * What the client and its views share, in one object: a view (`viewFor`) inherits it through
   * its prototype, so a field assigned here is seen by all of them (one queue, one cache).
   */
  private readonly shared = { queue: [] as Pending[], flushScheduled: false, highestBlock: 0, receiptsMethodMissing: false, waiting: 0 };
  private readonly cache = new Map<string, CacheEntry>();
  private readonly cacheBlocks: number;
  private readonly maxCacheEntries: number;
  readonly stats = { requests: 0, cacheHits: 0, batches: 0, sent: 0 };
  /** The client itself; a view's root is the client it was made from (errors and watches name the root). */
  readonly root: RpcClient = this;

  constructor(
    readonly transport: RpcTransport,
    opts: RpcClientOptions = {},
  ) {
    this.cacheBlocks = opts.cacheBlocks ?? 16;
    this.maxCacheEntries = opts.maxCacheEntries ?? 20_000;
  }

  describe(): string {
    return this.transport.describe();
  }

  /** Send one JSON-RPC call (batched with its neighbours, cached when pinned to a block). */
  request<T = unknown>(method: string, params: readonly unknown[] = []): Promise<T> {
    return this.root.answer<T>(method, params);
  }

  /**
   * This client as one bot sees it: the same cache, batching and transport (every helper goes
   * through `request`), each request told to `slot.current`, the handler call it belongs to. The
   * runtime gives each bot its own view. (An AsyncLocalStorage did this before: its promise hooks
   * cost ~19% of replay CPU, on every promise of the process.)
   */
  viewFor(slot: ObserverSlot): RpcClient {
    const root = this.root;
    const view = Object.create(root) as RpcClient;
    view.request = <T>(method: string, params: readonly unknown[] = []): Promise<T> => {
      const answer = root.answer<T>(method, params);
      const observer = slot.current;
      if (observer) {
        observer.started(root, method);
        answer.then(
          () => observer.settled(root, method, false),
          (err: unknown) => observer.settled(root, method, true, err),
        );
      }
      return answer;
    };
    return view;
  }

  /**
   * Like `request`, but the call does not make a batch go out: it waits in the queue for the next
   * batch (or `sendQueued()`). For reads needed only later (blocks fetched ahead), so they ride
   * with the bots' reads instead of costing an HTTP request of their own.
   */
  requestLater<T = unknown>(method: string, params: readonly unknown[] = []): Promise<T> {
    return this.root.answer<T>(method, params, true);
  }

  private ask<T>(later: boolean, method: string, params: readonly unknown[]): Promise<T> {
    return later ? this.requestLater<T>(method, params) : this.request<T>(method, params);
  }

  /** Send what waits in the queue (calls asked for `later`) now. */
  sendQueued(): void {
    this.root.schedule();
  }

  private answer<T>(method: string, params: readonly unknown[], later = false): Promise<T> {
    this.stats.requests++;
    const pin = pinnedBlock(method, params);
    if (pin === null) return this.enqueue({ method, params }, later) as Promise<T>;
    const key = `${method}:${JSON.stringify(params)}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cacheHits++;
      // the cached answer may still wait in the queue (asked for later): now someone waits for it
      if (!later && this.shared.waiting > 0) this.schedule();
      return hit.value as Promise<T>;
    }
    const block = typeof pin === "number" ? pin : undefined;
    if (block !== undefined && block > this.shared.highestBlock) {
      this.shared.highestBlock = block;
      this.evictOld();
    }
    const value = this.enqueue({ method, params }, later);
    this.cache.set(key, { block, value });
    const drop = () => {
      if (this.cache.get(key)?.value === value) this.cache.delete(key);
    };
    // A revert is the node's answer at that block (kept like any other); a failure is not. Nor is
    // null: "no such block (yet)" from a node behind, or one not yet mined, would otherwise stay
    // the answer for good and a retry would never ask the node again.
    value.then(
      (v) => {
        if (v === null || v === undefined) drop();
      },
      (err: unknown) => {
        if (!(err instanceof CallRevertedError)) drop();
      },
    );
    if (this.cache.size > this.maxCacheEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return value as Promise<T>;
  }

  /** Forget cached answers of blocks >= `block` (they may belong to an orphaned branch). */
  invalidateFrom(block: number): void {
    for (const [k, e] of this.cache) if (e.block === undefined || e.block >= block) this.cache.delete(k);
    this.shared.highestBlock = Math.min(this.shared.highestBlock, block - 1);
  }

  private evictOld(): void {
    const floor = this.shared.highestBlock - this.cacheBlocks;
    for (const [k, e] of this.cache) if (e.block !== undefined && e.block < floor) this.cache.delete(k);
  }

  private enqueue(call: RpcCall, later = false): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.shared.queue.push({ call, resolve, reject });
      if (later) this.shared.waiting++;
      else this.schedule();
    });
  }

  /** The queue goes out as one batch once this turn of the event loop is over. */
  private schedule(): void {
    if (this.shared.flushScheduled || this.shared.queue.length === 0) return;
    this.shared.flushScheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.shared.flushScheduled = false;
    const batch = this.shared.queue;
    this.shared.queue = [];
    this.shared.waiting = 0;
    if (batch.length === 0) return;
    this.stats.batches++;
    this.stats.sent += batch.length;
    let answers: RpcOutcome[];
    try {
      answers = await this.transport.send(batch.map((p) => p.call));
    } catch (err) {
      // Mark which client's node failed: the runtime retries a block only when its own node
      // failed, not when a bot's other connection (an L2, a beacon node) did.
      if (err && typeof err === "object" && !("rpcClient" in err)) Object.defineProperty(err, "rpcClient", { value: this, enumerable: false });
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const a = answers[i];
      if (!a) p.reject(new RpcAnswerError(p.call.method, "no answer"));
      else if (a.ok) p.resolve(a.result);
      else p.reject(toRpcError(p.call.method, a.error));
    });
  }

  // ---- typed helpers -------------------------------------------------------------------

  async chainId(): Promise<number> {
    const id = await this.request<string>("eth_chainId");
    if (typeof id !== "string" || !/^0x[0-9a-f]+$/i.test(id)) throw new RpcAnswerError("eth_chainId", `not a hex quantity: ${String(id)}`);
    return parseInt(id, 16);
  }

  async blockNumber(): Promise<number> {
    const n = await this.request<string>("eth_blockNumber");
    if (typeof n !== "string" || !/^0x[0-9a-f]+$/i.test(n)) throw new RpcAnswerError("eth_blockNumber", `not a hex quantity: ${String(n)}`);
    return parseInt(n, 16);
  }

  /** eth_call; a revert throws CallRevertedError. */
  async call(tx: { to: string; data: string; from?: string }, blockTag: BlockTag): Promise<string> {
    const params = [{ ...(tx.from ? { from: tx.from.toLowerCase() } : {}), to: tx.to.toLowerCase(), data: tx.data }, toTag(blockTag)];
    const out = await this.request<string>("eth_call", params);
    if (typeof out !== "string" || !/^0x[0-9a-f]*$/i.test(out)) throw new RpcAnswerError("eth_call", `not hex data: ${String(out).slice(0, 80)}`);
    return out;
  }

  async getLogs(filter: { address?: string | string[]; topics?: (string | string[] | null)[]; fromBlock: BlockTag; toBlock: BlockTag }): Promise<RawLog[]> {
    const params = [{ ...filter, fromBlock: toTag(filter.fromBlock), toBlock: toTag(filter.toBlock) }];
    const logs = await this.request<RawLog[]>("eth_getLogs", params);
    if (!Array.isArray(logs)) throw new RpcAnswerError("eth_getLogs", "not a list of logs");
    return logs;
  }

  /**
   * A block with full transactions, or null if the node does not have it (yet). `later`: the
   * request waits for the next batch (see `requestLater`).
   */
  async getBlock(block: number | string, later = false): Promise<RawBlock | null> {
    const byHash = typeof block === "string" && block.length === 66;
    const b = await this.ask<RawBlock | null>(later, byHash ? "eth_getBlockByHash" : "eth_getBlockByNumber", [
      typeof block === "number" ? toTag(block) : block,
      true,
    ]);
    if (b === null) return null;
    if (!b || typeof b !== "object" || typeof b.hash !== "string" || typeof b.parentHash !== "string" || !Array.isArray(b.transactions)) {
      throw new RpcAnswerError("eth_getBlockByNumber", `block ${String(block)} lacks hash, parentHash or transactions`);
    }
    if (b.transactions.some((t) => typeof t !== "object")) {
      throw new RpcAnswerError("eth_getBlockByNumber", `block ${String(block)} came without full transaction objects`);
    }
    return b;
  }

  /**
   * Receipts of every transaction of a block: eth_getBlockReceipts, or one
   * eth_getTransactionReceipt per transaction where the node lacks it. `later`: the
   * eth_getBlockReceipts request waits for the next batch (see `requestLater`).
   */
  async getBlockReceipts(block: RawBlock, later = false): Promise<RawReceipt[]> {
    if (block.transactions.length === 0) return [];
    let receipts: RawReceipt[] | null = null;
    if (!this.shared.receiptsMethodMissing) {
      try {
        receipts = await this.ask<RawReceipt[] | null>(later, "eth_getBlockReceipts", [block.number]);
      } catch (err) {
        if ((err as Error).name !== "MethodNotFoundError") throw err;
        this.shared.receiptsMethodMissing = true;
      }
    }
    if (receipts === null || receipts === undefined) {
      receipts = await Promise.all(
        block.transactions.map(async (tx) => {
          const r = await this.request<RawReceipt | null>("eth_getTransactionReceipt", [tx.hash]);
          if (!r) throw new RpcAnswerError("eth_getTransactionReceipt", `no receipt for ${tx.hash} of block ${parseInt(block.number, 16)}`);
          return r;
        }),
      );
    }
    if (!Array.isArray(receipts) || receipts.length !== block.transactions.length) {
      throw new RpcAnswerError(
        "eth_getBlockReceipts",
        `block ${parseInt(block.number, 16)} has ${block.transactions.length} transactions but ${Array.isArray(receipts) ? receipts.length : "no"} receipts`,
      );
    }
    receipts.forEach((r, i) => {
      if (!r || r.transactionHash?.toLowerCase() !== block.transactions[i]!.hash.toLowerCase() || !Array.isArray(r.logs)) {
        throw new RpcAnswerError("eth_getBlockReceipts", `receipt ${i} of block ${parseInt(block.number, 16)} does not match its transaction or lacks logs`);
      }
      if (r.blockHash && r.blockHash.toLowerCase() !== block.hash.toLowerCase()) {
        throw new RpcAnswerError("eth_getBlockReceipts", `receipt ${i} belongs to block ${r.blockHash}, not ${block.hash} (reorg in progress?)`);
      }
    });
    return receipts;
  }

  isRevert(err: unknown): err is CallRevertedError {
    return err instanceof CallRevertedError;
  }
}

export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}

export interface RawTransaction {
  hash: string;
  from: string;
  to: string | null;
  nonce: string;
  gas: string;
  gasPrice?: string;
  value: string;
  input: string;
  r?: string;
  s?: string;
  v?: string;
  transactionIndex?: string;
}

export interface RawBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  transactions: RawTransaction[];
  [k: string]: unknown;
}

export interface RawReceipt {
  transactionHash: string;
  blockHash?: string;
  status?: string;
  logs: RawLog[];
  [k: string]: unknown;
}
