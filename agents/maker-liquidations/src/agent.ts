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
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { ethers } from "forta-agent";
import {
  CAT_IFACE,
  CAT_NOTES,
  CLIP_IFACE,
  DOG_IFACE,
  NoteDecodeError,
  OSM_IFACE,
  OSM_SLOTS,
  SPOT_IFACE,
  decodeNote,
  decodeOsmFeed,
  fileChangeOf,
  fromBytes32,
} from "../../../shared/abi";
import { blockRefOf, fortaContext, lazyAgent, type Agent, type BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState, type EpisodeTransition } from "../../../shared/episodes";
import { VigilError, errorMessage } from "../../../shared/errors";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { AddressBook, CHAINLOG_KEYS } from "../../../shared/maker/chainlog";
import { attributionMetadata, callerPhrase, keepForAttribution } from "../../../shared/maker/attribution";
import { callerAttributionFor, severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { dec, formatAmount, formatPercent, fromRad, fromRay, fromWad } from "../../../shared/math";
import { CallRevertedError } from "../../../shared/rpc/errors";
import { contract, readStorage } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import { loadConfig } from "./config";
import {
  RAY,
  barkLevel,
  breakerMeaning,
  breakerSeverity,
  cascadeLevel,
  daiToRad,
  decodeSale,
  dirtLevel,
  feedPrice,
  incentiveCheck,
  pruneWindow,
  redoableSince,
  takeBelowOracle,
  windowVolumes,
  type CascadeLevel,
  type DirtLevel,
  type WindowEntry,
} from "./detectors";

export const BOT = "maker-liquidations";

interface ClipInfo {
  ilk: string;
  ilkWord: string;
  stopped: number;
  tail: number;
  /** where the bot learnt of it: a ChainLog key, "Dog.bark" or "Dog.file" */
  source: string;
}

interface Auction {
  clip: string;
  id: string;
  ilk: string;
  /** start (or last redo) time */
  tic: number;
  top: string;
  tab: string;
  lot: string;
  usr: string;
  /** block time since which the auction has needed a redo; null while it does not */
  since: number | null;
}

interface LiqState {
  clips: Record<string, ClipInfo>;
  auctions: Record<string, Auction>;
  window: WindowEntry[];
  cascadeIlk: EpisodeState<CascadeLevel>;
  cascadeGlobal: EpisodeState<CascadeLevel>;
  dirtIlk: EpisodeState<DirtLevel>;
  dirtGlobal: EpisodeState<DirtLevel>;
  redo: EpisodeState<"overdue">;
  /** the first block has been handled (start-up checks done) */
  started: boolean;
  /** ChainLog clippers that did not answer like a Clipper (address -> why); not retried */
  unreadable: Record<string, string>;
}

const dai = (rad: bigint | string): string => fromRad(rad.toString()).toFixed();
const daiHuman = (rad: bigint | string): string => `${formatAmount(fromRad(rad.toString()))} DAI`;
const price = (ray: bigint | string): string => fromRay(ray.toString()).toFixed();
const priceHuman = (ray: bigint | string): string => `${formatAmount(fromRay(ray.toString()), 4)} DAI`;
const big = (v: unknown): bigint => (v as ethers.BigNumber).toBigInt();
const auctionKey = (clip: string, id: string): string => `${clip}:${id}`;
/** Auctions in a stable, readable order: by Clipper, then by id as a number (auction 9 before 10). */
const byAuction = (a: string, b: string): number => {
  const [ca, ia] = a.split(":") as [string, string];
  const [cb, ib] = b.split(":") as [string, string];
  if (ca !== cb) return ca < cb ? -1 : 1;
  const x = BigInt(ia);
  const y = BigInt(ib);
  return x < y ? -1 : x > y ? 1 : 0;
};
const GLOBAL = "global";

/** How a liquidation parameter reads for people: its unit by name. */
function paramHuman(what: string, value: string, isAddress: boolean): string {
  if (isAddress) return value;
  switch (what) {
    case "Hole":
    case "hole":
    case "tip":
    case "box":
    case "dunk":
      return daiHuman(value);
    case "chop":
      return `${fromWad(value).toFixed()} (penalty ${formatPercent(fromWad(value).minus(1))})`;
    case "chip":
      return formatPercent(fromWad(value), 4);
    case "buf":
    case "cusp":
      return fromRay(value).toFixed();
    case "tail":
    case "tau":
      return `${value} s`;
    default:
      return value;
  }
}

export function createAgent(ctx: BotContext): Agent {
  const cfg = loadConfig(ctx.env);
  const book = AddressBook.attach(
    ctx.persistent("chainlog", () => AddressBook.emptyState(cfg.chainlog, { keep: keepForAttribution(/^(MCD_DOG|MCD_CAT|MCD_CLIP_(?!CALC_).*)$/) })),
    cfg.chainlog,
  );
  const callers = callerAttributionFor(ctx, book, cfg);
  const state = ctx.persistent<LiqState>("liquidations", () => ({
    clips: {},
    auctions: {},
    window: [],
    cascadeIlk: {},
    cascadeGlobal: {},
    dirtIlk: {},
    dirtGlobal: {},
    redo: {},
    started: false,
    unreadable: {},
  }));
  const cascadeIlk = new Episodes<CascadeLevel>(["high", "critical"], state.cascadeIlk);
  const cascadeGlobal = new Episodes<CascadeLevel>(["high", "critical"], state.cascadeGlobal);
  const dirtIlk = new Episodes<DirtLevel>(["medium", "high"], state.dirtIlk);
  const dirtGlobal = new Episodes<DirtLevel>(["medium", "high"], state.dirtGlobal);
  const redo = new Episodes<"overdue">(["overdue"], state.redo);
  const rad = {
    barkMedium: daiToRad(cfg.barkMedium),
    barkHigh: daiToRad(cfg.barkHigh),
    ilkHigh: daiToRad(cfg.ilkCascadeHigh),
    ilkCritical: daiToRad(cfg.ilkCascadeCritical),
    high: daiToRad(cfg.cascadeHigh),
    critical: daiToRad(cfg.cascadeCritical),
    keeperMax: daiToRad(cfg.keeperMax),
  };
  const dirtT = { medium: cfg.dirtMedium, high: cfg.dirtHigh };

  // ---- clippers ------------------------------------------------------------------------------------

  async function readSale(clip: string, id: bigint, n: number) {
    const out = await ctx.rpc.call({ to: clip, data: CLIP_IFACE.encodeFunctionData("sales", [id]) }, n);
    return decodeSale(out);
  }

  /** Learn a clipper: its ilk, breaker level, tail and the auctions it is running, at block n. */
  async function registerClip(clip: string, n: number, source: string): Promise<void> {
    if (state.clips[clip]) return;
    const r = contract(ctx.rpc, clip, CLIP_IFACE, `Clipper ${source}`);
    const [[ilkWord], stopped, tail, [ids]] = await Promise.all([r.read("ilk", [], n), r.uint("stopped", [], n), r.uint("tail", [], n), r.read("list", [], n)]);
    const ilk = fromBytes32(String(ilkWord));
    state.clips[clip] = { ilk, ilkWord: String(ilkWord).toLowerCase(), stopped: Number(stopped), tail: Number(tail), source };
    const running = (ids as ethers.BigNumber[]).map((id) => id.toBigInt());
    const sales = await Promise.all(running.map((id) => readSale(clip, id, n)));
    running.forEach((id, i) => {
      const s = sales[i]!;
      const key = auctionKey(clip, id.toString());
      state.auctions[key] ??= { clip, id: id.toString(), ilk, tic: s.tic, top: s.top.toString(), tab: s.tab.toString(), lot: s.lot.toString(), usr: s.usr, since: null };
    });
  }

  /**
   * Register the ChainLog's clippers the bot does not know yet (all at once). A key that does not
   * answer like a Clipper is logged as an error once and left alone.
   */
  async function registerChainlogClips(n: number): Promise<void> {
    const fresh = book.matching(CHAINLOG_KEYS.clippers).filter((e) => !state.clips[e.address] && state.unreadable[e.address] === undefined);
    await Promise.all(
      fresh.map((e) =>
        registerClip(e.address, n, e.key).catch((err: unknown) => {
          if (!(err instanceof CallRevertedError || (err instanceof VigilError && ["CONTRACT_DECODE", "BAD_SALE"].includes(err.code)))) throw err;
          state.unreadable[e.address] = errorMessage(err);
          ctx.log.error({ key: e.key, address: e.address, block: n, err: errorMessage(err) }, "a ChainLog clipper does not answer like a Clipper; its auctions are not watched");
        }),
      ),
    );
  }

  // ---- cascades ------------------------------------------------------------------------------------

  function cascadeFinding(spec: typeof ALERTS.cascade, t: EpisodeTransition<CascadeLevel>, subject: string, total: bigint, count: number, firstBlock: number, dog: string): Finding {
    const scope = subject === GLOBAL ? "across all collateral" : `in ${subject}`;
    const description =
      t.kind === "resolved"
        ? `Liquidations ${scope} are back below ${daiHuman(daiToRad(subject === GLOBAL ? cfg.cascadeHigh : cfg.ilkCascadeHigh))} within ${cfg.window} s (${daiHuman(total)} now)`
        : `${daiHuman(total)} of debt liquidated ${scope} in ${count} liquidation(s) within the last ${cfg.window} s (since block ${firstBlock}): ${t.level === "critical" ? "an extreme cascade" : "a liquidation cascade"}`;
    return episodeFinding(spec, t, (l) => (l === "critical" ? FindingSeverity.Critical : FindingSeverity.High), {
      description,
      key: [dog, subject],
      addresses: [dog],
      metadata: {
        dog,
        ilk: subject === GLOBAL ? "" : subject,
        volumeRaw: total.toString(),
        volume: dai(total),
        liquidations: count,
        sinceBlock: count ? firstBlock : "",
        windowSeconds: cfg.window,
        highAt: (subject === GLOBAL ? cfg.cascadeHigh : cfg.ilkCascadeHigh).toFixed(),
        criticalAt: (subject === GLOBAL ? cfg.cascadeCritical : cfg.ilkCascadeCritical).toFixed(),
      },
    });
  }

  /** Prune the window at `block` and report the cascade episodes that changed. */
  function evaluateCascades(block: BlockRef, dog: string): Finding[] {
    pruneWindow(state.window, block.timestamp, cfg.window);
    const v = windowVolumes(state.window);
    const out: Finding[] = [];
    const g = cascadeGlobal.observe(GLOBAL, cascadeLevel(v.global.total, rad.high, rad.critical), block);
    if (g) out.push(cascadeFinding(ALERTS.cascade, g, GLOBAL, v.global.total, v.global.count, v.global.firstBlock, dog));
    const subjects = [...new Set([...Object.keys(v.ilks), ...cascadeIlk.subjects()])].sort();
    for (const ilk of subjects) {
      const vol = v.ilks[ilk] ?? { total: 0n, count: 0, firstBlock: 0 };
      const t = cascadeIlk.observe(ilk, cascadeLevel(vol.total, rad.ilkHigh, rad.ilkCritical), block);
      if (t) out.push(cascadeFinding(ALERTS.ilkCascade, t, ilk, vol.total, vol.count, vol.firstBlock, dog));
    }
    return out;
  }

  // ---- Dirt / Hole ---------------------------------------------------------------------------------

  async function checkDirt(dog: string, ilkWords: readonly string[], global: boolean, block: BlockRef): Promise<Finding[]> {
    const n = block.number;
    const r = contract(ctx.rpc, dog, DOG_IFACE, "Dog");
    const [Hole, Dirt, ...ilks] = await Promise.all([r.uint("Hole", [], n), r.uint("Dirt", [], n), ...ilkWords.map((w) => r.read("ilks", [w], n))]);
    const out: Finding[] = [];
    const finding = (spec: typeof ALERTS.dirt, t: EpisodeTransition<DirtLevel>, subject: string, dirt: bigint, hole: bigint): Finding => {
      const share = hole === 0n ? null : dec(dirt).div(dec(hole));
      const names = subject === GLOBAL ? ["Dirt", "Hole"] : [`dirt of ${subject}`, `hole of ${subject}`];
      const description =
        t.kind === "resolved"
          ? `Dog ${dog}: ${names[0]} is back to ${share ? formatPercent(share) : "n/a"} of ${names[1]} (${daiHuman(dirt)} of ${daiHuman(hole)})`
          : hole === 0n
            ? `Dog ${dog}: Hole is 0: the Dog refuses every new liquidation`
            : `Dog ${dog}: ${names[0]} (DAI needed to cover running auctions) is ${formatPercent(share!)} of ${names[1]} (${daiHuman(dirt)} of ${daiHuman(hole)}; room ${daiHuman(hole > dirt ? hole - dirt : 0n)})${
                dirt >= hole ? ": the limit is hit, new liquidations are refused" : ""
              }`;
      return episodeFinding(spec, t, (l) => (l === "high" ? FindingSeverity.High : FindingSeverity.Medium), {
        description,
        key: [dog, subject],
        addresses: [dog],
        metadata: {
          dog,
          ilk: subject === GLOBAL ? "" : subject,
          dirtRaw: dirt.toString(),
          dirt: dai(dirt),
          holeRaw: hole.toString(),
          hole: dai(hole),
          share: share ? share.toFixed(6) : "",
          mediumAt: cfg.dirtMedium.toFixed(),
          highAt: cfg.dirtHigh.toFixed(),
        },
      });
    };
    if (global) {
      for (const [name, v] of [["maker.dog_dirt", Dirt], ["maker.dog_hole", Hole]] as const) ctx.observe?.(name, dai(v));
      const t = dirtGlobal.observe(GLOBAL, dirtLevel(Dirt, Hole, dirtT, true), block);
      if (t) out.push(finding(ALERTS.dirt, t, GLOBAL, Dirt, Hole));
    }
    ilkWords.forEach((w, i) => {
      const r2 = ilks[i] as ethers.utils.Result;
      const hole = big(r2.hole);
      const dirt = big(r2.dirt);
      const name = fromBytes32(w);
      const t = dirtIlk.observe(name, dirtLevel(dirt, hole, dirtT, false), block);
      if (t) out.push(finding(ALERTS.ilkDirt, t, name, dirt, hole));
    });
    return out;
  }

  // ---- oracle price for a take -----------------------------------------------------------------------

  /**
   * The collateral's current oracle price as the Clipper sees it [ray]: the pip of the Clipper's
   * Spotter, `peek()` called as the Clipper (which the OSM whitelists), divided by `par`. Fallbacks:
   * the OSM's `cur` from storage, then the auction's `top / buf` (the price at kick or redo).
   */
  async function oraclePrice(clip: string, ilkWord: string, auction: Auction | undefined, n: number): Promise<{ feed: bigint; source: string; pip: string }> {
    const clipR = contract(ctx.rpc, clip, CLIP_IFACE, "Clipper");
    const [spotter, buf] = await Promise.all([clipR.addr("spotter", [], n), clipR.uint("buf", [], n)]);
    const spot = contract(ctx.rpc, spotter, SPOT_IFACE, "Spotter");
    const [[pipRaw], par] = await Promise.all([spot.read("ilks", [ilkWord], n), spot.uint("par", [], n)]);
    const pip = String(pipRaw).toLowerCase();
    const problems: string[] = [];
    // the pip refusing (a revert) or answering something else than (bytes32, bool) moves on to the
    // next source; a failing node does not (the error propagates and the runtime retries the block)
    let out: string | null = null;
    try {
      out = await ctx.rpc.call({ to: pip, from: clip, data: OSM_IFACE.encodeFunctionData("peek") }, n);
    } catch (err) {
      if (!(err instanceof CallRevertedError)) throw err;
      problems.push(`peek() as the Clipper reverted: ${errorMessage(err)}`);
    }
    if (out !== null) {
      let decoded: [string, boolean] | null = null;
      try {
        decoded = OSM_IFACE.decodeFunctionResult("peek", out) as unknown as [string, boolean];
      } catch {
        problems.push(`peek() as the Clipper answered ${out.slice(0, 74)}, not (bytes32, bool)`);
      }
      if (decoded && decoded[1]) return { feed: feedPrice(BigInt(decoded[0]), par), source: "peek() as the Clipper", pip };
      if (decoded) problems.push("peek() says the price is not valid");
    }
    const cur = decodeOsmFeed(await readStorage(ctx.rpc, pip, OSM_SLOTS.cur, n));
    if (cur.has) return { feed: feedPrice(cur.val, par), source: "OSM cur (storage slot 3)", pip };
    problems.push("no valid OSM cur in storage slot 3");
    if (auction && buf > 0n) return { feed: (BigInt(auction.top) * RAY) / buf, source: "auction top / buf (the oracle price at kick or redo)", pip };
    throw new VigilError("NO_ORACLE_PRICE", `no oracle price for ${fromBytes32(ilkWord)} at block ${n} (Clipper ${clip}, pip ${pip}): ${problems.join("; ")}`);
  }

  // ---- transactions ------------------------------------------------------------------------------------

  async function paramFinding(
    kind: string,
    address: string,
    e: { what: string; ilk: string | null; value: string; isAddress: boolean },
    block: BlockRef,
    tx: TransactionEvent,
    logIndex: number,
    who: TxCallers,
    loggedCaller: string | null = null,
  ): Promise<Finding> {
    const human = paramHuman(e.what, e.value, e.isAddress);
    const by = await who.classify({ contract: address, param: e.what, logIndex, loggedCaller });
    return createFinding(ALERTS.param, {
      description: `${kind} ${address}: ${e.ilk ? `${e.ilk} ` : ""}${e.what} set to ${human} ${callerPhrase(by)} (transaction from ${tx.from} to ${tx.to ?? "?"})`,
      key: logKey(tx.network, block, tx.hash, logIndex),
      block,
      severity: severityOf(by, ALERTS.param.severity),
      type: typeOf(by, ALERTS.param.type),
      addresses: [address, tx.from, ...(by.caller ? [by.caller] : [])],
      metadata: { contract: kind, address, ilk: e.ilk ?? "", what: e.what, value: e.value, valueHuman: human, from: tx.from, to: tx.to ?? "", txHash: tx.hash, ...attributionMetadata(by) },
    });
  }

  function incentiveFinding(e: DecodedEvent, clip: string, info: ClipInfo, block: BlockRef, tx: TransactionEvent): Finding | null {
    const coin = big(e.args.coin);
    const tab = big(e.args.tab);
    const c = incentiveCheck(coin, tab, cfg.keeperMaxFraction, rad.keeperMax);
    if (!c.outlier) return null;
    const kpr = String(e.args.kpr).toLowerCase();
    return createFinding(ALERTS.keeperIncentive, {
      description: `${info.ilk} auction ${e.args.id.toString()} (Clipper ${clip}): ${e.name} paid keeper ${kpr} ${daiHuman(coin)}${c.fraction ? `, ${formatPercent(c.fraction)} of the ${daiHuman(tab)} tab` : ""} (outlying by ${c.reasons.join(" and ")}); incentives are sucked from the Vow as bad debt`,
      key: logKey(tx.network, block, tx.hash, e.logIndex),
      block,
      addresses: [clip, kpr, tx.from],
      metadata: {
        clip,
        ilk: info.ilk,
        id: e.args.id.toString(),
        event: e.name,
        keeper: kpr,
        coinRaw: coin.toString(),
        coin: dai(coin),
        tabRaw: tab.toString(),
        tab: dai(tab),
        share: c.fraction ? c.fraction.toFixed(6) : "",
        reasons: c.reasons.join(","),
        maxShare: cfg.keeperMaxFraction.toFixed(),
        max: cfg.keeperMax.toFixed(),
        txHash: tx.hash,
      },
    });
  }

  function endAuction(key: string, block: BlockRef, why: string): Finding[] {
    const a = state.auctions[key];
    delete state.auctions[key];
    const t = redo.observe(key, null, block);
    return t && a ? [redoFinding(t, a, null, why)] : [];
  }

  function redoFinding(t: EpisodeTransition<"overdue">, a: Auction, status: { price: bigint; lot: bigint; tab: bigint } | null, why = ""): Finding {
    const info = state.clips[a.clip];
    const description =
      t.kind === "resolved"
        ? `${a.ilk} auction ${a.id} (Clipper ${a.clip}) no longer waits for a redo: ${why || "it was redone or ended"}`
        : `${a.ilk} auction ${a.id} (Clipper ${a.clip}) has needed a redo for ${t.at.timestamp - (a.since ?? t.at.timestamp)} s and nobody redid it: it cannot be taken until reset (${daiHuman(a.tab)} to raise${
            info && info.stopped >= 2 ? `; the breaker is at ${info.stopped}: ${breakerMeaning(info.stopped)}` : ""
          })`;
    return episodeFinding(ALERTS.redoOverdue, t, () => FindingSeverity.High, {
      description,
      key: [a.clip, a.id],
      addresses: [a.clip, a.usr],
      metadata: {
        clip: a.clip,
        ilk: a.ilk,
        id: a.id,
        usr: a.usr,
        tabRaw: status ? status.tab.toString() : a.tab,
        tab: dai(status ? status.tab : a.tab),
        lotRaw: status ? status.lot.toString() : a.lot,
        price: status ? price(status.price) : "",
        needsRedoSince: a.since ?? "",
        graceSeconds: cfg.redoGrace,
        breaker: info ? info.stopped : "",
      },
    });
  }

  async function handleTransaction(tx: TransactionEvent): Promise<Finding[]> {
    const block = blockRefOf(tx);
    const n = block.number;
    book.applyTransaction(tx);
    const who = callers.observe(tx);
    // new ChainLog clippers (and, should a runtime call this before the block handler, the first ones)
    await registerChainlogClips(n);
    const dog = book.tryGetAddress("MCD_DOG");
    const cat = book.tryGetAddress("MCD_CAT");
    const findings: Finding[] = [];
    const dirtIlks = new Set<string>();
    let dirtAll = false;

    // --- Dog ------------------------------------------------------------------------------------------
    if (dog) {
      const { events, undecodable } = decodeEvents(tx.logs, DOG_IFACE, dog);
      for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      for (const e of events) {
        const key = logKey(tx.network, block, tx.hash, e.logIndex);
        if (e.name === "Bark") {
          const ilkWord = String(e.args.ilk).toLowerCase();
          const ilk = fromBytes32(ilkWord);
          const clip = String(e.args.clip).toLowerCase();
          const urn = String(e.args.urn).toLowerCase();
          const due = big(e.args.due);
          if (!state.clips[clip]) await registerClip(clip, n, "Dog.bark");
          const level = barkLevel(due, rad.barkMedium, rad.barkHigh);
          if (level) {
            findings.push(
              createFinding(ALERTS.largeBark, {
                description: `${ilk} vault ${urn} liquidated: ${daiHuman(due)} of debt and ${formatAmount(fromWad(big(e.args.ink).toString()), 4)} ${ilk} collateral sent to auction ${e.args.id.toString()} (Clipper ${clip}); bark sent by ${tx.from}`,
                key,
                block,
                severity: level === "high" ? FindingSeverity.High : FindingSeverity.Medium,
                addresses: [dog, urn, clip, tx.from],
                metadata: {
                  dog,
                  ilk,
                  urn,
                  clip,
                  id: e.args.id.toString(),
                  inkRaw: big(e.args.ink).toString(),
                  ink: fromWad(big(e.args.ink).toString()).toFixed(),
                  artRaw: big(e.args.art).toString(),
                  dueRaw: due.toString(),
                  due: dai(due),
                  mediumAt: cfg.barkMedium.toFixed(),
                  highAt: cfg.barkHigh.toFixed(),
                  from: tx.from,
                  txHash: tx.hash,
                },
              }),
            );
          }
          state.window.push({ t: block.timestamp, b: n, ilk, due: due.toString(), via: "dog" });
          findings.push(...evaluateCascades(block, dog));
          dirtIlks.add(ilkWord);
          dirtAll = true;
        } else if (e.name === "Digs") {
          dirtIlks.add(String(e.args.ilk).toLowerCase());
          dirtAll = true;
        } else if (e.name === "File") {
          const ilkWord = e.signature.startsWith("File(bytes32,bytes32") ? String(e.args.ilk).toLowerCase() : null;
          const what = fromBytes32(String(e.args.what));
          const isAddress = e.signature.endsWith("address)");
          const raw = e.args[e.args.length - 1] as unknown;
          const value = isAddress ? String(raw).toLowerCase() : (raw as ethers.BigNumber).toString();
          findings.push(await paramFinding("Dog", dog, { what, ilk: ilkWord ? fromBytes32(ilkWord) : null, value, isAddress }, block, tx, e.logIndex, who));
          if (what === "Hole") dirtAll = true;
          if (ilkWord && what === "hole") dirtIlks.add(ilkWord);
          if (ilkWord && what === "clip" && !state.clips[value]) await registerClip(value, n, "Dog.file");
        }
      }
    }

    // --- Clippers ---------------------------------------------------------------------------------------
    const clips = Object.keys(state.clips);
    if (clips.length) {
      const { events, undecodable } = decodeEvents(tx.logs, CLIP_IFACE, clips);
      for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      for (const e of events) {
        const clip = e.address;
        const info = state.clips[clip]!;
        const id = e.args.id !== undefined ? (e.args.id as ethers.BigNumber).toString() : "";
        const akey = auctionKey(clip, id);
        switch (e.name) {
          case "Kick":
          case "Redo": {
            const prev = state.auctions[akey];
            state.auctions[akey] = {
              clip,
              id,
              ilk: info.ilk,
              tic: block.timestamp,
              top: big(e.args.top).toString(),
              tab: big(e.args.tab).toString(),
              lot: big(e.args.lot).toString(),
              usr: String(e.args.usr).toLowerCase(),
              since: null,
            };
            if (e.name === "Redo" && prev) {
              const t = redo.observe(akey, null, block);
              if (t) findings.push(redoFinding(t, { ...prev, since: prev.since }, null, `redone by ${String(e.args.kpr).toLowerCase()} in ${tx.hash}`));
            }
            const f = incentiveFinding(e, clip, info, block, tx);
            if (f) findings.push(f);
            break;
          }
          case "Take": {
            const p = big(e.args.price);
            const owe = big(e.args.owe);
            const auction = state.auctions[akey];
            const oracle = await oraclePrice(clip, info.ilkWord, auction, n);
            const check = takeBelowOracle(p, oracle.feed, cfg.takeFloor);
            if (check.below) {
              const bought = p === 0n ? null : dec(owe.toString()).div(dec(p.toString())).div("1e18");
              const worth = bought ? bought.times(fromRay(oracle.feed.toString())) : null;
              findings.push(
                createFinding(ALERTS.takeBelowOracle, {
                  description: `${info.ilk} auction ${id} (Clipper ${clip}): collateral bought at ${priceHuman(p)}, ${check.ratio ? formatPercent(check.ratio) : "?"} of the oracle price ${priceHuman(oracle.feed)}${
                    bought && worth ? ` (${formatAmount(bought, 4)} ${info.ilk} worth ${formatAmount(worth)} DAI for ${daiHuman(owe)})` : ""
                  }; taker ${tx.from}`,
                  key: logKey(tx.network, block, tx.hash, e.logIndex),
                  block,
                  addresses: [clip, tx.from, String(e.args.usr).toLowerCase(), oracle.pip],
                  metadata: {
                    clip,
                    ilk: info.ilk,
                    id,
                    priceRaw: p.toString(),
                    price: price(p),
                    oraclePriceRaw: oracle.feed.toString(),
                    oraclePrice: price(oracle.feed),
                    oracleSource: oracle.source,
                    pip: oracle.pip,
                    ratio: check.ratio ? check.ratio.toFixed(6) : "",
                    floor: cfg.takeFloor.toFixed(),
                    oweRaw: owe.toString(),
                    owe: dai(owe),
                    collateralBought: bought ? bought.toFixed(18) : "",
                    collateralWorth: worth ? worth.toFixed(18) : "",
                    tabLeft: dai(big(e.args.tab)),
                    lotLeftRaw: big(e.args.lot).toString(),
                    usr: String(e.args.usr).toLowerCase(),
                    taker: tx.from,
                    txHash: tx.hash,
                  },
                }),
              );
            }
            const lot = big(e.args.lot);
            const tab = big(e.args.tab);
            if (lot === 0n || tab === 0n) findings.push(...endAuction(akey, block, `taken in ${tx.hash}`));
            else if (auction) {
              auction.lot = lot.toString();
              auction.tab = tab.toString();
            }
            break;
          }
          case "Yank":
            findings.push(...endAuction(akey, block, `yanked in ${tx.hash}`));
            break;
          case "File": {
            const what = fromBytes32(String(e.args.what));
            const isAddress = e.signature === "File(bytes32,address)";
            const value = isAddress ? String(e.args.data).toLowerCase() : big(e.args.data).toString();
            if (what === "stopped") {
              const level = Number(value);
              const before = info.stopped;
              info.stopped = level;
              const sev = breakerSeverity(level);
              const by = await who.classify({ contract: clip, param: "stopped", logIndex: e.logIndex, loggedCaller: null });
              const effect = sev === "high" ? FindingSeverity.High : sev === "medium" ? FindingSeverity.Medium : FindingSeverity.Info;
              findings.push(
                createFinding(ALERTS.breaker, {
                  description: `${info.ilk} Clipper ${clip}: breaker ${before} -> ${level}: ${breakerMeaning(level)} ${callerPhrase(by)} (transaction from ${tx.from} to ${tx.to ?? "?"})`,
                  key: logKey(tx.network, block, tx.hash, e.logIndex),
                  block,
                  severity: severityOf(by, effect),
                  type: typeOf(by, ALERTS.breaker.type),
                  addresses: [clip, tx.from, ...(by.caller ? [by.caller] : [])],
                  metadata: { clip, ilk: info.ilk, before, level, meaning: breakerMeaning(level), from: tx.from, to: tx.to ?? "", txHash: tx.hash, ...attributionMetadata(by) },
                }),
              );
            } else {
              if (what === "tail") info.tail = Number(value);
              findings.push(await paramFinding(`${info.ilk} Clipper`, clip, { what, ilk: null, value, isAddress }, block, tx, e.logIndex, who));
            }
            break;
          }
          default:
            break; // Rely/Deny: admin rights are another bot's concern
        }
      }
    }

    // --- the legacy Cat ------------------------------------------------------------------------------------
    if (cat) {
      const { events, undecodable } = decodeEvents(tx.logs, CAT_IFACE, cat, ["Bite"]);
      for (const u of undecodable) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      for (const e of events) {
        const ilk = fromBytes32(String(e.args.ilk));
        const urn = String(e.args.urn).toLowerCase();
        const flip = String(e.args.flip).toLowerCase();
        const due = big(e.args.tab);
        findings.push(
          createFinding(ALERTS.catBite, {
            description: `${ilk} vault ${urn} liquidated through the legacy Cat ${cat}: ${daiHuman(due)} of debt and ${formatAmount(fromWad(big(e.args.ink).toString()), 4)} ${ilk} collateral sent to flip auction ${e.args.id.toString()} (Flipper ${flip}); English auctions like this one let a lone bidder win at almost no price (March 2020)`,
            key: logKey(tx.network, block, tx.hash, e.logIndex),
            block,
            addresses: [cat, urn, flip, tx.from],
            metadata: {
              cat,
              ilk,
              urn,
              flip,
              id: e.args.id.toString(),
              inkRaw: big(e.args.ink).toString(),
              artRaw: big(e.args.art).toString(),
              dueRaw: due.toString(),
              due: dai(due),
              from: tx.from,
              txHash: tx.hash,
            },
          }),
        );
        state.window.push({ t: block.timestamp, b: n, ilk, due: due.toString(), via: "cat" });
        findings.push(...evaluateCascades(block, dog ?? cat));
      }
      for (const log of tx.logs) {
        if (log.address.toLowerCase() !== cat) continue;
        try {
          const note = decodeNote(log, CAT_NOTES);
          const change = note && note.name === "file" ? fileChangeOf(note) : null;
          if (change) {
            findings.push(await paramFinding("Cat", cat, { what: change.what, ilk: change.ilk, value: change.value, isAddress: change.valueType === "address" }, block, tx, log.logIndex, who, note!.caller));
          }
        } catch (err) {
          if (!(err instanceof NoteDecodeError)) throw err;
          findings.push(undecodableLogFinding(tx.network, block, tx.hash, { address: cat, logIndex: log.logIndex, signature: "Cat LogNote", error: err.message }));
        }
      }
    }

    if (dog && (dirtAll || dirtIlks.size)) findings.push(...(await checkDirt(dog, [...dirtIlks].sort(), dirtAll, block)));
    return findings;
  }

  // ---- blocks ------------------------------------------------------------------------------------------

  async function handleBlock(blockEvent: BlockEvent): Promise<Finding[]> {
    const block = blockRefOf(blockEvent);
    const n = block.number;
    const dog = book.tryGetAddress("MCD_DOG");
    const findings: Finding[] = [];
    await registerChainlogClips(n);

    if (!state.started) {
      state.started = true;
      // conditions that already hold when the bot starts
      const ilks = [...new Set(Object.values(state.clips).map((c) => c.ilkWord))].sort();
      if (dog) findings.push(...(await checkDirt(dog, ilks, true, block)));
    }
    if (dog || book.tryGetAddress("MCD_CAT")) findings.push(...evaluateCascades(block, dog ?? book.tryGetAddress("MCD_CAT")!));

    // auctions: which need a redo, and since when
    const keys = Object.keys(state.auctions).sort(byAuction);
    const statuses = await Promise.all(
      keys.map((k) => {
        const a = state.auctions[k]!;
        return contract(ctx.rpc, a.clip, CLIP_IFACE, `${a.ilk} Clipper`).read("getStatus", [a.id], n);
      }),
    );
    keys.forEach((k, i) => {
      const a = state.auctions[k]!;
      const s = statuses[i]!;
      const needsRedo = Boolean(s.needsRedo);
      const status = { price: big(s.price), lot: big(s.lot), tab: big(s.tab) };
      if (status.lot === 0n && status.tab === 0n && !needsRedo) {
        findings.push(...endAuction(k, block, "the auction has ended"));
        return;
      }
      if (!needsRedo) a.since = null;
      else a.since = redoableSince(a.since ?? block.timestamp, a.tic, state.clips[a.clip]?.tail ?? null, block.timestamp);
      const level = needsRedo && a.since !== null && block.timestamp - a.since >= cfg.redoGrace ? "overdue" : null;
      const t = redo.observe(k, level, block);
      if (t) findings.push(redoFinding(t, a, status, "it no longer needs a redo"));
    });
    return findings;
  }

  return {
    async initialize() {
      await book.ensureLoaded(ctx.rpc, ctx.initBlock);
    },
    handleBlock,
    handleTransaction,
  };
}

export default lazyAgent(() => createAgent(fortaContext(BOT)));
