/**
 * The bots' observations (ctx.observe) in the sink's own store, for when the sink does not share
 * the runtime's SQLite file (the sink in PostgreSQL): the runtime delivers them after its findings,
 * through the same delivery record (sink_cursor), whole blocks at a time and at least once. A
 * batch replaces what the store holds for its chain from the batch's first block on, so a
 * re-delivery leaves one copy and a reorg leaves none of the orphaned blocks' points.
 * When the sink shares the runtime's file, the dashboard reads the runtime's `observations` table.
 */
import { all, get, run, type Dialect, type Q } from "./db";

export interface ObservationIn {
  id: number;
  chainId: number;
  bot: string;
  name: string;
  labels: string;
  value: number;
  blockNumber: number;
  epoch?: number;
  at: number;
}

export function* replaceObservations(batch: readonly ObservationIn[]): Q<void> {
  const byChain = new Map<number, number>();
  for (const o of batch) byChain.set(o.chainId, Math.min(byChain.get(o.chainId) ?? Infinity, o.blockNumber));
  for (const [chain, from] of byChain) yield* run("DELETE FROM sink_observations WHERE chain_id = ? AND block_number >= ?", [chain, from]);
  for (const o of batch) {
    yield* run("INSERT INTO sink_observations(chain_id, runtime_id, bot, name, labels, value, block_number, epoch, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
      o.chainId,
      o.id,
      o.bot,
      o.name,
      o.labels,
      o.value,
      o.blockNumber,
      o.epoch ?? null,
      o.at,
    ]);
  }
}

export function* pruneObservations(before: number): Q<number> {
  return yield* run("DELETE FROM sink_observations WHERE at < ?", [before]);
}

/** Which table holds the observations the dashboard charts: the runtime's when it shares this database, else the sink's copy. */
export function* observationsTable(dialect: Dialect): Q<"observations" | "sink_observations" | undefined> {
  const exists = function* (name: string): Q<boolean> {
    if (dialect === "pg") return !!(yield* get<{ t: string | null }>("SELECT to_regclass(CAST(? AS TEXT)) AS t", [name]))?.t;
    return (yield* all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [name])).length > 0;
  };
  if (yield* exists("observations")) return "observations";
  if (yield* exists("sink_observations")) return "sink_observations";
  return undefined;
}
