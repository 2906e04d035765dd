/**
 * The runtime's state file as an operator meets it: one writer at a time (a second runtime exits
 * 2 naming the holder; a holder killed with SIGKILL does not block the next one), a damaged or
 * foreign file refused in one line, and files of older schema versions migrated forward.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { hostname, tmpdir } from "os";
import { join } from "path";
import type { AnvilChain } from "../chain/anvil";
import { MIGRATIONS, RuntimeStore, SCHEMA_VERSION, StateLockedError } from "../../shared/runtime/store";
import { runTs, start } from "../../scripts/test/process";
import { TEST_BOTS_DIR, chainWithTraffic } from "./helpers";

describe("the runtime's state file", () => {
  let chain: AnvilChain;
  let dir: string;
  beforeAll(async () => {
    chain = await chainWithTraffic(6);
    dir = mkdtempSync(join(tmpdir(), "vigil-state-"));
  });
  afterAll(async () => {
    await chain.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const runOnce = (state: string) =>
    runTs("scripts/run.ts", ["--rpc", chain.url, "--range", "1..6", "--agents-dir", TEST_BOTS_DIR, "--bots", "counter", "--state", state, "--format", "json"], { LOG_LEVEL: "silent" });

  it("has one writer: a second runtime exits 2 naming the holder; after the holder is SIGKILLed the next one starts", async () => {
    const state = join(dir, "locked.sqlite");
    const holder = start(process.execPath, ["--import", "tsx", "scripts/run.ts", "--rpc", chain.url, "--agents-dir", TEST_BOTS_DIR, "--bots", "counter", "--state", state, "--confirmations", "0", "--poll", "200", "--format", "json"]);
    try {
      await holder.waitFor(/"msg":"following the chain"/);
      const second = runOnce(state);
      expect(second.code).toBe(2);
      expect(second.err.trim().split("\n")).toEqual([
        expect.stringMatching(
          new RegExp(`^error: state file ${state.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is in use by another Vigil runtime \\(pid ${holder.child.pid} on host ${hostname()}, running since \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\); stop that one first, or give this one another --state file$`),
        ),
      ]);
      // in the same process too (tests, embedders): the lock is per file, not per process
      expect(() => new RuntimeStore(state)).toThrow(StateLockedError);
      holder.child.kill("SIGKILL");
      await holder.exited;
      const after = runOnce(state);
      expect(after.err).toBe("");
      expect(after.code).toBe(0);
    } finally {
      if (holder.child.exitCode === null) holder.child.kill("SIGKILL");
    }
  });

  it("refuses a damaged file and a SQLite file that is not a Vigil state, in one line naming the file and what to do", () => {
    const garbage = join(dir, "garbage.sqlite");
    writeFileSync(garbage, "this is not a database, just some text that happens to be long enough ".repeat(20));
    const bad = runOnce(garbage);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split("\n")).toEqual([
      `error: state file ${garbage} is not a SQLite database, or is damaged; move it away (or restore it from a backup) and start again: a new file is then created and the runtime starts at the head, or at --from`,
    ]);

    const foreign = join(dir, "foreign.sqlite");
    const db = new Database(foreign);
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users(name) VALUES ('alice')");
    db.close();
    const other = runOnce(foreign);
    expect(other.code).toBe(2);
    expect(other.err.trim().split("\n")).toEqual([
      `error: state file ${foreign} is a SQLite database but not a Vigil runtime state (its tables: users); give --state a file of its own (a new name creates one)`,
    ]);
    // and it was not touched
    const check = new Database(foreign, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: "users" }]);
    check.close();
  });

  it("migrates a file of the first schema (no version recorded) forward, keeping cursor, findings and sink positions", () => {
    const old = join(dir, "v1.sqlite");
    const first = runOnce(old);
    expect(first.code).toBe(0);
    // make it exactly what the first released schema wrote: no version, no index of version 2
    const db = new Database(old);
    db.exec("DELETE FROM meta WHERE key IN ('schemaVersion', 'holder'); DROP INDEX findings_bot;");
    const before = {
      cursor: (db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get() as { value: string }).value,
      findings: (db.prepare("SELECT COUNT(*) AS n FROM findings").get() as { n: number }).n,
      sinks: db.prepare("SELECT sink, seq FROM sink_cursor ORDER BY sink").all(),
    };
    db.close();
    expect(before.findings).toBeGreaterThan(0);

    const store = new RuntimeStore(old);
    try {
      expect(store.openedVersion).toBe(1);
      expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(store.cursor()).toBe(Number(before.cursor));
      expect(store.allFindings()).toHaveLength(before.findings);
    } finally {
      store.close();
    }
    const after = new Database(old, { readonly: true });
    expect(after.prepare("SELECT sink, seq FROM sink_cursor ORDER BY sink").all()).toEqual(before.sinks);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name = 'findings_bot'").all()).toHaveLength(1);
    after.close();
    // the runtime goes on with it: the range is done, nothing is emitted twice
    const again = runOnce(old);
    expect(again.code).toBe(0);
    expect(again.out).toBe("");
  });

  it("refuses a file written by a newer Vigil", () => {
    const newer = join(dir, "newer.sqlite");
    new RuntimeStore(newer).close();
    const db = new Database(newer);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schemaVersion'").run(String(SCHEMA_VERSION + 1));
    db.close();
    const r = runOnce(newer);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      `error: state file ${newer} was written by a newer Vigil (schema version ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}); upgrade Vigil, or give this one another --state file`,
    );
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
