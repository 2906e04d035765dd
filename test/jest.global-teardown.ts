/**
 * Jest globalTeardown: no test may leave an anvil running. Lists orphaned anvil processes (their
 * parent is gone: a test process exited without stopping its chain) started since the run
 * began; under CI (CI=true) any of them fails the run, locally it warns.
 */
import { execFileSync } from "child_process";

export default function globalTeardown(): void {
  const startedAt = (globalThis as { __VIGIL_RUN_STARTED__?: number }).__VIGIL_RUN_STARTED__ ?? Date.now();
  const ageLimit = Math.ceil((Date.now() - startedAt) / 1000) + 1;
  let ps = "";
  try {
    ps = execFileSync("ps", ["-eo", "pid=,ppid=,etimes=,args="], { encoding: "utf8" });
  } catch {
    return; // no ps here: nothing to check with
  }
  const rows = ps
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4);
  const alive = new Set(rows.map((f) => f[0]));
  const strays = rows
    .filter((f) => /\/anvil(\.exe)?$/.test(f[3]!) && Number(f[2]) <= ageLimit && (f[1] === "1" || !alive.has(f[1])))
    .map((f) => `pid ${f[0]} (${f.slice(3).join(" ").slice(0, 120)})`);
  if (strays.length === 0) return;
  const message = `anvil processes left running by this test run:\n  ${strays.join("\n  ")}`;
  if (process.env.CI) throw new Error(message);
  process.stderr.write(`\n[vigil] warning: ${message}\n`);
}
