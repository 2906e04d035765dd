/**
 * A test bot that misbehaves on purpose: throws at blocks divisible by 4, hangs at block 6
 * (FAULTY_HANG_AT); with FAULTY_FAIL_FROM..FAULTY_FAIL_TO it throws at every block of that range
 * instead (a lasting failure) and nowhere else.
 */
import type { Agent, BotContext } from "../../../../../shared/bot";

export function createAgent(ctx: BotContext): Agent {
  const hangAt = Number(ctx.env.FAULTY_HANG_AT ?? "6");
  const from = ctx.env.FAULTY_FAIL_FROM === undefined ? undefined : Number(ctx.env.FAULTY_FAIL_FROM);
  const to = Number(ctx.env.FAULTY_FAIL_TO ?? Infinity);
  return {
    async handleBlock(e) {
      if (from !== undefined) {
        if (e.blockNumber >= from && e.blockNumber <= to) throw new Error(`deliberate lasting failure at ${e.blockNumber}`);
        return [];
      }
      if (e.blockNumber % 4 === 0) throw new Error(`deliberate failure at ${e.blockNumber}`);
      if (e.blockNumber === hangAt) await new Promise(() => undefined);
      return [];
    },
  };
}
