/**
 * maker-liquidations: MakerDAO's (Sky's) liquidations.
 *
 * - Dog (MCD_DOG, liquidations 2.0): Bark size, liquidation volume in a rolling window per collateral
 *   and overall (cascades), Dirt against Hole per collateral and overall, parameter changes.
 * - every Clipper (MCD_CLIP_* in the ChainLog, plus any clipper a Bark or `file(ilk, "clip", ...)`
 *   names): takes far below the oracle price, auctions left needing a redo, keeper incentives on
 *   kick and redo, breaker (`stopped`) changes, parameter changes.
 * - the legacy Cat (MCD_CAT, when the ChainLog has one): Bite, parameter changes.
 * Addresses come from the ChainLog (MAKER_CHAINLOG) and follow its updates.
 *
 * This file only assembles the bot: each concern is a watcher of its own module (shared/watchers.ts)
 * and sees each transaction through one decoded view (view.ts).
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { AddressBook } from "../../../shared/maker/chainlog";
import { touching } from "../../../shared/interest";
import { keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor } from "../../../shared/maker/callers";
import { assemble } from "../../../shared/watchers";
import { auctionWatcher } from "./auctions";
import { cascadeWatcher } from "./cascades";
import { clipRegistry } from "./clips";
import { loadConfig } from "./config";
import { dirtWatchers } from "./dirt";
import { eventTableWatcher } from "./events";
import { emptyState, radThresholds, type LiqDeps, type LiqState } from "./model";
import { paramWatcher } from "./params";
import { viewOf } from "./view";

export const BOT = "maker-liquidations";

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(/^(MCD_DOG|MCD_CAT|MCD_CLIP_(?!CALC_).*)$/) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, bookOpts)), cfg.chainlog, bookOpts);
  const callers = callerAttributionFor(ctx, book, cfg);
  const state = ctx.persistent<LiqState>("liquidations", emptyState);
  const deps: LiqDeps = { ctx, cfg, book, state, callers, rad: radThresholds(cfg) };
  const clips = clipRegistry(deps);
  const dirt = dirtWatchers(deps);
  // The order is the order of the findings: a block registers the ChainLog's new clippers, then
  // reads Dirt/Hole on the first block, cascades, auctions; a transaction's events alerts,
  // cascades, parameter changes, auctions, then Dirt/Hole as the transaction left them.
  const bot = assemble([
    {
      async initialize() {
        await book.ensureLoaded(ctx.rpc, ctx.initBlock);
      },
    },
    clips,
    dirt.atStart,
    eventTableWatcher(deps),
    cascadeWatcher(deps),
    paramWatcher(deps),
    auctionWatcher(deps),
    dirt.changes,
  ]);

  return {
    initialize: bot.initialize,
    handleBlock: bot.onBlock,
    async handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
      const { view, undecodable } = await viewOf(tx, deps, clips);
      return [...undecodable, ...(await bot.onTransaction(view))];
    },
    // what handleTransaction reads: logs of the book's contracts (Dog, Cat, the ChainLog's clippers,
    // the pause's plots, the ChainLog's updates) and of the clippers learnt from a Bark or Dog.file
    wantsTransaction: touching(book, (address) => state.clips[address] !== undefined),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
