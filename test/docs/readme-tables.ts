/**
 * Reading the alert tables and configuration tables of the bots' READMEs, so tests can hold
 * the documentation to the code.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { listBots } from "../../shared/runtime/discovery";

/** Alert ids from the first column of a README's "## Alerts" table. */
export function readmeAlertIds(readme: string): string[] {
  const section = /^## Alerts\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? "";
  return section
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) => l.split("|")[1]!.trim().replace(/`/g, ""))
    .filter((c) => /^[A-Z0-9][A-Z0-9-]+$/.test(c));
}

export interface BotDocs {
  bot: string;
  dir: string;
  readme: string;
  alertIds: string[];
}

export function botDocs(): BotDocs[] {
  return listBots().map((b) => {
    const path = join(b.dir, "README.md");
    const readme = existsSync(path) ? readFileSync(path, "utf8") : "";
    return { bot: b.name, dir: b.dir, readme, alertIds: readmeAlertIds(readme) };
  });
}
