/**
 * A test bot for the runtime: findings whose content depends on state carried across blocks
 * (a running count, an episode), so a restart or reorg that loses or doubles state shows up as
 * different findings.
 */
import { blockRefOf, type Agent, type BotContext } from "../../../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../../../shared/episodes";
import { FindingSeverity, FindingType, createFinding, defineAlerts, logKey } from "../../../../../shared/findings";

const ALERTS = defineAlerts({
  every3: { id: "TEST-EVERY-3", name: "every third block", severity: FindingSeverity.Info, type: FindingType.Info },
  tx: { id: "TEST-TX", name: "a transaction with value", severity: FindingSeverity.Low, type: FindingType.Info },
  window: { id: "TEST-WINDOW", name: "block number in a window", severity: FindingSeverity.Medium, type: FindingType.Info },
});

export function createAgent(ctx: BotContext): Agent {
  const state = ctx.persistent("counter", () => ({ blocks: 0, txs: 0, episodes: {} as EpisodeState<"on"> }));
  const episodes = new Episodes<"on">(["on"], state.episodes);
  // lets a test slow the bot down, to stop the runtime mid-range
  const delayMs = Number(ctx.env.COUNTER_DELAY_MS ?? "0");
  return {
    async handleBlock(e) {
      state.blocks++;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const block = blockRefOf(e);
      const out = [];
      // read chain state at this block, like a real bot
      const balance = await ctx.rpc.request<string>("eth_getBalance", ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8", `0x${e.blockNumber.toString(16)}`]);
      if (e.blockNumber % 3 === 0) {
        out.push(
          createFinding(ALERTS.every3, {
            description: `block ${e.blockNumber}: ${state.blocks} blocks and ${state.txs} txs seen, balance ${BigInt(balance)}`,
            key: [e.network, block.hash],
            block,
          }),
        );
      }
      const t = episodes.observe("window", e.blockNumber % 10 >= 4 && e.blockNumber % 10 <= 6 ? "on" : null, block);
      if (t) out.push(episodeFinding(ALERTS.window, t, () => FindingSeverity.Medium, { description: `window ${t.kind}`, key: [e.network] }));
      return out;
    },
    async handleTransaction(e) {
      state.txs++;
      if (BigInt(e.transaction.value ?? "0") === 0n) return [];
      return [
        createFinding(ALERTS.tx, {
          description: `tx #${state.txs} moved ${BigInt(e.transaction.value)} wei`,
          key: logKey(e.network, blockRefOf(e), e.hash, -1),
          block: blockRefOf(e),
          addresses: [e.from],
        }),
      ];
    },
  };
}
