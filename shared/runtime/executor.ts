/**
 * Runs bots over one block: for each bot, its block handler then its transaction handlers in
 * chain order; all bots concurrently (so their RPC reads share batches and the per-block cache).
 * Each handler call has a time limit; a bot that throws or times out yields a finding of its
 * own and a log line, and the other bots go on (a failure episode per bot and handler kind:
 * shared/runtime/failures.ts; the executor reports each call's outcome, the runtime turns the
 * outcomes of a committed block into episode findings). Infrastructure failures (the node unreachable)
 * are not the bot's fault: they abort the block so the runtime can retry it without losing it.
 *
 * A handler that times out or throws is also the node's fault, not the bot's, when the
 * runtime's own node is why: the time limit expired while the handler was waiting on that node
 * (it stalls, or the transport is still retrying or honouring a long Retry-After), or a request
 * of the handler to that node had failed (after the transport's retries) and the bot threw
 * something of its own. Those also abort the block for a retry, so the node failing or stalling
 * never costs a finding. A bot slow on its own (CPU, or waiting on anything else) still gets
 * VIGIL-BOT-TIMEOUT. The price: a bot that asks the node for more than it can answer within the
 * time limit holds its block back (retried forever when following; a range gives up after
 * maxBlockAttempts naming the block, the bot and the methods it was waiting for).
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { VigilError, errorMessage, hasCode, walk } from "../errors";
import { findingToJson } from "../findings";
import type { Logger } from "../log";
import { AllEndpointsFailedError, TransientError } from "../net/retry";
import type { BotHost } from "./host";
import type { BlockEvents } from "./events";
import { interestBefore, interestCheckFromEnv, interestMismatch, InterestMismatchError, type InterestBefore } from "./interest-check";
import type { EmittedFinding } from "./store";
import type { ObserverSlot, RequestObserver, RpcClient } from "../rpc/client";
import { metrics } from "../metrics";

export { STATE_HANDLER } from "./failures";

export class HandlerTimeoutError extends VigilError<"HANDLER_TIMEOUT"> {
  constructor(bot: string, handler: string, ms: number) {
    super("HANDLER_TIMEOUT", `bot ${bot}: ${handler} did not finish within ${ms} ms`);
  }
}

/**
 * The runtime's own node failed (after its retries and fallbacks): retry the block later, do not
 * blame the bot. Errors of a bot's other connections (an L2 node, a beacon node) are the bot's to
 * handle and are reported as bot errors, so one unreachable service cannot stall every bot.
 */
export function isInfrastructureError(err: unknown, rpc?: RpcClient): boolean {
  if (err instanceof NodeFailedHandlerError) return rpc === undefined || err.rpcClient === rpc;
  const e = walk(err, (c) => c instanceof AllEndpointsFailedError || c instanceof TransientError);
  if (e === undefined) return false;
  const from = (e as { rpcClient?: unknown }).rpcClient;
  return rpc === undefined || from === rpc;
}

/** A handler failed or ran out of time because the runtime's own node did (see NodeWatch). */
export class NodeFailedHandlerError extends VigilError<"NODE_FAILED_HANDLER"> {
  constructor(
    readonly rpcClient: RpcClient | undefined,
    bot: string,
    handler: string,
    err: unknown,
    trouble: string,
  ) {
    const timedOut = err instanceof VigilError && (err.code === "HANDLER_TIMEOUT" || err.code === "INIT_TIMEOUT");
    const what = timedOut ? errorMessage(err) : `bot ${bot}: ${handler} threw (${errorMessage(err)})`;
    super("NODE_FAILED_HANDLER", `${what} ${trouble}`, { cause: err });
  }
}

/**
 * What one handler call asks of the runtime's own node: the requests still outstanding, and
 * the last infrastructure failure (the node unreachable or refusing after the retries) one of
 * them met. Requests to other clients (a bot's L2 or beacon node) are not the runtime's concern.
 */
export class NodeWatch implements RequestObserver {
  /** made on the first request: most handler calls ask the node nothing (the block's reads are cached) */
  private outstanding: Map<string, number> | undefined;
  private failure: unknown;
  private failed = false;

  constructor(
    private readonly rpc: RpcClient | undefined,
    /** the bot's view of the runtime's client reports here (BotHost.rpcSlot) */
    private readonly slot: ObserverSlot,
  ) {}

  started(client: RpcClient, method: string): void {
    if (client !== this.rpc) return;
    const outstanding = (this.outstanding ??= new Map());
    outstanding.set(method, (outstanding.get(method) ?? 0) + 1);
  }

  settled(client: RpcClient, method: string, failed: boolean, error?: unknown): void {
    if (client !== this.rpc) return;
    const outstanding = this.outstanding;
    if (outstanding) {
      const n = (outstanding.get(method) ?? 1) - 1;
      if (n > 0) outstanding.set(method, n);
      else outstanding.delete(method);
    }
    if (failed && isInfrastructureError(error, this.rpc)) {
      this.failed = true;
      this.failure = error;
    }
  }

  /** Run `fn`, watching the requests the bot makes through its view of the client until `fn` settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.slot.current = this;
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /**
   * Watch the requests of `handler(event)` (called here, unbound, as `run` would) until the
   * promise it returns settles: `run` without a closure per call (the executor's hot path).
   * A handler that throws synchronously gives a rejected promise, as an async function would.
   */
  call<E, T>(handler: (event: E) => T | Promise<T>, event: E): Promise<T> {
    this.slot.current = this;
    let p: Promise<T>;
    try {
      p = Promise.resolve(handler(event));
    } catch (err) {
      p = Promise.reject(err);
    }
    // anonymous closures: tsx (esbuild keepNames) names every named one with a defineProperty per call
    p.then(
      () => this.release(),
      () => this.release(),
    );
    return p;
  }

  /** the handler call settled: stop watching (unless a later call already took the slot) */
  private release(): void {
    if (this.slot.current === this) this.slot.current = undefined;
  }

  /** Why the node, not the bot, is to blame for a handler that failed or timed out; undefined if it is not. */
  trouble(): string | undefined {
    if (this.outstanding && this.outstanding.size > 0) {
      const methods = [...this.outstanding].map(([m, n]) => (n > 1 ? `${m} x${n}` : m)).join(", ");
      return `while waiting on the node for ${methods}`;
    }
    if (this.failed) return `after the node failed one of its requests: ${errorMessage(this.failure)}`;
    return undefined;
  }
}

/** Errors that must stop the run: bad configuration, a replay fixture lacking an answer. */
export function isFatalError(err: unknown): boolean {
  return hasCode(err, "CONFIG", "FIXTURE_MISS") !== undefined;
}

export async function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * The time limit of a bot's handler calls over one block, run one after another: one timer for
 * the bot and block instead of a timer (and a Promise.race) per call, ~1,200 calls a block. The
 * timer, when it fires, fails the call in progress if that call has run `ms`, else waits for
 * the rest of its time; it is dropped while no call runs.
 */
export class CallClock {
  private startedAt = 0;
  private current: { reject: (err: Error) => void; onTimeout: () => Error } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  /** `startedAt`: performance.now() when the call began (the caller's, so the clock reads it once) */
  run<T>(call: Promise<T>, onTimeout: () => Error, startedAt = performance.now()): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const me = { reject, onTimeout };
      this.current = me;
      this.startedAt = startedAt;
      this.timer ??= setTimeout(this.check, this.ms);
      call.then(
        (v) => {
          if (this.current === me) this.current = undefined;
          resolve(v);
        },
        (e: unknown) => {
          if (this.current === me) this.current = undefined;
          reject(e);
        },
      );
    });
  }

  /** drop the timer (the bot's calls for this block are over) */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.current = undefined;
  }

  private readonly check = (): void => {
    this.timer = undefined;
    const c = this.current;
    if (!c) return;
    const left = this.startedAt + this.ms - performance.now();
    if (left > 0) {
      this.timer = setTimeout(this.check, Math.ceil(left));
      return;
    }
    this.current = undefined;
    c.reject(c.onTimeout());
  };
}

/** How one handler call ended (a bot's own failure; node failures abort the block instead). */
export type HandlerOutcome =
  | { bot: string; handler: string; ok: true }
  | { bot: string; handler: string; ok: false; err: unknown; timedOut: boolean; txHash?: string };

export interface BlockRunResult {
  findings: EmittedFinding[];
  /**
   * the handler calls' outcomes in call order per bot (the runtime's failure episodes): every
   * failure, and the first success of each handler kind
   */
  outcomes: HandlerOutcome[];
  /** set when the block must be retried: the node failed, not a bot */
  infraError?: unknown;
  /** set when the run must stop */
  fatalError?: unknown;
}

export class Executor {
  constructor(
    private readonly chainId: number,
    private readonly handlerTimeoutMs: number,
    private readonly log: Logger,
    /** the runtime's own client: only its failures make a block be retried */
    private readonly rpc?: RpcClient,
    /** run the handlers a bot's wantsTransaction declined anyway, and stop if one acted (interest-check.ts) */
    private readonly checkInterest = interestCheckFromEnv(),
  ) {}

  async runBlock(hosts: readonly BotHost[], events: BlockEvents, only?: { txHash: string }): Promise<BlockRunResult> {
    const perBot = await Promise.all(hosts.map((h) => this.runBot(h, events, only)));
    const out: BlockRunResult = { findings: [], outcomes: [] };
    for (const r of perBot) {
      out.findings.push(...r.findings);
      out.outcomes.push(...r.outcomes);
      out.infraError ??= r.infraError;
      out.fatalError ??= r.fatalError;
    }
    return out;
  }

  private async runBot(host: BotHost, events: BlockEvents, only?: { txHash: string }): Promise<BlockRunResult> {
    const findings: EmittedFinding[] = [];
    const outcomes: HandlerOutcome[] = [];
    const agent = host.agent;
    if (!agent) return { findings, outcomes };
    const blk = events.block.block;
    const clock = new CallClock(this.handlerTimeoutMs);
    const ms = this.handlerTimeoutMs;
    const timeouts = { handleBlock: () => new HandlerTimeoutError(host.name, "handleBlock", ms), handleTransaction: () => new HandlerTimeoutError(host.name, "handleTransaction", ms) };
    // the histogram's children looked up once per bot and block; an observation only adds to their counters (shared/metrics.ts)
    const seconds = { handleBlock: metrics.handlerSeconds.labels(host.name, "handleBlock"), handleTransaction: metrics.handlerSeconds.labels(host.name, "handleTransaction") };
    const txs = events.transactions;
    const wanted = only?.txHash.toLowerCase();
    // the bot's declared interest (shared/interest.ts): a declined transaction costs one predicate call, no handler call
    const wants = agent.wantsTransaction ? (tx: TransactionEvent) => this.wants(host, agent.wantsTransaction!, tx) : undefined;
    // i = -1: the block handler; then each transaction in chain order (one loop, no list of calls built per bot and block)
    const end = agent.handleTransaction ? txs.length : 0;
    // a success is recorded once per handler kind (the first), every failure in full: the failure
    // episodes (bot-hosting.ts failureFindings) only ask whether a kind failed in the block, and
    // which call first; 2,000 "ok" outcomes a block told them nothing more
    let blockOk = false;
    let txOk = false;
    // check mode: the state as the last checked (declined) call left it, until a call that was wanted
    let unchanged: InterestBefore | undefined;
    try {
      for (let i = agent.handleBlock && !only ? -1 : 0; i < end; i++) {
        const tx = i < 0 ? undefined : txs[i]!;
        if (tx && wanted !== undefined && tx.hash.toLowerCase() !== wanted) continue;
        let skipped: InterestBefore | undefined;
        if (tx && wants && !wants(tx)) {
          // a declined call counts as the success it would have been (a failure episode resolves in a block it has no interest in)
          if (!txOk) {
            outcomes.push({ bot: host.name, handler: "handleTransaction", ok: true });
            txOk = true;
          }
          if (!this.checkInterest) continue;
          skipped = unchanged ?? interestBefore(host);
        }
        unchanged = undefined;
        const handler = tx ? "handleTransaction" : "handleBlock";
        const fn = (tx ? agent.handleTransaction : agent.handleBlock) as (e: unknown) => Promise<Finding[]>;
        const txHash = tx?.hash;
        const watch = new NodeWatch(this.rpc, host.rpcSlot);
        const t0 = performance.now();
        try {
          const result = await clock.run(watch.call(fn, tx ?? events.block), timeouts[handler], t0);
          seconds[handler].observe((performance.now() - t0) / 1000);
          const mismatch = skipped && interestMismatch(host, tx!, result, skipped);
          if (mismatch) return { findings, outcomes, fatalError: mismatch };
          unchanged = skipped; // a checked call left the state as it found it: the next check starts from it
          if (Array.isArray(result)) {
            for (const f of result) findings.push({ bot: host.name, chainId: this.chainId, blockNumber: blk.number, blockHash: blk.hash, txHash, finding: findingToJson(f) });
          }
          if (tx ? !txOk : !blockOk) {
            outcomes.push({ bot: host.name, handler, ok: true });
            if (tx) txOk = true;
            else blockOk = true;
          }
        } catch (err) {
          seconds[handler].observe((performance.now() - t0) / 1000);
          if (isFatalError(err)) return { findings, outcomes, fatalError: err };
          if (isInfrastructureError(err, this.rpc)) return { findings, outcomes, infraError: err };
          const trouble = watch.trouble();
          if (trouble) return { findings, outcomes, infraError: new NodeFailedHandlerError(this.rpc, host.name, handler, err, trouble) };
          if (skipped) return { findings, outcomes, fatalError: new InterestMismatchError(host.name, txHash!, `threw (${errorMessage(err)})`) };
          metrics.botErrors.inc({ bot: host.name, handler });
          outcomes.push({ bot: host.name, handler, ok: false, err, timedOut: err instanceof HandlerTimeoutError, txHash });
        }
      }
    } finally {
      clock.stop();
    }
    return { findings, outcomes };
  }

  /** The bot's `wantsTransaction(tx)`; one that throws is a bot defect: logged, and the handler runs (nothing skipped on a guess). */
  private wants(host: BotHost, want: (tx: TransactionEvent) => boolean, tx: TransactionEvent): boolean {
    try {
      return want.call(host.agent, tx) !== false;
    } catch (err) {
      this.log.error({ bot: host.name, tx: tx.hash, err: errorMessage(err) }, "wantsTransaction threw; its handler runs: fix the bot's declaration");
      return true;
    }
  }
}
