/**
 * sky-allocators: the Stars' capital perimeter (../shared/reference/sky.md §13-14, §21 item 10).
 * Each Star (Spark, Grove, ...) borrows USDS through its ALLOCATOR-<STAR>-A ilk: its AllocatorVault
 * draws into its AllocatorBuffer, whose approvals let the Star's operators move it; AllocatorRoles
 * says who may draw and wipe; the Star's SubProxy is its root admin (delegatecalls), and its
 * StarGuard runs the payloads governance plots.
 *
 * - perimeter.ts (every transaction): ilk admins, roles, role actions, the registry's buffers and
 *   the vaults' jug, buffer approvals, SubProxy wards; attributed (governance, the Star's own
 *   flow through its StarGuard, or an outsider: Critical).
 * - pacing.ts (every block, episodes): each vault's debt growth against its AutoLine pacing.
 * - starguard.ts (every transaction): plots, drops, maxDelay, and each execution against its plot.
 * Rights (Rely/Deny) on the allocator contracts and StarGuards: maker-auth.
 * Addresses from the ChainLog (MAKER_CHAINLOG), following its updates.
 */
import { fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor } from "../../../shared/maker/callers";
import { AddressBook } from "../../../shared/maker/chainlog";
import { touching } from "../../../shared/interest";
import { assemble } from "../../../shared/watchers";
import { loadConfig } from "./config";
import { pacingWatcher } from "./pacing";
import { perimeterWatcher } from "./perimeter";
import { starGuardWatcher } from "./starguard";

export const BOT = "sky-allocators";

// every key: an address the ChainLog names counts as known (a role holder, a spender, a target)
const KEEP = /^[A-Z0-9_]+$/;

export function createAgent(ctx: BotContext): Agent {
  const config = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(KEEP) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(config.chainlog, bookOpts)), config.chainlog, bookOpts);
  const callers = callerAttributionFor(ctx, book, config);
  const deps = { ctx, config, book, callers };
  const bot = assemble([pacingWatcher(deps), perimeterWatcher(deps), starGuardWatcher(deps)]);

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
      await bot.initialize();
    },
    handleBlock: (blockEvent) => bot.onBlock(blockEvent),
    async handleTransaction(tx) {
      book.applyTransaction(tx);
      return bot.onTransaction({ tx, who: callers.observe(tx) });
    },
    // what handleTransaction reads: logs of the book's contracts (roles, registry, vaults, buffers,
    // SubProxies, StarGuards, the pause's plots, the ChainLog's updates)
    wantsTransaction: touching(book),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
