/** `vigil sink report <incident>`: the incident as a Markdown report. */
import type { Incident, StoredSinkFinding, TimelineEvent } from "../model/incident";
import type { RulesConfig } from "../config/rules";

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function incidentReport(inc: Incident, events: TimelineEvent[], findings: StoredSinkFinding[], rules?: RulesConfig): string {
  const owner = rules?.owners.get(inc.owner);
  const live = findings.filter((f) => !f.retracted);
  const first = findings[0];
  const out: string[] = [];
  out.push(`# ${inc.key}: ${inc.title}`, "");
  out.push("## Summary", "");
  out.push(`- **Status:** ${inc.status}${inc.closedAt ? ` (closed ${iso(inc.closedAt)})` : ""}`);
  out.push(`- **Priority:** ${inc.priority}  **Type:** ${inc.type === "A" ? "A (network-wide)" : inc.type === "B" ? "B (client-specific)" : "protocol"}`);
  out.push(`- **Opened:** ${iso(inc.openedAt)}  **Last update:** ${iso(inc.updatedAt)}`);
  out.push(`- **Source:** ${inc.bot} on chain ${inc.chainId}, alert ${inc.alertId}`);
  out.push(`- **Findings:** ${findings.length} (${findings.length - live.length} retracted by reorgs)`);
  if (first) out.push("", `> ${first.finding.description}`);
  out.push("", "## Classification and why", "", inc.why.split("; ").map((w) => `- ${w}`).join("\n"));
  out.push("", "## Owner", "", `**${owner?.name ?? inc.owner}** (\`${inc.owner}\`); channels: ${inc.channels.join(", ") || "none"}`);
  for (const c of owner?.contacts ?? []) out.push(`- ${c.name}${c.role ? ` (${c.role})` : ""}: ${c.how}`);
  out.push("", "## Timeline", "", "| Time (UTC) | Who | What | Detail |", "|---|---|---|---|");
  for (const e of events) out.push(`| ${iso(e.at)} | ${cell(e.actor)} | ${e.kind} | ${cell(e.detail)} |`);
  out.push("", "## Findings", "", "| Block | Alert | Severity | Description | uniqueKey |", "|---|---|---|---|---|");
  for (const f of findings) out.push(`| ${f.blockNumber} | ${f.finding.alertId} | ${f.finding.severity}${f.retracted ? " (retracted)" : ""} | ${cell(f.finding.description)} | \`${f.finding.uniqueKey.slice(0, 18)}…\` |`);
  const txs = [...new Set(findings.map((f) => f.txHash).filter((t): t is string => !!t))];
  const addrs = [...new Set(findings.flatMap((f) => f.finding.addresses))];
  out.push("", "## Transactions and addresses", "");
  out.push(txs.length ? txs.map((t) => `- tx \`${t}\``).join("\n") : "- no transaction (block-level condition)");
  out.push(addrs.length ? addrs.map((a) => `- address \`${a}\``).join("\n") : "- no address named");
  return out.join("\n") + "\n";
}
