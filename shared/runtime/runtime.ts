/**
 * The runtime: feeds blocks to bots. This file is the loop (run a range, follow the head, one
 * block at a time); each step of a block's way is a module of its own (issue 14):
 *   block-source.ts  fetch, prefetch, retries          reorg.ts     parent-hash check, rewind
 *   bot-hosting.ts   start-up, restart, failures       executor.ts  run the handlers of one block
 *   store.ts         one transaction per block         delivery.ts  the outbox pump to the sinks
 *
 * Each block is fetched once (block with transactions + receipts), turned into forta-agent
 * events, run through every bot (shared/runtime/executor.ts), and committed to the store with
 * the bots' state and the cursor in one transaction; findings are then delivered to the sinks.
 *
 * - Restart: bots are created with the state stored after the last committed block, so a run
 *   killed at any point resumes exactly where it stopped (nothing skipped, nothing re-emitted).
 * - Reorgs: every block's parent hash is checked against the stored hash of its predecessor; on
 *   a mismatch the runtime walks back to the common ancestor, rewinds cursor, state and findings,
 *   emits a VIGIL-REORG-RETRACTION finding naming the orphaned uniqueKeys, and processes the new
 *   branch.
 * - Node failures: a block is retried (with backoff) until it can be processed; never skipped.
 * - A bot whose persistent state cannot be saved (not plain JSON) gets a VIGIL-BOT-ERROR for the
 *   block and goes on from its last saved state; the other bots' findings and state are committed
 *   as usual (see saveStates).
 * - A bot's own failures (it throws, times out, its state cannot be saved) are episodes per bot
 *   and handler kind (shared/runtime/failures.ts): opened, escalated, resolved when it succeeds
 *   again; their state is committed with the cursor as RUNTIME_BOT's state.
 */
import type { Finding } from "forta-agent";
import { VigilError } from "../errors";
import { findingToJson } from "../findings";
import { logger as rootLogger, type Logger } from "../log";
import { metrics } from "../metrics";
import { sleep } from "../net/retry";
import type { Env } from "../config";
import type { RawBlock, RpcClient } from "../rpc/client";
import { RUNTIME_BOT } from "./alerts";
import { BeaconFeed } from "./beacon-feed";
import { BlockSource, RuntimeStoppedError } from "./block-source";
import { BotHosting } from "./bot-hosting";
import { Delivery } from "./delivery";
import type { LoadedBot } from "./discovery";
import { buildEvents, type BlockEvents } from "./events";
import { Executor, type BlockRunResult } from "./executor";
import type { BotFailures } from "./failures";
import { exportObservations } from "./observations";
import { Reorgs } from "./reorg";
import type { FindingSink } from "./sinks";
import { RuntimeStore, type EmittedFinding } from "./store";

export { BlockUnavailableError, RuntimeStoppedError } from "./block-source";

export interface RuntimeOptions {
  rpc: RpcClient;
  bots: readonly LoadedBot[];
  env?: Env;
  /** default: an in-memory store (nothing survives the process) */
  store?: RuntimeStore;
  sinks?: readonly FindingSink[];
  /** per handler call (default 30 s) */
  handlerTimeoutMs?: number;
  /** follow mode: stay this many blocks behind the head (default 0) */
  confirmations?: number;
  /** follow mode: how often to ask for the head (default 2 s) */
  pollIntervalMs?: number;
  /** how many recent blocks keep hashes and bot state for reorgs (default 128) */
  keepBlocks?: number;
  /** how many blocks to fetch ahead in a range (default 4) */
  prefetch?: number;
  /** fail after this many attempts at one block instead of retrying forever (range/replay) */
  maxBlockAttempts?: number;
  log?: Logger;
  /** extra context fields for bots that understand them */
  extras?: Record<string, unknown>;
  /** filled with the configuration keys the bots read (record keeps their values) */
  envRead?: Set<string>;
  /**
   * a bot failing (throwing, timing out) for this many seconds of chain time escalates its
   * failure episode from High to Critical (default 1800)
   */
  failureEscalateSeconds?: number;
  /**
   * beacon node URLs whose SSE event streams feed the bots that take beacon events (in addition
   * to execution blocks); none: execution blocks only
   */
  beaconEventUrls?: readonly string[];
}

export class Runtime {
  chainId = 0;
  private stopping = false;
  private pendingExternal: { bot: string; f: Finding }[] = [];
  private executor: Executor;
  private readonly store: RuntimeStore;
  private readonly log: Logger;
  private readonly source: BlockSource;
  private readonly reorgs: Reorgs;
  private readonly bots: BotHosting;
  private readonly delivery: Delivery;
  private readonly beaconFeed: BeaconFeed | undefined;
  readonly stats = { blocks: 0, findings: 0, reorgs: 0, blockRetries: 0, lastBlock: -1 };
  /** the head as last polled in follow mode, and when */
  private head: { number: number; at: number } | undefined;
  /** follow mode: the next block to process */
  private followNext: number | undefined;

  constructor(private readonly opts: RuntimeOptions) {
    const { rpc } = opts;
    const handlerTimeoutMs = opts.handlerTimeoutMs ?? 30_000;
    const stopping = () => this.stopping;
    const chainId = () => this.chainId;
    this.store = opts.store ?? new RuntimeStore(":memory:");
    this.log = opts.log ?? rootLogger();
    this.executor = new Executor(0, handlerTimeoutMs, this.log, rpc);
    this.source = new BlockSource({ rpc, log: this.log, prefetch: opts.prefetch, maxBlockAttempts: opts.maxBlockAttempts, stopping });
    this.reorgs = new Reorgs({ rpc, store: this.store, source: this.source, log: this.log, chainId, keepBlocks: opts.keepBlocks ?? 128 });
    this.bots = new BotHosting({ ...opts, store: this.store, log: this.log, chainId, stopping, handlerTimeoutMs });
    this.delivery = new Delivery(this.store, opts.sinks ?? [], this.log, chainId);
    if (opts.beaconEventUrls?.length) {
      this.beaconFeed = new BeaconFeed({
        urls: opts.beaconEventUrls,
        log: this.log,
        handlerTimeoutMs,
        hosts: () => this.bots.current,
        emit: (bot, fs) => this.ingest(bot, fs),
        failed: (bot, err, timedOut) => this.storeAndDeliver(this.bots.eventFailed(bot, err, timedOut, this.lastCommitted())),
        succeeded: (bot) => (this.bots.eventFailing(bot) ? this.storeAndDeliver(this.bots.eventSucceeded(bot, this.lastCommitted())) : Promise.resolve()),
      });
    }
  }

  get rpc(): RpcClient {
    return this.opts.rpc;
  }

  /** Connect: learn the chain id and bind the store to this chain. */
  async open(): Promise<void> {
    const [chainId, genesis] = await this.source.retrying("eth_chainId", () =>
      Promise.all([this.rpc.chainId(), this.rpc.request<RawBlock | null>("eth_getBlockByNumber", ["0x0", false])]),
    );
    this.chainId = chainId;
    this.executor = new Executor(chainId, this.opts.handlerTimeoutMs ?? 30_000, this.log, this.rpc);
    this.store.bindChain(chainId, genesis?.hash ?? "unknown");
    this.delivery.register();
    await this.deliver();
  }

  /** Ask a running loop to finish the block at hand and return. */
  stop(): void {
    this.stopping = true;
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** The next block this runtime would process. */
  cursor(): number | undefined {
    return this.store.cursor();
  }

  /** Process blocks from..to inclusive (resuming inside the range if the store has a cursor there). */
  async runRange(from: number, to: number): Promise<void> {
    if (to < from) throw new VigilError("BAD_RANGE", `range ${from}..${to} is empty: the end must not be below the start`);
    const stored = this.store.cursor();
    let next = stored === undefined || stored < from || stored > to + 1 ? from : stored;
    if (next > from) this.log.info({ resumeAt: next, from, to }, "resuming range from the stored cursor");
    await this.untilStopped(async () => {
      while (next <= to && !this.stopping) next = await this.step(next, to);
    });
    await this.deliver();
  }

  /**
   * Follow the head, `confirmations` blocks behind it. Starts at the stored cursor, else at
   * `from`, else at the current head. Returns when stopped or when `until()` says so (checked
   * whenever the runtime has caught up).
   */
  async follow(opts: { from?: number; until?: (next: number, head: number) => boolean } = {}): Promise<void> {
    const confirmations = this.opts.confirmations ?? 0;
    await this.untilStopped(async () => {
      let next = this.store.cursor();
      let head = await this.pollHead();
      next ??= opts.from ?? Math.max(0, head - confirmations);
      this.followNext = next;
      this.log.info({ from: next, head, confirmations }, "following the chain");
      while (!this.stopping) {
        const target = head - confirmations;
        while (next <= target && !this.stopping) this.followNext = next = await this.step(next, target);
        if (this.stopping || opts.until?.(next, head)) break;
        await sleep(this.opts.pollIntervalMs ?? 2_000);
        head = await this.pollHead();
      }
    });
    await this.deliver();
  }

  /** Run only the transaction handlers for one transaction (like `forta-agent run --tx`). */
  async runTransaction(hash: string): Promise<void> {
    const receipt = await this.rpc.request<{ blockNumber?: string } | null>("eth_getTransactionReceipt", [hash]);
    if (!receipt?.blockNumber) throw new VigilError("TX_NOT_FOUND", `transaction ${hash} is not known to the node (not mined, or a different chain)`);
    const n = parseInt(receipt.blockNumber, 16);
    const fetched = await this.source.fetch(n, n);
    const hosts = await this.bots.ensure(n - 1);
    const events = buildEvents(this.chainId, fetched.block, fetched.receipts);
    const result = await this.executor.runBlock(hosts, events, { txHash: hash });
    if (result.fatalError) throw result.fatalError;
    if (result.infraError) throw result.infraError;
    const txFindings = [...result.findings, ...this.bots.failureFindings(result.outcomes, events.block.block)];
    this.stats.findings += this.store.insertFindings(txFindings);
    this.countFindings(txFindings, new Set());
    await this.deliver();
  }

  async close(): Promise<void> {
    await this.beaconFeed?.stop();
    await this.delivery.close();
    this.store.close();
  }

  // ---- one block ---------------------------------------------------------------------------

  /** Process block n; returns the next block to process (n+1, n again after a failure, or the fork point). */
  private async step(n: number, limit: number): Promise<number> {
    const { block, receipts } = await this.source.next(n, limit);
    if (this.reorgs.forks(n, block)) return this.rewind(n, block);
    const hosts = await this.bots.ensure(n - 1);
    const events = buildEvents(this.chainId, block, receipts);
    const result = await this.executor.runBlock(hosts, events);
    if (result.fatalError) throw result.fatalError;
    if (result.infraError) return this.retryBlock(n, result.infraError);
    await this.commit(n, block, events, result);
    await this.ingestPending();
    this.beaconFeed?.start();
    await this.deliver();
    return n + 1;
  }

  /** Block n forks from the stored chain: rewind to the common ancestor; returns the block after it. */
  private async rewind(n: number, tip: RawBlock): Promise<number> {
    this.stats.reorgs++;
    const next = await this.reorgs.rewind(n, tip);
    this.bots.rewind(); // restored with their state and failure episodes at the ancestor
    await this.deliver();
    return next;
  }

  /**
   * The node failed a bot mid-block: forget the half-run block (bots restart from the stored
   * state after n-1) and try again after a pause; returns n.
   */
  private async retryBlock(n: number, err: unknown): Promise<number> {
    this.stats.blockRetries++;
    this.source.blockFailed(n, err);
    this.bots.restart();
    await this.source.pause(this.stats.blockRetries);
    return n;
  }

  /** Block n's findings, the bots' state and the cursor, in one store transaction. */
  private async commit(n: number, block: RawBlock, events: BlockEvents, result: BlockRunResult): Promise<void> {
    const blk = events.block.block;
    const { states, outcomes: stateOutcomes, unsaved } = this.bots.saveStates(blk);
    const failureFindings = this.bots.failureFindings([...result.outcomes, ...stateOutcomes], blk);
    states.set(RUNTIME_BOT, this.bots.serializeFailures());
    const findings = [...this.bots.initFailureFindings(blk), ...result.findings, ...failureFindings];
    const observations = (this.bots.current ?? []).flatMap((h) => h.observations.drain());
    const { duplicates } = this.store.commitBlock({
      block: { number: n, hash: block.hash, parentHash: block.parentHash, timestamp: parseInt(block.timestamp, 16) },
      findings,
      states,
      next: n + 1,
      keepBlocks: this.opts.keepBlocks ?? 128,
      observations,
    });
    exportObservations(observations);
    // A bot whose state could not be saved goes on from its last saved state (see saveStates).
    for (const name of unsaved) await this.bots.recreate(name, n);
    if (duplicates.length) this.log.debug({ block: n, duplicates: duplicates.length }, "findings already emitted (same uniqueKey) were not emitted again");
    this.stats.blocks++;
    this.stats.findings += findings.length - duplicates.length;
    this.stats.lastBlock = n;
    this.countFindings(findings, new Set(duplicates));
    metrics.blocksProcessed.inc();
    metrics.lastBlock.set(n);
    metrics.lastBlockTime.set(Date.now() / 1000);
    if (this.head) metrics.headLag.set(Math.max(0, this.head.number - (this.opts.confirmations ?? 0) - n));
    this.log.debug({ block: n, txs: events.transactions.length, findings: findings.length }, "block processed");
  }

  // ---- findings from outside a block (beacon events) ----------------------------------------

  /**
   * Findings a bot produced outside a block (from a beacon event): stored under the last block
   * committed and delivered now. Before any block is committed they wait for the first one.
   */
  private async ingest(bot: string, findings: Finding[]): Promise<void> {
    const at = this.lastCommitted();
    if (!at) {
      this.pendingExternal.push(...findings.map((f) => ({ bot, f })));
      return;
    }
    const emitted = findings.map((f) => ({ bot, chainId: this.chainId, blockNumber: at.number, blockHash: at.hash, finding: findingToJson(f) }));
    this.store.insertFindings(emitted);
    this.countFindings(emitted, new Set());
    this.stats.findings += findings.length;
    await this.deliver();
  }

  private async ingestPending(): Promise<void> {
    if (!this.pendingExternal.length) return;
    const pending = this.pendingExternal;
    this.pendingExternal = [];
    for (const p of pending) await this.ingest(p.bot, [p.f]);
  }

  /** Findings of the bots' failure episodes on beacon events (stored under the last committed block). */
  private async storeAndDeliver(fs: EmittedFinding[]): Promise<void> {
    if (fs.length === 0) return;
    this.store.insertFindings(fs);
    await this.deliver();
  }

  private lastCommitted(): { number: number; hash: string; timestamp: number } | undefined {
    const next = this.store.cursor();
    return next === undefined ? undefined : this.store.block(next - 1);
  }

  // ---- helpers and what the runtime tells its callers --------------------------------------

  /** Deliver every stored finding each sink has not yet received. */
  async deliver(): Promise<void> {
    await this.delivery.pump();
  }

  /** Runs `fn`; the runtime being stopped while it waits on the node ends it quietly. */
  private async untilStopped(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof RuntimeStoppedError)) throw err;
    }
  }

  private async pollHead(): Promise<number> {
    const head = await this.source.retrying("eth_blockNumber", () => this.rpc.blockNumber());
    this.head = { number: head, at: Date.now() };
    metrics.headBlock.set(head);
    return head;
  }

  private countFindings(findings: readonly EmittedFinding[], skip: ReadonlySet<string>): void {
    for (const f of findings) if (!skip.has(f.finding.uniqueKey)) metrics.findings.inc({ bot: f.bot, severity: String(f.finding.severity) });
  }

  /**
   * Whether the runtime follows the chain as it should: it has heard the head from the node
   * within `maxSilenceMs`, and is at most `maxLagBlocks` behind it (less the confirmations).
   */
  health(o: { maxLagBlocks: number; maxSilenceMs: number }): { healthy: boolean; reason: string; head?: number; lastBlock?: number; lagBlocks?: number } {
    const last = this.stats.lastBlock >= 0 ? this.stats.lastBlock : undefined;
    if (this.stopping) return { healthy: false, reason: "stopping", lastBlock: last };
    if (!this.head || this.followNext === undefined) return { healthy: false, reason: "starting: no head from the node yet", lastBlock: last };
    const silentMs = Date.now() - this.head.at;
    const target = this.head.number - (this.opts.confirmations ?? 0);
    const next = this.followNext;
    const lag = Math.max(0, target - (next - 1));
    const base = { head: this.head.number, lastBlock: last, lagBlocks: lag };
    if (silentMs > o.maxSilenceMs) return { healthy: false, reason: `no head from the node for ${Math.round(silentMs / 1000)} s (limit ${Math.round(o.maxSilenceMs / 1000)} s)`, ...base };
    if (lag > o.maxLagBlocks) return { healthy: false, reason: `${lag} blocks behind the head (limit ${o.maxLagBlocks})`, ...base };
    return { healthy: true, reason: "following", ...base };
  }

  /** Sinks still owed findings (after close: what the last delivery attempt could not deliver), with the last error. */
  undelivered(): { sink: string; findings: number; error?: string }[] {
    return this.delivery.undelivered();
  }

  /** How many of the requested bots run, failed to initialize, or are disabled by their configuration. */
  botStatus(): { requested: number; running: number; failed: number; disabled: number } {
    return this.bots.status();
  }

  /** Open failure episodes by "bot|kind" (tests, health). */
  get openFailures(): ReturnType<BotFailures["open"]> {
    return this.bots.openFailures();
  }

  /** events and findings that came through the beacon event streams (zeros when off) */
  get beaconStats(): { events: number; findings: number; failures: number } {
    return this.beaconFeed?.stats ?? { events: 0, findings: 0, failures: 0 };
  }

  /** Every finding in the store (tests, replay). */
  findings(): EmittedFinding[] {
    return this.store.allFindings().map(({ seq: _s, ...f }) => f);
  }
}
