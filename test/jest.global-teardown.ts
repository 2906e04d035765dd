/**
 * Jest globalTeardown: no test may leave an anvil running. Checks exactly the anvils this run's
 * tests started (their pids are recorded in the run's VIGIL_TEST_PIDS_DIR by test/chain/anvil.ts,
 * removed when they exit), never other anvils on the machine (a devnet, another engineer's run).
 * A recorded anvil still alive is killed; under CI (CI=true) it also fails the run, locally it warns.
 * Then the run's directory goes, with the temporary folder the tests used (see jest.global-setup.ts).
 */
import { readdirSync, readFileSync, rmSync } from "fs";
import { join } from "path";
import { processStartTime } from "./chain/anvil";

interface PidRecord {
  pid: number;
  startTime?: string;
  parent?: number;
  args?: string;
}

function alive(rec: PidRecord): boolean {
  try {
    process.kill(rec.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  // the same process, not a later one that got its pid (Linux: compare the kernel's start time)
  const now = processStartTime(rec.pid);
  return rec.startTime === undefined || now === undefined || now === rec.startTime;
}

/** The anvils recorded in `dir` that are still running. Exported for its test. */
export function strayAnvils(dir: string): PidRecord[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const strays: PidRecord[] = [];
  for (const f of files) {
    let rec: PidRecord;
    try {
      rec = JSON.parse(readFileSync(join(dir, f), "utf8")) as PidRecord;
    } catch {
      continue; // being written or removed right now
    }
    if (alive(rec)) strays.push(rec);
  }
  return strays;
}

export default function globalTeardown(): void {
  const dir = process.env.VIGIL_TEST_PIDS_DIR;
  if (!dir) return;
  const strays = strayAnvils(dir);
  for (const s of strays) {
    try {
      process.kill(s.pid, "SIGKILL");
    } catch {
      /* gone meanwhile */
    }
  }
  rmSync(dir, { recursive: true, force: true });
  // the run's directory (its pids and its TMPDIR), when these pids are the run's own (its test calls this with a scratch folder)
  const runDir = process.env.VIGIL_TEST_RUN_DIR;
  if (runDir && dir === join(runDir, "pids")) rmSync(runDir, { recursive: true, force: true });
  if (strays.length === 0) return;
  const lines = strays.map((s) => `pid ${s.pid} (started by pid ${s.parent}: ${String(s.args).slice(0, 100)}); killed now`);
  const message = `anvil processes left running by this test run:\n  ${lines.join("\n  ")}`;
  if (process.env.CI) throw new Error(message);
  process.stderr.write(`\n[vigil] warning: ${message}\n`);
}
