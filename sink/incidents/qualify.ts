/**
 * Qualification: which rule fits a finding, and so its incident's type, priority, owner and
 * channels, with the reason in words (shown in `show` and in reports).
 */
import type { FindingJson } from "../../shared/findings";
import type { RulesConfig, Rule } from "../config/rules";
import type { IncidentKind, IncidentPriority, SourcedFinding } from "../model/notification";
import { PRIORITIES } from "../model/incident";

export interface Qualification {
  /** undefined: the finding opens no incident (priority none, no rule asks for one) */
  priority?: IncidentPriority;
  type: IncidentKind;
  owner: string;
  channels: string[];
  rule?: string;
  why: string;
}

function matches(rule: Rule, sf: SourcedFinding): boolean {
  const m = rule.match;
  const f = sf.finding;
  if (m.alertId && !m.alertId.some((r) => r.test(f.alertId))) return false;
  if (m.bot && !m.bot.some((r) => r.test(sf.bot))) return false;
  if (m.severity && !m.severity.includes(f.severity)) return false;
  if (m.chainId && !m.chainId.includes(sf.chainId)) return false;
  for (const [k, pats] of Object.entries(m.metadata ?? {})) {
    const v = f.metadata[k];
    if (v === undefined || !pats.some((r) => r.test(v))) return false;
  }
  return true;
}

function severityPriority(f: FindingJson): IncidentPriority | undefined {
  return ({ Critical: "P0", High: "P1", Medium: "P2", Low: "P2" } as Record<string, IncidentPriority>)[f.severity];
}

export function qualify(sf: SourcedFinding, cfg: RulesConfig): Qualification {
  const rule = cfg.rules.find((r) => matches(r, sf));
  const md = sf.finding.metadata;
  const why: string[] = [rule ? `rule "${rule.name}"` : "no rule matched (defaults)"];
  let priority: IncidentPriority | undefined;
  if (rule?.set.priority) {
    priority = rule.set.priority === "none" ? undefined : rule.set.priority;
    why.push(`priority ${rule.set.priority} set by the rule`);
  } else if (md.priority !== undefined) {
    priority = PRIORITIES.includes(md.priority as IncidentPriority) ? (md.priority as IncidentPriority) : undefined;
    why.push(`priority ${md.priority} from the finding's metadata.priority`);
  } else {
    priority = severityPriority(sf.finding);
    why.push(`priority ${priority ?? "none"} from severity ${sf.finding.severity}`);
  }
  if (priority === undefined && rule?.set.openIncident) {
    priority = "P2";
    why.push("opened at P2 because the rule sets openIncident");
  }
  let type: IncidentKind;
  if (rule?.set.type) {
    type = rule.set.type;
    why.push(`type ${type} set by the rule`);
  } else if (md.incidentType === "A" || md.incidentType === "B") {
    type = md.incidentType;
    why.push(`type ${type} from metadata.incidentType`);
  } else {
    type = cfg.defaults.type;
    why.push(`type ${type} by default`);
  }
  const owner = rule?.set.owner ?? cfg.defaults.owner;
  const channels = rule?.set.channels ?? cfg.owners.get(owner)?.channels ?? [];
  why.push(`owner ${owner}${rule?.set.owner ? " set by the rule" : " by default"}`);
  return { priority, type, owner, channels, rule: rule?.name, why: why.join("; ") };
}
