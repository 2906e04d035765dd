/**
 * sky-burn-engine: Sky's Smart Burn Engine (../shared/reference/sky.md §10). The Kicker
 * (MCD_KICK) sucks kbump of fresh dai against the Vow and kicks the Splitter (MCD_SPLIT), which
 * sends the burn share to the flapper (MCD_FLAP: buys SKY on UNIV2USDSSKY within `want` of
 * FLAP_SKY_ORACLE's price) and the rest to the farm; SplitterMom (SPLITTER_MOM) lets the chief's
 * hat stop it with no delay.
 *
 * - position.ts (every block, episodes): the Vow's net position against kbump + khump; the flap
 *   oracle's age.
 * - engine.ts (every transaction): parameter changes (attributed), the hop set to never, the
 *   cage, flaps near the flapper's price band, oracle pokes that jump.
 * Rights (Rely/Deny, SetOwner/SetAuthority) on these contracts: maker-auth.
 * Addresses from the ChainLog (MAKER_CHAINLOG), following its updates.
 */
import { fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor } from "../../../shared/maker/callers";
import { AddressBook } from "../../../shared/maker/chainlog";
import { loadConfig } from "./config";
import { engineWatcher, hasPoke } from "./engine";
import { positionWatcher } from "./position";
import { assemble } from "../../../shared/watchers";
import { bookKeys, touching } from "../../../shared/interest";

export const BOT = "sky-burn-engine";

const KEEP = /^(MCD_KICK|MCD_SPLIT|SPLITTER_MOM|MCD_FLAP|FLAP_SKY_ORACLE|MCD_VAT|MCD_VOW|MCD_SPOT)$/;

export function createAgent(ctx: BotContext): Agent {
  const config = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(KEEP) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(config.chainlog, bookOpts)), config.chainlog, bookOpts);
  const callers = callerAttributionFor(ctx, book, config);
  const deps = { ctx, config, book, callers };
  const bot = assemble([positionWatcher(deps), engineWatcher(deps)]);
  const touchesOurs = touching(bookKeys(book, ["MCD_KICK", "MCD_SPLIT", "SPLITTER_MOM", "MCD_FLAP", "MCD_PAUSE"]));

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    handleBlock: (blockEvent) => bot.onBlock(blockEvent),
    async handleTransaction(tx) {
      book.applyTransaction(tx);
      return bot.onTransaction(tx);
    },
    // what handleTransaction reads: the Kicker's, Splitter's, its MOM's and the flapper's logs, the
    // pause's plots, the ChainLog's updates, and any Scribe's Poked (the flapper's pip, read when one
    // is logged); the Vat, Vow and Spotter are read per block
    wantsTransaction: (tx) => touchesOurs(tx) || hasPoke(tx),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
