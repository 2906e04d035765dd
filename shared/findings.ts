/**
 * Findings: a typed builder over forta-agent's Finding.
 *
 * Every finding carries a stable alertId, a severity and type, string metadata (always with an
 * incident `priority`), the addresses involved, a timestamp taken from the block (never the
 * wall clock, so replays are identical) and a deterministic `uniqueKey` computed from the chain
 * data that caused it: the same chain data always yields the same key.
 */
import { createHash } from "crypto";
import { Finding, FindingSeverity, FindingType } from "forta-agent";

export { FindingSeverity, FindingType };

/** Incident priority, as the alert sink qualifies incidents (../shared/reference/consensus.md). */
export type Priority = "P0" | "P1" | "P2" | "none";
/** Consensus incident type: A network-wide, B client-specific. */
export type IncidentType = "A" | "B";

/** Default mapping: Critical -> P0, High -> P1, Medium/Low -> P2, Info/Unknown -> none. */
export function defaultPriority(severity: FindingSeverity): Priority {
  switch (severity) {
    case FindingSeverity.Critical:
      return "P0";
    case FindingSeverity.High:
      return "P1";
    case FindingSeverity.Medium:
    case FindingSeverity.Low:
      return "P2";
    default:
      return "none";
  }
}

export interface AlertSpec {
  /** stable id, e.g. "MAKER-ESM-FIRE"; the first column of the bot README's alert table */
  id: string;
  name: string;
  severity: FindingSeverity;
  type: FindingType;
  /** overrides the severity-derived priority: a fixed value or a rule over the final severity */
  priority?: Priority | ((severity: FindingSeverity) => Priority);
  incidentType?: IncidentType;
  protocol?: string;
}

/** Declare a bot's alerts in one place; returns them keyed as given. */
export function defineAlerts<K extends string>(alerts: Record<K, AlertSpec>): Record<K, AlertSpec> {
  for (const [k, a] of Object.entries(alerts) as [string, AlertSpec][]) {
    if (!/^[A-Z0-9][A-Z0-9-]*$/.test(a.id)) throw new Error(`alert ${k}: id ${a.id} must be UPPER-KEBAB-CASE`);
  }
  return alerts;
}

export type MetadataValue = string | number | bigint | boolean | { toString(): string } | null | undefined;

/** Where a finding comes from in the chain; its timestamp becomes the finding's timestamp. */
export interface BlockRef {
  number: number;
  hash: string;
  timestamp: number;
}

export interface FindingInput {
  description: string;
  /** what makes this finding unique in the chain data (chain id, block/tx hash, log index, subject...) */
  key: readonly (string | number | bigint)[];
  block: BlockRef;
  severity?: FindingSeverity;
  /** overrides the alert's type (e.g. Exploit for a parameter change made outside governance) */
  type?: FindingType;
  name?: string;
  metadata?: Record<string, MetadataValue>;
  addresses?: readonly string[];
  incidentType?: IncidentType;
}

/** sha256 over the alert id and the key parts, as 0x-hex. Same parts, same key. */
export function findingKey(alertId: string, parts: readonly (string | number | bigint)[]): string {
  const h = createHash("sha256");
  h.update(`vigil/1|${alertId}`);
  for (const p of parts) h.update(`|${typeof p === "string" ? p.toLowerCase() : p.toString()}`);
  return `0x${h.digest("hex")}`;
}

function stringifyMetadata(md: Record<string, MetadataValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md)) {
    if (v === undefined) continue;
    out[k] = v === null ? "" : typeof v === "string" ? v : v.toString();
  }
  return out;
}

export function priorityOf(spec: AlertSpec, severity: FindingSeverity): Priority {
  if (spec.priority === undefined) return defaultPriority(severity);
  return typeof spec.priority === "function" ? spec.priority(severity) : spec.priority;
}

export function createFinding(spec: AlertSpec, input: FindingInput): Finding {
  const severity = input.severity ?? spec.severity;
  const incidentType = input.incidentType ?? spec.incidentType;
  const metadata = stringifyMetadata({
    ...input.metadata,
    priority: priorityOf(spec, severity),
    ...(incidentType ? { incidentType } : {}),
  });
  const addresses = [...new Set((input.addresses ?? []).map((a) => a.toLowerCase()))];
  return Finding.fromObject({
    name: input.name ?? spec.name,
    description: input.description,
    alertId: spec.id,
    protocol: spec.protocol ?? "ethereum",
    severity,
    type: input.type ?? spec.type,
    metadata,
    addresses,
    uniqueKey: findingKey(spec.id, input.key),
    timestamp: new Date(input.block.timestamp * 1000),
  });
}

/** Key parts for a finding caused by one log of a transaction. */
export function logKey(chainId: number, block: BlockRef, txHash: string, logIndex: number): (string | number)[] {
  return [chainId, block.hash, txHash, logIndex];
}

/** A finding in the JSON form Vigil prints and stores: severity and type by name. */
export interface FindingJson {
  name: string;
  description: string;
  alertId: string;
  protocol: string;
  severity: keyof typeof FindingSeverity;
  type: keyof typeof FindingType;
  metadata: Record<string, string>;
  addresses: string[];
  uniqueKey: string;
  timestamp: string;
}

export function findingToJson(f: Finding): FindingJson {
  return {
    name: f.name,
    description: f.description,
    alertId: f.alertId,
    protocol: f.protocol,
    severity: FindingSeverity[f.severity] as keyof typeof FindingSeverity,
    type: FindingType[f.type] as keyof typeof FindingType,
    metadata: f.metadata,
    addresses: f.addresses,
    uniqueKey: f.uniqueKey,
    timestamp: (f.timestamp instanceof Date ? f.timestamp : new Date(f.timestamp as unknown as string)).toISOString(),
  };
}
