/**
 * The documentation cannot drift from the code: every bot has a README whose alert table lists
 * exactly the alert ids its code defines (first column), and whose configuration table matches
 * the bot's config spec; every bot folder has what Forta publishing reads.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { describeConfig } from "../../shared/config";
import type { AlertSpec } from "../../shared/findings";
import { botDocs } from "./readme-tables";
import { readManifest } from "../../scripts/lib/images";

const bots = botDocs();

describe.each(bots.map((b) => [b.bot, b] as const))("%s", (_name, b) => {
  it("has a README with an alert table", () => {
    expect(b.readme).not.toBe("");
    expect(b.alertIds.length).toBeGreaterThan(0);
  });

  it("lists in its README exactly the alerts its code defines", () => {
    const path = join(b.dir, "src", "alerts.ts");
    if (!existsSync(path)) return; // a bot may define its alerts elsewhere; then its own tests cover them
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(path) as Record<string, unknown>;
    const ids = new Set<string>();
    for (const v of Object.values(mod)) {
      if (v && typeof v === "object") for (const a of Object.values(v as Record<string, AlertSpec>)) if (a && typeof a === "object" && typeof a.id === "string") ids.add(a.id);
    }
    expect([...new Set(b.alertIds)].sort()).toEqual([...ids].sort());
  });

  it("documents its configuration exactly as the code reads it", () => {
    const path = join(b.dir, "src", "config.ts");
    if (!existsSync(path)) return;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(path) as { CONFIG_SPEC?: Parameters<typeof describeConfig>[0] };
    if (!mod.CONFIG_SPEC) return;
    for (const row of describeConfig(mod.CONFIG_SPEC).split("\n").slice(2)) expect(b.readme).toContain(row);
  });

  it("has the package.json and tsconfig.json the forta-agent CLI reads", () => {
    const pkg = JSON.parse(readFileSync(join(b.dir, "package.json"), "utf8")) as { name?: string; version?: string; description?: string; chainIds?: number[] };
    expect(pkg.name).toBeTruthy();
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(pkg.description).toBeTruthy();
    expect(pkg.chainIds?.length).toBeGreaterThan(0);
    const ts = JSON.parse(readFileSync(join(b.dir, "tsconfig.json"), "utf8")) as { compilerOptions?: { outDir?: string } };
    expect(ts.compilerOptions?.outDir).toBe("dist");
    // and the manifest Forta's publishers need (repository, licence, documentation, chainSettings: scripts/lib/images.ts)
    expect(() => readManifest(b.bot)).not.toThrow();
  });
});
