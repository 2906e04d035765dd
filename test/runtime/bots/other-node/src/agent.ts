/** A test bot that also reads a second node of its own (like an L2), which may be down. */
import type { Agent, BotContext } from "../../../../../shared/bot";
import { RpcClient } from "../../../../../shared/rpc/client";
import { HttpTransport } from "../../../../../shared/rpc/transport";

export function createAgent(ctx: BotContext): Agent {
  const other = new RpcClient(new HttpTransport({ urls: [ctx.env.OTHER_NODE_URL ?? "http://127.0.0.1:59998"], timeoutMs: 200, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 } }));
  return {
    async handleBlock(e) {
      if (e.blockNumber % 5 === 0) await other.blockNumber();
      return [];
    },
  };
}
