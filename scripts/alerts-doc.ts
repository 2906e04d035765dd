/**
 * `npm run docs:alerts`: docs/alerts.md, the one catalogue of every alert the suite raises,
 * generated from the bots' own alert definitions (agents/<bot>/src/alerts.ts, and the
 * runtime's): id, bot, severity, type, priority, incident type, and the trigger as the bot's
 * README alert table words it ("fires when"). test/docs/alerts.spec.ts fails when the file or a
 * README table drifts from the code. `--check` exits 1 when docs/alerts.md is out of date.
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { Command, Option } from "commander";
import { FindingSeverity, FindingType, priorityOf, type AlertSpec } from "../shared/findings";
import { RUNTIME_ALERTS, RUNTIME_BOT } from "../shared/runtime/alerts";
import { listBots } from "../shared/runtime/discovery";
import { main, parseCommandLine } from "./lib/options";

export const CATALOGUE_PATH = resolve(__dirname, "../docs/alerts.md");

export interface CatalogueEntry {
  id: string;
  bot: string;
  name: string;
  severity: string;
  type: string;
  priority: string;
  incidentType: string;
  /** the README's "fires when" cell ("" when the README has no row) */
  trigger: string;
}

/** Every AlertSpec a module exports (inside its defineAlerts records). */
export function alertSpecsOf(mod: Record<string, unknown>): AlertSpec[] {
  const out: AlertSpec[] = [];
  for (const v of Object.values(mod)) {
    if (!v || typeof v !== "object") continue;
    for (const a of Object.values(v as Record<string, unknown>)) {
      const s = a as AlertSpec;
      if (s && typeof s === "object" && typeof s.id === "string" && typeof s.severity === "number") out.push(s);
    }
  }
  return out;
}

/** A README's "## Alerts" table as rows keyed by lower-cased header. */
export function readmeAlertRows(readme: string): Record<string, string>[] {
  const section = /^## Alerts\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? "";
  const lines = section.split("\n").filter((l) => l.startsWith("|"));
  if (lines.length < 2) return [];
  const cells = (l: string) => l.replace(/^\||\|$/g, "").split(/(?<!\\)\|/).map((c) => c.trim());
  const head = cells(lines[0]!).map((h) => h.toLowerCase());
  return lines.slice(2).map((l) => Object.fromEntries(cells(l).map((c, i) => [head[i] ?? String(i), c])));
}

const idOf = (row: Record<string, string>) => (row["alert id"] ?? "").replace(/`/g, "");

export function collectAlerts(): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  const add = (bot: string, specs: AlertSpec[], rows: Record<string, string>[]) => {
    for (const s of specs) {
      const row = rows.find((r) => idOf(r) === s.id);
      entries.push({
        id: s.id,
        bot,
        name: s.name,
        severity: FindingSeverity[s.severity]!,
        type: FindingType[s.type]!,
        priority: priorityOf(s, s.severity),
        incidentType: s.incidentType ?? "",
        trigger: row?.["fires when"] ?? "",
      });
    }
  };
  for (const b of listBots()) {
    const path = join(b.dir, "src", "alerts.ts");
    if (!existsSync(path)) continue;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(path) as Record<string, unknown>;
    const readme = existsSync(join(b.dir, "README.md")) ? readFileSync(join(b.dir, "README.md"), "utf8") : "";
    add(b.name, alertSpecsOf(mod), readmeAlertRows(readme));
  }
  add(RUNTIME_BOT, alertSpecsOf({ RUNTIME_ALERTS }), []);
  return entries;
}

/**
 * Where a README's alert table disagrees with the code: the severity column must name the
 * alert's default severity (and its priority, unless none); the type column its finding type
 * (consensus bots' tables, with a P-class column, give the incident type A/B there instead).
 */
export function readmeDrift(e: CatalogueEntry, row: Record<string, string> | undefined): string[] {
  if (!row) return [`${e.bot} README: no row for ${e.id}`];
  const sev = row["severity"] ?? row["severity (priority)"] ?? "";
  const problems: string[] = [];
  if (!sev.includes(e.severity)) problems.push(`${e.bot} README, ${e.id}: severity column ${JSON.stringify(sev)} does not name ${e.severity}, the code's default`);
  const prio = row["p-class"] ?? sev;
  if (e.priority !== "none" && !prio.includes(e.priority)) problems.push(`${e.bot} README, ${e.id}: priority ${e.priority} (code) is not in ${JSON.stringify(prio)}`);
  const type = row["type"] ?? "";
  const want = "p-class" in row ? e.incidentType : e.type;
  if (!type.includes(want)) problems.push(`${e.bot} README, ${e.id}: type column ${JSON.stringify(type)}, the code says ${want}`);
  return problems;
}

/** Every disagreement between the bots' READMEs and their alert definitions. */
export function readmeDrifts(): string[] {
  const out: string[] = [];
  for (const b of listBots()) {
    const readme = existsSync(join(b.dir, "README.md")) ? readFileSync(join(b.dir, "README.md"), "utf8") : "";
    const rows = readmeAlertRows(readme);
    for (const e of collectAlerts().filter((x) => x.bot === b.name)) out.push(...readmeDrift(e, rows.find((r) => idOf(r) === e.id)));
  }
  return out;
}

const esc = (s: string) => s.replace(/\n/g, " ");

export function renderCatalogue(entries: readonly CatalogueEntry[] = collectAlerts()): string {
  const bots = [...new Set(entries.map((e) => e.bot))];
  const lines = [
    "# Alert catalogue",
    "",
    "<!-- Generated by `npm run docs:alerts` from the bots' alert definitions (agents/<bot>/src/alerts.ts,",
    "     shared/runtime/alerts.ts) and their README alert tables. Do not edit: test/docs/alerts.spec.ts",
    "     fails when this file drifts from the code. -->",
    "",
    "Every alert Vigil raises, by bot. Severity, type and priority are the alert's defaults as its code",
    "defines them (episodes change the severity as they escalate and resolve: see the bot's README for",
    "the levels, the metadata and how repeats are suppressed). Priority is the incident priority the",
    "alert sink gives it (P0 pages at once); incident type A is network-wide, B client-specific.",
    "",
    `${entries.length} alerts from ${bots.length} sources.`,
    "",
  ];
  for (const bot of bots) {
    const readme = bot === RUNTIME_BOT ? "README.md (runtime findings)" : `../agents/${bot}/README.md`;
    lines.push(`## ${bot}`, "", bot === RUNTIME_BOT ? "The runtime's own findings (a bot that fails, times out or cannot start; reorg retractions)." : `Details: [agents/${bot}/README.md](${readme}).`, "");
    lines.push("| alert id | name | severity | type | priority | incident type | trigger |", "|---|---|---|---|---|---|---|");
    for (const e of entries.filter((x) => x.bot === bot)) {
      lines.push(`| ${e.id} | ${esc(e.name)} | ${e.severity} | ${e.type} | ${e.priority} | ${e.incidentType || "-"} | ${esc(e.trigger) || "-"} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

if (require.main === module) {
  const cmd = new Command("npm run docs:alerts --")
    .description("Write docs/alerts.md, the alert catalogue, from the bots' alert definitions and README tables.")
    .addOption(new Option("--check", "write nothing; exit 1 if docs/alerts.md is out of date"))
    .addHelpText("after", "\nExample:\n  npm run docs:alerts -- --check");
  parseCommandLine(cmd);
  main(async () => {
    const text = renderCatalogue();
    if (cmd.opts<{ check?: boolean }>().check) {
      const current = existsSync(CATALOGUE_PATH) ? readFileSync(CATALOGUE_PATH, "utf8") : "";
      if (current !== text) {
        process.stderr.write("docs/alerts.md is out of date: run npm run docs:alerts\n");
        process.exitCode = 1;
      }
      return;
    }
    writeFileSync(CATALOGUE_PATH, text);
    process.stdout.write(`docs/alerts.md: ${text.split("\n").filter((l) => /^\| [A-Z]/.test(l)).length} alerts\n`);
  });
}
