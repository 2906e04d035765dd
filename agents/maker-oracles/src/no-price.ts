/**
 * An OSM without a valid current price: `peek()` answers has = false, so the Spotter cannot
 * revalue the collateral and Clippers cannot start or reprice auctions (they need a valid price).
 * A void clears both feeds; after `start` the first poke moves the cleared `nxt` into `cur`, so a
 * valid price returns only with the second poke, a hop later. An episode (opened, resolved).
 */
import type { Finding } from "forta-agent";
import type { OsmFeed } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState, type EpisodeTransition } from "../../../shared/episodes";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import { formatAmount, fromWad } from "../../../shared/math";
import { ALERTS } from "./alerts";
import { HUMAN_TIME, type Oracles } from "./oracles";

export interface NoPriceState {
  zzz: number;
  hop: number;
  stopped: boolean;
  nxt: OsmFeed;
}

export class NoPriceCheck {
  private readonly episodes: Episodes<"missing">;

  constructor(
    ctx: BotContext,
    private readonly oracles: Oracles,
  ) {
    this.episodes = new Episodes<"missing">(["missing"], ctx.persistent<EpisodeState<"missing">>("noPrice", () => ({})));
  }

  /** Not for OSMs never poked or retired (`dormant`). */
  observe(osm: string, keys: readonly string[], s: NoPriceState, cur: OsmFeed, dormant: boolean, block: BlockRef, chainId: number): Finding[] {
    const t = this.episodes.observe(osm, !dormant && s.zzz !== 0 && !cur.has ? "missing" : null, block);
    return t ? [this.finding(t, osm, keys, chainId, s)] : [];
  }

  forget(osm: string, block: BlockRef, chainId: number, why: string): Finding[] {
    const t = this.episodes.observe(osm, null, block);
    return t ? [this.finding(t, osm, [], chainId, null, `no longer watched: ${why}`)] : [];
  }

  private finding(t: EpisodeTransition<"missing">, osm: string, keys: readonly string[], chainId: number, s: NoPriceState | null, resolvedWhy?: string): Finding {
    const earliest = s ? (s.nxt.has ? s.zzz + s.hop : s.zzz + 2 * s.hop) : null;
    const when = !s
      ? ""
      : s.stopped
        ? "it is stopped: no price until it is started and poked twice (a hop apart)"
        : s.nxt.has
          ? `the queued ${formatAmount(fromWad(s.nxt.val.toString()), 4)} becomes current with the next poke, at ${HUMAN_TIME(earliest!)} at the earliest`
          : `nothing is queued either: a valid price needs two pokes, the second at ${HUMAN_TIME(earliest!)} at the earliest`;
    const label = this.oracles.label(osm, keys);
    const description =
      t.kind === "resolved"
        ? `${label} has a valid current price again${resolvedWhy ? ` (${resolvedWhy})` : ""}`
        : `${label} has no valid current price (peek() answers has = false): the Spotter cannot revalue this collateral and its Clipper cannot start or reprice auctions; ${when}`;
    return episodeFinding(ALERTS.noPrice, t, () => FindingSeverity.High, {
      description,
      key: [chainId, osm],
      addresses: [osm],
      metadata: {
        osm,
        keys: keys.join(","),
        ...(s
          ? {
              stopped: s.stopped,
              zzz: s.zzz,
              hop: s.hop,
              nxtValid: s.nxt.has,
              nxtPrice: s.nxt.has ? fromWad(s.nxt.val.toString()).toFixed() : "",
              validPriceEarliestAt: s.stopped ? "" : HUMAN_TIME(earliest!),
            }
          : {}),
        ...(resolvedWhy ? { resolvedBecause: resolvedWhy } : {}),
      },
    });
  }
}
