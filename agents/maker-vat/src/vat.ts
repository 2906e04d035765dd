/**
 * The Vat this bot watches and what every concern reads of it: which Vat the ChainLog names now
 * (and the open episodes to close when it names another), which collateral types it has (ilks.ts
 * says where they come from), and the per-block snapshot every block watcher judges (one JSON-RPC
 * batch at the block: debt, vice, Line, live, dai(vow), sin(vow), ilks(i)).
 *
 * The persistent record keeps the layout the bot had before it was split into watchers ("vat"),
 * so a deployed bot's saved state (its open episodes) carries over; each watcher owns its fields.
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { ethers } from "forta-agent";
import { ILK_REGISTRY_IFACE, VAT_IFACE, fromBytes32 } from "../../../shared/abi";
import type { EpisodeState } from "../../../shared/episodes";
import { errorMessage } from "../../../shared/errors";
import type { BlockRef } from "../../../shared/findings";
import { undecodableLogFinding } from "../../../shared/logs";
import type { AddressBook } from "../../../shared/maker/chainlog";
import type { TxCallers } from "../../../shared/maker/callers";
import { formatAmount, fromRad } from "../../../shared/math";
import { carryableLogs } from "../../../shared/rpc/block-logs";
import { ContractDecodeError, contract, type ContractReader } from "../../../shared/rpc/contract";
import { CallRevertedError } from "../../../shared/rpc/errors";
import type { VatConfig } from "./config";
import type { SurplusPoint, UtilizationLevel } from "./detectors";
import { INIT_TOPIC, addIlkOf, ilkOfVatNote, vatNotes, type VatNotesOfTx } from "./ilks";
import type { Watcher, WatcherDeps } from "./watcher";

export interface VatState {
  /** the Vat the rest of this state is about */
  vat: string | null;
  /** known ilks (bytes32 words, lowercase) */
  ilks: Record<string, true>;
  /** the IlkRegistry whose list() has been merged into `ilks` */
  registry: string | null;
  /** the Vat's init notes have been scanned (eth_getLogs) up to this block; null: never */
  initScannedTo: number | null;
  identity: EpisodeState<"violated">;
  utilization: EpisodeState<UtilizationLevel>;
  surplus: EpisodeState<"fell">;
  caged: EpisodeState<"caged">;
  /** monotonic deque of the surplus buffer over the window (front = maximum) */
  surplusWindow: SurplusPoint[];
  /** the previous block's vice and sin(vow), for jumps */
  last: { block: number; vice: string; vowSin: string } | null;
  /** ceilings set earlier in the block being handled (so two changes in one block chain correctly) */
  ceilings: { block: number; values: Record<string, string> };
}

export const emptyVatState = (): VatState => ({
  vat: null,
  ilks: {},
  registry: null,
  initScannedTo: null,
  identity: {},
  utilization: {},
  surplus: {},
  caged: {},
  surplusWindow: [],
  last: null,
  ceilings: { block: -1, values: {} },
});

export interface IlkRead {
  word: string;
  name: string;
  Art: bigint;
  rate: bigint;
  line: bigint;
}

/** The Vat at the end of a block, read in one batch. Watchers run in order; `ilks` may grow (identity's discovery). */
export interface VatSnapshot {
  debt: bigint;
  vice: bigint;
  Line: bigint;
  live: bigint;
  vowDai: bigint;
  vowSin: bigint;
  ilks: IlkRead[];
}

/** What a block watcher gets. */
export interface VatBlock {
  event: BlockEvent;
  block: BlockRef;
  vat: string;
  vow: string | null;
  reader: ContractReader;
  snap: VatSnapshot;
}

/** What a transaction watcher gets: the Vat's notes already decoded, and the transaction's callers. */
export interface VatTx {
  event: TransactionEvent;
  block: BlockRef;
  vat: string;
  reader: ContractReader;
  notes: VatNotesOfTx["notes"];
  who: TxCallers;
}

/** A concern of maker-vat: a watcher that may also close its episodes when the ChainLog stops naming its Vat. */
export interface VatWatcher extends Watcher<VatBlock, VatTx> {
  /** resolve (Info) every open episode about `old`; `why` says what the ChainLog did */
  retire?(old: string, now: string | null, why: string, block: BlockRef): Finding[];
}

export type VatDeps = WatcherDeps<VatConfig> & { state: VatState };

/** What every retired episode says (the ChainLog no longer names the Vat it is about). */
export const ENDING = "ends here; whether the condition still holds on that Vat is no longer checked";
export const retiredMetadata = (old: string, now: string | null) => ({ vat: old, resolvedBecause: "vat-replaced-in-chainlog", replacedBy: now ?? "" });
export const retiredAddresses = (old: string, now: string | null) => [old, ...(now ? [now] : [])];

export const rad = (v: bigint): string => fromRad(v.toString()).toFixed();
export const radHuman = (v: bigint): string => `${formatAmount(fromRad(v.toString()))} DAI`;

/** topic 0 of the Vat's notes of the only functions that change `Line` (file), `live` (cage) and `wards` (rely, deny) */
const AUTH_NOTE_TOPICS = new Set(["file(bytes32,uint256)", "cage()", "rely(address)", "deny(address)"].map((sig) => ethers.utils.id(sig).slice(0, 10) + "0".repeat(56)));

/** Which Vat, which ilks, and the block snapshot. */
export class VatTracker {
  private warnedNoVat = false;
  /**
   * What only a noted call of the Vat changes, as read at block `block` (`hash`), in memory only (a
   * restart or a reorg reads it again), carried to the next block by `carryOver` when the block has
   * no log of the ChainLog and:
   * - Line, live and the ward bits the sucks asked: no note of `file(bytes32,uint256)`, `cage`,
   *   `rely` or `deny` from that Vat (the only functions that write them);
   * - an ilk's record (Art, rate, spot, line, dust): no note of that Vat naming the ilk as its first
   *   argument (topic 1): only init, file(ilk, ...), frob, grab and fold write it, each with the ilk
   *   first.
   */
  private carried: { block: number; hash: string; vat: string; Line?: bigint; live?: bigint; wards: Record<string, bigint>; ilks: Record<string, IlkRead> } | undefined;
  constructor(private readonly deps: VatDeps) {}

  /** Start block `event`'s carried values: the parent block's when nothing in this block can have changed them, none otherwise. */
  async carryOver(vat: string, event: BlockEvent): Promise<void> {
    const b = event.block;
    const prev = this.carried;
    const next: NonNullable<typeof this.carried> = { block: b.number, hash: b.hash.toLowerCase(), vat, wards: {}, ilks: {} };
    this.carried = next;
    if (!prev || prev.vat !== vat) return;
    const logs = await carryableLogs(this.deps.ctx.rpc, { n: b.number, txCount: b.transactions.length, parentHash: b.parentHash, carriedAt: prev.hash, chainlog: this.deps.config.chainlog });
    if (!logs) return;
    const notes = logs.filter((log) => log.address.toLowerCase() === vat);
    const named = new Set(notes.map((log) => String(log.topics[1] ?? "").toLowerCase()));
    for (const [word, ilk] of Object.entries(prev.ilks)) if (!named.has(word)) next.ilks[word] = ilk;
    if (notes.some((log) => AUTH_NOTE_TOPICS.has(String(log.topics[0]).toLowerCase()))) return;
    Object.assign(next, { Line: prev.Line, live: prev.live, wards: prev.wards });
  }

  /** Is `who`'s ward bit at block `n` known (carried or already read)? */
  knowsWard(who: string, n: number): boolean {
    return this.carried?.block === n && this.carried.wards[who] !== undefined;
  }

  /** `wards(who)` of the Vat at the end of block `n`: carried, or read (and kept for the next blocks). */
  async ward(vat: ContractReader, who: string, n: number): Promise<bigint> {
    const c = this.carried?.block === n ? this.carried : undefined;
    if (c?.wards[who] !== undefined) return c.wards[who]!;
    const bit = await vat.uint("wards", [who], n);
    if (c) c.wards[who] = bit;
    return bit;
  }

  private get state(): VatState {
    return this.deps.state;
  }

  /**
   * The Vat of the ChainLog; resets what was learnt about another one, and asks the watchers to
   * resolve (Info, saying why) the episodes still open about it: the bot no longer watches it, so
   * they would never close.
   */
  current(block: BlockRef, retirers: readonly VatWatcher[]): { vat: string | null; findings: Finding[] } {
    const { book, ctx, config } = this.deps;
    const vat = book.tryGetAddress("MCD_VAT") ?? null;
    const findings: Finding[] = [];
    const state = this.state;
    if (vat !== state.vat) {
      if (state.vat) {
        const old = state.vat;
        const why = vat ? `the ChainLog replaced it: MCD_VAT now points to ${vat}` : "the ChainLog removed MCD_VAT";
        for (const w of retirers) findings.push(...(w.retire?.(old, vat, why, block) ?? []));
        if (findings.length) ctx.log.info({ vat: old, replacedBy: vat, resolved: findings.length }, "MCD_VAT changed: the old Vat's open episodes are resolved");
      }
      state.vat = vat;
      state.ilks = {};
      state.initScannedTo = null;
      state.registry = null;
      state.last = null;
      state.surplusWindow = [];
    }
    if (!vat && !this.warnedNoVat) {
      this.warnedNoVat = true;
      ctx.log.warn({ chainlog: config.chainlog }, "the ChainLog has no MCD_VAT: maker-vat has nothing to watch");
    }
    return { vat, findings };
  }

  reader(vat: string): ContractReader {
    return contract(this.deps.ctx.rpc, vat, VAT_IFACE, "Vat");
  }

  /** Merge the registry's list() into the known ilks (once per registry address), at block n. */
  async loadRegistry(n: number): Promise<void> {
    const { book, ctx } = this.deps;
    const reg = book.tryGetAddress("ILK_REGISTRY") ?? null;
    if (!reg || this.state.registry === reg) return;
    try {
      const [list] = await contract(ctx.rpc, reg, ILK_REGISTRY_IFACE, "IlkRegistry").read("list()", [], n);
      for (const w of list as string[]) this.state.ilks[String(w).toLowerCase()] = true;
    } catch (err) {
      if (!(err instanceof CallRevertedError || err instanceof ContractDecodeError)) throw err;
      // not fatal: the Vat's init notes (scanned when debt is unexplained) find every ilk anyway
      ctx.log.error({ registry: reg, block: n, err: errorMessage(err) }, "ILK_REGISTRY does not answer list(); collateral types will be found from the Vat's init notes");
    }
    this.state.registry = reg;
  }

  /** The block's snapshot: every read issued before anything is awaited, so they travel in one batch (6 + N calls, fewer with what is carried). */
  async snapshot(vat: ContractReader, vow: string | null, n: number): Promise<VatSnapshot> {
    const words = Object.keys(this.state.ilks).sort();
    const c = this.carried?.block === n ? this.carried : undefined;
    const [debt, vice, Line, live, vowDai, vowSin, ...ilks] = await Promise.all([
      vat.uint("debt", [], n),
      vat.uint("vice", [], n),
      c?.Line ?? vat.uint("Line", [], n),
      c?.live ?? vat.uint("live", [], n),
      vow ? vat.uint("dai", [vow], n) : Promise.resolve(0n),
      vow ? vat.uint("sin", [vow], n) : Promise.resolve(0n),
      ...words.map((word) => (c?.ilks[word] ? Promise.resolve(c.ilks[word]!) : this.readIlks(vat, [word], n)[0]!)),
    ] as const);
    if (c) {
      Object.assign(c, { Line, live });
      for (const ilk of ilks as unknown as IlkRead[]) c.ilks[ilk.word] = ilk;
    }
    return { debt, vice, Line, live, vowDai, vowSin, ilks: ilks as unknown as IlkRead[] };
  }

  readIlks(vat: ContractReader, words: readonly string[], n: number): Promise<IlkRead>[] {
    return words.map((word) =>
      vat.read("ilks", [word], n).then((r) => ({
        word,
        name: fromBytes32(word),
        Art: (r.Art as { toBigInt(): bigint }).toBigInt(),
        rate: (r.rate as { toBigInt(): bigint }).toBigInt(),
        line: (r.line as { toBigInt(): bigint }).toBigInt(),
      })),
    );
  }

  /** Scan the Vat's init notes since the last scan for ilks the bot does not know. */
  async discoverIlks(vat: string, n: number): Promise<{ added: string[]; from: number; error: string | null }> {
    const state = this.state;
    const from = (state.initScannedTo ?? -1) + 1;
    if (from > n) return { added: [], from, error: null };
    try {
      const logs = await this.deps.ctx.rpc.getLogs({ address: vat, topics: [INIT_TOPIC], fromBlock: from, toBlock: n });
      const { notes, undecodable } = vatNotes(
        logs.filter((l) => !l.removed).map((l) => ({ ...l, logIndex: Number(l.logIndex) })),
        vat,
      );
      const added: string[] = [];
      for (const { note } of notes) {
        const ilk = ilkOfVatNote(note);
        if (ilk && !state.ilks[ilk]) {
          state.ilks[ilk] = true;
          added.push(ilk);
        }
      }
      state.initScannedTo = n;
      const error = undecodable.length ? `${undecodable.length} init note(s) did not decode: ${undecodable[0]!.error}` : null;
      return { added, from, error };
    } catch (err) {
      return { added: [], from, error: errorMessage(err) };
    }
  }

  /**
   * A transaction's part in the ilk list: the IlkRegistry's AddIlk and every ilk a Vat note names.
   * Returns the Vat's decoded notes, and findings for logs that do not decode (never dropped).
   */
  observeTransaction(tx: TransactionEvent, block: BlockRef, vat: string): { notes: VatNotesOfTx["notes"]; findings: Finding[] } {
    const findings: Finding[] = [];
    const reg = this.deps.book.tryGetAddress("ILK_REGISTRY");
    if (reg) {
      for (const log of tx.logs) {
        if (log.address.toLowerCase() !== reg) continue;
        const a = addIlkOf(log);
        if (!a) continue;
        if ("ilk" in a) this.state.ilks[a.ilk] = true;
        else findings.push(undecodableLogFinding(tx.network, block, tx.hash, { address: reg, logIndex: log.logIndex, signature: "AddIlk(bytes32)", error: a.error }));
      }
    }
    const { notes, undecodable } = vatNotes(tx.logs, vat);
    for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
    for (const { note } of notes) {
      const ilk = ilkOfVatNote(note);
      if (ilk) this.state.ilks[ilk] = true;
    }
    return { notes, findings };
  }

  /** The ChainLog's ILK_REGISTRY changed: merge its list again at the next block. */
  registryChanged(): void {
    this.state.registry = null;
  }
}

