/** Each bot's alert catalogue (id, name, severity, type), read from agents/<bot>/src/alerts.ts. */
import { existsSync } from "fs";
import { join } from "path";
import { FindingSeverity, FindingType } from "forta-agent";
import { AGENTS_DIR, listBots } from "../../../shared/runtime/discovery";
import { RUNTIME_ALERTS, RUNTIME_BOT } from "../../../shared/runtime/alerts";

export interface CatalogueEntry {
  id: string;
  name: string;
  severity: string;
  type: string;
}

let cached: Map<string, CatalogueEntry[]> | undefined;

function entries(mod: Record<string, unknown>): CatalogueEntry[] {
  const out: CatalogueEntry[] = [];
  for (const exp of Object.values(mod)) {
    if (!exp || typeof exp !== "object") continue;
    for (const a of Object.values(exp as Record<string, unknown>)) {
      const spec = a as { id?: unknown; name?: unknown; severity?: unknown; type?: unknown };
      if (typeof spec?.id !== "string" || typeof spec.name !== "string" || typeof spec.severity !== "number") continue;
      out.push({ id: spec.id, name: spec.name, severity: FindingSeverity[spec.severity] ?? String(spec.severity), type: FindingType[spec.type as number] ?? String(spec.type) });
    }
  }
  const seen = new Set<string>();
  return out.filter((e) => !seen.has(e.id) && seen.add(e.id));
}

export function alertCatalogue(agentsDir = AGENTS_DIR): Map<string, CatalogueEntry[]> {
  if (cached) return cached;
  const map = new Map<string, CatalogueEntry[]>();
  for (const b of existsSync(agentsDir) ? listBots(agentsDir) : []) {
    const file = join(b.dir, "src", "alerts.ts");
    if (!existsSync(file)) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      map.set(b.name, entries(require(file) as Record<string, unknown>));
    } catch {
      map.set(b.name, []);
    }
  }
  map.set(RUNTIME_BOT, entries({ RUNTIME_ALERTS }));
  return (cached = map);
}
