/**
 * `npm run replay`: run the bots over a recorded fixture with no node, deterministically.
 * A request the fixture cannot answer stops the replay with an error naming it.
 */
import { Command, Option } from "commander";
import { isEntryPoint } from "../shared/runtime/bundled";
import { logger } from "../shared/log";
import { checkExpectation, replayFixture } from "../shared/testing/replay";
import { parseList, runStandalone, stdoutSinks } from "./lib/options";

interface ReplayOptions {
  fixture: string;
  bots?: string[];
  expected?: string;
  format: string;
}

export function replayCommand(): Command {
  return new Command("replay")
    .description("Run the bots over a recorded fixture, offline, and print their findings (optionally compare with an expectation).")
    .addOption(new Option("--fixture <file>", "fixture written by npm run record").makeOptionMandatory())
    .addOption(new Option("--bots <names>", "only these bots (default: the bots recorded)").argParser(parseList))
    .addOption(new Option("--expected <file>", "compare the findings with this expectation; exit 1 on any difference"))
    .addOption(new Option("--format <format>", "findings on stdout: json, pretty or auto").default("auto").choices(["json", "pretty", "auto"]))
    .action(async (o: ReplayOptions) => replay(o))
    .addHelpText(
      "after",
      `
Example:
  npx vigil replay --fixture agents/maker-emergency/test/fixtures/storyline.json.gz \\
    --expected agents/maker-emergency/test/fixtures/storyline.expected.json`,
    );
}

async function replay(o: ReplayOptions): Promise<void> {
  const findings = await replayFixture(o.fixture, { botNames: o.bots, sinks: stdoutSinks(o.format) });
  if (o.expected) {
    checkExpectation(o.expected, findings);
    logger().info({ expected: o.expected, findings: findings.length }, "findings match the expectation");
  }
}

if (isEntryPoint(module)) runStandalone(replayCommand(), "npm run replay --");
