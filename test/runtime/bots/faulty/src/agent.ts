/** A test bot that misbehaves on purpose: throws at blocks divisible by 4, hangs at block 6. */
import type { Agent, BotContext } from "../../../../../shared/bot";

export function createAgent(ctx: BotContext): Agent {
  const hangAt = Number(ctx.env.FAULTY_HANG_AT ?? "6");
  return {
    async handleBlock(e) {
      if (e.blockNumber % 4 === 0) throw new Error(`deliberate failure at ${e.blockNumber}`);
      if (e.blockNumber === hangAt) await new Promise(() => undefined);
      return [];
    },
  };
}
