/**
 * maker-oracles: every price feed of the ChainLog (`PIP_*`) and the source behind each OSM.
 *
 * agent.ts only assembles the bot's concerns, each a watcher (shared/watchers.ts) in its own module:
 * - per block (state at that block, whatever the transactions were or their order):
 *   osm-state.ts (each OSM's control words, feeds and Median value, through the checks hop.ts,
 *   staleness.ts, no-price.ts, price-jump.ts, divergence.ts), osm-like.ts (the LP-token oracles'
 *   getters), scribe.ts (the age of the Chronicle Scribes OSMs read), watch-list.ts (PIPs that
 *   got code, PIPs that cannot be watched);
 * - per transaction: watch-list.ts (the ChainLog's UpdateAddress/RemoveAddress of PIP_* keys),
 *   attribution.ts (who made a control), notes.ts (the LogNotes of OSMs, Medians and DSValues:
 *   osm-controls.ts, median.ts, value.ts), osm-like.ts (queued prices from `Value` events), and
 *   events.ts (the "this event happened" table: LP-token oracles' controls, ds-auth, the Chronicle
 *   Scribes' feeds, bar and challenges, the capped LOCKSTAKE_ORACLE's cap, readers and wards),
 *   capped.ts (per block: whether LOCKSTAKE_ORACLE's cap binds; per transaction: the Spotter's pip
 *   of the Lockstake ilk moved away from LOCKSTAKE_ORACLE).
 * Addresses come from the ChainLog (MAKER_CHAINLOG), never from configuration.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { AddressBook } from "../../../shared/maker/chainlog";
import { touching } from "../../../shared/interest";
import { keepForAttribution } from "../../../shared/maker/attribution";
import { assemble, type Watcher } from "../../../shared/watchers";
import { ControlAttribution } from "./attribution";
import { CapBindingCheck } from "./cap-binding";
import { cappedWatcher, readCappedAhead } from "./capped";
import { loadConfig } from "./config";
import type { Deps } from "./deps";
import { DivergenceCheck } from "./divergence";
import { eventsWatcher } from "./events";
import { NoPriceCheck } from "./no-price";
import { notesWatcher } from "./notes";
import { Oracles } from "./oracles";
import { osmLikeWatcher } from "./osm-like";
import { osmStateWatcher } from "./osm-state";
import { scribeWatcher } from "./scribe";
import { StalenessCheck } from "./staleness";
import { WatchList, chainlogWatcher, coverageWatcher } from "./watch-list";

export const BOT = "maker-oracles";

export function createAgent(ctx: BotContext): Agent {
  const config = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(/^(PIP_|LOCKSTAKE_ORACLE$|MCD_PAUSE_PROXY$|OSM_MOM$|MCD_SPOT$)/) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(config.chainlog, bookOpts)), config.chainlog, bookOpts);
  const oracles = new Oracles(ctx, book);
  const controls = new ControlAttribution(ctx, book, config);
  const deps: Deps = {
    ctx,
    config,
    book,
    oracles,
    controls,
    staleness: new StalenessCheck(ctx, config, oracles),
    noPrice: new NoPriceCheck(ctx, oracles),
    divergence: new DivergenceCheck(ctx, config, oracles),
    capBinding: new CapBindingCheck(ctx, oracles),
  };
  const list = new WatchList(deps);
  const attribution: Watcher = {
    name: "attribution",
    async onTransaction(tx: TransactionEvent): Promise<Finding[]> {
      controls.observe(tx); // every transaction, before its notes and events are attributed
      return [];
    },
  };
  // Fixed order: per transaction chainlog, attribution, notes, osm-like, events, capped; per block osm-state, osm-like, scribe, capped, coverage.
  const watchers = [chainlogWatcher(deps, list), attribution, notesWatcher(deps), osmStateWatcher(deps), osmLikeWatcher(deps), scribeWatcher(deps), eventsWatcher(deps), cappedWatcher(deps), coverageWatcher(deps, list)];
  const run = assemble(watchers);
  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
      // Classify every PIP (and the source behind each OSM) up front, so that the first
      // transactions' notes are recognised whatever the handler order.
      await oracles.classify([...oracles.pips().keys()], ctx.initBlock);
      const kinds: Record<string, number> = {};
      for (const a of oracles.pips().keys()) kinds[oracles.state.kinds[a]!] = (kinds[oracles.state.kinds[a]!] ?? 0) + 1;
      ctx.log.info({ oracles: kinds }, "watching the ChainLog's price feeds");
      await run.initialize();
    },
    async handleBlock(blockEvent) {
      const n = blockRefOf(blockEvent).number;
      await oracles.classify([...oracles.pips().keys()], n); // PIPs new since the last block
      readCappedAhead(deps, n); // with osm-state's reads: one request for the block's reads
      return run.onBlock(blockEvent);
    },
    handleTransaction: (tx) => run.onTransaction(tx),
    // what handleTransaction reads: logs of the book's contracts (PIPs, the Spotter, the pause's plots,
    // the ChainLog's updates) and of the sources behind the OSMs (Medians, Scribes: not in the book)
    wantsTransaction: touching(book, (address) => oracles.isSource(address)),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
