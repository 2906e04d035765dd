/**
 * Staleness: an OSM (or OSM-like oracle) nobody pokes is an episode (opened, escalated,
 * resolved), evaluated every block from `zzz`, `hop` and the block time. An oracle never poked or
 * retired when first seen is said once (MAKER-ORACLE-WATCH) and not checked until poked again.
 */
import type { Finding } from "forta-agent";
import type { BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState, type EpisodeTransition } from "../../../shared/episodes";
import { createFinding, type BlockRef } from "../../../shared/findings";
import { ALERTS } from "./alerts";
import type { Config } from "./config";
import { LEVELS, lateness, severityOf, staleLevel, type Level } from "./detectors";
import { HUMAN_TIME, type Oracles } from "./oracles";

export interface PokeTimes {
  zzz: number;
  hop: number;
  stopped: boolean;
}

export class StalenessCheck {
  private readonly episodes: Episodes<Level>;

  constructor(
    ctx: BotContext,
    private readonly cfg: Config,
    private readonly oracles: Oracles,
  ) {
    this.episodes = new Episodes<Level>(LEVELS, ctx.persistent<EpisodeState<Level>>("stale", () => ({})));
  }

  /**
   * One oracle at one block: the dormant notice when it is first seen dormant (`firstSeen`), then
   * the staleness episode's transition (none while stopped, dormant or never poked).
   */
  observe(a: string, keys: readonly string[], s: PokeTimes, dormant: boolean, firstSeen: boolean, block: BlockRef, chainId: number): Finding[] {
    const out: Finding[] = [];
    if (firstSeen && dormant) out.push(this.dormantFinding(a, keys, s.zzz, chainId, block));
    const level = s.stopped || dormant || s.zzz === 0 ? null : staleLevel(block.timestamp, s.zzz, s.hop, { grace: this.cfg.staleGrace, highHops: this.cfg.staleHighHops, criticalHops: this.cfg.staleCriticalHops });
    const t = this.episodes.observe(a, level, block);
    if (t) out.push(this.finding(t, a, keys, chainId, s));
    return out;
  }

  /** Close the episode of an oracle that is no longer watched. */
  forget(a: string, block: BlockRef, chainId: number, why: string): Finding[] {
    const t = this.episodes.observe(a, null, block);
    return t ? [this.finding(t, a, [], chainId, null, `no longer watched: ${why}`)] : [];
  }

  private finding(t: EpisodeTransition<Level>, osm: string, keys: readonly string[], chainId: number, s: PokeTimes | null, resolvedWhy?: string): Finding {
    const now = t.at.timestamp;
    const late = s ? lateness(now, s.zzz, s.hop) : null;
    const lateText = late !== null ? `${Math.floor(late / 60)} min` : "";
    const label = this.oracles.label(osm, keys);
    const description =
      t.kind === "resolved"
        ? `${label} is no longer stale: ${resolvedWhy ?? (s?.stopped ? "it is stopped" : `poked at ${HUMAN_TIME(s!.zzz)}`)}`
        : `${label} has not been poked: its last poke was at ${HUMAN_TIME(s!.zzz)} and the next was due at ${HUMAN_TIME(s!.zzz + s!.hop)}, ${lateText} ago (grace ${this.cfg.staleGrace} s); the price the protocol uses is getting old`;
    return episodeFinding(ALERTS.stale, t, severityOf, {
      description,
      key: [chainId, osm],
      addresses: [osm],
      metadata: {
        osm,
        keys: keys.join(","),
        ...(s ? { zzz: s.zzz, lastPoke: HUMAN_TIME(s.zzz), hop: s.hop, dueAt: HUMAN_TIME(s.zzz + s.hop), lateSeconds: late, stopped: s.stopped } : {}),
        graceSeconds: this.cfg.staleGrace,
        blockTimestamp: now,
      },
    });
  }

  private dormantFinding(a: string, keys: readonly string[], zzz: number, chainId: number, block: BlockRef): Finding {
    const label = this.oracles.label(a, keys);
    return createFinding(ALERTS.watch, {
      description:
        zzz === 0
          ? `${label} has never been poked: it is not checked for staleness until its first poke`
          : `${label} was last poked at ${HUMAN_TIME(zzz)}, more than ${Math.round(this.cfg.dormantAfter / 86400)} days ago: treated as retired and not checked for staleness until it is poked again`,
      key: [chainId, block.hash, a, "watch", "dormant"],
      block,
      addresses: [a],
      metadata: { pip: a, keys: keys.join(","), kind: this.oracles.state.kinds[a], reason: zzz === 0 ? "never-poked" : "dormant", zzz, lastPoke: zzz ? HUMAN_TIME(zzz) : "" },
    });
  }
}
