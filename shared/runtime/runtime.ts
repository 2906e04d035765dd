/**
 * The runtime: feeds blocks to bots.
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
import { VigilError, errorMessage } from "../errors";
import { createFinding, findingToJson } from "../findings";
import { logger as rootLogger, type Logger } from "../log";
import { sleep } from "../net/retry";
import { redact } from "../net/secrets";
import type { Env } from "../config";
import type { RawBlock, RawReceipt } from "../rpc/client";
import { RpcClient, toTag } from "../rpc/client";
import { RUNTIME_ALERTS, RUNTIME_BOT } from "./alerts";
import type { LoadedBot } from "./discovery";
import { buildEvents } from "./events";
import { Executor, HandlerTimeoutError, NodeFailedHandlerError, NodeWatch, STATE_HANDLER, isFatalError, isInfrastructureError, withTimeout, type HandlerOutcome } from "./executor";
import { BotFailures, handlerKind } from "./failures";
import { BeaconFeed } from "./beacon-feed";
import type { Finding } from "forta-agent";
import { BotHost, trackingEnv } from "./host";
import { BotDisabledError } from "../bot";
import type { FindingSink } from "./sinks";
import { RuntimeStore, type EmittedFinding } from "./store";
import { exportObservations } from "./observations";
import { metrics } from "../metrics";

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

interface Fetched {
  block: RawBlock;
  receipts: RawReceipt[];
}

/** The runtime was asked to stop while waiting on the node. */
export class RuntimeStoppedError extends VigilError {
  constructor() {
    super("RUNTIME_STOPPED", "the runtime was stopped");
  }
}

export class BlockUnavailableError extends VigilError {
  constructor(n: number, why: string) {
    super("BLOCK_UNAVAILABLE", `block ${n} could not be processed: ${why}`);
  }
}

export class Runtime {
  chainId = 0;
  private hosts: BotHost[] | undefined;
  private stopping = false;
  /** failed attempts at the block being retried after a node failure inside a bot */
  private retried = { block: -1, attempts: 0 };
  private prefetched = new Map<number, Promise<Fetched>>();
  private readonly disabledLogged = new Set<string>();
  private pendingExternal: { bot: string; f: Finding }[] = [];
  private executor: Executor;
  /** the bots' failure episodes; restored from the store at start and after a reorg */
  private failures: BotFailures | undefined;
  private readonly store: RuntimeStore;
  private readonly log: Logger;
  private readonly sinks: readonly FindingSink[];
  readonly stats = { blocks: 0, findings: 0, reorgs: 0, blockRetries: 0, lastBlock: -1 };
  private readonly beaconFeed: BeaconFeed | undefined;
  /** the last delivery error of each sink that is behind */
  private readonly sinkErrors = new Map<string, string>();
  /** counted at close, before the store is closed */
  private readonly undeliveredCounts = new Map<string, number>();
  /** the head as last polled in follow mode, and when */
  private head: { number: number; at: number } | undefined;
  /** follow mode: the next block to process */
  private followNext: number | undefined;

  constructor(private readonly opts: RuntimeOptions) {
    this.store = opts.store ?? new RuntimeStore(":memory:");
    this.log = opts.log ?? rootLogger();
    this.sinks = opts.sinks ?? [];
    this.executor = new Executor(0, opts.handlerTimeoutMs ?? 30_000, this.log, opts.rpc);
    if (opts.beaconEventUrls?.length) {
      this.beaconFeed = new BeaconFeed({
        urls: opts.beaconEventUrls,
        log: this.log,
        handlerTimeoutMs: opts.handlerTimeoutMs ?? 30_000,
        hosts: () => this.hosts,
        emit: (bot, fs) => this.ingest(bot, fs),
        failed: (bot, err, timedOut) => this.ingestFailure(bot, err, timedOut),
        succeeded: (bot) => this.ingestSuccess(bot),
      });
    }
  }

  /**
   * Findings a bot produced outside a block (from a beacon event): stored under the last block
   * committed and delivered now. Before any block is committed they wait for the first one.
   */
  private async ingest(bot: string, findings: Finding[]): Promise<void> {
    const next = this.store.cursor();
    const at = next === undefined ? undefined : this.store.block(next - 1);
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

  /**
   * A bot failed on a beacon event: its "event" failure episode (opened once, stored under the
   * last committed block like the event's findings; committed state follows with the next block).
   */
  private async ingestFailure(bot: string, err: unknown, timedOut: boolean): Promise<void> {
    const next = this.store.cursor();
    const at = next === undefined ? undefined : this.store.block(next - 1);
    if (!at || !this.failures) return void this.log.error({ bot, err: redact(errorMessage(err)) }, "bot failed on a beacon event");
    const error = timedOut ? new HandlerTimeoutError(bot, "handleBeaconEvent", this.opts.handlerTimeoutMs ?? 30_000) : err;
    metrics.botErrors.inc({ bot, handler: "handleBeaconEvent" });
    const fs = this.failures.failed({ bot, handler: "handleBeaconEvent", block: at, err: error, timedOut });
    if (fs.length === 0) return;
    this.store.insertFindings(fs);
    await this.deliver();
  }

  /** A bot handled a beacon event: resolves its "event" failure episode, if one is open. */
  private async ingestSuccess(bot: string): Promise<void> {
    if (!this.failures?.isOpen(bot, "handleBeaconEvent")) return;
    const next = this.store.cursor();
    const at = next === undefined ? undefined : this.store.block(next - 1);
    if (!at || !this.failures) return;
    const fs = this.failures.succeeded(bot, "handleBeaconEvent", at);
    if (fs.length === 0) return;
    this.store.insertFindings(fs);
    await this.deliver();
  }

  /**
   * The failure episodes' findings for a committed block: per bot and handler kind, a failure if
   * any call of that kind failed in the block (the first one), else a success.
   */
  private failureFindings(outcomes: readonly HandlerOutcome[], blk: { number: number; hash: string; timestamp: number }): EmittedFinding[] {
    const failures = this.failures!;
    const byKind = new Map<string, HandlerOutcome>();
    for (const o of outcomes) {
      const k = `${o.bot}|${handlerKind(o.handler)}`;
      const had = byKind.get(k);
      if (!had || (had.ok && !o.ok)) byKind.set(k, o);
    }
    const out: EmittedFinding[] = [];
    for (const o of byKind.values()) {
      out.push(...(o.ok ? failures.succeeded(o.bot, o.handler, blk) : failures.failed({ bot: o.bot, handler: o.handler, block: blk, err: o.err, timedOut: o.timedOut, txHash: o.txHash })));
    }
    return out;
  }

  /** The failure episodes as of block `at` (start, reorg). */
  private restoreFailures(at: number): void {
    this.failures = new BotFailures(this.chainId, this.log, this.opts.failureEscalateSeconds, this.store.statesAt(at).get(RUNTIME_BOT));
  }

  /** Open failure episodes by "bot|kind" (tests, health). */
  get openFailures(): ReturnType<BotFailures["open"]> {
    return this.failures?.open() ?? {};
  }

  /** events and findings that came through the beacon event streams (zeros when off) */
  get beaconStats(): { events: number; findings: number; failures: number } {
    return this.beaconFeed?.stats ?? { events: 0, findings: 0, failures: 0 };
  }

  get rpc(): RpcClient {
    return this.opts.rpc;
  }

  /** Connect: learn the chain id and bind the store to this chain. */
  async open(): Promise<void> {
    const [chainId, genesis] = await this.retrying("eth_chainId", () =>
      Promise.all([this.rpc.chainId(), this.rpc.request<RawBlock | null>("eth_getBlockByNumber", ["0x0", false])]),
    );
    this.chainId = chainId;
    this.executor = new Executor(chainId, this.opts.handlerTimeoutMs ?? 30_000, this.log, this.rpc);
    this.store.bindChain(chainId, genesis?.hash ?? "unknown");
    for (const s of this.sinks) this.store.registerSink(s.name, false);
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
    let next = this.store.cursor();
    if (next === undefined || next < from || next > to + 1) next = from;
    else if (next > from) this.log.info({ resumeAt: next, from, to }, "resuming range from the stored cursor");
    try {
      while (next <= to && !this.stopping) next = await this.step(next, to);
    } catch (err) {
      if (!(err instanceof RuntimeStoppedError)) throw err;
    }
    await this.deliver();
  }

  /**
   * Follow the head, `confirmations` blocks behind it. Starts at the stored cursor, else at
   * `from`, else at the current head. Returns when stopped or when `until()` says so (checked
   * whenever the runtime has caught up).
   */
  async follow(opts: { from?: number; until?: (next: number, head: number) => boolean } = {}): Promise<void> {
    const confirmations = this.opts.confirmations ?? 0;
    try {
      let next = this.store.cursor();
      let head = this.observeHead(await this.retrying("eth_blockNumber", () => this.rpc.blockNumber()));
      next ??= opts.from ?? Math.max(0, head - confirmations);
      this.followNext = next;
      this.log.info({ from: next, head, confirmations }, "following the chain");
      while (!this.stopping) {
        const target = head - confirmations;
        while (next <= target && !this.stopping) this.followNext = next = await this.step(next, target);
        if (this.stopping || opts.until?.(next, head)) break;
        await sleep(this.opts.pollIntervalMs ?? 2_000);
        head = this.observeHead(await this.retrying("eth_blockNumber", () => this.rpc.blockNumber()));
      }
    } catch (err) {
      if (!(err instanceof RuntimeStoppedError)) throw err;
    }
    await this.deliver();
  }

  /** Run only the transaction handlers for one transaction (like `forta-agent run --tx`). */
  async runTransaction(hash: string): Promise<void> {
    const receipt = await this.rpc.request<{ blockNumber?: string } | null>("eth_getTransactionReceipt", [hash]);
    if (!receipt?.blockNumber) throw new VigilError("TX_NOT_FOUND", `transaction ${hash} is not known to the node (not mined, or a different chain)`);
    const n = parseInt(receipt.blockNumber, 16);
    const fetched = await this.fetch(n, n);
    await this.ensureHosts(n - 1);
    const events = buildEvents(this.chainId, fetched.block, fetched.receipts);
    const result = await this.executor.runBlock(this.hosts!, events, { txHash: hash });
    if (result.fatalError) throw result.fatalError;
    if (result.infraError) throw result.infraError;
    const blk = events.block.block;
    const txFindings = [...result.findings, ...this.failureFindings(result.outcomes, { number: blk.number, hash: blk.hash, timestamp: blk.timestamp })];
    this.stats.findings += this.store.insertFindings(txFindings);
    this.countFindings(txFindings, new Set());
    await this.deliver();
  }

  async close(): Promise<void> {
    await this.beaconFeed?.stop();
    await this.deliver();
    for (const s of this.sinks) await s.close?.();
    for (const s of this.sinks) this.undeliveredCounts.set(s.name, this.store.undeliveredCount(s.name));
    this.store.close();
  }

  // ---- one block ---------------------------------------------------------------------------

  /** Process block n; returns the next block to process (n+1, n again after a failure, or the fork point). */
  private async step(n: number, limit: number): Promise<number> {
    const fetched = await this.fetchRetrying(n, limit);
    const prev = this.store.block(n - 1);
    if (prev && prev.hash.toLowerCase() !== fetched.block.parentHash.toLowerCase()) return this.handleReorg(n, fetched.block);

    await this.ensureHosts(n - 1);
    const events = buildEvents(this.chainId, fetched.block, fetched.receipts);
    const result = await this.executor.runBlock(this.hosts!, events);
    if (result.fatalError) throw result.fatalError;
    if (result.infraError) {
      // The node failed a bot mid-block: forget the half-run block (bots restart from the stored
      // state after n-1) and try again after a pause.
      this.stats.blockRetries++;
      this.retried = { block: n, attempts: this.retried.block === n ? this.retried.attempts + 1 : 1 };
      if (this.retried.attempts >= (this.opts.maxBlockAttempts ?? Infinity)) {
        throw new BlockUnavailableError(n, `the node failed a bot ${this.retried.attempts} times: ${redact(errorMessage(result.infraError))}`);
      }
      this.log.warn({ block: n, attempt: this.retried.attempts, err: redact(errorMessage(result.infraError)) }, "node failed during the block; retrying it");
      this.hosts = undefined;
      this.prefetched.clear();
      if (this.stopping) throw new RuntimeStoppedError();
      await sleep(Math.min(10_000, 500 * 2 ** Math.min(4, this.stats.blockRetries % 8)));
      return n;
    }
    const { states, outcomes: stateOutcomes, unsaved } = this.saveStates(events.block.block);
    const failureFindings = this.failureFindings([...result.outcomes, ...stateOutcomes], events.block.block);
    states.set(RUNTIME_BOT, this.failures!.serialize());
    const findings = [...this.initFailureFindings(events.block.block), ...result.findings, ...failureFindings];
    const observations = this.hosts!.flatMap((h) => h.observations.drain());
    const { duplicates } = this.store.commitBlock({
      block: { number: n, hash: fetched.block.hash, parentHash: fetched.block.parentHash, timestamp: parseInt(fetched.block.timestamp, 16) },
      findings,
      states,
      next: n + 1,
      keepBlocks: this.opts.keepBlocks ?? 128,
      observations,
    });
    exportObservations(observations);
    // A bot whose state could not be saved goes on from its last saved state (see saveStates).
    for (const name of unsaved) await this.recreateHost(name, n);
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
    if (this.pendingExternal.length) {
      const pending = this.pendingExternal;
      this.pendingExternal = [];
      for (const p of pending) await this.ingest(p.bot, [p.f]);
    }
    this.beaconFeed?.start();
    await this.deliver();
    return n + 1;
  }

  /**
   * The bots' persistent state after a block, as JSON to commit with it. A bot whose state cannot
   * be serialised (a bigint, a Map, a cycle...) does not stop the others: its failure is a
   * VIGIL-BOT-ERROR finding (handler "persistent state") and a log line, its findings of the
   * block are kept, and its state is not saved for this block. It then goes on from its last
   * saved state: the runtime re-creates it from the store after the block is committed, exactly
   * as a restart would, so a run that goes on and a run restarted from the state file behave the
   * same. What the bot changed in its state during that block is lost (it may report again what
   * it reported there; same uniqueKeys are not emitted twice).
   */
  private saveStates(blk: { number: number; hash: string; timestamp: number }): { states: Map<string, string>; outcomes: HandlerOutcome[]; unsaved: string[] } {
    const states = new Map<string, string>();
    const outcomes: HandlerOutcome[] = [];
    const unsaved: string[] = [];
    for (const h of this.hosts ?? []) {
      if (!h.agent) continue;
      try {
        states.set(h.name, h.state.serialize());
        outcomes.push({ bot: h.name, handler: STATE_HANDLER, ok: true });
      } catch (err) {
        if (isFatalError(err)) throw err;
        const why = new VigilError(
          "BAD_STATE",
          `${errorMessage(err)} (the state after block ${blk.number} was not saved; the bot goes on from its last saved state)`,
          { cause: err },
        );
        outcomes.push({ bot: h.name, handler: STATE_HANDLER, ok: false, err: why, timedOut: false });
        unsaved.push(h.name);
      }
    }
    return { states, outcomes, unsaved };
  }

  /** Re-create one bot with its state as stored after block `at` (its last saved state). */
  private async recreateHost(name: string, at: number): Promise<void> {
    const i = this.hosts?.findIndex((h) => h.name === name) ?? -1;
    if (!this.hosts || i < 0) return;
    const bot = this.opts.bots.find((b) => b.name === name)!;
    const again = await this.createHost(bot, at, this.store.statesAt(at).get(name));
    again.initReported = this.hosts[i]!.initReported;
    this.hosts[i] = again;
  }

  private initFailureFindings(blk: { number: number; hash: string; timestamp: number }): EmittedFinding[] {
    const out: EmittedFinding[] = [];
    for (const h of this.hosts ?? []) {
      if (h.agent || h.initReported || h.initError === undefined) continue;
      h.initReported = true;
      const message = redact(errorMessage(h.initError));
      const f = createFinding(RUNTIME_ALERTS.botInitFailed, {
        description: `${h.name} could not initialize at block ${blk.number}: ${message}; it is skipped until it can (retried every 100 blocks)`,
        key: [this.chainId, blk.hash, h.name, "init"],
        block: blk,
        metadata: { bot: h.name, blockNumber: blk.number, error: message.slice(0, 500) },
      });
      out.push({ bot: RUNTIME_BOT, chainId: this.chainId, blockNumber: blk.number, blockHash: blk.hash, finding: findingToJson(f) });
    }
    return out;
  }

  // ---- bots --------------------------------------------------------------------------------

  /** Make sure the bots exist with their state as of block `at` (after it was processed). */
  private async ensureHosts(at: number): Promise<void> {
    if (!this.failures) this.restoreFailures(at);
    if (!this.hosts) {
      const snapshots = this.store.statesAt(at);
      const hosts: BotHost[] = [];
      for (const bot of this.opts.bots) hosts.push(await this.createHost(bot, at, snapshots.get(bot.name)));
      this.hosts = hosts;
      return;
    }
    // Bots that failed to start get another chance every 100 blocks.
    for (let i = 0; i < this.hosts.length; i++) {
      const h = this.hosts[i]!;
      if (h.agent || at + 1 < h.nextInitRetry) continue;
      const bot = this.opts.bots.find((b) => b.name === h.name)!;
      const again = await this.createHost(bot, at, this.store.statesAt(at).get(bot.name));
      if (again.agent) this.log.info({ bot: h.name, block: at + 1 }, "bot initialized after earlier failure");
      again.initReported = h.initReported;
      this.hosts[i] = again;
    }
  }

  private async createHost(bot: LoadedBot, at: number, snapshot: string | undefined): Promise<BotHost> {
    const env = this.opts.env ?? process.env;
    const opts = { rpc: this.rpc, env: this.opts.envRead ? trackingEnv(env, this.opts.envRead) : env, log: this.log, extras: this.opts.extras };
    let host: BotHost;
    try {
      host = BotHost.create(bot, opts, Math.max(0, at), snapshot);
      this.store.setBotDisabled(bot.name, undefined);
    } catch (err) {
      if (err instanceof BotDisabledError) {
        if (!this.disabledLogged.has(bot.name)) this.log.warn({ bot: bot.name }, err.message);
        this.disabledLogged.add(bot.name);
        this.store.setBotDisabled(bot.name, err.message);
        const off = this.failedHost(bot, at, undefined);
        off.nextInitRetry = Infinity;
        return off;
      }
      if (isFatalError(err)) throw err;
      return this.failedHost(bot, at, err);
    }
    const init = host.agent?.initialize;
    if (!init) return host;
    for (let attempt = 1; ; attempt++) {
      // as for handlers (executor.ts): initialize failing or running out of time because the
      // runtime's own node failed or stalled is the node's fault, and is retried
      const watch = new NodeWatch(this.rpc, host.rpcSlot);
      try {
        const ms = this.opts.handlerTimeoutMs ?? 30_000;
        await withTimeout(
          watch.run(async () => init()),
          ms,
          () => new VigilError("INIT_TIMEOUT", `bot ${bot.name}: initialize did not finish within ${ms} ms`),
        );
        return host;
      } catch (caught) {
        if (isFatalError(caught)) throw caught;
        const trouble = isInfrastructureError(caught, this.rpc) ? undefined : watch.trouble();
        const err = trouble ? new NodeFailedHandlerError(this.rpc, bot.name, "initialize", caught, trouble) : caught;
        if (isInfrastructureError(err, this.rpc) && this.stopping) throw new RuntimeStoppedError();
        if (isInfrastructureError(err, this.rpc) && attempt < (this.opts.maxBlockAttempts ?? Infinity)) {
          this.log.warn({ bot: bot.name, attempt, err: redact(errorMessage(err)) }, "node failed during initialize; retrying");
          await sleep(Math.min(10_000, 500 * 2 ** Math.min(attempt, 4)));
          continue;
        }
        return this.failedHost(bot, at, err);
      }
    }
  }

  private failedHost(bot: LoadedBot, at: number, err: unknown): BotHost {
    if (err !== undefined) metrics.botErrors.inc({ bot: bot.name, handler: "initialize" });
    if (err !== undefined) this.log.error({ bot: bot.name, err: redact(errorMessage(err)) }, "bot could not initialize; skipping it");
    const h = BotHost.create({ ...bot, module: { createAgent: () => ({}) } }, { rpc: this.rpc, env: {}, log: this.log }, Math.max(0, at));
    h.agent = undefined;
    h.initError = err;
    h.nextInitRetry = at + 1 + 100;
    return h;
  }

  // ---- reorgs ------------------------------------------------------------------------------

  private async handleReorg(n: number, tip: RawBlock): Promise<number> {
    this.stats.reorgs++;
    metrics.reorgs.inc();
    this.prefetched.clear();
    const oldest = this.store.oldestBlock() ?? n - 1;
    this.rpc.invalidateFrom(oldest);
    let ancestor = n - 1;
    const orphanedBlocks: string[] = [];
    while (ancestor >= oldest) {
      const stored = this.store.block(ancestor);
      if (!stored) break;
      const onChain = await this.retrying(`eth_getBlockByNumber(${ancestor})`, () =>
        this.rpc.request<{ hash: string } | null>("eth_getBlockByNumber", [toTag(ancestor), false]),
      );
      if (onChain && onChain.hash.toLowerCase() === stored.hash.toLowerCase()) break;
      orphanedBlocks.push(stored.hash);
      ancestor--;
    }
    if (ancestor < oldest) {
      this.log.error({ block: n, kept: this.opts.keepBlocks ?? 128 }, "reorg deeper than the kept history: rewinding to the oldest kept block");
    }
    const ancestorRow = this.store.block(ancestor);
    const retracted = this.store.rewind(ancestor, tip.hash);
    this.rpc.invalidateFrom(ancestor + 1);
    this.hosts = undefined;
    this.failures = undefined; // rewound with the bots' state (restored at the ancestor)
    const depth = n - 1 - ancestor;
    this.log.warn({ at: n, ancestor, depth, retracted: retracted.length }, "chain reorganisation: rewound to the common ancestor");
    const timestamp = parseInt(tip.timestamp, 16);
    const keys = retracted.map((f) => f.finding.uniqueKey);
    const f = createFinding(RUNTIME_ALERTS.reorg, {
      description: `Reorg of depth ${depth} at block ${n}: ${orphanedBlocks.length} block(s) orphaned above ${ancestor}; ${keys.length} finding(s) retracted`,
      key: [this.chainId, "reorg", ancestorRow?.hash ?? ancestor, tip.hash],
      block: { number: n, hash: tip.hash, timestamp },
      metadata: {
        depth,
        ancestorNumber: ancestor,
        ancestorHash: ancestorRow?.hash ?? "",
        orphanedBlocks: JSON.stringify(orphanedBlocks),
        newBlockHash: tip.hash,
        retractedCount: keys.length,
        retractedKeys: JSON.stringify(keys),
      },
    });
    this.store.insertFindings([
      { bot: RUNTIME_BOT, chainId: this.chainId, blockNumber: ancestor, blockHash: ancestorRow?.hash ?? "", finding: findingToJson(f) },
    ]);
    await this.deliver();
    return ancestor + 1;
  }

  // ---- fetching ----------------------------------------------------------------------------

  private fetch(n: number, limit: number): Promise<Fetched> {
    const ahead = Math.max(1, this.opts.prefetch ?? 4);
    for (let k = n; k < n + ahead && k <= limit; k++) {
      if (!this.prefetched.has(k)) {
        const p = this.fetchOne(k);
        p.catch(() => undefined); // observed when awaited
        this.prefetched.set(k, p);
      }
    }
    for (const k of this.prefetched.keys()) if (k < n) this.prefetched.delete(k);
    const p = this.prefetched.get(n) ?? this.fetchOne(n);
    this.prefetched.delete(n);
    return p;
  }

  private async fetchOne(n: number): Promise<Fetched> {
    const block = await this.rpc.getBlock(n);
    if (!block) throw new BlockUnavailableError(n, "the node does not have it yet");
    const receipts = await this.rpc.getBlockReceipts(block);
    return { block, receipts };
  }

  private async fetchRetrying(n: number, limit: number): Promise<Fetched> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fetch(n, limit);
      } catch (err) {
        if (isFatalError(err)) throw err;
        if (this.stopping) throw new RuntimeStoppedError();
        this.prefetched.clear();
        this.rpc.invalidateFrom(n);
        if (attempt >= (this.opts.maxBlockAttempts ?? Infinity)) {
          throw new BlockUnavailableError(n, `${redact(errorMessage(err))} (after ${attempt} attempts)`);
        }
        const delay = Math.min(15_000, 250 * 2 ** Math.min(attempt, 6));
        this.log.warn({ block: n, attempt, delayMs: delay, err: redact(errorMessage(err)) }, "could not fetch the block; retrying");
        await sleep(delay);
      }
    }
  }

  private async retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (isFatalError(err) || attempt >= (this.opts.maxBlockAttempts ?? Infinity)) throw err;
        if (this.stopping) throw new RuntimeStoppedError();
        const delay = Math.min(15_000, 250 * 2 ** Math.min(attempt, 6));
        this.log.warn({ what, attempt, delayMs: delay, err: redact(errorMessage(err)) }, "node request failed; retrying");
        await sleep(delay);
      }
    }
  }

  // ---- delivery ----------------------------------------------------------------------------

  /** Deliver every stored finding each sink has not yet received. */
  async deliver(): Promise<void> {
    for (const sink of this.sinks) {
      for (;;) {
        const rows = this.store.undelivered(sink.name);
        if (rows.length === 0) break;
        try {
          await sink.deliver(rows);
        } catch (err) {
          this.sinkErrors.set(sink.name, redact(errorMessage(err)));
          metrics.sinkDeliveryFailures.inc({ sink: sink.name });
          this.log.warn({ sink: sink.name, err: redact(errorMessage(err)) }, "sink failed; will retry with the next block");
          break;
        }
        this.sinkErrors.delete(sink.name);
        this.store.markDelivered(sink.name, rows[rows.length - 1]!.seq);
        metrics.sinkDelivered.inc({ sink: sink.name }, rows.length);
      }
      metrics.sinkQueueDepth.set({ sink: sink.name }, this.store.undeliveredCount(sink.name));
    }
  }

  private observeHead(head: number): number {
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
    return this.sinks
      .map((s) => ({ sink: s.name, findings: this.undeliveredCounts.get(s.name) ?? this.store.undeliveredCount(s.name), error: this.sinkErrors.get(s.name) }))
      .filter((u) => u.findings > 0);
  }

  /** How many of the requested bots run, failed to initialize, or are disabled by their configuration. */
  botStatus(): { requested: number; running: number; failed: number; disabled: number } {
    const hosts = this.hosts ?? [];
    const failed = hosts.filter((h) => !h.agent && h.initError !== undefined).length;
    const running = hosts.filter((h) => h.agent).length;
    return { requested: this.opts.bots.length, running, failed, disabled: hosts.length - running - failed };
  }

  /** Every finding in the store (tests, replay). */
  findings(): EmittedFinding[] {
    return this.store.allFindings().map(({ seq: _s, ...f }) => f);
  }
}
