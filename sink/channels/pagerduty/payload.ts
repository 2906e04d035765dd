/**
 * PagerDuty Events API v2 payloads (POST /v2/enqueue): one alert per incident, keyed by a stable
 * dedup_key, so that every later event (escalation, acknowledge, resolve, retraction) updates the
 * same alert. Digests become change events (POST /v2/change/enqueue), which never page.
 * Limits: summary <= 1024 chars, dedup_key <= 255, whole payload <= 512 KB.
 */
import type { IncidentPriority, Notification } from "../../model/notification";
import { facts, headline, leadFinding, summaryText, truncate, digestLine } from "../render";

export type PagerDutySeverity = "critical" | "error" | "warning" | "info";
export type PagerDutyAction = "trigger" | "acknowledge" | "resolve";

export const PD_SUMMARY_MAX = 1024;
export const PD_DEDUP_KEY_MAX = 255;
export const PD_PAYLOAD_MAX_BYTES = 512 * 1024;

/** P0 pages as critical, P1 as error, P2 as warning. */
export const SEVERITY_OF: Record<IncidentPriority, PagerDutySeverity> = { P0: "critical", P1: "error", P2: "warning" };

/** The dedup_key of an incident: the same for every event of that incident, on every sink instance. */
export function dedupKey(incidentId: string, prefix = "vigil"): string {
  return truncate(`${prefix}/${incidentId}`, PD_DEDUP_KEY_MAX);
}

export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyAction;
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details?: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
  client?: string;
  client_url?: string;
}

export interface PagerDutyChangeEvent {
  routing_key: string;
  payload: { summary: string; source?: string; timestamp?: string; custom_details?: Record<string, unknown> };
  links?: { href: string; text: string }[];
}

export type PagerDutyMessage = { endpoint: "enqueue"; body: PagerDutyEvent } | { endpoint: "change"; body: PagerDutyChangeEvent };

export function actionOf(n: Notification): PagerDutyAction | "change" {
  switch (n.event) {
    case "opened":
    case "escalated":
    case "reopened":
    case "requalified":
      return "trigger";
    case "acknowledged":
      return "acknowledge";
    case "resolved":
    case "retracted":
      return "resolve";
    case "digest":
      return "change";
  }
}

function linksOf(n: Notification): { href: string; text: string }[] {
  const links: { href: string; text: string }[] = [];
  if (n.incident.url) links.push({ href: n.incident.url, text: `Vigil incident ${n.incident.id}` });
  for (const f of facts(n)) if (f.href && f.label === "Transaction") links.push({ href: f.href, text: "Transaction on the explorer" });
  return links;
}

/** Drop finding detail until the JSON fits in 512 KB (a huge metadata blob must not lose the page). */
function fitPayload<T extends { payload: { custom_details?: Record<string, unknown> } }>(body: T): T {
  const size = () => Buffer.byteLength(JSON.stringify(body), "utf8");
  if (size() <= PD_PAYLOAD_MAX_BYTES) return body;
  const details = body.payload.custom_details;
  if (details && Array.isArray(details.findings)) {
    details.findings = (details.findings as unknown[]).slice(0, 1);
    details.findings_truncated = true;
  }
  if (size() <= PD_PAYLOAD_MAX_BYTES) return body;
  body.payload.custom_details = { truncated: "details exceeded PagerDuty's 512 KB limit; see the incident page" };
  return body;
}

export function buildPagerDutyMessage(n: Notification, o: { routingKey: string; source?: string; dedupPrefix?: string }): PagerDutyMessage {
  const action = actionOf(n);
  const source = o.source ?? "vigil";
  if (action === "change") {
    const body: PagerDutyChangeEvent = {
      routing_key: o.routingKey,
      payload: {
        summary: truncate(headline(n), PD_SUMMARY_MAX),
        source,
        timestamp: n.createdAt,
        custom_details: { notification_id: n.id, updates: (n.digest ?? []).map(digestLine) },
      },
    };
    return { endpoint: "change", body: fitPayload(body) };
  }
  const base: PagerDutyEvent = { routing_key: o.routingKey, event_action: action, dedup_key: dedupKey(n.incident.id, o.dedupPrefix) };
  if (action !== "trigger") return { endpoint: "enqueue", body: base };
  const f = leadFinding(n);
  const details: Record<string, unknown> = {
    notification_id: n.id,
    event: n.event,
    incident: n.incident.id,
    priority: n.incident.priority,
    type: n.incident.type,
    owner: n.incident.ownerName ?? n.incident.owner,
    opened_at: n.incident.openedAt,
    what_happened: summaryText(n),
  };
  if (n.incident.url) details.incident_page = n.incident.url;
  for (const fact of facts(n)) details[fact.label.toLowerCase()] ??= fact.value;
  if (n.findings.length) {
    details.findings = n.findings.map((s) => ({
      alertId: s.finding.alertId,
      severity: s.finding.severity,
      description: s.finding.description,
      bot: s.bot,
      chainId: s.chainId,
      block: s.blockNumber,
      tx: s.txHash,
      addresses: s.finding.addresses,
      metadata: s.finding.metadata,
      uniqueKey: s.finding.uniqueKey,
    }));
  }
  const body: PagerDutyEvent & { payload: NonNullable<PagerDutyEvent["payload"]> } = {
    ...base,
    payload: {
      summary: truncate(headline(n), PD_SUMMARY_MAX),
      source: f ? `${f.bot} (chain ${f.chainId})` : source,
      severity: SEVERITY_OF[n.incident.priority],
      timestamp: n.createdAt,
      component: f?.finding.protocol || undefined,
      group: n.incident.owner,
      class: f?.finding.alertId,
      custom_details: details,
    },
    client: "Vigil",
  };
  if (n.incident.url) body.client_url = n.incident.url;
  const links = linksOf(n);
  if (links.length) body.links = links;
  return { endpoint: "enqueue", body: fitPayload(body) };
}
