/**
 * Chronicle Scribes behind OSMs (PIP_ETH, PIP_WSTETH, PIP_WBTC, PIP_SKY since 2025): never
 * treated as Medians (oracles.ts tells them apart). Per block, each Scribe a watched OSM reads is
 * read as that OSM reads it (`tryReadWithAge`): a Scribe nobody pokes is an episode
 * (MAKER-SCRIBE-STALE), Medium past SCRIBE_STALE_AFTER, High at twice, Critical at four times.
 * Its feeds, bar, challenges, wards and readers are rows of events.ts.
 */
import type { BlockEvent, Finding } from "forta-agent";
import { blockRefOf } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { ALERTS } from "./alerts";
import type { Deps } from "./deps";
import { LEVELS, severityOf, type Level } from "./detectors";
import { HUMAN_TIME } from "./oracles";
import { readScribe } from "./reads";
import type { Watcher } from "../../../shared/watchers";

/** The staleness level of a Scribe whose last poke is `age` seconds old at `now` (null when fresh or never poked). */
export function scribeStaleLevel(now: number, age: number, after: number): Level | null {
  if (age === 0) return null;
  const old = now - age;
  if (old >= 4 * after) return "Critical";
  if (old >= 2 * after) return "High";
  if (old >= after) return "Medium";
  return null;
}

export function scribeWatcher(deps: Deps): Watcher {
  const { ctx, config: cfg, oracles } = deps;
  const episodes = new Episodes<Level>(LEVELS, ctx.persistent<EpisodeState<Level>>("scribeStale", () => ({})));
  return {
    name: "scribe",
    async onBlock(blockEvent: BlockEvent): Promise<Finding[]> {
      const block = blockRefOf(blockEvent);
      const table = oracles.pips();
      const scribes = oracles.scribes(table);
      const subjects = new Set([...scribes.keys(), ...episodes.subjects()]);
      const list = [...subjects];
      const reads = await Promise.all(list.map((s) => (scribes.has(s) ? readScribe(ctx.rpc, s, scribes.get(s)![0]!, block.number) : Promise.resolve(null))));
      const out: Finding[] = [];
      list.forEach((scribe, i) => {
        const r = reads[i];
        const osms = scribes.get(scribe) ?? [];
        const keys = osms.flatMap((o) => table.get(o) ?? []);
        const level = r ? scribeStaleLevel(block.timestamp, r.age, cfg.scribeStaleAfter) : null;
        const t = episodes.observe(scribe, level, block);
        if (!t) return;
        const ageText = r && r.age ? HUMAN_TIME(r.age) : "";
        const late = r && r.age ? block.timestamp - r.age : null;
        const name = `Chronicle Scribe ${scribe}${keys.length ? ` behind ${keys.join("/")}` : ""}`;
        out.push(
          episodeFinding(ALERTS.scribeStale, t, severityOf, {
            description:
              t.kind === "resolved"
                ? r
                  ? `${name} is fresh again: poked at ${ageText}`
                  : `${name} is no longer read by a watched OSM: no longer checked`
                : `${name} has not been poked since ${ageText} (${Math.floor(late! / 60)} min, limit ${Math.floor(cfg.scribeStaleAfter / 60)} min): its OSM keeps queueing that value every hop`,
            key: [blockEvent.network, scribe],
            addresses: [scribe, ...osms],
            metadata: {
              scribe,
              sourceKind: oracles.sourceKind(scribe) ?? "",
              osm: osms.join(","),
              keys: keys.join(","),
              age: r?.age ?? "",
              lastPoke: ageText,
              ageSeconds: late ?? "",
              staleAfterSeconds: cfg.scribeStaleAfter,
              readFrom: r?.from ?? "",
            },
          }),
        );
      });
      return out;
    },
  };
}
