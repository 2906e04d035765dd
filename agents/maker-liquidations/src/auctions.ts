/**
 * The Clippers' auctions: takes far below the oracle price, keeper incentives on kick and redo,
 * and auctions left needing a redo (an episode per auction, checked every block with getStatus).
 */
import type { BlockEvent, Finding } from "forta-agent";
import { CLIP_IFACE } from "../../../shared/abi";
import { blockRefOf } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeTransition } from "../../../shared/episodes";
import { FindingSeverity, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import type { DecodedEvent } from "../../../shared/logs";
import { dec, formatAmount, formatPercent, fromRay } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import type { Watcher } from "../../../shared/watchers";
import { ALERTS } from "./alerts";
import { breakerMeaning, incentiveCheck, redoableSince, takeBelowOracle } from "./detectors";
import { auctionKey, big, byAuction, dai, daiHuman, price, priceHuman, type Auction, type ClipInfo, type LiqDeps, type LiqTx } from "./model";
import { oraclePrice } from "./oracle";

export function auctionWatcher({ ctx, cfg, state, rad }: LiqDeps): Watcher<LiqTx> {
  const redo = new Episodes<"overdue">(["overdue"], state.redo);

  function incentiveFinding(e: DecodedEvent, clip: string, info: ClipInfo, { tx, block }: LiqTx): Finding | null {
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

  async function takeFinding(e: DecodedEvent, clip: string, info: ClipInfo, id: string, auction: Auction | undefined, { tx, block }: LiqTx): Promise<Finding | null> {
    const p = big(e.args.price);
    const owe = big(e.args.owe);
    const oracle = await oraclePrice(ctx, clip, info.ilkWord, auction, block.number);
    const check = takeBelowOracle(p, oracle.feed, cfg.takeFloor);
    if (!check.below) return null;
    const bought = p === 0n ? null : dec(owe.toString()).div(dec(p.toString())).div("1e18");
    const worth = bought ? bought.times(fromRay(oracle.feed.toString())) : null;
    return createFinding(ALERTS.takeBelowOracle, {
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

  return {
    async onTransaction(t) {
      const { tx, block } = t;
      const out: Finding[] = [];
      for (const e of t.clipEvents) {
        const clip = e.address;
        const info = state.clips[clip]!;
        const id = e.args.id !== undefined ? (e.args.id as { toString(): string }).toString() : "";
        const akey = auctionKey(clip, id);
        if (e.name === "Kick" || e.name === "Redo") {
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
            const r = redo.observe(akey, null, block);
            if (r) out.push(redoFinding(r, { ...prev, since: prev.since }, null, `redone by ${String(e.args.kpr).toLowerCase()} in ${tx.hash}`));
          }
          const f = incentiveFinding(e, clip, info, t);
          if (f) out.push(f);
        } else if (e.name === "Take") {
          const auction = state.auctions[akey];
          const f = await takeFinding(e, clip, info, id, auction, t);
          if (f) out.push(f);
          const lot = big(e.args.lot);
          const tab = big(e.args.tab);
          if (lot === 0n || tab === 0n) out.push(...endAuction(akey, block, `taken in ${tx.hash}`));
          else if (auction) {
            auction.lot = lot.toString();
            auction.tab = tab.toString();
          }
        } else if (e.name === "Yank") {
          out.push(...endAuction(akey, block, `yanked in ${tx.hash}`));
        } // File: params.ts; Rely/Deny: admin rights are another bot's concern
      }
      return out;
    },

    /** Which auctions need a redo, and since when. */
    async onBlock(blockEvent: BlockEvent) {
      const block = blockRefOf(blockEvent);
      const out: Finding[] = [];
      const keys = Object.keys(state.auctions).sort(byAuction);
      const statuses = await Promise.all(
        keys.map((k) => {
          const a = state.auctions[k]!;
          return contract(ctx.rpc, a.clip, CLIP_IFACE, `${a.ilk} Clipper`).read("getStatus", [a.id], block.number);
        }),
      );
      keys.forEach((k, i) => {
        const a = state.auctions[k]!;
        const s = statuses[i]!;
        const needsRedo = Boolean(s.needsRedo);
        const status = { price: big(s.price), lot: big(s.lot), tab: big(s.tab) };
        if (status.lot === 0n && status.tab === 0n && !needsRedo) {
          out.push(...endAuction(k, block, "the auction has ended"));
          return;
        }
        if (!needsRedo) a.since = null;
        else a.since = redoableSince(a.since ?? block.timestamp, a.tic, state.clips[a.clip]?.tail ?? null, block.timestamp);
        const level = needsRedo && a.since !== null && block.timestamp - a.since >= cfg.redoGrace ? "overdue" : null;
        const r = redo.observe(k, level, block);
        if (r) out.push(redoFinding(r, a, status, "it no longer needs a redo"));
      });
      return out;
    },
  };
}
