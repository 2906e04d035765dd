/**
 * One bot as the runtime holds it: the agent created with its context and restored state, and
 * whether `initialize` succeeded.
 */
import type { Agent, BotContext } from "../bot";
import type { Env } from "../config";
import type { Logger } from "../log";
import type { ObserverSlot, RpcClient } from "../rpc/client";
import type { LoadedBot } from "./discovery";
import { ObservationBuffer } from "./observations";
import { BotState } from "./state";

export interface HostOptions {
  rpc: RpcClient;
  env: Env;
  log: Logger;
  /** extra context fields some bots understand (e.g. beacon feeds) */
  extras?: Record<string, unknown>;
}

/** An env view that remembers which keys were read (so a recording can keep the bot config). */
export function trackingEnv(env: Env, read: Set<string>): Env {
  return new Proxy(env as Record<string, string | undefined>, {
    get(target, key) {
      if (typeof key === "string") read.add(key);
      return target[key as string];
    },
  });
}

export class BotHost {
  agent: Agent | undefined;
  initError: unknown;
  initReported = false;
  nextInitRetry = 0;
  /** what the bot reported through ctx.observe since the last block commit */
  observations!: ObservationBuffer;

  private constructor(
    readonly name: string,
    readonly state: BotState,
    readonly ctx: BotContext,
    /** the handler call running, told of the requests the bot makes through `ctx.rpc` (NodeWatch) */
    readonly rpcSlot: ObserverSlot,
  ) {}

  /** Create the agent; the caller runs `initialize`. Throws what createAgent throws (e.g. ConfigError). */
  static create(bot: LoadedBot, opts: HostOptions, initBlock: number, snapshot?: string): BotHost {
    const state = new BotState(bot.name, snapshot);
    const observations = new ObservationBuffer(bot.name, opts.log);
    const rpcSlot: ObserverSlot = { current: undefined };
    const ctx: BotContext = {
      ...(opts.extras ?? {}),
      name: bot.name,
      rpc: opts.rpc.viewFor(rpcSlot),
      env: opts.env,
      log: opts.log.child({ bot: bot.name }),
      initBlock,
      persistent: (name, init) => state.persistent(name, init),
      observe: observations.observe,
    };
    const host = new BotHost(bot.name, state, ctx, rpcSlot);
    host.observations = observations;
    host.agent = bot.module.createAgent ? bot.module.createAgent(ctx) : bot.module.default;
    return host;
  }
}
