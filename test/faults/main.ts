/**
 * `npm run test:faults`: the long fault-injection suite (test/faults/suite.ts). Progress on
 * stderr; the summary (faults by kind, blocks processed, findings compared, `mismatches: N`) on
 * stdout. Exits 1 when N > 0.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { main, parseCommandLine, parseNonNegative } from "../../scripts/lib/options";
import { formatSummary, runFaultSuite, type Part } from "./suite";
import { PARTS } from "./types";

const cmd = new Command("npm run test:faults --")
  .description("Run the bots through injected faults (node errors, reorgs, SIGKILL, malformed input) and compare with a clean run.")
  .addOption(new Option("--seed <n>", "seed of the fault schedule").default(1515).argParser(parseNonNegative))
  .addOption(new Option("--quick", "the short version npm test runs"))
  .addOption(
    new Option("--parts <list>", `only these parts (they run in this order whatever the order given): ${PARTS.join(", ")}`).argParser((v: string) => {
      const parts = v.split(",").map((s) => s.trim());
      const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
      if (unknown.length) throw new InvalidArgumentError(`unknown part(s) ${unknown.join(", ")}: the parts are ${PARTS.join(", ")}`);
      return parts as Part[];
    }),
  )
  .addHelpText("after", "\nExample:\n  npm run test:faults -- --seed 7");
parseCommandLine(cmd);
const o = cmd.opts<{ seed: number; quick?: boolean; parts?: Part[] }>();
main(async () => {
  const report = await runFaultSuite({ seed: o.seed, long: !o.quick, parts: o.parts, say: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(formatSummary(report) + "\n");
  if (report.mismatches.length > 0) process.exitCode = 1;
});
