/**
 * Source/OSM divergence: the Median's (or the Chronicle Scribe's) value against the OSM's current
 * price (what the Spotter and the Clippers use), an episode with hysteresis. A Median is read from
 * storage, a Scribe as its OSM reads it; any other source (a DSValue) closes an open episode.
 */
import type { Finding } from "forta-agent";
import type { OsmFeed } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState, type EpisodeTransition } from "../../../shared/episodes";
import type { BlockRef } from "../../../shared/findings";
import { formatAmount, formatPercent, fromWad } from "../../../shared/math";
import { ALERTS } from "./alerts";
import { thresholdFor, type Config } from "./config";
import { LEVELS, divergence, relative, severityOf, type Level, type MagnitudeRule } from "./detectors";
import type { Oracles } from "./oracles";

export class DivergenceCheck {
  private readonly episodes: Episodes<Level>;

  constructor(
    ctx: BotContext,
    private readonly cfg: Config,
    private readonly oracles: Oracles,
  ) {
    this.episodes = new Episodes<Level>(LEVELS, ctx.persistent<EpisodeState<Level>>("divergence", () => ({})));
  }

  rule(keys: readonly string[]): MagnitudeRule {
    return { threshold: thresholdFor(keys, this.cfg.divergenceThresholds, this.cfg.divergenceThreshold), highFactor: this.cfg.highFactor, criticalFactor: this.cfg.criticalFactor };
  }

  /** `median` null when the OSM's source is not a Median; `medianVal` its value from storage. */
  observe(osm: string, keys: readonly string[], src: string, median: string | null, medianVal: bigint | null, cur: OsmFeed, block: BlockRef, chainId: number, sourceKind: "median" | "scribe" = "median"): Finding[] {
    const open = this.episodes.get(osm) !== undefined;
    const dv = medianVal !== null ? divergence(medianVal, cur, this.rule(keys), this.cfg.divergenceResolve, open) : { gap: null, level: null };
    const t = this.episodes.observe(osm, dv.level, block);
    if (!t) return [];
    const why =
      medianVal === null
        ? sourceKind === "scribe" && median
          ? `the Chronicle Scribe ${src} has no valid value`
          : `the source ${src} is not a Median`
        : !cur.has
          ? "the OSM has no current price"
          : undefined;
    return [this.finding(t, osm, keys, chainId, median, medianVal, cur.has ? cur.val : null, why, sourceKind)];
  }

  forget(osm: string, block: BlockRef, chainId: number, why: string): Finding[] {
    const t = this.episodes.observe(osm, null, block);
    return t ? [this.finding(t, osm, [], chainId, null, null, null, `no longer watched: ${why}`)] : [];
  }

  private finding(
    t: EpisodeTransition<Level>,
    osm: string,
    keys: readonly string[],
    chainId: number,
    median: string | null,
    medianVal: bigint | null,
    curVal: bigint | null,
    resolvedWhy?: string,
    sourceKind: "median" | "scribe" = "median",
  ): Finding {
    const noun = sourceKind === "scribe" ? "Chronicle Scribe" : "Median";
    const gap = medianVal !== null && curVal !== null ? relative(curVal, medianVal) : null;
    const threshold = this.rule(keys).threshold;
    const label = this.oracles.label(osm, keys);
    const prices =
      medianVal !== null && curVal !== null
        ? `the ${noun} ${median} reads ${formatAmount(fromWad(medianVal.toString()), 4)}, the OSM's current price is ${formatAmount(fromWad(curVal.toString()), 4)}${gap ? ` (${formatPercent(gap)})` : ""}`
        : "";
    const description =
      t.kind === "resolved"
        ? resolvedWhy
          ? `${label}: the ${noun}/OSM divergence is no longer measured: ${resolvedWhy}`
          : `${label}: the ${noun} and the OSM agree again: ${prices}`
        : `${label}: ${prices}, beyond ${formatPercent(threshold)}: the protocol prices this collateral away from its market source`;
    return episodeFinding(ALERTS.divergence, t, severityOf, {
      description,
      key: [chainId, osm],
      addresses: [osm, ...(median ? [median] : [])],
      metadata: {
        osm,
        median: median ?? "",
        keys: keys.join(","),
        medianRaw: medianVal ?? "",
        medianPrice: medianVal !== null ? fromWad(medianVal.toString()).toFixed() : "",
        osmCurRaw: curVal ?? "",
        osmCurPrice: curVal !== null ? fromWad(curVal.toString()).toFixed() : "",
        gap: gap?.toFixed(6) ?? "",
        gapPercent: gap ? formatPercent(gap) : "",
        threshold: threshold.toFixed(),
        ...(sourceKind === "scribe" ? { sourceKind } : {}),
      },
    });
  }
}
