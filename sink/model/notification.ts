/**
 * What routing hands a channel: one message about one incident (or a digest of several).
 * Plain data, no I/O. Written by sink/routing from the store's outbox; read by sink/channels.
 */
import type { FindingJson } from "../../shared/findings";

export type IncidentPriority = "P0" | "P1" | "P2";
/** A network-wide, B client-specific (consensus), protocol (a Maker/Sky contract's condition). */
export type IncidentKind = "A" | "B" | "protocol";
export type IncidentStatus = "open" | "acknowledged" | "resolved" | "retracted";

/** The events a channel may be told of. One message per (incident, channel, event). */
export type NotificationEvent =
  | "opened"
  | "escalated"
  | "acknowledged"
  | "resolved"
  | "reopened"
  | "requalified"
  | "retracted"
  | "digest";

/** A finding as the sink keeps it: forta's shape plus where it came from. */
export interface SourcedFinding {
  bot: string;
  chainId: number;
  blockNumber: number;
  blockHash: string;
  txHash?: string;
  finding: FindingJson;
}

export interface IncidentSummary {
  /** stable id, e.g. "INC-42"; PagerDuty's dedup_key is derived from it */
  id: string;
  title: string;
  priority: IncidentPriority;
  type: IncidentKind;
  status: IncidentStatus;
  /** owner team id from the rules file, and its display name */
  owner: string;
  ownerName?: string;
  openedAt: string; // ISO 8601
  updatedAt: string; // ISO 8601
  /** the incident's page on the dashboard / API, when the sink knows its public URL */
  url?: string;
  /** why it was qualified this way (rule name) */
  rule?: string;
}

export interface Notification {
  /** stable across retries of the same message (the outbox row): receivers may dedupe on it */
  id: string;
  event: NotificationEvent;
  incident: IncidentSummary;
  /** the finding that caused this event (latest first); for a retraction, the retracted ones */
  findings: SourcedFinding[];
  /** who did it, for manual events (acknowledged by, resolved by ...) */
  actor?: string;
  /** free text for manual events (a comment, the reason of a requalification) */
  note?: string;
  /** for event "digest": the incidents summarised (low priorities, batched) */
  digest?: { incident: IncidentSummary; event: Exclude<NotificationEvent, "digest">; finding?: SourcedFinding }[];
  createdAt: string; // ISO 8601
}
