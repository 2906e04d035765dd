/**
 * The jest teardown checks the anvils this test run started, and only those: each anvil started
 * through test/chain/anvil.ts is recorded in the run's VIGIL_TEST_PIDS_DIR until it exits (child
 * processes of tests included); an anvil started by anything else on the machine is not.
 */
import { spawn } from "child_process";
import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import globalTeardown, { strayAnvils } from "../jest.global-teardown";
import { anvilBinaryPath, startAnvil } from "./anvil";
import { isAlive, start } from "../../scripts/test/process";

describe("run-scoped anvil tracking", () => {
  const saved = { dir: process.env.VIGIL_TEST_PIDS_DIR, ci: process.env.CI };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-pids-test-"));
    process.env.VIGIL_TEST_PIDS_DIR = dir;
  });
  afterEach(() => {
    process.env.VIGIL_TEST_PIDS_DIR = saved.dir;
    if (saved.ci === undefined) delete process.env.CI;
    else process.env.CI = saved.ci;
    rmSync(dir, { recursive: true, force: true });
  });

  it("records an anvil while it runs and forgets it when stopped; an anvil started elsewhere is never counted", async () => {
    expect(saved.dir).toMatch(/vigil-jest-/); // the run's own directory, from globalSetup
    const foreign = spawn(anvilBinaryPath(), ["--port", "0", "--host", "127.0.0.1"], { stdio: "ignore" });
    try {
      const chain = await startAnvil();
      expect(existsSync(join(dir, String(chain.pid)))).toBe(true);
      expect(strayAnvils(dir).map((s) => s.pid)).toEqual([chain.pid]);
      await chain.stop();
      expect(strayAnvils(dir)).toEqual([]);
      expect(isAlive(foreign.pid!)).toBe(true); // running beside the tests, and not ours
      globalTeardown(); // passes (CI or not): nothing of this run is left
    } finally {
      foreign.kill("SIGKILL");
    }
  });

  it("fails the run under CI for an anvil left by a test's child process killed with SIGKILL, and kills it", async () => {
    const child = start(process.execPath, [
      "--import",
      "tsx",
      "-e",
      'require("./test/chain/anvil").startAnvil().then((c) => process.stderr.write(`anvil ${c.pid}\\n`))',
    ], { VIGIL_TEST_PIDS_DIR: dir });
    await child.waitFor(/anvil \d+/, 120_000);
    const pid = Number(/anvil (\d+)/.exec(child.err())![1]);
    child.child.kill("SIGKILL"); // no exit hook runs: its anvil is orphaned
    await child.exited;
    expect(isAlive(pid)).toBe(true);
    expect(strayAnvils(dir).map((s) => s.pid)).toEqual([pid]);
    process.env.CI = "true";
    expect(() => globalTeardown()).toThrow(new RegExp(`anvil processes left running by this test run:\\n  pid ${pid} \\(started by pid ${child.child.pid}: `));
    for (let i = 0; i < 1200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(pid)).toBe(false);
  });
});
