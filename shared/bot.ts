/**
 * What a bot gets from whoever runs it, and what it gives back.
 *
 * A bot's `src/agent.ts` exports:
 *   - `createAgent(ctx: BotContext): Agent`: used by our runtime and by tests, which pass a
 *     context with a shared RPC client (batched, cached per block), persistent state and config;
 *   - `default`: the same agent for the real `forta-agent` CLI, built lazily from
 *     `fortaContext(...)` (RPC URL from forta.config.json / the scan node, config from env).
 */
import type { BlockEvent, Finding, HandleBlock, HandleTransaction, Initialize, TransactionEvent } from "forta-agent";
import { getJsonRpcUrl } from "forta-agent";
import type { Env } from "./config";
import { VigilError } from "./errors";
import { logger, type Logger } from "./log";
import { RpcClient } from "./rpc/client";
import { HttpTransport } from "./rpc/transport";

export type BlockTag = number | "latest";

export interface BotContext {
  /** the bot's folder name, e.g. "maker-emergency" */
  readonly name: string;
  /** JSON-RPC to the chain being watched; read state at the block being handled */
  readonly rpc: RpcClient;
  /** configuration source (process.env with .env loaded, or a test's own) */
  readonly env: Env;
  readonly log: Logger;
  /** the block at which `initialize` should read chain state */
  readonly initBlock: BlockTag;
  /**
   * State carried from block to block. Returns the object to mutate in place; the runtime
   * checkpoints it (JSON) with its cursor after every block, restores it after a restart and
   * rewinds it on a reorg. Under the Forta CLI it is plain memory. Call in createAgent.
   */
  persistent<T extends object>(name: string, init: () => T): T;
  /**
   * Report a number a finding is judged on (participation, an OSM's price, an ilk's debt...), so
   * the dashboard can draw the curve and not only the moment it crossed a threshold. Our runtime
   * stores it with the block being handled (shared/runtime/observations.ts); under the Forta CLI
   * it is absent, so bots call it as `ctx.observe?.(name, value, labels)`. `value`: a number or
   * an exact decimal string (charted as a float, never compared); `labels`: what it is about
   * (ilk, osm, ...); `epoch` for beacon-chain values.
   */
  observe?(name: string, value: number | string, labels?: Record<string, string>, epoch?: number): void;
}

export interface Agent {
  initialize?: Initialize;
  handleBlock?: HandleBlock;
  handleTransaction?: HandleTransaction;
  /**
   * Our runtime only: false when `handleTransaction(tx)` would return no finding, change no
   * persistent state and make no chain read that matters, so the call is skipped. Synchronous and
   * cheap (Set lookups): asked once per transaction. See shared/interest.ts (`touching`).
   */
  wantsTransaction?(tx: TransactionEvent): boolean;
}

export type { BlockEvent, TransactionEvent, Finding };

/** Context for running under the real forta-agent CLI (or a Forta scan node). */
export function fortaContext(name: string): BotContext {
  return {
    name,
    rpc: new RpcClient(new HttpTransport({ urls: [getJsonRpcUrl()] })),
    env: process.env,
    log: logger().child({ bot: name }),
    initBlock: "latest",
    persistent: (_n, init) => init(),
  };
}

/**
 * The default export of a bot: an Agent whose context is built on first use, so importing the
 * module (as our runtime does) creates no RPC connection. It carries no `wantsTransaction`:
 * the forta-agent CLI never asks, and our runtime uses `createAgent`.
 */
export function lazyAgent(make: () => Agent): Required<Omit<Agent, "wantsTransaction">> {
  let agent: Agent | undefined;
  const get = () => (agent ??= make());
  return {
    initialize: async () => get().initialize?.(),
    handleBlock: async (e: BlockEvent) => (get().handleBlock ? get().handleBlock!(e) : []),
    handleTransaction: async (e: TransactionEvent) => (get().handleTransaction ? get().handleTransaction!(e) : []),
  };
}

/** A block reference from a Forta block or transaction event. */
export function blockRefOf(e: BlockEvent | TransactionEvent): { number: number; hash: string; timestamp: number } {
  return { number: e.block.number, hash: e.block.hash, timestamp: e.block.timestamp };
}

/**
 * Thrown by createAgent when a bot does not apply to this run (e.g. a consensus bot without
 * BEACON_API_URL): the runtime skips the bot with a warning instead of reporting a failure.
 */
export class BotDisabledError extends VigilError<"BOT_DISABLED"> {
  constructor(bot: string, why: string) {
    super("BOT_DISABLED", `bot ${bot} is off: ${why}`);
  }
}
