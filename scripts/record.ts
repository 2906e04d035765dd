/**
 * `npm run record`: run the bots over a block range against a real node and keep every JSON-RPC
 * answer they needed (blocks, receipts, eth_call by block, logs) in one compressed fixture that
 * `npm run replay` (and jest tests) play back with no node.
 */
import { Command, Option } from "commander";
import { isEntryPoint } from "../shared/runtime/bundled";
import { logger } from "../shared/log";
import { HttpTransport } from "../shared/rpc/transport";
import { StdoutSink } from "../shared/runtime/sinks";
import { checkExpectation, recordFixture } from "../shared/testing/replay";
import { parseList, parseRange, parseUrls, runStandalone, UsageError } from "./lib/options";

interface RecordOptions {
  rpc?: string[];
  range: { from: number; to: number };
  out: string;
  bots?: string[];
  expected?: string;
  quiet?: boolean;
}

export function recordCommand(): Command {
  return new Command("record")
    .description("Record every JSON-RPC answer the bots need for a block range into a fixture file (gzip JSON).")
    .addOption(new Option("--rpc <urls>", "JSON-RPC URL(s) of the node to record from (env: JSON_RPC_URL)").argParser(parseUrls))
    .addOption(new Option("--range <A..B>", "blocks to record, inclusive").argParser(parseRange).makeOptionMandatory())
    .addOption(new Option("--out <file>", "fixture file to write, e.g. test/fixtures/esm.json.gz").makeOptionMandatory())
    .addOption(new Option("--bots <names>", "only these bots (default: all)").argParser(parseList))
    .addOption(new Option("--expected <file>", "also write the findings as the expectation replay compares with"))
    .addOption(new Option("--quiet", "do not print findings"))
    .action(async (o: RecordOptions) => record(o))
    .addHelpText(
      "after",
      `
The bots' configuration read during the recording (e.g. MAKER_CHAINLOG) is stored in the fixture,
except keys that look secret (URLs, keys, tokens). The RPC URL is never stored.

Example:
  npx vigil record --rpc http://127.0.0.1:8545 --range 15..40 --bots maker-emergency \\
    --out agents/maker-emergency/test/fixtures/storyline.json.gz --expected agents/maker-emergency/test/fixtures/storyline.expected.json`,
    );
}

async function record(o: RecordOptions): Promise<void> {
  const urls = o.rpc ?? (process.env.JSON_RPC_URL ? parseUrls(process.env.JSON_RPC_URL) : undefined);
  if (!urls) throw new UsageError("no node to record from: pass --rpc URL or set JSON_RPC_URL");
  const res = await recordFixture({
    transport: new HttpTransport({ urls }),
    from: o.range.from,
    to: o.range.to,
    botNames: o.bots ?? [],
    env: process.env,
    out: o.out,
    command: `npm run record -- --range ${o.range.from}..${o.range.to}${o.bots ? ` --bots ${o.bots.join(",")}` : ""} --out ${o.out}`,
    sinks: o.quiet ? [] : [new StdoutSink("json")],
  });
  if (o.expected) {
    process.env.UPDATE_EXPECTED = "1";
    checkExpectation(o.expected, res.findings);
  }
  logger().info({ out: o.out, answers: res.answers, findings: res.findings.length, bots: res.meta.bots, env: Object.keys(res.meta.env) }, "fixture recorded");
}

if (isEntryPoint(module)) runStandalone(recordCommand(), "npm run record --");
