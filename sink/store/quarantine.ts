/**
 * The quarantine: findings the runtime handed over that intake refused for good (invalid, or
 * data the store cannot hold), kept whole with the reason so nothing is lost, while the
 * runtime's delivery moves past them. Listed by `vigil sink quarantine list`; `retry` hands one
 * to intake again (after a fix), `drop` forgets it. Idempotent by fingerprint (source + JSON).
 */
import { createHash } from "crypto";
import { all, get, run, type Q } from "./db";

export interface QuarantinedFinding {
  id: number;
  source: string;
  uniqueKey?: string;
  bot?: string;
  reason: string;
  /** the finding as it was handed over */
  json: string;
  at: number;
}

interface Row {
  id: number | string;
  source: string;
  unique_key: string | null;
  bot: string | null;
  reason: string;
  json: string;
  at: number | string;
}

const clean = (s: unknown, max: number): string | null => (typeof s === "string" ? s.replace(/\u0000/g, "").slice(0, max) : null);
const toEntry = (r: Row): QuarantinedFinding => ({
  id: Number(r.id),
  source: r.source,
  ...(r.unique_key !== null ? { uniqueKey: r.unique_key } : {}),
  ...(r.bot !== null ? { bot: r.bot } : {}),
  reason: r.reason,
  json: r.json,
  at: Number(r.at),
});

/** Quarantine a finding (a repeat of the same one is a no-op). Returns true when it was new. */
export function* quarantine(source: string, finding: unknown, reason: string, now: number): Q<boolean> {
  const json = JSON.stringify(finding) ?? "null";
  const fingerprint = createHash("sha256").update(`${source}\n${json}`).digest("hex");
  const f = (finding ?? {}) as { bot?: unknown; finding?: { uniqueKey?: unknown } };
  const n = yield* run("INSERT INTO sink_quarantine(fingerprint, source, unique_key, bot, reason, json, at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING", [
    fingerprint,
    source,
    clean(f.finding?.uniqueKey, 500),
    clean(f.bot, 200),
    clean(reason, 2000) ?? "",
    json,
    now,
  ]);
  return n > 0;
}

export function* listQuarantined(limit = 1000): Q<QuarantinedFinding[]> {
  return (yield* all<Row>("SELECT * FROM sink_quarantine ORDER BY id LIMIT ?", [limit])).map(toEntry);
}

export function* quarantinedById(id: number): Q<QuarantinedFinding | undefined> {
  const r = yield* get<Row>("SELECT * FROM sink_quarantine WHERE id = ?", [id]);
  return r && toEntry(r);
}

export function* countQuarantined(): Q<number> {
  return Number((yield* get<{ n: number | string }>("SELECT COUNT(*) AS n FROM sink_quarantine"))?.n ?? 0);
}

export function* unquarantine(id: number): Q<boolean> {
  return (yield* run("DELETE FROM sink_quarantine WHERE id = ?", [id])) > 0;
}
