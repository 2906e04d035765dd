/**
 * Lockstake solvency, every block: the debt of unsafe urns while the clipper is stopped (nobody can
 * liquidate it), stUSDS utilisation, and the SKY custody invariant (episodes).
 *
 * The urns, vote delegates and running auctions come from the engine's and the clipper's logs
 * (a history scan up to the first block handled with eth_getLogs, then each block's logs from its
 * receipts, read by the block handler itself so that the result does not depend on whether a
 * runtime calls handleBlock before or after the block's transactions); each urn's Vat position is
 * re-read when a log touches it, beside the block's other reads.
 */
import type { Finding } from "forta-agent";
import { ethers } from "forta-agent";
import { SPOT_IFACE, VAT_IFACE, fromBytes32 } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import { decodeEvents } from "../../../shared/logs";
import type { AddressBook } from "../../../shared/maker/chainlog";
import { dec, formatAmount, formatPercent, fromRad, fromWad } from "../../../shared/math";
import { toTag, type RawLog, type RawReceipt } from "../../../shared/rpc/client";
import { carryableLogs } from "../../../shared/rpc/block-logs";
import { contract } from "../../../shared/rpc/contract";
import { CLIP_IFACE, ENGINE_IFACE, STUSDS_READ_IFACE, TOKEN_IFACE, VOTE_DELEGATE_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import type { LockstakeConfig } from "./config";
import { custodyShortfall, oraclePrice, unliquidatableLevel, unsafeDebt, utilisation, utilisationLevel, type UnsafeLevel, type UtilisationLevel } from "./detectors";
import { applyClip, applyEngine, emptyLedger, type Ledger } from "./ledger";

export interface SolvencyState {
  /** engine address the ledger belongs to; its ilk (bytes32) */
  engine: string | null;
  ilk: string | null;
  ledger: Ledger;
  unsafe: EpisodeState<UnsafeLevel>;
  utilisation: EpisodeState<UtilisationLevel>;
  custody: EpisodeState<"short">;
}

export const emptySolvency = (): SolvencyState => ({ engine: null, ilk: null, ledger: emptyLedger(), unsafe: {}, utilisation: {}, custody: {} });

const str = (v: unknown) => (v as { toString(): string }).toString();
/** topic 0 of the Spotter's Poke(bytes32 ilk, bytes32 val, uint256 spot): a price, not a parameter */
const SPOT_POKE = ethers.utils.id("Poke(bytes32,bytes32,uint256)").toLowerCase();

export function solvencyWatcher(ctx: BotContext, book: AddressBook, cfg: LockstakeConfig, state: SolvencyState) {
  const unsafeEp = new Episodes<UnsafeLevel>(["some", "large"], state.unsafe);
  const utilEp = new Episodes<UtilisationLevel>(["warn", "full"], state.utilisation);
  const custodyEp = new Episodes<"short">(["short"], state.custody);

  /**
   * The engine's and the clipper's logs of blocks from..to. One block whose transactions the event
   * names: the logs of its receipts (eth_getBlockReceipts, the very call our runtime makes for the
   * block, so a shared-cache hit: no request and no round trip; none at all for an empty block);
   * a node without eth_getBlockReceipts, or a range (the start-up scan): eth_getLogs.
   */
  let noBlockReceipts = false;
  async function logsOf(addresses: string[], from: number, to: number, txCount: number | undefined): Promise<RawLog[]> {
    if (from === to && txCount !== undefined && !noBlockReceipts) {
      if (txCount === 0) return [];
      let receipts: RawReceipt[] | null = null;
      try {
        receipts = await ctx.rpc.request<RawReceipt[] | null>("eth_getBlockReceipts", [toTag(to)]);
      } catch (err) {
        if ((err as Error).name !== "MethodNotFoundError") throw err;
        noBlockReceipts = true; // not asked again: eth_getLogs from now on
      }
      if (Array.isArray(receipts) && receipts.length === txCount && receipts.every((r) => r && Array.isArray(r.logs))) {
        const want = new Set(addresses);
        return receipts.flatMap((r) => r.logs.filter((l) => want.has(l.address.toLowerCase())));
      }
    }
    return ctx.rpc.getLogs({ address: addresses.length === 1 ? addresses[0]! : addresses, fromBlock: from, toBlock: to });
  }

  /**
   * Bring the ledger up to block `to` (inclusive) from the engine's and the clipper's logs; returns
   * the urns they touched, whose Vat positions the caller re-reads (with its own reads, in one round)
   * before `done(to)`.
   */
  async function catchUp(engine: string, clip: string | undefined, to: number, txCount: number | undefined): Promise<Set<string> | null> {
    if (state.engine !== engine) {
      state.engine = engine;
      state.ledger = emptyLedger();
      state.ilk = String((await contract(ctx.rpc, engine, ENGINE_IFACE, "LOCKSTAKE_ENGINE").read("ilk", [], to))[0]);
    }
    const L = state.ledger;
    let from = L.scannedTo === null ? (cfg.scanFrom > to ? 0 : cfg.scanFrom) : L.scannedTo + 1;
    if (from > to) return null;
    const touched = new Set<string>();
    while (from <= to) {
      const end = Math.min(to, from + cfg.logChunk - 1);
      const logs = await logsOf(clip ? [engine, clip] : [engine], from, end, txCount);
      const ordered = logs
        .map((l) => ({ address: l.address, topics: l.topics, data: l.data, logIndex: Number(l.logIndex), block: Number(l.blockNumber) }))
        .sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
      for (const log of ordered) {
        if (log.address.toLowerCase() === engine) {
          for (const e of decodeEvents([log], ENGINE_IFACE, engine).events) for (const u of applyEngine(L, e)) touched.add(u);
        } else if (clip) {
          for (const e of decodeEvents([log], CLIP_IFACE, clip).events) applyClip(L, e);
        }
      }
      from = end + 1;
    }
    return touched;
  }

  /** Re-read the touched urns' Vat positions (at block `to`). */
  function readUrns(vat: string, touched: Set<string> | null, to: number): Promise<unknown> {
    const L = state.ledger;
    if (!touched) return Promise.resolve();
    const V = contract(ctx.rpc, vat, VAT_IFACE, "Vat");
    return Promise.all(
      [...touched].filter((u) => L.urns[u]).map(async (u) => {
        const [ink, art] = await V.read("urns", [state.ilk, u], to);
        Object.assign(L.urns[u]!, { ink: str(ink), art: str(art) });
      }),
    );
  }

  /**
   * What the block check carries from the parent block, as read at block `hash`, in memory only (a
   * restart or a reorg reads it again): the clipper's `stopped` (written only by its `file`, which
   * logs File), the Spotter's `mat` of the ilk (only by its noted `file(ilk, what, data)`) and the
   * Vat's record of the ilk (only by a Vat note naming the ilk first: init, file, frob, grab, fold).
   * Each is read again when the block has such a log (of the clipper: any; of the Spotter: any but
   * Poke; of the Vat: a note naming the ilk), a log of the ChainLog, or other addresses.
   */
  let carried: { hash: string; at: string; stopped?: string; mat?: string | null; ilkData?: Awaited<ReturnType<ReturnType<typeof contract>["read"]>> } | undefined;

  /** The parent block's carried reads that nothing in this block can have changed. */
  async function carriedFrom(parentHash: string | undefined, at: string, n: number, txCount: number | undefined, clip: string, spotter: string | undefined, vat: string, ilk: string): Promise<NonNullable<typeof carried> | Record<string, never>> {
    if (!carried || carried.at !== at) return {};
    const logs = await carryableLogs(ctx.rpc, { n, txCount, parentHash, carriedAt: carried.hash, chainlog: cfg.chainlog });
    if (!logs) return {};
    const { stopped, mat, ilkData } = carried;
    const keep = { hash: carried.hash, at, stopped, mat, ilkData };
    for (const l of logs) {
      const from = l.address.toLowerCase();
      if (from === clip) keep.stopped = undefined;
      if (from === spotter && String(l.topics[0]).toLowerCase() !== SPOT_POKE) keep.mat = undefined;
      if (from === vat && String(l.topics[1] ?? "").toLowerCase() === ilk.toLowerCase()) keep.ilkData = undefined;
    }
    return keep;
  }

  /**
   * `txCount`: the transactions of the block (its BlockEvent's), which lets the block's logs come
   * from its receipts; `parentHash` lets reads be carried from the parent block.
   */
  async function check(block: BlockRef, chainId: number, txCount?: number, parentHash?: string): Promise<Finding[]> {
    const engine = book.tryGetAddress("LOCKSTAKE_ENGINE");
    const clip = book.tryGetAddress("LOCKSTAKE_CLIP");
    const vat = book.tryGetAddress("MCD_VAT");
    if (!engine || !clip || !vat) return [];
    const n = block.number;
    const touched = await catchUp(engine, clip, n, txCount);
    const L = state.ledger;
    const ilk = state.ilk!;
    const C = contract(ctx.rpc, clip, CLIP_IFACE, "LOCKSTAKE_CLIP");
    const stusds = book.tryGetAddress("STUSDS");
    const sky = book.tryGetAddress("SKY");
    const lssky = book.tryGetAddress("LOCKSTAKE_SKY");
    const spotter = book.tryGetAddress("MCD_SPOT");
    const at = [clip, spotter, vat, ilk].join(":");
    const prev = await carriedFrom(parentHash, at, n, txCount, clip, spotter, vat, ilk);
    // the touched urns' positions and the block's reads go out together (one round trip)
    const [, stopped, due, ilkData, st, custody, mat] = await Promise.all([
      readUrns(vat, touched, n),
      prev.stopped ?? C.read("stopped", [], n).then((r) => str(r[0])),
      C.read("Due", [], n).then((r) => str(r[0])),
      prev.ilkData ?? contract(ctx.rpc, vat, VAT_IFACE, "Vat").read("ilks", [ilk], n),
      stusds
        ? Promise.all([contract(ctx.rpc, stusds, STUSDS_READ_IFACE, "STUSDS").read("totalSupply", [], n), contract(ctx.rpc, stusds, STUSDS_READ_IFACE, "STUSDS").read("chi", [], n)]).then(([s, c]) => ({ supply: str(s[0]), chi: str(c[0]) }))
        : null,
      sky && lssky
        ? Promise.all([
            contract(ctx.rpc, sky, TOKEN_IFACE, "SKY").read("balanceOf", [engine], n).then((r) => str(r[0])),
            contract(ctx.rpc, lssky, TOKEN_IFACE, "LOCKSTAKE_SKY").read("totalSupply", [], n).then((r) => str(r[0])),
            Promise.all(Object.keys(L.voteDelegates).map((vd) => contract(ctx.rpc, vd, VOTE_DELEGATE_IFACE, "VoteDelegate").read("stake", [engine], n).then((r) => str(r[0])))),
          ]).then(([held, supply, delegated]) => ({ held, supply, delegated }))
        : null,
      prev.mat !== undefined ? prev.mat : spotter ? contract(ctx.rpc, spotter, SPOT_IFACE, "MCD_SPOT").read("ilks", [ilk], n).then((r) => str(r.mat)) : null,
    ]);
    carried = { hash: block.hash.toLowerCase(), at, stopped, mat, ilkData };
    if (touched) L.scannedTo = n;
    const [Art, rate, spot] = [str(ilkData.Art), str(ilkData.rate), str(ilkData.spot)];
    const out: Finding[] = [];
    const ilkName = fromBytes32(ilk);

    // unsafe debt nobody can liquidate
    const urns = Object.entries(L.urns);
    const { debtRad, count } = unsafeDebt(urns.map(([, u]) => u), spot, rate);
    ctx.observe?.("sky.lockstake_unsafe_debt", fromRad(debtRad.toString()).toFixed());
    const t = unsafeEp.observe(engine, unliquidatableLevel(stopped, debtRad, cfg.unsafeHighDebt), block);
    if (t) {
      const price = mat ? formatAmount(fromRad((oraclePrice(spot, mat) * 10n ** 18n).toString()), 6) : "?";
      const why = dec(stopped).isZero() ? `liquidations are on again (clipper stopped = 0)` : `no urn is unsafe any more`;
      out.push(
        episodeFinding(ALERTS.unliquidatable, t, (l) => (l === "large" ? FindingSeverity.High : FindingSeverity.Medium), {
          description:
            t.kind === "resolved"
              ? `Lockstake ${engine}: the unsafe debt nobody could liquidate is gone: ${why}`
              : `Lockstake ${engine}: ${count} unsafe urn(s) owe ${formatAmount(fromRad(debtRad.toString()))} USDS (capped SKY price ${price}) while the clipper ${clip} is stopped (${stopped}): nobody can liquidate them, so any further drop lands on stUSDS depositors`,
          key: [chainId, engine],
          addresses: [engine, clip],
          metadata: { engine, clip, stopped, unsafeUrns: count, unsafeDebt: fromRad(debtRad.toString()).toFixed(), highDebt: cfg.unsafeHighDebt.toFixed(), spot, rate },
        }),
      );
    }

    // utilisation of stUSDS
    if (stusds && st) {
      const u = utilisation(Art, rate, due, st.supply, st.chi);
      if (u && u.isFinite()) ctx.observe?.("sky.stusds_utilisation", u.toFixed(6));
      const tu = utilEp.observe(stusds, utilisationLevel(u, cfg.utilisationWarn, cfg.utilisationFull), block);
      if (tu) {
        const debt = fromRad(dec(Art).times(rate).plus(due).toFixed());
        const assets = fromRad(dec(st.supply).times(st.chi).toFixed());
        const pct = u === null ? "0%" : u.isFinite() ? formatPercent(u, 2) : "unbounded (no assets)";
        out.push(
          episodeFinding(ALERTS.utilisation, tu, (l) => (l === "full" ? FindingSeverity.High : FindingSeverity.Medium), {
            description:
              tu.kind === "resolved"
                ? `stUSDS ${stusds}: utilisation back to ${pct} (${formatAmount(debt)} USDS of Lockstake debt and auctions against ${formatAmount(assets)} USDS deposited)`
                : `stUSDS ${stusds}: ${pct} used: ${formatAmount(debt)} USDS of ${ilkName} debt (Art*rate + Due) against ${formatAmount(assets)} USDS deposited${tu.level === "full" ? ": withdrawals revert" : ": a run or a withdrawal freeze is near"}`,
            key: [chainId, stusds],
            addresses: [stusds, engine],
            metadata: { stusds, utilisation: u === null ? "0" : u.isFinite() ? u.toFixed(18) : "Infinity", debt: debt.toFixed(), due: fromRad(due).toFixed(), assets: assets.toFixed(), warn: cfg.utilisationWarn.toFixed(), full: cfg.utilisationFull.toFixed() },
          }),
        );
      }
    }

    // SKY custody
    if (custody) {
      const lots = Object.values(L.auctions).map((a) => a.lot);
      const short = custodyShortfall(custody.held, custody.delegated, custody.supply, lots);
      const tc = custodyEp.observe(engine, short === null ? null : "short", block);
      if (tc) {
        const held = custody.delegated.reduce((s, v) => s.plus(fromWad(v)), fromWad(custody.held));
        const owed = lots.reduce((s, v) => s.plus(fromWad(v)), fromWad(custody.supply));
        out.push(
          episodeFinding(ALERTS.custody, tc, () => FindingSeverity.Critical, {
            description:
              tc.kind === "resolved"
                ? `Lockstake ${engine}: SKY custody holds again: ${formatAmount(held)} SKY held or delegated for ${formatAmount(owed)} lsSKY and auction lots`
                : `Lockstake ${engine}: holds ${formatAmount(fromWad(custody.held))} SKY plus ${formatAmount(held.minus(fromWad(custody.held)))} staked in ${custody.delegated.length} vote delegate(s), but lsSKY supply ${formatAmount(fromWad(custody.supply))} plus ${lots.length} auction lot(s) need ${formatAmount(owed)}: short ${formatAmount(fromWad(short!.toString()))} SKY (SKY left the engine, or lsSKY was minted without SKY)`,
            key: [chainId, engine],
            addresses: [engine, lssky!, sky!],
            metadata: { engine, engineSky: fromWad(custody.held).toFixed(), delegated: held.minus(fromWad(custody.held)).toFixed(), voteDelegates: Object.keys(L.voteDelegates).join(","), lsskySupply: fromWad(custody.supply).toFixed(), auctionLots: owed.minus(fromWad(custody.supply)).toFixed(), shortfall: short === null ? "0" : fromWad(short.toString()).toFixed() },
          }),
        );
      }
    }
    return out;
  }

  return { check };
}
