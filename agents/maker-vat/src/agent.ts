/**
 * maker-vat: the health of MakerDAO's (Sky's) vault engine, the Vat (MCD_VAT).
 *
 * This file only assembles the bot's concerns, each a watcher in its own module (watcher.ts):
 * - cage.ts: the Vat caged (live == 0);
 * - identity.ts: `debt == vice + sum_i(Art_i * rate_i)`, exactly (episode, Critical);
 * - utilisation.ts: Line and each ilk's line nearly full (episodes, Medium >= 90%, High >= 98%);
 * - surplus.ts: the surplus buffer dai(vow) - sin(vow) falling within a window (episode, High);
 * - bad-debt.ts: jumps of vice, the system's bad debt, from one block to the next;
 * - ceilings.ts: debt ceiling changes `file("Line")` / `file(ilk, "line")`, with who made them;
 * - wards.ts: new Vat wards (a row of the event table), known to the ChainLog or not, and by whom;
 * - sucks.ts: every `suck` tied to a known debt source (ChainLog-named Vat wards, governance);
 * - sin-growth.ts: sin(vow)'s growth per block against what known sucks and grabs explain.
 * vat.ts holds what they share: which Vat the ChainLog names, its ilks, and the per-block
 * snapshot (one JSON-RPC batch at the block). Addresses come from the ChainLog (MAKER_CHAINLOG).
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { AddressBook } from "../../../shared/maker/chainlog";
import { bookKeys, touching } from "../../../shared/interest";
import { callerAttributionFor } from "../../../shared/maker/callers";
import { badDebtWatcher } from "./bad-debt";
import { cageWatcher } from "./cage";
import { ceilingsWatcher } from "./ceilings";
import { loadConfig } from "./config";
import { identityWatcher } from "./identity";
import { sinGrowthWatcher } from "./sin-growth";
import { emptyDebtSources, sucksWatcher } from "./sucks";
import { surplusWatcher } from "./surplus";
import { utilisationWatcher } from "./utilisation";
import { wardsWatcher } from "./wards";
import { VatTracker, emptyVatState, type VatDeps, type VatWatcher } from "./vat";
import { runWatchers } from "./watcher";

export const BOT = "maker-vat";

export function createAgent(ctx: BotContext): Agent {
  const config = loadConfig(ctx.env);
  // every key: a new ward or a debt source is judged by whether the ChainLog names it
  const bookState = ctx.persistent("chainlog", () => AddressBook.emptyState(config.chainlog));
  if (bookState.keep) Object.assign(bookState, { keep: null, block: null, version: null, entries: {} }); // saved by a version that kept a few keys: read it all again
  const book = AddressBook.attach(bookState, config.chainlog);
  const callers = callerAttributionFor(ctx, book, config);
  const deps: VatDeps = { ctx, config, book, state: ctx.persistent("vat", emptyVatState) };
  const tracker = new VatTracker(deps);

  const cage = cageWatcher(deps);
  const identity = identityWatcher(deps, tracker);
  const utilisation = utilisationWatcher(deps);
  const surplus = surplusWatcher(deps);
  const badDebt = badDebtWatcher(deps);
  const ceilings = ceilingsWatcher(deps);
  const debtSources = ctx.persistent("debt-sources", emptyDebtSources);
  const sinGrowth = sinGrowthWatcher(deps, debtSources);
  /** in order: identity may add ilks the later ones judge; bad-debt records the block last */
  const sucks = sucksWatcher(deps, debtSources, tracker);
  const watchers: VatWatcher[] = [cage, identity, utilisation, surplus, sinGrowth, badDebt, ceilings, wardsWatcher(deps), sucks];
  /** the order in which episodes about a Vat the ChainLog no longer names are resolved */
  const retirers: VatWatcher[] = [identity, utilisation, surplus, cage, sinGrowth];

  async function handleBlock(event: BlockEvent): Promise<Finding[]> {
    const block = blockRefOf(event);
    const { vat, findings } = tracker.current(block, retirers);
    if (!vat) return findings;
    await tracker.loadRegistry(block.number);
    const vow = book.tryGetAddress("MCD_VOW") ?? null;
    const reader = tracker.reader(vat);
    await tracker.carryOver(vat, event); // Line, live and ward bits from the parent block, when no note here can have changed them
    sucks.readAhead(reader, vat, block.number, event.block.transactions.length); // with the snapshot: one request for the block's reads
    const snap = await tracker.snapshot(reader, vow, block.number);
    const input = { event, block, vat, vow, reader, snap };
    return [...findings, ...(await runWatchers(watchers, (w) => w.onBlock?.(input)))];
  }

  async function handleTransaction(event: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(event);
    const changes = book.applyTransaction(event);
    const who = callers.observe(event);
    if (changes.some((c) => c.key === "ILK_REGISTRY")) tracker.registryChanged();
    const { vat, findings } = tracker.current(block, retirers);
    if (!vat) return findings;
    const seen = tracker.observeTransaction(event, block, vat);
    const input = { event, block, vat, reader: tracker.reader(vat), notes: seen.notes, who };
    return [...findings, ...seen.findings, ...(await runWatchers(watchers, (w) => w.onTransaction?.(input)))];
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
      await runWatchers(watchers, async (w) => (await w.initialize?.(), []));
    },
    handleBlock,
    handleTransaction,
    // what handleTransaction reads: the Vat's notes and events, ILK_REGISTRY's AddIlk, the pause's
    // plots (callers), the ChainLog's updates (a new MCD_VAT is seen in its transaction)
    wantsTransaction: touching(bookKeys(book, ["MCD_VAT", "ILK_REGISTRY", "MCD_PAUSE"])),
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
