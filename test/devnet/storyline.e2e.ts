/**
 * `npm start -- --once`: the devnet storyline makes every alert in every bot's README fire, and
 * the run ends by itself.
 */
import { createLogger } from "../../shared/log";
import { runDevnet } from "../../scripts/devnet/devnet";
import { botDocs } from "../docs/readme-tables";

// minutes, not a speed check: the storyline grows with every bot (part 2 of Sky added scenes) and took 12-15 min on a loaded 2-core box
jest.setTimeout(30 * 60_000);

it("fires every alert of every bot's README during the storyline, and stops after its last block", async () => {
  const result = await runDevnet({ once: true, format: "none", handlerTimeoutMs: 60_000, log: createLogger({ level: process.env.LOG_LEVEL ?? "warn" }) });
  const documented = botDocs().flatMap((b) => b.alertIds.map((id) => `${b.bot} ${id}`));
  const fired = new Set(result.findings.map((f) => `${f.bot} ${f.finding.alertId}`));
  const silent = documented.filter((d) => !fired.has(d));
  expect(silent).toEqual([]);
  expect(result.missing).toEqual([]);
  // the storyline is about the bots' own alerts: no bot failed along the way
  expect(result.findings.filter((f) => f.bot === "vigil-runtime" && f.finding.alertId !== "VIGIL-REORG-RETRACTION").map((f) => f.finding.description)).toEqual([]);
});
