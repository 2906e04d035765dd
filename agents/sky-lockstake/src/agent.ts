/**
 * sky-lockstake: is the Lockstake engine (LSEV2-SKY-A) solvent, and who may make it not?
 *
 * - Every block (src/solvency.ts): the debt of unsafe urns while LOCKSTAKE_CLIP is stopped (nobody
 *   can liquidate it: an episode, Medium, High from a threshold), stUSDS utilisation
 *   ((Art*rate + Due) / (totalSupply*chi), Medium from 95%, High at 100%) and the SKY custody
 *   invariant (SKY held and delegated against lsSKY supply plus auction lots, Critical).
 * - Every transaction (src/events.ts): FreeNoFee, lsSKY minted or burnt outside an engine call,
 *   engine farms and jug, the clipper's files (stopped, cuttee, vow, ...), its auctions against
 *   the capped oracle and how each ends.
 * - LOCKSTAKE_MIGRATOR (src/migrator.ts): its anonymous Migrate, the Lockstake line a migration
 *   leaves (its 55M-then-0 toggle against stUSDS's line), and the MKR v1 ilk's line (must stay 0).
 * stUSDS cuts are sky-stablecoin's (SKY-STUSDS-CUT); rights (Rely/Deny) are maker-auth's.
 * Every address comes from the ChainLog (MAKER_CHAINLOG) and follows its updates.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor } from "../../../shared/maker/callers";
import { AddressBook } from "../../../shared/maker/chainlog";
import { bookKeys, touching } from "../../../shared/interest";
import { loadConfig } from "./config";
import { eventsWatcher } from "./events";
import { emptyMigrator, migratorWatcher } from "./migrator";
import { emptySolvency, solvencyWatcher } from "./solvency";

export const BOT = "sky-lockstake";

const KEEP = /^(LOCKSTAKE_ENGINE|LOCKSTAKE_SKY|LOCKSTAKE_CLIP|LOCKSTAKE_MIGRATOR|LOCKSTAKE_ORACLE|STUSDS|SKY|MCD_VAT|MCD_SPOT)$/;

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const bookOpts = { keep: keepForAttribution(KEEP) };
  const book = AddressBook.attach(ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, bookOpts)), cfg.chainlog, bookOpts);
  const callers = callerAttributionFor(ctx, book, cfg);
  const state = ctx.persistent("lockstake", emptySolvency);
  const solvency = solvencyWatcher(ctx, book, cfg, state);
  const events = eventsWatcher(ctx, book, cfg, () => state.ilk);
  const migrator = migratorWatcher(ctx, book, cfg, ctx.persistent("migrator", emptyMigrator));

  return {
    async initialize() {
      // the history scan waits for the first block handled (under the Forta CLI initBlock is "latest")
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    async handleBlock(blockEvent): Promise<Finding[]> {
      const block = blockRefOf(blockEvent);
      const [solvent, oldLine] = await Promise.all([solvency.check(block, blockEvent.network, blockEvent.block.transactions?.length, blockEvent.block.parentHash), migrator.onBlock(block, blockEvent.network, blockEvent.block.transactions?.length, blockEvent.block.parentHash)]);
      return [...solvent, ...oldLine];
    },
    async handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
      book.applyTransaction(tx);
      const block = blockRefOf(tx);
      return [...(await events.handle(tx, block, callers.observe(tx))), ...(await migrator.onTransaction(tx, block))];
    },
    // what handleTransaction reads: the engine's, lsSKY's, the clipper's and the migrator's logs, the
    // pause's plots, the ChainLog's updates (the Vat, Spotter, oracle and stUSDS are read, not watched)
    wantsTransaction: touching(bookKeys(book, ["LOCKSTAKE_ENGINE", "LOCKSTAKE_SKY", "LOCKSTAKE_CLIP", "LOCKSTAKE_MIGRATOR", "MCD_PAUSE"])),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
