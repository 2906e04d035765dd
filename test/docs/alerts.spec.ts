/**
 * One alert catalogue: docs/alerts.md is generated from the bots' alert definitions; it and the
 * bots' README alert tables may not drift from the code.
 */
import { readFileSync } from "fs";
import { CATALOGUE_PATH, collectAlerts, readmeDrift, readmeDrifts, renderCatalogue } from "../../scripts/alerts-doc";
import { listBots } from "../../shared/runtime/discovery";

it("docs/alerts.md is what npm run docs:alerts generates from the code (run it after changing an alert)", () => {
  expect(readFileSync(CATALOGUE_PATH, "utf8")).toBe(renderCatalogue());
});

it("lists every alert of every bot, and the runtime's, with severity, type, priority and trigger", () => {
  const entries = collectAlerts();
  expect(new Set(entries.map((e) => e.bot))).toEqual(new Set([...listBots().map((b) => b.name), "vigil-runtime"]));
  expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length); // ids are unique across the suite
  const psmRun = entries.find((e) => e.id === "MAKER-PSM-RUN")!;
  expect(psmRun).toMatchObject({ bot: "maker-psm", severity: "High", type: "Suspicious", priority: "P1" });
  expect(psmRun.trigger).toMatch(/net outflow/);
  for (const e of entries.filter((x) => x.bot !== "vigil-runtime")) expect(e.trigger).not.toBe("");
});

it("every bot README's alert table agrees with the code on severity, priority and type", () => {
  expect(readmeDrifts()).toEqual([]);
});

it("notices a README row that drifted", () => {
  const e = collectAlerts().find((x) => x.id === "MAKER-PSM-RUN")!;
  expect(readmeDrift(e, { "alert id": "MAKER-PSM-RUN", "severity (priority)": "Medium (P2)", type: "Suspicious" })).toEqual([
    'maker-psm README, MAKER-PSM-RUN: severity column "Medium (P2)" does not name High, the code\'s default',
    'maker-psm README, MAKER-PSM-RUN: priority P1 (code) is not in "Medium (P2)"',
  ]);
  expect(readmeDrift(e, undefined)).toEqual(["maker-psm README: no row for MAKER-PSM-RUN"]);
});
