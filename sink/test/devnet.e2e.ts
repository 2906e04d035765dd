/**
 * Not done until: after the devnet storyline (`npm start -- --once`), the sink's store lists the
 * storyline's incidents with type, priority (P0 among them) and owner, and the console channel
 * printed them as they opened. Runs maker-emergency's scenes (its ESM fire is P0) through the
 * same runDevnet `npm start` uses, then `vigil sink incidents --json` on the store.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { runDevnet } from "../../scripts/devnet/devnet";
import { createLogger } from "../../shared/log";
import { tmpDir } from "./helpers";

const ROOT = join(__dirname, "../..");

test("the devnet storyline's incidents, listed by vigil sink incidents and printed as they opened", async () => {
  const store = join(tmpDir(), "devnet.sqlite");
  const printed: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    printed.push(String(chunk));
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  });
  try {
    const result = await runDevnet({ once: true, format: "none", bots: ["maker-emergency"], handlerTimeoutMs: 60_000, sink: true, sinkStore: store, log: createLogger({ level: "warn" }) });
    expect(result.missing).toEqual([]);
  } finally {
    spy.mockRestore();
  }
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "sink/cli/main.ts"), "incidents", "--json", "--store", store], { encoding: "utf8", env: { ...process.env, LOG_LEVEL: "error", SINK_RULES: "", SINK_DATABASE_URL: "" } });
  expect(r.status).toBe(0);
  const incidents = JSON.parse(r.stdout) as { key: string; type: string; priority: string; owner: string; alertId: string }[];
  expect(incidents.length).toBeGreaterThan(0);
  for (const i of incidents) {
    expect(["A", "B", "protocol"]).toContain(i.type);
    expect(["P0", "P1", "P2"]).toContain(i.priority);
    expect(i.owner).toBe("maker-core");
  }
  const fire = incidents.find((i) => i.alertId === "MAKER-ESM-FIRE");
  expect(fire).toMatchObject({ priority: "P0", type: "protocol", owner: "maker-core" });
  // the console channel printed each P0/P1 incident as it opened (P2 ones go in digests)
  const text = printed.join("");
  for (const i of incidents.filter((x) => x.priority !== "P2")) expect([i.key, text.includes(i.key)]).toEqual([i.key, true]);
}, 600_000);
