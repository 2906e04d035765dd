/**
 * A test bot that turns a failed read into an error of its own (no `cause`), as bots written
 * against other libraries do: the runtime must still see that its node failed, not the bot.
 */
import { blockRefOf, type Agent, type BotContext } from "../../../../../shared/bot";
import { FindingSeverity, FindingType, createFinding, defineAlerts } from "../../../../../shared/findings";

const ALERTS = defineAlerts({
  balance: { id: "TEST-BALANCE", name: "a balance read", severity: FindingSeverity.Info, type: FindingType.Info },
});

export function createAgent(ctx: BotContext): Agent {
  return {
    async handleBlock(e) {
      let balance: string;
      try {
        balance = await ctx.rpc.request<string>("eth_getBalance", ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8", `0x${e.blockNumber.toString(16)}`]);
      } catch {
        throw new Error(`balance unavailable at block ${e.blockNumber}`);
      }
      return [createFinding(ALERTS.balance, { description: `block ${e.blockNumber}: balance ${BigInt(balance)}`, key: [e.network, e.block.hash], block: blockRefOf(e) })];
    },
  };
}
