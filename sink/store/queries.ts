/**
 * Every SQL statement of the sink (both dialects). Each function is a generator to be run inside
 * Db.tx / Db.read (see ./db.ts).
 */
import type { FindingJson } from "../../shared/findings";
import type { Incident, StoredSinkFinding, TimelineEvent } from "../model/incident";
import { incidentKey } from "../model/incident";
import type { IncidentKind, IncidentPriority, IncidentStatus, NotificationEvent, SourcedFinding } from "../model/notification";
import { all, get, run, type Dialect, type Q } from "./db";

// ---- findings ------------------------------------------------------------------------------

interface FindingRow {
  id: number;
  unique_key: string;
  source: string;
  bot: string;
  chain_id: number;
  block_number: number;
  block_hash: string;
  tx_hash: string | null;
  received_at: number;
  incident_id: number | null;
  retracted: number;
  json: string;
}

function toFinding(r: FindingRow): StoredSinkFinding {
  return {
    id: Number(r.id),
    source: r.source,
    bot: r.bot,
    chainId: Number(r.chain_id),
    blockNumber: Number(r.block_number),
    blockHash: r.block_hash,
    ...(r.tx_hash ? { txHash: r.tx_hash } : {}),
    finding: JSON.parse(r.json) as FindingJson,
    receivedAt: Number(r.received_at),
    incidentId: r.incident_id === null ? undefined : Number(r.incident_id),
    retracted: Number(r.retracted) === 1,
  };
}

/** Store a finding unless its uniqueKey is already stored; returns its id, or undefined for a duplicate. */
export function* insertFinding(f: SourcedFinding, source: string, now: number): Q<number | undefined> {
  const rows = yield* all<{ id: number }>(
    `INSERT INTO sink_findings(unique_key, source, bot, chain_id, block_number, block_hash, tx_hash, alert_id, severity, received_at, json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unique_key) DO NOTHING RETURNING id`,
    [f.finding.uniqueKey, source, f.bot, f.chainId, f.blockNumber, f.blockHash, f.txHash ?? null, f.finding.alertId, f.finding.severity, now, JSON.stringify(f.finding)],
  );
  return rows[0] ? Number(rows[0].id) : undefined;
}

export function* attachFinding(findingId: number, incidentId: number): Q<void> {
  yield* run("UPDATE sink_findings SET incident_id = ? WHERE id = ?", [incidentId, findingId]);
}

export function* findingsByKeys(keys: readonly string[]): Q<StoredSinkFinding[]> {
  if (keys.length === 0) return [];
  const out: StoredSinkFinding[] = [];
  for (let i = 0; i < keys.length; i += 200) {
    const chunk = keys.slice(i, i + 200);
    const rows = yield* all<FindingRow>(`SELECT * FROM sink_findings WHERE unique_key IN (${chunk.map(() => "?").join(",")})`, chunk);
    out.push(...rows.map(toFinding));
  }
  return out;
}

export function* markRetracted(ids: readonly number[]): Q<void> {
  for (const id of ids) yield* run("UPDATE sink_findings SET retracted = 1 WHERE id = ?", [id]);
}

export function* findingsOfIncident(incidentId: number): Q<StoredSinkFinding[]> {
  return (yield* all<FindingRow>("SELECT * FROM sink_findings WHERE incident_id = ? ORDER BY id", [incidentId])).map(toFinding);
}

export interface FindingFilter {
  bot?: string;
  alertId?: string;
  severity?: string;
  since?: number;
  incidentId?: number;
  /** ids below this (pagination: pass the last id of the previous page) */
  before?: number;
  limit?: number;
}

export function* listFindings(f: FindingFilter): Q<StoredSinkFinding[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.bot) (where.push("bot = ?"), params.push(f.bot));
  if (f.alertId) (where.push("alert_id = ?"), params.push(f.alertId));
  if (f.severity) (where.push("severity = ?"), params.push(f.severity));
  if (f.since !== undefined) (where.push("received_at >= ?"), params.push(f.since));
  if (f.incidentId !== undefined) (where.push("incident_id = ?"), params.push(f.incidentId));
  if (f.before !== undefined) (where.push("id < ?"), params.push(f.before));
  params.push(Math.min(f.limit ?? 100, 1000));
  const rows = yield* all<FindingRow>(`SELECT * FROM sink_findings ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY id DESC LIMIT ?`, params);
  return rows.map(toFinding);
}

export function* countFindings(): Q<number> {
  const r = yield* get<{ n: number }>("SELECT COUNT(*) AS n FROM sink_findings");
  return Number(r?.n ?? 0);
}

// ---- incidents -----------------------------------------------------------------------------

interface IncidentRow {
  id: number;
  group_key: string;
  title: string;
  type: string;
  priority: string;
  status: string;
  owner: string;
  rule: string | null;
  why: string;
  channels: string;
  chain_id: number;
  alert_id: string;
  bot: string;
  opened_at: number;
  updated_at: number;
  closed_at: number | null;
  last_finding_at: number;
}

function toIncident(r: IncidentRow): Incident {
  return {
    id: Number(r.id),
    key: incidentKey(Number(r.id)),
    groupKey: r.group_key,
    title: r.title,
    type: r.type as IncidentKind,
    priority: r.priority as IncidentPriority,
    status: r.status as IncidentStatus,
    owner: r.owner,
    rule: r.rule ?? undefined,
    why: r.why,
    channels: JSON.parse(r.channels) as string[],
    chainId: Number(r.chain_id),
    alertId: r.alert_id,
    bot: r.bot,
    openedAt: Number(r.opened_at),
    updatedAt: Number(r.updated_at),
    closedAt: r.closed_at === null ? undefined : Number(r.closed_at),
    lastFindingAt: Number(r.last_finding_at),
  };
}

export function* insertIncident(i: Omit<Incident, "id" | "key">): Q<Incident> {
  const rows = yield* all<{ id: number }>(
    `INSERT INTO sink_incidents(group_key, title, type, priority, status, owner, rule, why, channels, chain_id, alert_id, bot, opened_at, updated_at, closed_at, last_finding_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [i.groupKey, i.title, i.type, i.priority, i.status, i.owner, i.rule ?? null, i.why, JSON.stringify(i.channels), i.chainId, i.alertId, i.bot, i.openedAt, i.updatedAt, i.closedAt ?? null, i.lastFindingAt],
  );
  const id = Number(rows[0]!.id);
  return { ...i, id, key: incidentKey(id) };
}

export function* updateIncident(i: Incident): Q<void> {
  yield* run(
    `UPDATE sink_incidents SET title = ?, type = ?, priority = ?, status = ?, owner = ?, rule = ?, why = ?, channels = ?, updated_at = ?, closed_at = ?, last_finding_at = ? WHERE id = ?`,
    [i.title, i.type, i.priority, i.status, i.owner, i.rule ?? null, i.why, JSON.stringify(i.channels), i.updatedAt, i.closedAt ?? null, i.lastFindingAt, i.id],
  );
}

export function* getIncident(id: number, dialect?: Dialect): Q<Incident | undefined> {
  const r = yield* get<IncidentRow>(`SELECT * FROM sink_incidents WHERE id = ?${dialect === "pg" ? " FOR UPDATE" : ""}`, [id]);
  return r ? toIncident(r) : undefined;
}

/** The newest incident of a group still open or acknowledged. */
export function* openIncidentOfGroup(groupKey: string): Q<Incident | undefined> {
  const r = yield* get<IncidentRow>("SELECT * FROM sink_incidents WHERE group_key = ? AND status IN ('open', 'acknowledged') ORDER BY id DESC LIMIT 1", [groupKey]);
  return r ? toIncident(r) : undefined;
}

export interface IncidentFilter {
  status?: string[];
  priority?: string[];
  bot?: string;
  owner?: string;
  since?: number;
  before?: number;
  limit?: number;
}

export function* listIncidents(f: IncidentFilter): Q<Incident[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status?.length) (where.push(`status IN (${f.status.map(() => "?").join(",")})`), params.push(...f.status));
  if (f.priority?.length) (where.push(`priority IN (${f.priority.map(() => "?").join(",")})`), params.push(...f.priority));
  if (f.bot) (where.push("bot = ?"), params.push(f.bot));
  if (f.owner) (where.push("owner = ?"), params.push(f.owner));
  if (f.since !== undefined) (where.push("updated_at >= ?"), params.push(f.since));
  if (f.before !== undefined) (where.push("id < ?"), params.push(f.before));
  params.push(Math.min(f.limit ?? 100, 1000));
  const rows = yield* all<IncidentRow>(`SELECT * FROM sink_incidents ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY id DESC LIMIT ?`, params);
  return rows.map(toIncident);
}

// ---- timeline ------------------------------------------------------------------------------

export function* addEvent(e: Omit<TimelineEvent, "id">): Q<void> {
  yield* run("INSERT INTO sink_events(incident_id, at, actor, kind, detail, finding_key) VALUES (?, ?, ?, ?, ?, ?)", [
    e.incidentId,
    e.at,
    e.actor,
    e.kind,
    e.detail,
    e.findingKey ?? null,
  ]);
}

export function* timeline(incidentId: number): Q<TimelineEvent[]> {
  const rows = yield* all<{ id: number; incident_id: number; at: number; actor: string; kind: string; detail: string; finding_key: string | null }>(
    "SELECT * FROM sink_events WHERE incident_id = ? ORDER BY id",
    [incidentId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    incidentId: Number(r.incident_id),
    at: Number(r.at),
    actor: r.actor,
    kind: r.kind,
    detail: r.detail,
    findingKey: r.finding_key ?? undefined,
  }));
}

// ---- outbox --------------------------------------------------------------------------------

export type OutboxState = "pending" | "sending" | "sent" | "dead" | "digest" | "folded";

export interface OutboxRow {
  id: number;
  incident_id: number;
  channel: string;
  event: NotificationEvent;
  dedupe: string;
  priority: IncidentPriority;
  payload: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

function numify(r: OutboxRow): OutboxRow {
  return {
    ...r,
    id: Number(r.id),
    incident_id: Number(r.incident_id),
    attempts: Number(r.attempts),
    next_attempt_at: Number(r.next_attempt_at),
    created_at: Number(r.created_at),
    lease_until: r.lease_until === null ? null : Number(r.lease_until),
    sent_at: r.sent_at === null ? null : Number(r.sent_at),
  };
}

/** Enqueue a message unless the same (incident, channel, event, discriminator) is already queued. */
export function* enqueue(row: { incidentId: number; channel: string; event: NotificationEvent; dedupe: string; priority: IncidentPriority; payload: string; state: OutboxState; nextAttemptAt: number; now: number }): Q<boolean> {
  const n = yield* run(
    `INSERT INTO sink_outbox(incident_id, channel, event, dedupe, priority, payload, state, attempts, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (dedupe) DO NOTHING`,
    [row.incidentId, row.channel, row.event, row.dedupe, row.priority, row.payload, row.state, row.nextAttemptAt, row.now],
  );
  return n > 0;
}

/** Rows of an incident and channel not yet delivered (pending, sending or held for a digest). */
export function* unsentOf(incidentId: number, channel: string): Q<OutboxRow[]> {
  return (yield* all<OutboxRow>("SELECT * FROM sink_outbox WHERE incident_id = ? AND channel = ? AND state IN ('pending', 'digest') ORDER BY id", [incidentId, channel])).map(numify);
}

export function* lastSent(incidentId: number, channel: string, event: NotificationEvent): Q<OutboxRow | undefined> {
  const r = yield* get<OutboxRow>("SELECT * FROM sink_outbox WHERE incident_id = ? AND channel = ? AND event = ? AND state = 'sent' ORDER BY id DESC LIMIT 1", [incidentId, channel, event]);
  return r ? numify(r) : undefined;
}

export function* setOutbox(id: number, fields: Partial<Pick<OutboxRow, "state" | "payload" | "next_attempt_at" | "last_error" | "attempts">>): Q<void> {
  const keys = Object.keys(fields) as (keyof typeof fields)[];
  if (!keys.length) return;
  yield* run(`UPDATE sink_outbox SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE id = ?`, [...keys.map((k) => fields[k] ?? null), id]);
}

/**
 * Claim up to `limit` due rows for `owner` until `leaseUntil`: the oldest undelivered row of each
 * (incident, channel) only, so messages about an incident reach a channel in order. A row whose
 * lease ran out (its sender died) is due again. On PostgreSQL rows locked by another instance's
 * claim are skipped (FOR UPDATE SKIP LOCKED); SQLite serialises writers.
 */
export function* claimDue(dialect: Dialect, owner: string, now: number, leaseUntil: number, limit: number): Q<OutboxRow[]> {
  const rows = yield* all<OutboxRow>(
    `SELECT o.* FROM sink_outbox o
     WHERE ((o.state = 'pending' AND o.next_attempt_at <= ?) OR (o.state = 'sending' AND o.lease_until < ?))
       AND NOT EXISTS (SELECT 1 FROM sink_outbox e WHERE e.incident_id = o.incident_id AND e.channel = o.channel AND e.id < o.id
                       AND e.state IN ('pending', 'sending', 'digest'))
     ORDER BY o.id LIMIT ?${dialect === "pg" ? " FOR UPDATE OF o SKIP LOCKED" : ""}`,
    [now, now, limit],
  );
  for (const r of rows) {
    yield* run("UPDATE sink_outbox SET state = 'sending', lease_until = ?, lease_owner = ?, attempts = attempts + 1 WHERE id = ?", [leaseUntil, owner, r.id]);
  }
  return rows.map((r) => numify({ ...r, state: "sending", attempts: Number(r.attempts) + 1, lease_owner: owner, lease_until: leaseUntil }));
}

/** Record a send's outcome, only if the row is still ours (our lease did not run out and get taken). */
export function* finishSend(id: number, owner: string, fields: { state: OutboxState; sent_at?: number; next_attempt_at?: number; last_error?: string | null; attempts?: number }): Q<boolean> {
  const n = yield* run(
    `UPDATE sink_outbox SET state = ?, sent_at = ?, next_attempt_at = COALESCE(?, next_attempt_at), last_error = ?, attempts = COALESCE(?, attempts), lease_until = NULL, lease_owner = NULL
     WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
    [fields.state, fields.sent_at ?? null, fields.next_attempt_at ?? null, fields.last_error ?? null, fields.attempts ?? null, id, owner],
  );
  return n > 0;
}

/** Rows held for a digest whose window has passed, oldest first. */
export function* dueDigestRows(before: number, dialect: Dialect): Q<OutboxRow[]> {
  return (yield* all<OutboxRow>(`SELECT * FROM sink_outbox WHERE state = 'digest' AND created_at <= ? ORDER BY channel, id${dialect === "pg" ? " FOR UPDATE SKIP LOCKED" : ""}`, [before])).map(numify);
}

export function* listOutbox(states: OutboxState[], limit = 100): Q<OutboxRow[]> {
  return (yield* all<OutboxRow>(`SELECT * FROM sink_outbox WHERE state IN (${states.map(() => "?").join(",")}) ORDER BY id LIMIT ?`, [...states, limit])).map(numify);
}

export function* outboxById(id: number): Q<OutboxRow | undefined> {
  const r = yield* get<OutboxRow>("SELECT * FROM sink_outbox WHERE id = ?", [id]);
  return r ? numify(r) : undefined;
}

export function* outboxOfIncident(incidentId: number): Q<OutboxRow[]> {
  return (yield* all<OutboxRow>("SELECT * FROM sink_outbox WHERE incident_id = ? ORDER BY id", [incidentId])).map(numify);
}

export function* nextDueAt(): Q<number | undefined> {
  const r = yield* get<{ t: number | null }>("SELECT MIN(next_attempt_at) AS t FROM sink_outbox WHERE state = 'pending'");
  return r?.t === null || r?.t === undefined ? undefined : Number(r.t);
}

// ---- cursors, settings, retention ----------------------------------------------------------

export function* getCursor(name: string): Q<string | undefined> {
  return (yield* get<{ value: string }>("SELECT value FROM sink_cursors WHERE name = ?", [name]))?.value;
}

export function* setCursor(name: string, value: string): Q<void> {
  yield* run("INSERT INTO sink_cursors(name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", [name, value]);
}

export function* getSetting(key: string): Q<string | undefined> {
  return (yield* get<{ value: string }>("SELECT value FROM sink_settings WHERE key = ?", [key]))?.value;
}

export function* setSetting(key: string, value: string): Q<void> {
  yield* run("INSERT INTO sink_settings(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]);
}

/**
 * Retention: findings received before `findingsBefore` that belong to no incident, and
 * incidents closed (resolved, retracted) before `closedBefore` with their timeline, findings and
 * outbox rows. Open and acknowledged incidents are never pruned.
 */
export function* prune(findingsBefore: number, closedBefore: number): Q<{ findings: number; incidents: number }> {
  const closed = yield* all<{ id: number }>("SELECT id FROM sink_incidents WHERE status IN ('resolved', 'retracted') AND closed_at < ?", [closedBefore]);
  for (const { id } of closed) {
    yield* run("DELETE FROM sink_events WHERE incident_id = ?", [id]);
    yield* run("DELETE FROM sink_outbox WHERE incident_id = ? AND state IN ('sent', 'dead', 'folded')", [id]);
    yield* run("DELETE FROM sink_findings WHERE incident_id = ?", [id]);
    yield* run("DELETE FROM sink_incidents WHERE id = ?", [id]);
  }
  const findings = yield* run(
    `DELETE FROM sink_findings WHERE received_at < ? AND incident_id IS NULL`,
    [findingsBefore],
  );
  return { findings, incidents: closed.length };
}
