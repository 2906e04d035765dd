/**
 * The transaction side of the attribution (shared/maker/attribution.ts): a bot observes every
 * transaction (the pause's plot notes are remembered, so a spell's window can be vouched for when
 * it is cast, possibly days later), and classifies each parameter change it reports.
 *
 * ```ts
 * const callers = new CallerAttribution({ rpc: ctx.rpc, book, plans: ctx.persistent("governance-plans", emptyPlans), spells });
 * // handleTransaction, before anything else:
 * const who = callers.observe(txEvent);
 * // for each parameter change reported:
 * const c = await who.classify({ contract, contractKeys, param, logIndex, loggedCaller });
 * createFinding(spec, { severity: severityOf(c, effect), metadata: { ...attributionMetadata(c) } ... });
 * ```
 * The only chain read is a known-spell check (one batched eth_getTransactionCount of the spell
 * deployers), and only when a plan was executed by a contract that did not schedule it.
 */
import { ethers } from "forta-agent";
import { PAUSE_NOTES, type LogLike } from "../abi";
import { FindingSeverity, FindingType } from "../findings";
import type { RpcClient } from "../rpc/client";
import type { AddressBook } from "./chainlog";
import { ATTRIBUTION_KEYS, classifyChange, execTrusted, keepForAttribution, type Classification, type ExecNote, type ParamChangeSubject, type TxGovernance, type Witness, moduleOf } from "./attribution";
import type { BotContext } from "../bot";
import { MAKER_KNOWN_SPELLS_FIELD, MAKER_SPELL_DEPLOYERS_FIELD, SpellRegistry, pausePlanOf } from "./governance";
import { readNotes, type IndexedLog } from "./tx";

/** Plans seen plotted on MCD_PAUSE (plan hash -> who scheduled it), kept in `ctx.persistent`. */
export interface PlansState {
  plans: Record<string, { plotter: string; block: number }>;
}
export const emptyPlans = (): PlansState => ({ plans: {} });

/** Keep at most this many plotted plans (oldest dropped first). */
const MAX_PLANS = 500;

/** DssAutoLine's `Exec(bytes32 indexed ilk, uint256 line, uint256 lineNew)`. */
export const AUTO_LINE_EXEC_TOPIC = ethers.utils.id("Exec(bytes32,uint256,uint256)");
const VAT_FILE_ILK = ethers.utils.id("file(bytes32,bytes32,uint256)").slice(0, 10);
const VAT_FILE_GLOBAL = ethers.utils.id("file(bytes32,uint256)").slice(0, 10);

export interface TxLike {
  from: string;
  to?: string | null;
  hash: string;
  blockNumber: number;
  logs: readonly IndexedLog[];
}

/**
 * A module's event vouching for the change logged at `logIndex` (rule 1 of the attribution):
 * - the AutoLine: its `Exec(ilk, line, lineNew)` follows exactly the two Vat notes its exec
 *   writes (`file(ilk, "line", lineNew)`, then `file("Line", ...)`), with nothing between;
 * - any other known module: an event of the module, the very next log, whose first indexed topic
 *   names the changed contract (ClipperMom's `SetBreaker(clip, ...)`, DssLitePsmMom's
 *   `Halt(psm, flow)`) or, for a Vat ilk note, the ilk (LineMom's `Wipe(ilk, line)`).
 */
export function witnessOf(logs: readonly IndexedLog[], logIndex: number, contract: string, keysOf: (a: string) => readonly string[]): Witness | null {
  const pos = logs.findIndex((l) => l.logIndex === logIndex);
  if (pos < 0) return null;
  const c = contract.toLowerCase();
  const addr = (l: LogLike | undefined) => (typeof l?.address === "string" ? l.address.toLowerCase() : "");
  const topic = (l: LogLike | undefined, i: number) => String(l?.topics?.[i] ?? "").toLowerCase();
  // the AutoLine: [Vat file(ilk,"line",v), Vat file("Line",...), Exec(ilk, line, v)]
  for (const start of [pos, pos - 1]) {
    const ilkNote = logs[start];
    const lineNote = logs[start + 1];
    const exec = logs[start + 2];
    if (!ilkNote || !lineNote || !exec || addr(ilkNote) !== c || addr(lineNote) !== c) continue;
    if (topic(exec, 0) !== AUTO_LINE_EXEC_TOPIC.toLowerCase()) continue;
    if (!moduleOf(keysOf(addr(exec)))?.key.startsWith("MCD_IAM_AUTO_LINE")) continue;
    if (!topic(ilkNote, 0).startsWith(VAT_FILE_ILK) || !topic(lineNote, 0).startsWith(VAT_FILE_GLOBAL)) continue;
    let lineNew: bigint;
    try {
      lineNew = BigInt(ethers.utils.hexDataSlice(String(exec.data), 32, 64));
    } catch {
      continue;
    }
    if (topic(ilkNote, 1) !== topic(exec, 1) || BigInt(topic(ilkNote, 3) || "0x0") !== lineNew) continue;
    return { module: addr(exec), event: "Exec(ilk, line, lineNew)" };
  }
  // another module's event right after the change, naming the changed contract (ClipperMom's
  // SetBreaker(clip, ...), DssLitePsmMom's Halt(psm, flow)) or, for a Vat ilk note, the ilk
  // (LineMom's Wipe(ilk, line)). Only the next log counts, so that an intruder's own change just
  // before a permissionless module call (ClipperMom.tripBreaker, AutoLine.exec) is not vouched for;
  // DssLitePsmMom (the hat only) halting both directions writes tin then tout before its event.
  const next = logs[pos + 1];
  const after = logs[pos + 2];
  const contractTopic = ethers.utils.hexZeroPad(c, 32).toLowerCase();
  const ilkTopic = topic(logs[pos], 0).startsWith(VAT_FILE_ILK) ? topic(logs[pos], 1) : null;
  const names = (l: LogLike | undefined) => !!l && (topic(l, 1) === contractTopic || (ilkTopic !== null && topic(l, 1) === ilkTopic));
  if (next && addr(next) !== c) {
    const m = moduleOf(keysOf(addr(next)));
    if (m && names(next)) return { module: addr(next), event: `${m.key} event ${topic(next, 0).slice(0, 10)}… naming ${ilkTopic !== null && topic(next, 1) === ilkTopic ? "the ilk" : c}` };
    return null;
  }
  if (next && after && addr(after) !== c) {
    const m = moduleOf(keysOf(addr(after)));
    if (m && m.key === "LITE_PSM_MOM" && topic(after, 1) === contractTopic) return { module: addr(after), event: `${m.key} event ${topic(after, 0).slice(0, 10)}… naming ${c}` };
  }
  return null;
}

/** What the change's severity becomes: an outsider's is Critical (P0); otherwise the effect's own. */
export function severityOf(c: Classification, effect: FindingSeverity): FindingSeverity {
  return c.callerClass === "outsider" ? FindingSeverity.Critical : effect;
}

/** And its type: an outsider's change is an exploit. */
export function typeOf(c: Classification, type: FindingType): FindingType {
  return c.callerClass === "outsider" ? FindingType.Exploit : type;
}

export interface CallerAttributionOptions {
  rpc: RpcClient;
  book: AddressBook;
  plans: PlansState;
  spells: SpellRegistry;
}

/** One transaction's attribution context (from `CallerAttribution.observe`). */
export class TxCallers {
  private gov: Promise<TxGovernance> | null = null;
  constructor(
    private readonly tx: TxLike,
    private readonly opts: CallerAttributionOptions,
    private readonly execNotes: { logIndex: number; caller: string; planHash: string; usr: string }[],
    private readonly plotters: Record<string, string>,
  ) {}

  /** The ChainLog keys naming `address` (bound: passed on as a callback). Not an arrow field: one is made per transaction and bot, and tsx's keepNames made each cost a defineProperty. */
  get keysOf(): (address: string) => string[] {
    const book = this.opts.book;
    return (address) => book.keysOf(address);
  }

  /** The transaction's governance context (plan executions, each vouched for or not). */
  governance(): Promise<TxGovernance> {
    if (!this.gov) this.gov = this.build();
    return this.gov;
  }

  private async build(): Promise<TxGovernance> {
    const pause = this.opts.book.tryGetAddress("MCD_PAUSE") ?? null;
    const proxy = this.opts.book.tryGetAddress("MCD_PAUSE_PROXY") ?? null;
    const base = { from: this.tx.from.toLowerCase(), to: this.tx.to ? this.tx.to.toLowerCase() : null, pause, proxy };
    const execs: ExecNote[] = [];
    for (const e of this.execNotes) {
      const plotter = this.plotters[e.planHash] ?? null;
      const needsCheck = base.to === e.caller && e.caller !== plotter && base.to !== pause;
      const known = needsCheck ? (await this.opts.spells.origin(this.opts.rpc, e.caller, this.tx.blockNumber)) !== null : false;
      execs.push({ ...e, trusted: execTrusted(base, e, plotter, known) });
    }
    return { ...base, execs };
  }

  /** Classify a parameter change logged in this transaction. */
  async classify(change: Omit<ParamChangeSubject, "contractKeys"> & { contractKeys?: readonly string[] }): Promise<Classification> {
    const contract = change.contract.toLowerCase();
    const subject: ParamChangeSubject = {
      ...change,
      contract,
      contractKeys: change.contractKeys ?? this.keysOf(contract),
      loggedCaller: change.loggedCaller ? change.loggedCaller.toLowerCase() : null,
    };
    const gov = await this.governance();
    const witness = subject.loggedCaller ? null : witnessOf(this.tx.logs, subject.logIndex, contract, this.keysOf);
    return classifyChange({ change: subject, gov, keysOf: this.keysOf, witness });
  }
}

/** A bot's attribution: follows the pause's plans from transaction to transaction. */
export class CallerAttribution {
  constructor(private readonly opts: CallerAttributionOptions) {}

  /**
   * Call for every transaction (even those without a change: plots must be remembered). Reads
   * only the logs; undecodable pause notes are left to maker-governance, which reports them.
   */
  observe(tx: TxLike): TxCallers {
    const pause = this.opts.book.tryGetAddress("MCD_PAUSE");
    const execNotes: { logIndex: number; caller: string; planHash: string; usr: string }[] = [];
    const plotters: Record<string, string> = {};
    if (pause) {
      const { notes } = readNotes(tx.logs, PAUSE_NOTES, pause);
      const plans = this.opts.plans.plans;
      for (const n of notes) {
        const plan = pausePlanOf(n);
        if (!plan || !n.caller) continue;
        if (n.name === "plot") plans[plan.hash] = { plotter: n.caller, block: tx.blockNumber };
        else {
          if (plans[plan.hash]) plotters[plan.hash] = plans[plan.hash]!.plotter;
          if (n.name === "exec") execNotes.push({ logIndex: n.logIndex, caller: n.caller, planHash: plan.hash, usr: plan.usr });
          delete plans[plan.hash];
        }
      }
      this.prune();
    }
    return new TxCallers(tx, this.opts, execNotes, plotters);
  }

  private prune(): void {
    const plans = this.opts.plans.plans;
    const hashes = Object.keys(plans);
    if (hashes.length <= MAX_PLANS) return;
    hashes.sort((a, b) => plans[a]!.block - plans[b]!.block);
    for (const h of hashes.slice(0, hashes.length - MAX_PLANS)) delete plans[h];
  }
}

/** The configuration keys the attribution needs (spread into a bot's CONFIG_SPEC). */
export const ATTRIBUTION_CONFIG = { spellDeployers: MAKER_SPELL_DEPLOYERS_FIELD, knownSpells: MAKER_KNOWN_SPELLS_FIELD };

/**
 * A bot's attribution, its plans kept in `ctx.persistent("governance-plans")`. Call it in
 * `createAgent`, before `initialize`: a book restored from a state saved before the bot needed the
 * pause and module keys (its `keep` pattern lacks them) is emptied with the pattern widened, so
 * that `initialize`'s `ensureLoaded` reads the ChainLog again, with them.
 */
export function callerAttributionFor(ctx: Pick<BotContext, "rpc" | "persistent">, book: AddressBook, cfg: { spellDeployers: readonly string[]; knownSpells: readonly string[] }): CallerAttribution {
  const st = book.toJSON();
  if (st.keep && !st.keep.source.includes(ATTRIBUTION_KEYS.source)) {
    const wider = keepForAttribution(new RegExp(st.keep.source, st.keep.flags));
    Object.assign(st, { keep: { source: wider.source, flags: wider.flags }, block: null, version: null, entries: {} });
  }
  return new CallerAttribution({
    rpc: ctx.rpc,
    book,
    plans: ctx.persistent<PlansState>("governance-plans", emptyPlans),
    spells: new SpellRegistry({ deployers: cfg.spellDeployers, allowList: cfg.knownSpells }),
  });
}
