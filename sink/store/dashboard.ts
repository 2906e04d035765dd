/**
 * The dashboard's reads (sink/http/dashboard): everything filtered, ordered and paginated in the
 * database, so a page stays fast with 100,000 findings. Observations live in the runtime's
 * `observations` table (shared/runtime/store.ts) when the sink shares the runtime's SQLite file
 * (npm start, the devnet); otherwise (the sink in PostgreSQL) the runtime delivers them into
 * `sink_observations` (./observations.ts), which is read instead.
 */
import type { Incident, StoredSinkFinding } from "../model/incident";
import { all, get, type Dialect, type Q } from "./db";
import { observationsTable } from "./observations";
import { findingsByKeys, getIncident } from "./queries";

export interface IncidentView extends Incident {
  findings: number;
  lastFinding?: { alertId: string; severity: string; description: string; blockNumber: number; at: number };
}

export interface DashIncidentFilter {
  status?: string[];
  priority?: string[];
  owner?: string;
  bot?: string;
  chain?: number;
  since?: number;
  until?: number;
  offset?: number;
  limit?: number;
}

/** Open first, then acknowledged, then closed; P0 before P1 before P2; most recently changed first. */
export function* dashboardIncidents(f: DashIncidentFilter): Q<{ incidents: IncidentView[]; more: boolean }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status?.length) (where.push(`i.status IN (${f.status.map(() => "?").join(",")})`), params.push(...f.status));
  if (f.priority?.length) (where.push(`i.priority IN (${f.priority.map(() => "?").join(",")})`), params.push(...f.priority));
  if (f.owner) (where.push("i.owner = ?"), params.push(f.owner));
  if (f.bot) (where.push("i.bot = ?"), params.push(f.bot));
  if (f.chain !== undefined) (where.push("i.chain_id = ?"), params.push(f.chain));
  if (f.since !== undefined) (where.push("i.updated_at >= ?"), params.push(f.since));
  if (f.until !== undefined) (where.push("i.opened_at <= ?"), params.push(f.until));
  const limit = Math.min(f.limit ?? 50, 500);
  params.push(limit + 1, f.offset ?? 0);
  const rows = yield* all<{ id: number; n: number; last_json: string | null; last_block: number | null; last_at: number | null }>(
    `SELECT i.id,
       (SELECT COUNT(*) FROM sink_findings c WHERE c.incident_id = i.id) AS n,
       (SELECT l.json FROM sink_findings l WHERE l.incident_id = i.id ORDER BY l.id DESC LIMIT 1) AS last_json,
       (SELECT l.block_number FROM sink_findings l WHERE l.incident_id = i.id ORDER BY l.id DESC LIMIT 1) AS last_block,
       (SELECT l.received_at FROM sink_findings l WHERE l.incident_id = i.id ORDER BY l.id DESC LIMIT 1) AS last_at
     FROM sink_incidents i ${where.length ? "WHERE " + where.join(" AND ") : ""}
     ORDER BY CASE i.status WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END, i.priority, i.updated_at DESC, i.id DESC
     LIMIT ? OFFSET ?`,
    params,
  );
  const incidents: IncidentView[] = [];
  for (const r of rows.slice(0, limit)) {
    const inc = yield* getIncident(Number(r.id));
    if (!inc) continue;
    const last = r.last_json ? (JSON.parse(r.last_json) as { alertId: string; severity: string; description: string }) : undefined;
    incidents.push({
      ...inc,
      findings: Number(r.n),
      ...(last ? { lastFinding: { alertId: last.alertId, severity: last.severity, description: last.description, blockNumber: Number(r.last_block), at: Number(r.last_at) } } : {}),
    });
  }
  return { incidents, more: rows.length > limit };
}

export interface DashFindingFilter {
  q?: string;
  bot?: string;
  alertId?: string;
  severity?: string[];
  priority?: string[];
  chain?: number;
  blockFrom?: number;
  blockTo?: number;
  since?: number;
  until?: number;
  /** keyset pagination: ids below this */
  before?: number;
  limit?: number;
}

/** Newest first, keyset-paginated by id; `q` searches the finding's text (name, description, metadata, addresses). */
export function* dashboardFindings(f: DashFindingFilter): Q<{ findings: StoredSinkFinding[]; next?: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.q) (where.push("LOWER(json) LIKE ?"), params.push(`%${f.q.toLowerCase().replace(/[%_]/g, "")}%`));
  if (f.bot) (where.push("bot = ?"), params.push(f.bot));
  if (f.alertId) (where.push("alert_id = ?"), params.push(f.alertId));
  if (f.severity?.length) (where.push(`severity IN (${f.severity.map(() => "?").join(",")})`), params.push(...f.severity));
  if (f.priority?.length) (where.push(`incident_id IN (SELECT id FROM sink_incidents WHERE priority IN (${f.priority.map(() => "?").join(",")}))`), params.push(...f.priority));
  if (f.chain !== undefined) (where.push("chain_id = ?"), params.push(f.chain));
  if (f.blockFrom !== undefined) (where.push("block_number >= ?"), params.push(f.blockFrom));
  if (f.blockTo !== undefined) (where.push("block_number <= ?"), params.push(f.blockTo));
  if (f.since !== undefined) (where.push("received_at >= ?"), params.push(f.since));
  if (f.until !== undefined) (where.push("received_at <= ?"), params.push(f.until));
  if (f.before !== undefined) (where.push("id < ?"), params.push(f.before));
  const limit = Math.min(f.limit ?? 50, 500);
  params.push(limit + 1);
  const rows = yield* all<{ id: number; unique_key: string }>(
    `SELECT id, unique_key FROM sink_findings ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY id DESC LIMIT ?`,
    params,
  );
  const page = rows.slice(0, limit);
  const byKey = new Map((yield* findingsByKeys(page.map((r) => r.unique_key))).map((x) => [x.finding.uniqueKey, x]));
  const findings = page.map((r) => byKey.get(r.unique_key)).filter((x): x is StoredSinkFinding => !!x);
  return { findings, ...(rows.length > limit ? { next: Number(page[page.length - 1]!.id) } : {}) };
}

/** A number that changes whenever anything the dashboard shows changes (live updates). */
export function* dashboardVersion(): Q<string> {
  const r = yield* get<{ e: number | null; f: number | null; u: number | null; o: number | null; s: number | null }>(
    `SELECT (SELECT MAX(id) FROM sink_events) AS e, (SELECT MAX(id) FROM sink_findings) AS f, (SELECT MAX(updated_at) FROM sink_incidents) AS u,
            (SELECT MAX(id) FROM sink_outbox) AS o, (SELECT COUNT(*) FROM sink_outbox WHERE state IN ('sent', 'dead')) AS s`,
  );
  return [r?.e, r?.f, r?.u, r?.o, r?.s].map((x) => Number(x ?? 0)).join(".");
}

export interface BotActivity {
  bot: string;
  findings: number;
  lastBlock?: number;
  lastAt?: number;
}

export function* botActivity(): Q<BotActivity[]> {
  const rows = yield* all<{ bot: string; n: number; b: number | null; t: number | null }>(
    "SELECT bot, COUNT(*) AS n, MAX(block_number) AS b, MAX(received_at) AS t FROM sink_findings GROUP BY bot ORDER BY bot",
  );
  return rows.map((r) => ({ bot: r.bot, findings: Number(r.n), ...(r.b !== null ? { lastBlock: Number(r.b) } : {}), ...(r.t !== null ? { lastAt: Number(r.t) } : {}) }));
}

/** The runtime's errors about bots (VIGIL-BOT-* findings name the bot in metadata.bot), newest first. */
export function* botErrors(limit = 500): Q<{ bot: string; alertId: string; description: string; at: number; blockNumber: number }[]> {
  const rows = yield* all<{ json: string; received_at: number; block_number: number }>(
    "SELECT json, received_at, block_number FROM sink_findings WHERE alert_id LIKE 'VIGIL-BOT-%' ORDER BY id DESC LIMIT ?",
    [limit],
  );
  return rows.map((r) => {
    const f = JSON.parse(r.json) as { alertId: string; description: string; metadata?: Record<string, string> };
    return { bot: f.metadata?.bot ?? "?", alertId: f.alertId, description: f.description, at: Number(r.received_at), blockNumber: Number(r.block_number) };
  });
}

function* tableExists(dialect: Dialect, name: string): Q<boolean> {
  if (dialect === "pg") return !!(yield* get<{ t: string | null }>("SELECT to_regclass(CAST(? AS TEXT)) AS t", [name]))?.t;
  return !!(yield* get<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [name]));
}

/** The runtime's view when it shares this database: its cursor, newest block, and the bots it found off. */
export function* runtimeState(dialect: Dialect): Q<{ cursor?: number; head?: { number: number; timestamp: number }; disabled: Record<string, string> } | undefined> {
  if (!(yield* tableExists(dialect, "meta")) || !(yield* tableExists(dialect, "blocks"))) return undefined;
  const meta = yield* all<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key = 'cursor' OR key LIKE 'bot.disabled.%'");
  const head = yield* get<{ number: number; timestamp: number }>("SELECT number, timestamp FROM blocks ORDER BY number DESC LIMIT 1");
  const disabled: Record<string, string> = {};
  let cursor: number | undefined;
  for (const m of meta) {
    if (m.key === "cursor") cursor = Number(m.value);
    else disabled[m.key.slice("bot.disabled.".length)] = m.value;
  }
  return { ...(cursor !== undefined ? { cursor } : {}), ...(head ? { head: { number: Number(head.number), timestamp: Number(head.timestamp) } } : {}), disabled };
}

export interface Series {
  bot: string;
  name: string;
  labels: Record<string, string>;
  /** [epoch ms, value, block] oldest first */
  points: [number, number, number][];
}

export interface SeriesFilter {
  names?: string[];
  prefix?: string;
  bot?: string;
  blockFrom?: number;
  blockTo?: number;
  since?: number;
  limit?: number;
}

/** Observations grouped into series (bot, name, labels), the newest `limit` points overall. */
export function* observationSeries(dialect: Dialect, f: SeriesFilter): Q<Series[]> {
  const table = yield* observationsTable(dialect);
  if (!table) return [];
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.names?.length) (where.push(`name IN (${f.names.map(() => "?").join(",")})`), params.push(...f.names));
  if (f.prefix) (where.push("name LIKE ?"), params.push(`${f.prefix.replace(/[%_]/g, "")}%`));
  if (f.bot) (where.push("bot = ?"), params.push(f.bot));
  if (f.blockFrom !== undefined) (where.push("block_number >= ?"), params.push(f.blockFrom));
  if (f.blockTo !== undefined) (where.push("block_number <= ?"), params.push(f.blockTo));
  if (f.since !== undefined) (where.push("at >= ?"), params.push(f.since));
  params.push(Math.min(f.limit ?? 20_000, 100_000));
  const rows = yield* all<{ bot: string; name: string; labels: string; value: number; block_number: number; at: number }>(
    `SELECT * FROM (SELECT id, bot, name, labels, value, block_number, at FROM ${table} ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY id DESC LIMIT ?) t ORDER BY id`,
    params,
  );
  const series = new Map<string, Series>();
  for (const r of rows) {
    const k = `${r.bot}\u0000${r.name}\u0000${r.labels}`;
    let s = series.get(k);
    if (!s) series.set(k, (s = { bot: r.bot, name: r.name, labels: JSON.parse(r.labels) as Record<string, string>, points: [] }));
    s.points.push([Number(r.at), Number(r.value), Number(r.block_number)]);
  }
  return [...series.values()];
}

/** When the first finding at or after `since` was received. */
export function* firstFindingSince(since: number): Q<number | undefined> {
  const r = yield* get<{ t: number | null }>("SELECT MIN(received_at) AS t FROM sink_findings WHERE received_at >= ?", [since]);
  return r?.t === null || r?.t === undefined ? undefined : Number(r.t);
}

/** Findings per bot per time bucket (the vital signs' activity chart). */
export function* findingsPerBot(since: number, bucketMs: number): Q<{ bot: string; bucket: number; n: number }[]> {
  const rows = yield* all<{ bot: string; b: number; n: number }>(
    `SELECT bot, CAST(received_at / CAST(? AS BIGINT) AS BIGINT) AS b, COUNT(*) AS n FROM sink_findings WHERE received_at >= ? GROUP BY 1, 2 ORDER BY b`,
    [bucketMs, since],
  );
  return rows.map((r) => ({ bot: r.bot, bucket: Math.floor(Number(r.b)) * bucketMs, n: Number(r.n) }));
}
