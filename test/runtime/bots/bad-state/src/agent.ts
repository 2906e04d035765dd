/**
 * A test bot whose persistent state stops being plain JSON at one block (BAD_STATE_AT, default 5):
 * a bigint, or with BAD_STATE_KIND=map a Map. Each block it reports how many blocks its state has
 * counted, so what the runtime does with its state shows in the findings.
 */
import { blockRefOf, type Agent, type BotContext } from "../../../../../shared/bot";
import { FindingSeverity, FindingType, createFinding, defineAlerts } from "../../../../../shared/findings";

const ALERTS = defineAlerts({
  count: { id: "TEST-COUNT", name: "blocks counted", severity: FindingSeverity.Info, type: FindingType.Info },
});

export function createAgent(ctx: BotContext): Agent {
  const state = ctx.persistent("bad", () => ({ blocks: 0 }) as { blocks: number; extra?: unknown });
  const at = Number(ctx.env.BAD_STATE_AT ?? "5");
  return {
    async handleBlock(e) {
      state.blocks++;
      if (e.blockNumber === at) state.extra = ctx.env.BAD_STATE_KIND === "map" ? new Map([["a", 1]]) : 10n ** 18n;
      return [createFinding(ALERTS.count, { description: `block ${e.blockNumber}: ${state.blocks} blocks counted`, key: [e.network, e.block.hash], block: blockRefOf(e) })];
    },
  };
}
