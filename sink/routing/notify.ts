/**
 * Routing, in the incident's transaction: an incident change becomes one outbox row per channel
 * of the incident. No noise:
 * - digests: events of incidents whose priority is in settings.digestPriorities (P2) are held
 *   ('digest') and sent together by the delivery worker once digestWindow has passed;
 * - cooldown: an escalation while an earlier one is still unsent updates that message instead of
 *   adding one; an escalation within `cooldown` of the last one sent waits for the cooldown;
 * - an incident leaving the digest priorities (escalated to P1/P0) releases its held messages
 *   at once, in order, ahead of the escalation.
 */
import type { Settings } from "../config/rules";
import type { Incident } from "../model/incident";
import type { IncidentSummary, Notification, NotificationEvent, SourcedFinding } from "../model/notification";
import type { Q } from "../store/db";
import { enqueue, lastSent, setOutbox, unsentOf } from "../store/queries";

export function summary(i: Incident, settings: Settings, ownerName?: string): IncidentSummary {
  return {
    id: i.key,
    title: i.title,
    priority: i.priority,
    type: i.type,
    status: i.status,
    owner: i.owner,
    ...(ownerName ? { ownerName } : {}),
    openedAt: new Date(i.openedAt).toISOString(),
    updatedAt: new Date(i.updatedAt).toISOString(),
    ...(settings.publicUrl ? { url: `${settings.publicUrl}/incidents/${i.key}` } : {}),
    ...(i.rule ? { rule: i.rule } : {}),
  };
}

export interface NotifyArgs {
  incident: Incident;
  event: Exclude<NotificationEvent, "digest">;
  /** makes the message unique among the incident's messages of this event (e.g. the timeline event id) */
  discriminator: string;
  findings: SourcedFinding[];
  actor?: string;
  note?: string;
  now: number;
  settings: Settings;
  ownerName?: string;
  /** default: the incident's channels */
  channels?: string[];
}

export function* notify(a: NotifyArgs): Q<number> {
  let queued = 0;
  const digest = a.settings.digestPriorities.includes(a.incident.priority);
  for (const channel of a.channels ?? a.incident.channels) {
    const dedupe = `${a.incident.key}/${channel}/${a.event}/${a.discriminator}`;
    const n: Notification = {
      id: dedupe,
      event: a.event,
      incident: summary(a.incident, a.settings, a.ownerName),
      findings: a.findings.map(({ bot, chainId, blockNumber, blockHash, txHash, finding }) => ({ bot, chainId, blockNumber, blockHash, ...(txHash ? { txHash } : {}), finding })),
      ...(a.actor ? { actor: a.actor } : {}),
      ...(a.note ? { note: a.note } : {}),
      createdAt: new Date(a.now).toISOString(),
    };
    const unsent = yield* unsentOf(a.incident.id, channel);
    if (!digest) {
      // leaving the digest: what was held goes now, in order, before this message
      for (const r of unsent) if (r.state === "digest") yield* setOutbox(r.id, { state: "pending", next_attempt_at: a.now });
    }
    let nextAttemptAt = a.now;
    if (a.event === "escalated" && !digest) {
      const waiting = unsent.find((r) => r.event === "escalated" && r.state === "pending");
      if (waiting) {
        yield* setOutbox(waiting.id, { payload: JSON.stringify({ ...n, id: waiting.dedupe }) });
        continue;
      }
      const last = yield* lastSent(a.incident.id, channel, "escalated");
      if (last?.sent_at && last.sent_at + a.settings.cooldownMs > a.now) nextAttemptAt = last.sent_at + a.settings.cooldownMs;
    }
    const added = yield* enqueue({
      incidentId: a.incident.id,
      channel,
      event: a.event,
      dedupe,
      priority: a.incident.priority,
      payload: JSON.stringify(n),
      state: digest ? "digest" : "pending",
      nextAttemptAt,
      now: a.now,
    });
    if (added) queued++;
  }
  return queued;
}
