/**
 * Net USDS -> DAI flow through DAI_USDS over a window (sky.md §3: "a sudden one-way surge of
 * USDS->DAI is a peg or run signal"): an episode (Medium), opened when the window's net flow
 * reaches SKY_USDS_TO_DAI_SURGE, resolved when it falls back below. Transactions record each
 * block's net flow; the window is judged in the block handler over the blocks before it, so the
 * order in which a runtime calls one block's handlers does not matter (the surge of block m is
 * reported with block m + 1).
 */
import type { Finding } from "forta-agent";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import type { DecodedEvent } from "../../../shared/logs";
import { formatAmount, fromWad, toWad } from "../../../shared/math";
import { ALERTS } from "./alerts";
import type { StablecoinConfig } from "./config";
import { windowNet, type FlowPoint } from "./flows";

export interface SurgeState {
  converter: string | null;
  /** per block with conversions, in block order */
  points: FlowPoint[];
  episode: EpisodeState<"surge">;
}
export const emptySurge = (): SurgeState => ({ converter: null, points: [], episode: {} });

export function conversionSurge(cfg: StablecoinConfig, st: SurgeState) {
  const episodes = new Episodes<"surge">(["surge"], st.episode);
  const threshold = BigInt(toWad(cfg.surge));
  return {
    /** record a transaction's DAI_USDS conversions */
    onTransaction(converter: string, events: readonly DecodedEvent[], block: BlockRef): void {
      let net = 0n;
      for (const e of events) {
        const wad = BigInt(String(e.args.wad));
        if (e.name === "UsdsToDai") net += wad;
        else if (e.name === "DaiToUsds") net -= wad;
      }
      if (net === 0n && !events.length) return;
      if (st.converter !== converter) Object.assign(st, { converter, points: [] });
      const last = st.points[st.points.length - 1];
      if (last && last.b === block.number) last.net = (BigInt(last.net) + net).toString();
      else st.points.push({ b: block.number, t: block.timestamp, net: net.toString() });
    },
    /** judge the window over the blocks before this one */
    onBlock(converter: string | undefined, block: BlockRef): Finding[] {
      if (!converter) return [];
      if (st.converter !== converter) Object.assign(st, { converter, points: [] });
      const earlier = st.points.filter((p) => p.b < block.number);
      const later = st.points.filter((p) => p.b >= block.number);
      const net = windowNet(earlier, block.timestamp, cfg.conversionWindow);
      st.points = [...earlier, ...later];
      const t = episodes.observe(converter, net >= threshold ? "surge" : null, block);
      if (!t) return [];
      const amount = formatAmount(fromWad(net.toString()));
      return [
        episodeFinding(ALERTS.surge, t, () => FindingSeverity.Medium, {
          description:
            t.kind === "resolved"
              ? `DAI_USDS ${converter}: net USDS -> DAI over the last ${cfg.conversionWindow} s is back below ${formatAmount(cfg.surge)} USDS (${amount})`
              : `DAI_USDS ${converter}: ${amount} USDS more converted to DAI than DAI to USDS within ${cfg.conversionWindow} s (threshold ${formatAmount(cfg.surge)}): holders leaving USDS, a peg or run signal`,
          key: [converter],
          addresses: [converter],
          metadata: { converter, netUsdsToDaiRaw: net.toString(), netUsdsToDai: fromWad(net.toString()).toFixed(), threshold: cfg.surge.toFixed(), windowSeconds: cfg.conversionWindow },
        }),
      ];
    },
  };
}
