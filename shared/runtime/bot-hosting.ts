/**
 * Bot hosting (issue 14: one door per step): the bots as the runtime holds them, from start-up to
 * restart, and their failures.
 *
 * - Start-up: each bot is created with the state stored after the last committed block, then
 *   `initialize` runs with the handler time limit; the runtime's own node failing during it is
 *   retried (executor.ts: NodeWatch), a bot's own failure leaves it skipped, reported once
 *   (VIGIL-BOT-INIT-FAILED) and tried again every 100 blocks. A bot disabled by its configuration
 *   (BotDisabledError) is said once and never retried.
 * - Restart: `restart()` forgets every bot (a block the node failed; `rewind()`, after a reorg,
 *   also the failure episodes); the next `ensure(at)` re-creates them from the state stored at
 *   `at`. A bot whose state cannot be saved is re-created alone from its last saved state.
 * - Failures: the bots' failure episodes (failures.ts), restored with the bots' state and
 *   committed with the cursor as RUNTIME_BOT's state.
 */
import { BotDisabledError } from "../bot";
import type { Env } from "../config";
import { VigilError, errorMessage } from "../errors";
import { createFinding, findingToJson } from "../findings";
import type { Logger } from "../log";
import { metrics } from "../metrics";
import { sleep } from "../net/retry";
import { redact } from "../net/secrets";
import type { RpcClient } from "../rpc/client";
import { RUNTIME_ALERTS, RUNTIME_BOT } from "./alerts";
import { RuntimeStoppedError } from "./block-source";
import type { LoadedBot } from "./discovery";
import { HandlerTimeoutError, NodeFailedHandlerError, NodeWatch, STATE_HANDLER, isFatalError, isInfrastructureError, withTimeout, type HandlerOutcome } from "./executor";
import { BotFailures, handlerKind } from "./failures";
import { BotHost, trackingEnv } from "./host";
import type { EmittedFinding, RuntimeStore } from "./store";

type BlockRef = { number: number; hash: string; timestamp: number };

export interface BotHostingOptions {
  bots: readonly LoadedBot[];
  rpc: RpcClient;
  store: RuntimeStore;
  log: Logger;
  /** the chain's id (known once the runtime is open) */
  chainId(): number;
  /** whether the runtime was asked to stop (a retried initialize then ends) */
  stopping(): boolean;
  env?: Env;
  envRead?: Set<string>;
  extras?: Record<string, unknown>;
  handlerTimeoutMs: number;
  maxBlockAttempts?: number;
  failureEscalateSeconds?: number;
}

export class BotHosting {
  private hosts: BotHost[] | undefined;
  /** the bots' failure episodes; restored from the store at start and after a reorg */
  private failures: BotFailures | undefined;
  private readonly disabledLogged = new Set<string>();

  constructor(private readonly o: BotHostingOptions) {}

  /** The bots as they are now (undefined between a reset and the next `ensure`). */
  get current(): readonly BotHost[] | undefined {
    return this.hosts;
  }

  /** Make sure the bots exist with their state as of block `at` (after it was processed); returns them. */
  async ensure(at: number): Promise<readonly BotHost[]> {
    if (!this.failures) this.restoreFailures(at);
    if (!this.hosts) {
      const snapshots = this.o.store.statesAt(at);
      const hosts: BotHost[] = [];
      for (const bot of this.o.bots) hosts.push(await this.createHost(bot, at, snapshots.get(bot.name)));
      this.hosts = hosts;
      return hosts;
    }
    // Bots that failed to start get another chance every 100 blocks.
    for (let i = 0; i < this.hosts.length; i++) {
      const h = this.hosts[i]!;
      if (h.agent || at + 1 < h.nextInitRetry) continue;
      const bot = this.o.bots.find((b) => b.name === h.name)!;
      const again = await this.createHost(bot, at, this.o.store.statesAt(at).get(bot.name));
      if (again.agent) this.o.log.info({ bot: h.name, block: at + 1 }, "bot initialized after earlier failure");
      again.initReported = h.initReported;
      this.hosts[i] = again;
    }
    return this.hosts;
  }

  /** Forget every bot (a block the node failed): the next `ensure(at)` re-creates them from the state stored at `at`. */
  restart(): void {
    this.hosts = undefined;
  }

  /** Forget every bot and the failure episodes (a reorg): the next `ensure(at)` restores both as stored at `at`. */
  rewind(): void {
    this.hosts = undefined;
    this.failures = undefined;
  }

  /** Re-create one bot with its state as stored after block `at` (its last saved state). */
  async recreate(name: string, at: number): Promise<void> {
    const i = this.hosts?.findIndex((h) => h.name === name) ?? -1;
    if (!this.hosts || i < 0) return;
    const bot = this.o.bots.find((b) => b.name === name)!;
    const again = await this.createHost(bot, at, this.o.store.statesAt(at).get(name));
    again.initReported = this.hosts[i]!.initReported;
    this.hosts[i] = again;
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
  saveStates(blk: BlockRef): { states: Map<string, string>; outcomes: HandlerOutcome[]; unsaved: string[] } {
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

  /** VIGIL-BOT-INIT-FAILED for each bot that could not initialize and was not reported yet. */
  initFailureFindings(blk: BlockRef): EmittedFinding[] {
    const out: EmittedFinding[] = [];
    const chainId = this.o.chainId();
    for (const h of this.hosts ?? []) {
      if (h.agent || h.initReported || h.initError === undefined) continue;
      h.initReported = true;
      const message = redact(errorMessage(h.initError));
      const f = createFinding(RUNTIME_ALERTS.botInitFailed, {
        description: `${h.name} could not initialize at block ${blk.number}: ${message}; it is skipped until it can (retried every 100 blocks)`,
        key: [chainId, blk.hash, h.name, "init"],
        block: blk,
        metadata: { bot: h.name, blockNumber: blk.number, error: message.slice(0, 500) },
      });
      out.push({ bot: RUNTIME_BOT, chainId, blockNumber: blk.number, blockHash: blk.hash, finding: findingToJson(f) });
    }
    return out;
  }

  /**
   * The failure episodes' findings for a committed block: per bot and handler kind, a failure if
   * any call of that kind failed in the block (the first one), else a success.
   */
  failureFindings(outcomes: readonly HandlerOutcome[], blk: BlockRef): EmittedFinding[] {
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

  /** The failure episodes' state, committed with the cursor as RUNTIME_BOT's. */
  serializeFailures(): string {
    return this.failures!.serialize();
  }

  /**
   * A bot failed on a beacon event, stored under block `at` (the last committed): its "event"
   * failure episode's findings (none before the episodes are restored: the failure is logged).
   */
  eventFailed(bot: string, err: unknown, timedOut: boolean, at: BlockRef | undefined): EmittedFinding[] {
    if (!at || !this.failures) {
      this.o.log.error({ bot, err: redact(errorMessage(err)) }, "bot failed on a beacon event");
      return [];
    }
    const error = timedOut ? new HandlerTimeoutError(bot, "handleBeaconEvent", this.o.handlerTimeoutMs) : err;
    metrics.botErrors.inc({ bot, handler: "handleBeaconEvent" });
    return this.failures.failed({ bot, handler: "handleBeaconEvent", block: at, err: error, timedOut });
  }

  /** Whether a bot's "event" failure episode is open (so a success would resolve it). */
  eventFailing(bot: string): boolean {
    return this.failures?.isOpen(bot, "handleBeaconEvent") ?? false;
  }

  /** A bot handled a beacon event: resolves its "event" failure episode, if one is open. */
  eventSucceeded(bot: string, at: BlockRef | undefined): EmittedFinding[] {
    if (!at || !this.failures) return [];
    return this.failures.succeeded(bot, "handleBeaconEvent", at);
  }

  /** Open failure episodes by "bot|kind" (tests, health). */
  openFailures(): ReturnType<BotFailures["open"]> {
    return this.failures?.open() ?? {};
  }

  /** How many of the requested bots run, failed to initialize, or are disabled by their configuration. */
  status(): { requested: number; running: number; failed: number; disabled: number } {
    const hosts = this.hosts ?? [];
    const failed = hosts.filter((h) => !h.agent && h.initError !== undefined).length;
    const running = hosts.filter((h) => h.agent).length;
    return { requested: this.o.bots.length, running, failed, disabled: hosts.length - running - failed };
  }

  /** The failure episodes as of block `at` (start, reorg). */
  private restoreFailures(at: number): void {
    this.failures = new BotFailures(this.o.chainId(), this.o.log, this.o.failureEscalateSeconds, this.o.store.statesAt(at).get(RUNTIME_BOT));
  }

  private async createHost(bot: LoadedBot, at: number, snapshot: string | undefined): Promise<BotHost> {
    const env = this.o.env ?? process.env;
    const opts = { rpc: this.o.rpc, env: this.o.envRead ? trackingEnv(env, this.o.envRead) : env, log: this.o.log, extras: this.o.extras };
    let host: BotHost;
    try {
      host = BotHost.create(bot, opts, Math.max(0, at), snapshot);
      this.o.store.setBotDisabled(bot.name, undefined);
    } catch (err) {
      if (err instanceof BotDisabledError) {
        if (!this.disabledLogged.has(bot.name)) this.o.log.warn({ bot: bot.name }, err.message);
        this.disabledLogged.add(bot.name);
        this.o.store.setBotDisabled(bot.name, err.message);
        const off = this.failedHost(bot, at, undefined);
        off.nextInitRetry = Infinity;
        return off;
      }
      if (isFatalError(err)) throw err;
      return this.failedHost(bot, at, err);
    }
    const init = host.agent?.initialize;
    if (!init) return host;
    const rpc = this.o.rpc;
    for (let attempt = 1; ; attempt++) {
      // as for handlers (executor.ts): initialize failing or running out of time because the
      // runtime's own node failed or stalled is the node's fault, and is retried
      const watch = new NodeWatch(rpc, host.rpcSlot);
      try {
        const ms = this.o.handlerTimeoutMs;
        await withTimeout(
          watch.run(async () => init()),
          ms,
          () => new VigilError("INIT_TIMEOUT", `bot ${bot.name}: initialize did not finish within ${ms} ms`),
        );
        return host;
      } catch (caught) {
        if (isFatalError(caught)) throw caught;
        const trouble = isInfrastructureError(caught, rpc) ? undefined : watch.trouble();
        const err = trouble ? new NodeFailedHandlerError(rpc, bot.name, "initialize", caught, trouble) : caught;
        if (isInfrastructureError(err, rpc) && this.o.stopping()) throw new RuntimeStoppedError();
        if (isInfrastructureError(err, rpc) && attempt < (this.o.maxBlockAttempts ?? Infinity)) {
          this.o.log.warn({ bot: bot.name, attempt, err: redact(errorMessage(err)) }, "node failed during initialize; retrying");
          await sleep(Math.min(10_000, 500 * 2 ** Math.min(attempt, 4)));
          continue;
        }
        return this.failedHost(bot, at, err);
      }
    }
  }

  private failedHost(bot: LoadedBot, at: number, err: unknown): BotHost {
    if (err !== undefined) metrics.botErrors.inc({ bot: bot.name, handler: "initialize" });
    if (err !== undefined) this.o.log.error({ bot: bot.name, err: redact(errorMessage(err)) }, "bot could not initialize; skipping it");
    const h = BotHost.create({ ...bot, module: { createAgent: () => ({}) } }, { rpc: this.o.rpc, env: {}, log: this.o.log }, Math.max(0, at));
    h.agent = undefined;
    h.initError = err;
    h.nextInitRetry = at + 1 + 100;
    return h;
  }
}
