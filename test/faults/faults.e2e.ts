/**
 * The fault-injection suite's short pass (the long one: npm run test:faults): node faults over a
 * range, SIGKILLs of the runtime process and of a standalone sink it posts to, malformed input,
 * reorgs while following; everything compared with a clean run. A mismatch names the finding, the block and what differed.
 */
import { formatSummary, runFaultSuite } from "./suite";

it("survives injected faults with exactly the findings of a clean run", async () => {
  const report = await runFaultSuite({ seed: 1515, long: false });
  process.stderr.write(formatSummary(report) + "\n");
  expect(report.mismatches).toEqual([]);
  expect(report.blocks).toBeGreaterThan(100);
  expect(Object.keys(report.faults).length).toBeGreaterThanOrEqual(8);
  expect(report.faults["SIGKILL sink"]).toBeGreaterThan(0);
}, 1_800_000); // only ends a hang: the pass takes ~5 minutes on the loaded CI box
