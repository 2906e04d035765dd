/**
 * The rules file: who owns which incidents and how to reach them, in one YAML file.
 *
 *   settings:  grouping window, digests, cooldown, rate limit, delivery attempts, public URL
 *   channels:  name -> { kind, ...options }; secrets only as { env: NAME }
 *   owners:    team id -> { name, contacts: [{ name, role, how }], channels: [channel names] }
 *   rules:     ordered; the first rule whose `match` fits a finding qualifies it (`set`)
 *   defaults:  owner and type when no rule matches
 *
 * `loadRules(file, env)` validates everything and throws RulesError listing one line per
 * problem ("<file>: rules[2] "name": set.priority: ..."); unknown keys are refused.
 */
import { readFileSync } from "fs";
import { parse as parseYaml } from "yaml";
import { VigilError } from "../../shared/errors";
import { registerSecret } from "../../shared/net/secrets";
import type { ChannelFactory, ChannelKind } from "../model/channel";
import type { IncidentKind, IncidentPriority } from "../model/notification";
import { KINDS, PRIORITIES, SEVERITIES } from "../model/incident";
import { parseDuration } from "./duration";

export const CHANNEL_KINDS: readonly ChannelKind[] = ["pagerduty", "slack", "discord", "telegram", "email", "webhook", "console", "file"];

export interface Matcher {
  alertId?: RegExp[];
  bot?: RegExp[];
  severity?: string[];
  chainId?: number[];
  metadata?: Record<string, RegExp[]>;
}

export interface Rule {
  name: string;
  match: Matcher;
  set: {
    type?: IncidentKind;
    priority?: IncidentPriority | "none";
    owner?: string;
    channels?: string[];
    /** open an incident even when the priority is none (an Info finding) */
    openIncident?: boolean;
  };
}

export interface Contact {
  name: string;
  role?: string;
  how: string;
}

export interface Owner {
  id: string;
  name: string;
  contacts: Contact[];
  channels: string[];
}

export interface ChannelConfig {
  name: string;
  kind: ChannelKind;
  /** options with secret references resolved (never print these) */
  options: Record<string, unknown>;
}

export interface Settings {
  groupWindowMs: number;
  digestPriorities: IncidentPriority[];
  digestWindowMs: number;
  cooldownMs: number;
  rateLimitPerMinute: number;
  maxAttempts: number;
  publicUrl?: string;
}

export interface RulesConfig {
  file: string;
  settings: Settings;
  channels: Map<string, ChannelConfig>;
  owners: Map<string, Owner>;
  rules: Rule[];
  defaults: { owner: string; type: IncidentKind };
}

export class RulesError extends VigilError<"SINK_RULES"> {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super("SINK_RULES", `${problems.length} problem(s) in rules file ${file}:\n${problems.join("\n")}`);
  }
}

export const DEFAULT_SETTINGS: Settings = {
  groupWindowMs: 3_600_000,
  digestPriorities: ["P2"],
  digestWindowMs: 600_000,
  cooldownMs: 300_000,
  rateLimitPerMinute: 30,
  maxAttempts: 8,
};

/** `*` matches any run of characters; anything else is literal. Case-insensitive. */
export function glob(pattern: string): RegExp {
  const esc = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${esc}$`, "i");
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** channel factories to check options against (kinds without one are only checked by name) */
  factories?: Partial<Record<ChannelKind, ChannelFactory>>;
  /**
   * false for readers (the CLI's list/show/ack...): a secret whose variable is unset is not a
   * problem there, since they send nothing (default true: whoever delivers needs every secret)
   */
  requireSecrets?: boolean;
}

export function loadRules(file: string, opts: LoadOptions = {}): RulesConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new RulesError(file, [`${file}: cannot read the rules file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); point SINK_RULES or --rules at an existing file`]);
  }
  return parseRules(text, file, opts);
}

export function parseRules(text: string, file: string, opts: LoadOptions = {}): RulesConfig {
  const env = opts.env ?? process.env;
  const problems: string[] = [];
  const p = (where: string, msg: string) => problems.push(`${file}: ${where}: ${msg}`);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const e = err as { linePos?: { line: number }[]; message: string };
    throw new RulesError(file, [`${file}${e.linePos?.[0] ? `:${e.linePos[0].line}` : ""}: not valid YAML: ${e.message.split("\n")[0]}`]);
  }
  if (!isObj(doc)) throw new RulesError(file, [`${file}: the top level must be a mapping with settings, channels, owners, rules, defaults`]);
  const unknownKeys = (o: Obj, allowed: string[], where: string) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) p(where, `unknown key "${k}" (allowed: ${allowed.join(", ")})`);
  };
  unknownKeys(doc, ["settings", "channels", "owners", "rules", "defaults"], "top level");

  // settings
  const settings: Settings = { ...DEFAULT_SETTINGS };
  if (doc.settings !== undefined) {
    if (!isObj(doc.settings)) p("settings", "must be a mapping");
    else {
      const s = doc.settings;
      unknownKeys(s, ["groupWindow", "digestPriorities", "digestWindow", "cooldown", "rateLimitPerMinute", "maxAttempts", "publicUrl"], "settings");
      const dur = (k: "groupWindow" | "digestWindow" | "cooldown", set: (ms: number) => void) => {
        if (s[k] === undefined) return;
        const ms = parseDuration(s[k]);
        if (ms === undefined) p(`settings.${k}`, `${JSON.stringify(s[k])} is not a duration; write e.g. 90s, 5m, 1h`);
        else set(ms);
      };
      dur("groupWindow", (ms) => (settings.groupWindowMs = ms));
      dur("digestWindow", (ms) => (settings.digestWindowMs = ms));
      dur("cooldown", (ms) => (settings.cooldownMs = ms));
      if (s.digestPriorities !== undefined) {
        if (!Array.isArray(s.digestPriorities) || s.digestPriorities.some((x) => !PRIORITIES.includes(x as IncidentPriority)))
          p("settings.digestPriorities", `must be a list of ${PRIORITIES.join(", ")} (e.g. [P2]); [] turns digests off`);
        else settings.digestPriorities = s.digestPriorities as IncidentPriority[];
      }
      for (const k of ["rateLimitPerMinute", "maxAttempts"] as const) {
        if (s[k] === undefined) continue;
        if (typeof s[k] !== "number" || !Number.isInteger(s[k]) || (s[k] as number) < 1) p(`settings.${k}`, `${JSON.stringify(s[k])} must be a whole number >= 1`);
        else settings[k] = s[k] as number;
      }
      if (s.publicUrl !== undefined) {
        if (typeof s.publicUrl !== "string" || !/^https?:\/\//.test(s.publicUrl)) p("settings.publicUrl", "must be an http(s) URL (the dashboard's address, used for incident links)");
        else settings.publicUrl = s.publicUrl.replace(/\/$/, "");
      }
    }
  }

  // channels
  const channels = new Map<string, ChannelConfig>();
  if (doc.channels !== undefined && !isObj(doc.channels)) p("channels", "must be a mapping of channel name -> { kind, ...options }");
  for (const [name, raw] of Object.entries(isObj(doc.channels) ? doc.channels : {})) {
    const where = `channels.${name}`;
    if (!isObj(raw)) {
      p(where, "must be a mapping with a kind");
      continue;
    }
    const kind = raw.kind as ChannelKind;
    if (!CHANNEL_KINDS.includes(kind)) {
      p(`${where}.kind`, `${JSON.stringify(raw.kind)} is not a channel kind (one of ${CHANNEL_KINDS.join(", ")})`);
      continue;
    }
    const factory = opts.factories?.[kind];
    const options: Record<string, unknown> = {};
    let secretsMissing = false;
    for (const [k, v] of Object.entries(raw)) {
      if (k === "kind") continue;
      if (isObj(v) && "env" in v) {
        if (Object.keys(v).length !== 1 || typeof v.env !== "string") {
          p(`${where}.${k}`, "a secret reference is exactly { env: NAME }");
          continue;
        }
        const val = env[v.env];
        if ((val === undefined || val === "") && opts.requireSecrets === false) secretsMissing = true;
        else if (val === undefined || val === "") p(`${where}.${k}`, `environment variable ${v.env} is not set; export it (the value never goes in this file)`);
        else {
          registerSecret(val);
          options[k] = val;
        }
      } else if (factory?.secretFields.includes(k)) {
        p(`${where}.${k}`, `is a secret: write { env: NAME } and put the value in the environment, never inline`);
      } else options[k] = v;
    }
    if (factory && !secretsMissing && !problems.some((x) => x.includes(`: ${where}.`))) for (const msg of factory.check(options)) p(where, msg);
    channels.set(name, { name, kind, options });
  }
  const declared = new Set(Object.keys(isObj(doc.channels) ? doc.channels : {}));
  const checkChannelList = (v: unknown, where: string): string[] | undefined => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      p(where, "must be a list of channel names");
      return undefined;
    }
    for (const c of v as string[]) if (!declared.has(c)) p(where, `channel "${c}" is not declared under channels:`);
    return v as string[];
  };

  // owners
  const owners = new Map<string, Owner>();
  if (doc.owners !== undefined && !isObj(doc.owners)) p("owners", "must be a mapping of team id -> { name, contacts, channels }");
  for (const [id, raw] of Object.entries(isObj(doc.owners) ? doc.owners : {})) {
    const where = `owners.${id}`;
    if (!isObj(raw)) {
      p(where, "must be a mapping with name, contacts, channels");
      continue;
    }
    unknownKeys(raw, ["name", "contacts", "channels"], where);
    const contacts: Contact[] = [];
    if (raw.contacts !== undefined && !Array.isArray(raw.contacts)) p(`${where}.contacts`, "must be a list of { name, role, how }");
    (Array.isArray(raw.contacts) ? raw.contacts : []).forEach((c, i) => {
      if (!isObj(c) || typeof c.name !== "string" || typeof c.how !== "string") p(`${where}.contacts[${i}]`, "needs name and how (strings), e.g. { name: On-call, how: PagerDuty 'Maker core' }");
      else {
        unknownKeys(c, ["name", "role", "how"], `${where}.contacts[${i}]`);
        contacts.push({ name: c.name, how: c.how, role: typeof c.role === "string" ? c.role : undefined });
      }
    });
    if (raw.name !== undefined && typeof raw.name !== "string") p(`${where}.name`, "must be a string");
    owners.set(id, { id, name: typeof raw.name === "string" ? raw.name : id, contacts, channels: checkChannelList(raw.channels, `${where}.channels`) ?? [] });
  }

  // defaults
  const defaults = { owner: "", type: "protocol" as IncidentKind };
  if (!isObj(doc.defaults)) p("defaults", "required: { owner: <team id>, type: A | B | protocol } for findings no rule matches");
  else {
    unknownKeys(doc.defaults, ["owner", "type"], "defaults");
    if (typeof doc.defaults.owner !== "string" || !owners.has(doc.defaults.owner)) p("defaults.owner", `${JSON.stringify(doc.defaults.owner)} is not an owner declared under owners:`);
    else defaults.owner = doc.defaults.owner;
    if (doc.defaults.type !== undefined) {
      if (!KINDS.includes(doc.defaults.type as IncidentKind)) p("defaults.type", `${JSON.stringify(doc.defaults.type)} must be one of ${KINDS.join(", ")}`);
      else defaults.type = doc.defaults.type as IncidentKind;
    }
  }

  // rules
  const rules: Rule[] = [];
  if (doc.rules !== undefined && !Array.isArray(doc.rules)) p("rules", "must be a list of { name, match, set }");
  (Array.isArray(doc.rules) ? doc.rules : []).forEach((raw, i) => {
    const label = isObj(raw) && typeof raw.name === "string" ? `rules[${i}] "${raw.name}"` : `rules[${i}]`;
    if (!isObj(raw)) return p(label, "must be a mapping with name, match, set");
    unknownKeys(raw, ["name", "match", "set"], label);
    if (typeof raw.name !== "string" || !raw.name) p(`${label}: name`, "required (a short name shown as the incident's rule)");
    const match: Matcher = {};
    if (raw.match !== undefined && !isObj(raw.match)) p(`${label}: match`, "must be a mapping (alertId, bot, severity, chainId, metadata)");
    const m = isObj(raw.match) ? raw.match : {};
    unknownKeys(m, ["alertId", "bot", "severity", "chainId", "metadata"], `${label}: match`);
    const globs = (v: unknown, field: string): RegExp[] | undefined => {
      if (v === undefined) return undefined;
      const list = Array.isArray(v) ? v : [v];
      if (list.some((x) => typeof x !== "string" && typeof x !== "number")) {
        p(`${label}: ${field}`, "must be a string pattern (* matches anything) or a list of them");
        return undefined;
      }
      return list.map((x) => glob(String(x)));
    };
    match.alertId = globs(m.alertId, "match.alertId");
    match.bot = globs(m.bot, "match.bot");
    if (m.severity !== undefined) {
      const list = Array.isArray(m.severity) ? m.severity : [m.severity];
      const bad = list.filter((x) => !SEVERITIES.includes(x as (typeof SEVERITIES)[number]));
      if (bad.length) p(`${label}: match.severity`, `${bad.map((b) => JSON.stringify(b)).join(", ")} not a severity (${SEVERITIES.join(", ")})`);
      else match.severity = list as string[];
    }
    if (m.chainId !== undefined) {
      const list = Array.isArray(m.chainId) ? m.chainId : [m.chainId];
      if (list.some((x) => typeof x !== "number" || !Number.isInteger(x))) p(`${label}: match.chainId`, "must be a chain id number or a list of them");
      else match.chainId = list as number[];
    }
    if (m.metadata !== undefined) {
      if (!isObj(m.metadata)) p(`${label}: match.metadata`, "must be a mapping of metadata key -> pattern");
      else {
        match.metadata = {};
        for (const [k, v] of Object.entries(m.metadata)) {
          const g = globs(v, `match.metadata.${k}`);
          if (g) match.metadata[k] = g;
        }
      }
    }
    const set: Rule["set"] = {};
    if (!isObj(raw.set)) p(`${label}: set`, "required: what to set (type, priority, owner, channels, openIncident)");
    const s = isObj(raw.set) ? raw.set : {};
    unknownKeys(s, ["type", "priority", "owner", "channels", "openIncident"], `${label}: set`);
    if (s.type !== undefined) {
      if (!KINDS.includes(s.type as IncidentKind)) p(`${label}: set.type`, `${JSON.stringify(s.type)} must be one of ${KINDS.join(", ")}`);
      else set.type = s.type as IncidentKind;
    }
    if (s.priority !== undefined) {
      if (![...PRIORITIES, "none"].includes(s.priority as string)) p(`${label}: set.priority`, `${JSON.stringify(s.priority)} must be one of P0, P1, P2, none`);
      else set.priority = s.priority as IncidentPriority | "none";
    }
    if (s.owner !== undefined) {
      if (typeof s.owner !== "string" || !owners.has(s.owner)) p(`${label}: set.owner`, `${JSON.stringify(s.owner)} is not an owner declared under owners:`);
      else set.owner = s.owner;
    }
    set.channels = checkChannelList(s.channels, `${label}: set.channels`);
    if (s.openIncident !== undefined) {
      if (typeof s.openIncident !== "boolean") p(`${label}: set.openIncident`, "must be true or false");
      else set.openIncident = s.openIncident;
    }
    rules.push({ name: typeof raw.name === "string" ? raw.name : `rules[${i}]`, match, set });
  });

  if (problems.length) throw new RulesError(file, problems);
  return { file, settings, channels, owners, rules, defaults };
}
