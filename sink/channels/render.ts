/**
 * What every channel says, in plain data: a headline and a list of facts (what happened, how bad,
 * since when, what to look at). Each channel formats these for its provider (Block Kit, embeds,
 * HTML, plain text); none invents its own wording. Pure functions, no I/O.
 */
import type { IncidentPriority, IncidentSummary, Notification, NotificationEvent, SourcedFinding } from "../model/notification";

export const EVENT_VERB: Record<NotificationEvent, string> = {
  opened: "opened",
  escalated: "escalated",
  acknowledged: "acknowledged",
  resolved: "resolved",
  reopened: "reopened",
  requalified: "requalified",
  retracted: "retracted (reorg)",
  digest: "digest",
};

export const PRIORITY_WORDS: Record<IncidentPriority, string> = {
  P0: "P0 (page now)",
  P1: "P1 (urgent)",
  P2: "P2 (low)",
};

/** Block explorers we link transactions and addresses to, by chain id. */
const EXPLORERS: Record<number, string> = {
  1: "https://etherscan.io",
  10: "https://optimistic.etherscan.io",
  8453: "https://basescan.org",
  42161: "https://arbiscan.io",
  11155111: "https://sepolia.etherscan.io",
};

export function txLink(chainId: number, txHash: string): string | undefined {
  const base = EXPLORERS[chainId];
  return base ? `${base}/tx/${txHash}` : undefined;
}

export function addressLink(chainId: number, address: string): string | undefined {
  const base = EXPLORERS[chainId];
  return base ? `${base}/address/${address}` : undefined;
}

/** "2h 5m", "3m 20s", "45s": how long between two ISO times (empty if unknown or negative). */
export function duration(fromIso: string, toIso: string): string {
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return "";
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** The headline of one notification: `[P0] INC-7 opened: Emergency shutdown fired`. */
export function headline(n: Notification): string {
  if (n.event === "digest") {
    const k = n.digest?.length ?? 0;
    return `Vigil digest: ${k} low-priority update${k === 1 ? "" : "s"}`;
  }
  const i = n.incident;
  return `[${i.priority}] ${i.id} ${EVENT_VERB[n.event]}: ${i.title}`;
}

/** One digest entry as a line: `[P2] INC-9 opened: Oracle price stale (MAKER-OSM-STALE)`. */
export function digestLine(e: NonNullable<Notification["digest"]>[number]): string {
  const alert = e.finding ? ` (${e.finding.finding.alertId})` : "";
  return `[${e.incident.priority}] ${e.incident.id} ${EVENT_VERB[e.event]}: ${e.incident.title}${alert}`;
}

/** The finding that best says what happened: the latest one. */
export function leadFinding(n: Notification): SourcedFinding | undefined {
  return n.findings[0];
}

/** A short sentence for the event: what changed and who did it. */
export function eventSentence(n: Notification): string {
  const i = n.incident;
  const by = n.actor ? ` by ${n.actor}` : "";
  switch (n.event) {
    case "opened":
      return `New ${i.priority} incident (type ${i.type}), owner ${ownerOf(i)}.`;
    case "escalated":
      return `Escalated to ${i.priority}: a more severe finding arrived.`;
    case "acknowledged":
      return `Acknowledged${by}; ${ownerOf(i)} is on it.`;
    case "resolved":
      return `Resolved${by}${n.findings.length ? " (the condition ended)" : ""}.`;
    case "reopened":
      return `Reopened${by}.`;
    case "requalified":
      return `Requalified${by}: now ${i.priority}, type ${i.type}.`;
    case "retracted":
      return `Retracted: the block${n.findings.length === 1 ? "" : "s"} behind ${n.findings.length === 1 ? "this finding" : `these ${n.findings.length} findings`} left the canonical chain (reorg). Nothing to do unless the finding reappears.`;
    case "digest":
      return `${n.digest?.length ?? 0} low-priority updates batched into one message.`;
  }
}

export function ownerOf(i: IncidentSummary): string {
  return i.ownerName ? `${i.ownerName} (${i.owner})` : i.owner;
}

export interface Fact {
  label: string;
  value: string;
  /** a link for the value, when there is one (incident page, explorer) */
  href?: string;
}

/**
 * The facts of a notification, most important first: how bad, since when, who owns it, then
 * what to look at (the finding, its block, transaction, addresses, the incident's page).
 */
export function facts(n: Notification, opts: { maxAddresses?: number } = {}): Fact[] {
  const i = n.incident;
  const out: Fact[] = [];
  if (n.event === "digest") return out;
  const f = leadFinding(n);
  out.push({ label: "Priority", value: `${PRIORITY_WORDS[i.priority]}${f ? `, severity ${f.finding.severity}` : ""}` });
  out.push({ label: "Type", value: i.type === "protocol" ? "protocol" : i.type === "A" ? "A (network-wide)" : "B (client-specific)" });
  const open = duration(i.openedAt, n.createdAt);
  out.push({ label: "Since", value: `${i.openedAt}${open ? ` (${open} ago)` : ""}` });
  out.push({ label: "Status", value: i.status });
  out.push({ label: "Owner", value: ownerOf(i) });
  if (n.actor) out.push({ label: "By", value: n.actor });
  if (n.note) out.push({ label: "Note", value: n.note });
  if (f) {
    out.push({ label: "Alert", value: `${f.finding.alertId} from ${f.bot}` });
    out.push({ label: "Block", value: `${f.blockNumber} on chain ${f.chainId}` });
    if (f.txHash) out.push({ label: "Transaction", value: f.txHash, href: txLink(f.chainId, f.txHash) });
    const max = opts.maxAddresses ?? 5;
    const addrs = f.finding.addresses ?? [];
    if (addrs.length) {
      const shown = addrs.slice(0, max).join(", ");
      out.push({ label: "Addresses", value: addrs.length > max ? `${shown} (+${addrs.length - max} more)` : shown });
    }
  }
  if (n.findings.length > 1) out.push({ label: "Findings", value: `${n.findings.length} in this message` });
  if (i.rule) out.push({ label: "Rule", value: i.rule });
  if (i.url) out.push({ label: "Incident", value: i.url, href: i.url });
  return out;
}

/** The body text: the event sentence and the lead finding's description. */
export function summaryText(n: Notification): string {
  const f = leadFinding(n);
  const parts = [eventSentence(n)];
  if (f && n.event !== "digest") parts.push(f.finding.description);
  return parts.join("\n");
}

/**
 * Cut a string to at most `max` UTF-16 units, ending with "…" when cut, never splitting a
 * surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // high surrogate: keep the pair together
  return `${text.slice(0, cut)}…`;
}

/** The whole message as plain text lines (console, email text part, webhook `text`). */
export function plainText(n: Notification): string {
  const lines = [headline(n), summaryText(n)];
  if (n.event === "digest") for (const e of n.digest ?? []) lines.push(`- ${digestLine(e)}`);
  for (const fact of facts(n)) lines.push(`${fact.label}: ${fact.value}${fact.href && fact.href !== fact.value ? ` <${fact.href}>` : ""}`);
  return lines.join("\n");
}
