/**
 * Runs bots over one block: for each bot, its block handler then its transaction handlers in
 * chain order; all bots concurrently (so their RPC reads share batches and the per-block cache).
 * Each handler call has a time limit; a bot that throws or times out yields a finding of its
 * own and a log line, and the other bots go on. Infrastructure failures (the node unreachable)
 * are not the bot's fault: they abort the block so the runtime can retry it without losing it.
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { ConfigError, VigilError, errorMessage } from "../errors";
import { createFinding, findingToJson } from "../findings";
import type { Logger } from "../log";
import { AllEndpointsFailedError, TransientError } from "../net/retry";
import { redact } from "../net/secrets";
import { RUNTIME_ALERTS, RUNTIME_BOT } from "./alerts";
import type { BotHost } from "./host";
import type { BlockEvents } from "./events";
import type { EmittedFinding } from "./store";
import type { RpcClient } from "../rpc/client";

/** The `handler` named in a VIGIL-BOT-ERROR when a bot's persistent state could not be saved. */
export const STATE_HANDLER = "persistent state";

export class HandlerTimeoutError extends VigilError {
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
  for (let e: unknown = err, i = 0; e && i < 8; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof AllEndpointsFailedError || e instanceof TransientError) {
      const from = (e as { rpcClient?: unknown }).rpcClient;
      return rpc === undefined || from === rpc;
    }
  }
  return false;
}

/** Errors that must stop the run: bad configuration, a replay fixture lacking an answer. */
export function isFatalError(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 8; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof ConfigError) return true;
    if (e instanceof VigilError && e.code === "FIXTURE_MISS") return true;
  }
  return false;
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

export interface BlockRunResult {
  findings: EmittedFinding[];
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
  ) {}

  async runBlock(hosts: readonly BotHost[], events: BlockEvents, only?: { txHash: string }): Promise<BlockRunResult> {
    const perBot = await Promise.all(hosts.map((h) => this.runBot(h, events, only)));
    const out: BlockRunResult = { findings: [] };
    for (const r of perBot) {
      out.findings.push(...r.findings);
      out.infraError ??= r.infraError;
      out.fatalError ??= r.fatalError;
    }
    return out;
  }

  private async runBot(host: BotHost, events: BlockEvents, only?: { txHash: string }): Promise<BlockRunResult> {
    const findings: EmittedFinding[] = [];
    const agent = host.agent;
    if (!agent) return { findings };
    const blk = events.block.block;
    const emit = (fs: Finding[] | undefined, txHash?: string) => {
      if (!Array.isArray(fs)) return;
      for (const f of fs) {
        findings.push({ bot: host.name, chainId: this.chainId, blockNumber: blk.number, blockHash: blk.hash, txHash, finding: findingToJson(f) });
      }
    };
    const calls: { handler: "handleBlock" | "handleTransaction"; event: BlockEvent | TransactionEvent; txHash?: string }[] = [];
    if (agent.handleBlock && !only) calls.push({ handler: "handleBlock", event: events.block });
    if (agent.handleTransaction) {
      for (const tx of events.transactions) {
        if (only && tx.hash.toLowerCase() !== only.txHash.toLowerCase()) continue;
        calls.push({ handler: "handleTransaction", event: tx, txHash: tx.hash });
      }
    }
    for (const c of calls) {
      try {
        const fn = c.handler === "handleBlock" ? agent.handleBlock! : agent.handleTransaction!;
        const result = await withTimeout(
          (fn as (e: unknown) => Promise<Finding[]>)(c.event),
          this.handlerTimeoutMs,
          () => new HandlerTimeoutError(host.name, c.handler, this.handlerTimeoutMs),
        );
        emit(result, c.txHash);
      } catch (err) {
        if (isFatalError(err)) return { findings, fatalError: err };
        if (isInfrastructureError(err, this.rpc)) return { findings, infraError: err };
        findings.push(this.failureFinding(host.name, c.handler, events.block.block, err, c.txHash));
      }
    }
    return { findings };
  }

  failureFinding(bot: string, handler: string, blk: { number: number; hash: string; timestamp: number }, err: unknown, txHash?: string): EmittedFinding {
    const timeout = err instanceof HandlerTimeoutError;
    const state = handler === STATE_HANDLER;
    const message = redact(errorMessage(err));
    this.log.error({ bot, handler, block: blk.number, tx: txHash, err: message }, timeout ? "bot handler timed out" : state ? "bot state could not be saved" : "bot handler failed");
    const f = createFinding(timeout ? RUNTIME_ALERTS.botTimeout : RUNTIME_ALERTS.botError, {
      description: `${bot}: ${handler} ${timeout ? "timed out" : state ? "could not be saved" : "threw"} at block ${blk.number}${txHash ? ` (tx ${txHash})` : ""}: ${message}`,
      key: [this.chainId, blk.hash, bot, handler, txHash ?? ""],
      block: { number: blk.number, hash: blk.hash, timestamp: blk.timestamp },
      metadata: { bot, handler, blockNumber: blk.number, txHash: txHash ?? "", error: message.slice(0, 500) },
    });
    return { bot: RUNTIME_BOT, chainId: this.chainId, blockNumber: blk.number, blockHash: blk.hash, txHash, finding: findingToJson(f) };
  }
}
