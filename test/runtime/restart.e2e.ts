/**
 * Crash safety: the runtime, killed with SIGKILL in the middle of a range and started again
 * with the same state file, emits exactly the findings of an uninterrupted run: none missing,
 * none twice.
 */
import { spawn, type ChildProcess } from "child_process";
import Database from "better-sqlite3";
import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import type { AnvilChain } from "../chain/anvil";
import { TEST_BOTS_DIR, chainWithTraffic, runRange } from "./helpers";

const ROOT = resolve(__dirname, "../..");

function startRuntime(url: string, state: string): { child: ChildProcess; out: () => string; done: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/run.ts", "--rpc", url, "--range", "1..60", "--agents-dir", TEST_BOTS_DIR, "--bots", "counter", "--state", state, "--format", "json"],
    { cwd: ROOT, env: { ...process.env, COUNTER_DELAY_MS: "25", LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += String(d)));
  child.stderr!.on("data", (d) => (err += String(d)));
  const done = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  done.then((code) => {
    if (code !== 0 && code !== null) process.stderr.write(err);
  });
  return { child, out: () => out, done };
}

function cursorOf(path: string): number {
  if (!existsSync(path)) return 0;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get() as { value: string } | undefined;
      return row ? Number(row.value) : 0;
    } finally {
      db.close();
    }
  } catch {
    return 0; // the schema is being created
  }
}

describe("runtime restart after SIGKILL", () => {
  let chain: AnvilChain;
  let dir: string;
  beforeAll(async () => {
    chain = await chainWithTraffic(60);
    dir = mkdtempSync(join(tmpdir(), "vigil-restart-"));
  });
  afterAll(async () => {
    await chain.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resumes where it stopped: the findings equal an uninterrupted run's, none missing, none twice", async () => {
    const reference = (await runRange(chain.url, ["counter"], 1, 60)).findings.map((f) => `${f.finding.uniqueKey} ${f.finding.description}`);
    expect(reference.length).toBeGreaterThan(40);

    const state = join(dir, "state.sqlite");
    const first = startRuntime(chain.url, state);
    // kill it at a moment unrelated to its output: when its cursor is past block 25
    for (let i = 0; i < 2000 && cursorOf(state) < 25; i++) await new Promise((r) => setTimeout(r, 10));
    const killedAt = cursorOf(state);
    first.child.kill("SIGKILL");
    await first.done;
    expect(killedAt).toBeGreaterThanOrEqual(25);
    expect(killedAt).toBeLessThan(61); // it really was interrupted mid-range

    const second = startRuntime(chain.url, state);
    expect(await second.done).toBe(0);

    const lines = (first.out() + second.out())
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { finding: { uniqueKey: string; description: string } });
    const got = lines.map((l) => `${l.finding.uniqueKey} ${l.finding.description}`);
    expect(new Set(got).size).toBe(got.length); // none twice
    expect([...got].sort()).toEqual([...reference].sort()); // none missing, none different
  });
});
