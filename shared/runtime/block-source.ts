/**
 * The block source: where the runtime's blocks come from (issue 14: one door per step).
 *
 * Each block is fetched once, with its receipts, from the runtime's own node; in a range the
 * next `prefetch` blocks are asked for ahead. A node failing is retried with backoff, never a
 * reason to skip a block: a range gives up after `maxBlockAttempts` (BlockUnavailableError naming
 * the block), following retries until the node answers. The runtime being stopped while it waits
 * ends the wait (RuntimeStoppedError).
 */
import { VigilError, errorMessage } from "../errors";
import type { Logger } from "../log";
import { sleep } from "../net/retry";
import { redact } from "../net/secrets";
import type { RawBlock, RawReceipt, RpcClient } from "../rpc/client";
import { isFatalError } from "./executor";

/** A block as fetched: the block with its transactions, and their receipts. */
export interface Fetched {
  block: RawBlock;
  receipts: RawReceipt[];
}

/** The runtime was asked to stop while waiting on the node. */
export class RuntimeStoppedError extends VigilError<"RUNTIME_STOPPED"> {
  constructor() {
    super("RUNTIME_STOPPED", "the runtime was stopped");
  }
}

export class BlockUnavailableError extends VigilError<"BLOCK_UNAVAILABLE"> {
  constructor(n: number, why: string) {
    super("BLOCK_UNAVAILABLE", `block ${n} could not be processed: ${why}`);
  }
}

export interface BlockSourceOptions {
  rpc: RpcClient;
  log: Logger;
  /** how many blocks to fetch ahead in a range (default 4) */
  prefetch?: number;
  /** fail after this many attempts at one block instead of retrying forever (range/replay) */
  maxBlockAttempts?: number;
  /** whether the runtime was asked to stop (a retry then ends with RuntimeStoppedError) */
  stopping(): boolean;
}

/** A block being fetched; `later` while only fetched ahead (its requests wait for the next batch). */
interface Fetching {
  fetched: Promise<Fetched>;
  how: { later: boolean; done: boolean };
}

export class BlockSource {
  private prefetched = new Map<number, Fetching>();
  /** failed attempts at the block being retried after a node failure inside a bot */
  private retried = { block: -1, attempts: 0 };

  constructor(private readonly o: BlockSourceOptions) {}

  /** Block `n` (blocks up to `limit` may be fetched ahead), retried until the node gives it. */
  async next(n: number, limit: number): Promise<Fetched> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fetch(n, limit);
      } catch (err) {
        if (isFatalError(err)) throw err;
        if (this.o.stopping()) throw new RuntimeStoppedError();
        this.forget(n);
        if (attempt >= (this.o.maxBlockAttempts ?? Infinity)) {
          throw new BlockUnavailableError(n, `${redact(errorMessage(err))} (after ${attempt} attempts)`);
        }
        const delay = Math.min(15_000, 250 * 2 ** Math.min(attempt, 6));
        this.o.log.warn({ block: n, attempt, delayMs: delay, err: redact(errorMessage(err)) }, "could not fetch the block; retrying");
        await sleep(delay);
      }
    }
  }

  /**
   * Block `n` once, no retry (prefetching up to `limit`). The blocks after `n` are asked for
   * `later` (client.requestLater): their requests ride with the batch of the bots' reads of the
   * block at hand instead of an HTTP request each; the block awaited goes out now.
   */
  fetch(n: number, limit: number): Promise<Fetched> {
    const ahead = Math.max(1, this.o.prefetch ?? 4);
    for (let k = n + 1; k < n + ahead && k <= limit; k++) {
      if (!this.prefetched.has(k)) {
        const f = this.fetchOne(k, true);
        f.fetched.catch(() => undefined); // observed when awaited
        this.prefetched.set(k, f);
      }
    }
    for (const k of this.prefetched.keys()) if (k < n) this.prefetched.delete(k);
    const f = this.prefetched.get(n) ?? this.fetchOne(n, false);
    this.prefetched.delete(n);
    if (f.how.later) {
      f.how.later = false;
      // still waiting in the queue: it is needed now
      if (!f.how.done) this.o.rpc.sendQueued();
    }
    return f.fetched;
  }

  /** Drop what was fetched ahead, and (given `from`) the node client's cache from that block on. */
  forget(from?: number): void {
    this.prefetched.clear();
    if (from !== undefined) this.o.rpc.invalidateFrom(from);
  }

  /**
   * The node failed a bot in the middle of block `n`: gives up (BlockUnavailableError) once the
   * block had its `maxBlockAttempts`, else forgets what was fetched ahead; the block is tried
   * again after `pause`.
   */
  blockFailed(n: number, err: unknown): void {
    this.retried = { block: n, attempts: this.retried.block === n ? this.retried.attempts + 1 : 1 };
    if (this.retried.attempts >= (this.o.maxBlockAttempts ?? Infinity)) {
      throw new BlockUnavailableError(n, `the node failed a bot ${this.retried.attempts} times: ${redact(errorMessage(err))}`);
    }
    this.o.log.warn({ block: n, attempt: this.retried.attempts, err: redact(errorMessage(err)) }, "node failed during the block; retrying it");
    this.prefetched.clear();
  }

  /** The pause before a block the node failed is tried again (`retries`: blocks retried so far in this run). */
  async pause(retries: number): Promise<void> {
    if (this.o.stopping()) throw new RuntimeStoppedError();
    await sleep(Math.min(10_000, 500 * 2 ** Math.min(4, retries % 8)));
  }

  /** `fn` (a request to the node) retried with backoff; `what` names it in the log. */
  async retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (isFatalError(err) || attempt >= (this.o.maxBlockAttempts ?? Infinity)) throw err;
        if (this.o.stopping()) throw new RuntimeStoppedError();
        const delay = Math.min(15_000, 250 * 2 ** Math.min(attempt, 6));
        this.o.log.warn({ what, attempt, delayMs: delay, err: redact(errorMessage(err)) }, "node request failed; retrying");
        await sleep(delay);
      }
    }
  }

  private fetchOne(n: number, later: boolean): Fetching {
    const how = { later, done: false };
    const fetched = (async () => {
      try {
        const block = await this.o.rpc.getBlock(n, how.later);
        if (!block) throw new BlockUnavailableError(n, "the node does not have it yet");
        const receipts = await this.o.rpc.getBlockReceipts(block, how.later);
        return { block, receipts };
      } finally {
        how.done = true;
      }
    })();
    return { fetched, how };
  }
}
