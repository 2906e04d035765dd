/**
 * Findings into incidents, and the commands people give them. Everything here runs inside one
 * store transaction per call, with the outbox rows routing adds (sink/routing/notify.ts): an
 * incident change and the messages it causes are committed together or not at all.
 *
 * - Grouping: findings of one episode (metadata.episodeId, same chain and bot) form one incident;
 *   other findings group by chain, alert and subject (metadata.subject, else the addresses) while
 *   they keep coming within settings.groupWindow (by the findings' own timestamps).
 * - Escalation: a later finding of higher priority raises the incident's priority.
 * - Resolution: the episode's "resolved" finding resolves the incident; or a person does.
 * - Retraction: a VIGIL-REORG-RETRACTION names findings (metadata.retractedKeys) that no longer
 *   happened: each incident concerned records it; an incident made only of retracted findings
 *   closes as retracted, and the channels that were told of it are told.
 */
import { VigilError } from "../../shared/errors";
import type { RulesConfig } from "../config/rules";
import type { Incident } from "../model/incident";
import { priorityRank } from "../model/incident";
import type { IncidentKind, IncidentPriority, NotificationEvent, SourcedFinding } from "../model/notification";
import { notify } from "../routing/notify";
import { all, type Dialect, type Q } from "../store/db";
import {
  addEvent,
  attachFinding,
  findingsByKeys,
  findingsOfIncident,
  getIncident,
  insertFinding,
  insertIncident,
  markRetracted,
  openIncidentOfGroup,
  outboxOfIncident,
  updateIncident,
} from "../store/queries";
import { qualify } from "./qualify";

export const RETRACTION_ALERT = "VIGIL-REORG-RETRACTION";
export const SYSTEM_ACTOR = "vigil-sink";

export interface IngestResult {
  /** per finding, in order: stored, or a duplicate of one already stored */
  results: { uniqueKey: string; status: "stored" | "duplicate"; incident?: string }[];
  opened: Incident[];
}

export interface EngineContext {
  rules: RulesConfig;
  dialect: Dialect;
  now: () => number;
}

function groupKeyOf(sf: SourcedFinding): string {
  const md = sf.finding.metadata;
  if (md.episodeId) return `episode|${sf.chainId}|${sf.bot}|${md.episodeId}`;
  const subject = md.subject || [...sf.finding.addresses].sort().join(",") || "-";
  return `alert|${sf.chainId}|${sf.finding.alertId}|${subject}`;
}

function findingTime(sf: SourcedFinding, now: number): number {
  const t = Date.parse(sf.finding.timestamp);
  return Number.isFinite(t) ? t : now;
}

function ownerName(ctx: EngineContext, owner: string): string | undefined {
  return ctx.rules.owners.get(owner)?.name;
}

/** Store findings (idempotent by uniqueKey) and qualify the new ones into incidents. */
export function* ingest(ctx: EngineContext, findings: readonly SourcedFinding[], source: string): Q<IngestResult> {
  // several sink instances on one PostgreSQL: intake is serialised so grouping sees every incident
  if (ctx.dialect === "pg") yield* all("SELECT pg_advisory_xact_lock(734002)");
  const out: IngestResult = { results: [], opened: [] };
  for (const sf of findings) {
    const now = ctx.now();
    const id = yield* insertFinding(sf, source, now);
    if (id === undefined) {
      out.results.push({ uniqueKey: sf.finding.uniqueKey, status: "duplicate" });
      continue;
    }
    if (sf.finding.alertId === RETRACTION_ALERT) {
      yield* retract(ctx, sf, now);
      out.results.push({ uniqueKey: sf.finding.uniqueKey, status: "stored" });
      continue;
    }
    const inc = yield* place(ctx, sf, id, now, out);
    out.results.push({ uniqueKey: sf.finding.uniqueKey, status: "stored", ...(inc ? { incident: inc.key } : {}) });
  }
  return out;
}

function* place(ctx: EngineContext, sf: SourcedFinding, findingId: number, now: number, out: IngestResult): Q<Incident | undefined> {
  const q = qualify(sf, ctx.rules);
  const groupKey = groupKeyOf(sf);
  const at = findingTime(sf, now);
  const episode = sf.finding.metadata.episode;
  let inc = yield* openIncidentOfGroup(groupKey);
  if (inc && !sf.finding.metadata.episodeId && inc.lastFindingAt < at - ctx.rules.settings.groupWindowMs) inc = undefined;

  if (inc) {
    yield* attachFinding(findingId, inc.id);
    inc.lastFindingAt = Math.max(inc.lastFindingAt, at);
    inc.updatedAt = now;
    if (episode === "resolved") {
      inc.status = "resolved";
      inc.closedAt = now;
      yield* updateIncident(inc);
      yield* event(ctx, inc, "resolved", SYSTEM_ACTOR, `episode resolved: ${sf.finding.description}`, sf, now, [sf]);
    } else if (q.priority && priorityRank(q.priority) < priorityRank(inc.priority)) {
      const from = inc.priority;
      inc.priority = q.priority;
      inc.title = sf.finding.name || inc.title;
      yield* updateIncident(inc);
      yield* event(ctx, inc, "escalated", SYSTEM_ACTOR, `${from} -> ${q.priority}: ${sf.finding.description}`, sf, now, [sf]);
    } else {
      yield* updateIncident(inc);
      yield* addEvent({ incidentId: inc.id, at: now, actor: SYSTEM_ACTOR, kind: "finding", detail: sf.finding.description, findingKey: sf.finding.uniqueKey });
    }
    return inc;
  }
  if (!q.priority || episode === "resolved") return undefined;
  const created = yield* insertIncident({
    groupKey,
    title: sf.finding.name || sf.finding.alertId,
    type: q.type,
    priority: q.priority,
    status: "open",
    owner: q.owner,
    rule: q.rule,
    why: q.why,
    channels: q.channels,
    chainId: sf.chainId,
    alertId: sf.finding.alertId,
    bot: sf.bot,
    openedAt: now,
    updatedAt: now,
    lastFindingAt: at,
  });
  yield* attachFinding(findingId, created.id);
  yield* event(ctx, created, "opened", SYSTEM_ACTOR, `${sf.finding.description} (${q.why})`, sf, now, [sf]);
  out.opened.push(created);
  return created;
}

/** Add a timeline event and tell the incident's channels (events that channels hear of). */
function* event(
  ctx: EngineContext,
  inc: Incident,
  kind: Exclude<NotificationEvent, "digest"> | "comment" | "assigned",
  actor: string,
  detail: string,
  sf: SourcedFinding | undefined,
  now: number,
  findings: SourcedFinding[],
  channels?: string[],
): Q<void> {
  yield* addEvent({ incidentId: inc.id, at: now, actor, kind, detail, findingKey: sf?.finding.uniqueKey });
  if (kind === "comment" || kind === "assigned") return;
  const [{ n }] = yield* all<{ n: number }>("SELECT COUNT(*) AS n FROM sink_events WHERE incident_id = ?", [inc.id]);
  yield* notify({
    incident: inc,
    event: kind,
    discriminator: String(n),
    findings,
    actor: actor === SYSTEM_ACTOR ? undefined : actor,
    note: actor === SYSTEM_ACTOR ? undefined : detail,
    now,
    settings: ctx.rules.settings,
    ownerName: ownerName(ctx, inc.owner),
    channels,
  });
}

function* retract(ctx: EngineContext, sf: SourcedFinding, now: number): Q<void> {
  let keys: string[] = [];
  try {
    const parsed = JSON.parse(sf.finding.metadata.retractedKeys ?? "[]") as unknown;
    if (Array.isArray(parsed)) keys = parsed.filter((k): k is string => typeof k === "string");
  } catch {
    /* an unreadable list retracts nothing; the finding itself is stored */
  }
  const named = yield* findingsByKeys(keys);
  yield* markRetracted(named.map((f) => f.id));
  const byIncident = new Map<number, typeof named>();
  for (const f of named) if (f.incidentId !== undefined) byIncident.set(f.incidentId, [...(byIncident.get(f.incidentId) ?? []), f]);
  for (const [incId, retracted] of byIncident) {
    const inc = yield* getIncident(incId, ctx.dialect);
    if (!inc) continue;
    const remaining = (yield* findingsOfIncident(incId)).filter((f) => !f.retracted);
    const detail = `reorg retracted ${retracted.length} finding(s): ${sf.finding.description}`;
    if (remaining.length > 0 || inc.status === "retracted") {
      yield* addEvent({ incidentId: inc.id, at: now, actor: SYSTEM_ACTOR, kind: "finding-retracted", detail, findingKey: sf.finding.uniqueKey });
      continue;
    }
    inc.status = "retracted";
    inc.closedAt = now;
    inc.updatedAt = now;
    yield* updateIncident(inc);
    // tell only the channels that were told of the incident (a message sent, or still on its way)
    const told = [...new Set((yield* outboxOfIncident(inc.id)).filter((r) => r.state !== "dead" && r.state !== "folded").map((r) => r.channel))];
    yield* event(ctx, inc, "retracted", SYSTEM_ACTOR, detail, sf, now, retracted, told);
  }
}

// ---- commands from people ------------------------------------------------------------------

export type Command =
  | { kind: "ack" }
  | { kind: "resolve" }
  | { kind: "reopen" }
  | { kind: "requalify"; priority?: IncidentPriority; type?: IncidentKind }
  | { kind: "assign"; owner: string }
  | { kind: "comment" };

export class CommandError extends VigilError<"SINK_COMMAND"> {
  constructor(
    message: string,
    readonly status = 409,
  ) {
    super("SINK_COMMAND", message);
  }
}

export function* command(ctx: EngineContext, incidentId: number, cmd: Command, actor: string, note?: string): Q<Incident> {
  const inc = yield* getIncident(incidentId, ctx.dialect);
  if (!inc) throw new CommandError(`incident INC-${incidentId} does not exist; list them with \`vigil sink incidents\``, 404);
  const now = ctx.now();
  const latest = (yield* findingsOfIncident(inc.id)).slice(-1);
  const closed = inc.status === "resolved" || inc.status === "retracted";
  inc.updatedAt = now;
  switch (cmd.kind) {
    case "ack":
      if (inc.status !== "open") throw new CommandError(`${inc.key} is ${inc.status}; only an open incident can be acknowledged`);
      inc.status = "acknowledged";
      yield* updateIncident(inc);
      yield* event(ctx, inc, "acknowledged", actor, note ?? "acknowledged", undefined, now, latest);
      break;
    case "resolve":
      if (closed) throw new CommandError(`${inc.key} is already ${inc.status}`);
      inc.status = "resolved";
      inc.closedAt = now;
      yield* updateIncident(inc);
      yield* event(ctx, inc, "resolved", actor, note ?? "resolved by hand", undefined, now, latest);
      break;
    case "reopen":
      if (!closed && inc.status !== "acknowledged") throw new CommandError(`${inc.key} is already open`);
      inc.status = "open";
      inc.closedAt = undefined;
      yield* updateIncident(inc);
      yield* event(ctx, inc, "reopened", actor, note ?? "reopened", undefined, now, latest);
      break;
    case "requalify": {
      if (!cmd.priority && !cmd.type) throw new CommandError("requalify needs a new priority and/or type", 400);
      const what = [cmd.priority && `priority ${inc.priority} -> ${cmd.priority}`, cmd.type && `type ${inc.type} -> ${cmd.type}`].filter(Boolean).join(", ");
      if (cmd.priority) inc.priority = cmd.priority;
      if (cmd.type) inc.type = cmd.type;
      inc.why = `${inc.why}; requalified by ${actor}: ${what}${note ? ` (${note})` : ""}`;
      yield* updateIncident(inc);
      yield* event(ctx, inc, "requalified", actor, `${what}${note ? `: ${note}` : ""}`, undefined, now, latest);
      break;
    }
    case "assign": {
      const owner = ctx.rules.owners.get(cmd.owner);
      if (!owner) throw new CommandError(`owner "${cmd.owner}" is not in the rules file ${ctx.rules.file} (owners: ${[...ctx.rules.owners.keys()].join(", ")})`, 400);
      const from = inc.owner;
      inc.owner = owner.id;
      const added = owner.channels.filter((c) => !inc.channels.includes(c));
      inc.channels = [...new Set([...inc.channels, ...owner.channels])];
      yield* updateIncident(inc);
      yield* event(ctx, inc, "assigned", actor, `owner ${from} -> ${owner.id}${note ? `: ${note}` : ""}`, undefined, now, latest);
      // the new owner's channels hear of it as it stands
      if (added.length) yield* notify({ incident: inc, event: "opened", discriminator: `assigned-${now}`, findings: latest, actor, note: `assigned to ${owner.name}`, now, settings: ctx.rules.settings, ownerName: owner.name, channels: added });
      break;
    }
    case "comment":
      if (!note) throw new CommandError("a comment needs text", 400);
      yield* updateIncident(inc);
      yield* event(ctx, inc, "comment", actor, note, undefined, now, latest);
      break;
  }
  return inc;
}
