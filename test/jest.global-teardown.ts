/**
 * Jest globalTeardown: no test may leave an anvil (or any child) running. Lists anvil processes
 * started since the run began; under CI (CI=true) any of them fails the run, locally it warns
 * (other work on the machine may run its own anvil).
 */
import { execFileSync } from "child_process";

export default function globalTeardown(): void {
  const startedAt = (globalThis as { __VIGIL_RUN_STARTED__?: number }).__VIGIL_RUN_STARTED__ ?? Date.now();
  const ageLimit = Math.ceil((Date.now() - startedAt) / 1000) + 1;
  let ps = "";
  try {
    ps = execFileSync("ps", ["-eo", "pid=,etimes=,args="], { encoding: "utf8" });
  } catch {
    return; // no ps here: nothing to check with
  }
  const strays = ps
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && /\/anvil(\.exe)?$/.test(f[2]!) && Number(f[1]) <= ageLimit)
    .map((f) => `pid ${f[0]} (${f.slice(2).join(" ").slice(0, 120)})`);
  if (strays.length === 0) return;
  const message = `anvil processes left running by this test run:\n  ${strays.join("\n  ")}`;
  if (process.env.CI) throw new Error(message);
  process.stderr.write(`\n[vigil] warning: ${message}\n`);
}
