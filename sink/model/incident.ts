/** Incidents as the sink keeps them: plain data, no I/O. */
import type { IncidentKind, IncidentPriority, IncidentStatus, SourcedFinding } from "./notification";

export const PRIORITIES: readonly IncidentPriority[] = ["P0", "P1", "P2"];
export const KINDS: readonly IncidentKind[] = ["A", "B", "protocol"];
export const STATUSES: readonly IncidentStatus[] = ["open", "acknowledged", "resolved", "retracted"];
export const SEVERITIES = ["Unknown", "Info", "Low", "Medium", "High", "Critical"] as const;

/** P0 is the most severe; a lower rank is worse. */
export function priorityRank(p: IncidentPriority): number {
  return PRIORITIES.indexOf(p);
}

export interface Incident {
  id: number;
  /** "INC-<id>" */
  key: string;
  groupKey: string;
  title: string;
  type: IncidentKind;
  priority: IncidentPriority;
  status: IncidentStatus;
  owner: string;
  rule?: string;
  /** why it was qualified this way (rule, matchers, defaults) */
  why: string;
  channels: string[];
  chainId: number;
  alertId: string;
  bot: string;
  openedAt: number;
  updatedAt: number;
  closedAt?: number;
  lastFindingAt: number;
}

export interface TimelineEvent {
  id: number;
  incidentId: number;
  at: number;
  actor: string;
  kind: string;
  detail: string;
  findingKey?: string;
}

export interface StoredSinkFinding extends SourcedFinding {
  id: number;
  source: string;
  receivedAt: number;
  incidentId?: number;
  retracted: boolean;
}

export function incidentKey(id: number): string {
  return `INC-${id}`;
}

/** "INC-12" or "12" -> 12 */
export function parseIncidentKey(s: string): number | undefined {
  const m = /^(?:INC-)?(\d+)$/i.exec(s.trim());
  return m ? Number(m[1]) : undefined;
}
