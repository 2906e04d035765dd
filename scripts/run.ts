/**
 * `npm start`: run every bot in agents/ over a chain.
 *
 * With no RPC configured (no --rpc, no JSON_RPC_URL) it starts the embedded devnet: a local
 * anvil chain with our Maker-shaped contracts, simulated beacon nodes, and a storyline that
 * triggers every alert of every bot, and follows it live.
 */
import { Command, Option } from "commander";
import { join, resolve } from "path";
import { logger } from "../shared/log";
import { loadBots } from "../shared/runtime/discovery";
import { Runtime } from "../shared/runtime/runtime";
import { RuntimeStore } from "../shared/runtime/store";
import { inProcessSink } from "../sink/main";
import {
  loadEnv,
  main,
  parseBlockNumber,
  parseCommandLine,
  parseList,
  parseNonNegative,
  parsePositiveMs,
  parseRange,
  parseTxHash,
  parseUrls,
  rpcClient,
  stdoutSinks,
  waitForChainId,
} from "./lib/options";

interface RunOptions {
  rpc?: string[];
  range?: { from: number; to: number };
  block?: number;
  tx?: string;
  from?: number;
  confirmations?: number;
  bots?: string[];
  agentsDir?: string;
  state?: string;
  format: string;
  out?: string;
  handlerTimeout: number;
  poll: number;
  devnet?: boolean;
  once?: boolean;
  record?: string;
  expected?: string;
  beaconEvents: boolean;
  sink: boolean;
  sinkRules?: string;
}

export function runCommand(): Command {
  return new Command("npm start --")
    .description(
      "Run every bot in agents/ over a chain and print findings (JSON lines on stdout, logs on stderr).\n" +
        "With no RPC configured it starts the embedded devnet and plays a storyline that triggers every alert.",
    )
    .addOption(new Option("--rpc <urls>", "JSON-RPC URL(s), comma-separated, tried in order (env: JSON_RPC_URL)").argParser(parseUrls))
    .addOption(new Option("--range <A..B>", "process blocks A to B inclusive, then exit").argParser(parseRange))
    .addOption(new Option("--block <N>", "process one block, then exit").argParser(parseBlockNumber))
    .addOption(new Option("--tx <hash>", "run the transaction handlers on one transaction, then exit").argParser(parseTxHash))
    .addOption(new Option("--from <N>", "follow mode: first block when the state has no cursor (default: the head)").argParser(parseBlockNumber))
    .addOption(new Option("--confirmations <n>", "follow mode: stay n blocks behind the head (default 2; devnet 0)").argParser(parseNonNegative))
    .addOption(new Option("--bots <names>", "only these bots (comma-separated folder names under agents/)").argParser(parseList))
    .addOption(new Option("--agents-dir <dir>", "where to find bots (default: agents/ of this repository)"))
    .addOption(new Option("--state <file>", "SQLite file for the cursor, findings and bot state (default in follow mode: .vigil/state-<chainId>.sqlite; other modes keep it in memory)"))
    .addOption(new Option("--format <format>", "findings on stdout: json lines, pretty, or auto (pretty on a terminal)").default("auto").choices(["json", "pretty", "auto"]))
    .addOption(new Option("--out <file>", "also append findings as JSON lines to this file"))
    .addOption(new Option("--handler-timeout <ms>", "time limit for one handler call").default(30_000).argParser(parsePositiveMs(30_000)))
    .addOption(new Option("--poll <ms>", "follow mode: how often to ask for a new head").default(2_000).argParser(parsePositiveMs(2_000)))
    .addOption(new Option("--no-beacon-events", "do not also feed the consensus bots from the beacon nodes' SSE event streams (BEACON_API_URL)"))
    .addOption(new Option("--no-sink", "do not run the alert sink in-process (findings still go to stdout)"))
    .addOption(new Option("--sink-rules <file>", "the sink's rules file (env: SINK_RULES; default sink/rules.default.yaml)"))
    .addOption(new Option("--devnet", "start the embedded devnet even if JSON_RPC_URL is set"))
    .addOption(new Option("--once", "devnet: play the storyline once, process its last block, and exit 0"))
    .addOption(new Option("--record <file>", "devnet: record the storyline's JSON-RPC answers into a fixture for npm run replay"))
    .addOption(new Option("--expected <file>", "devnet with --record: also write the findings as the replay expectation"))
    .addHelpText(
      "after",
      `
Examples:
  npm start                                   # embedded devnet, storyline, follow until Ctrl-C
  npm start -- --once --format json           # play the devnet storyline once and exit
  npm start -- --once --bots maker-emergency --record esm.json.gz --expected esm.expected.json
  JSON_RPC_URL=https://eth.example/KEY npm start -- --confirmations 3
  npm start -- --rpc http://127.0.0.1:8545 --range 100..200 --bots maker-emergency
  npm start -- --rpc http://127.0.0.1:8545 --tx 0x<hash>

Configuration (environment or .env): JSON_RPC_URL, MAKER_CHAINLOG, BEACON_API_URL, LOG_LEVEL and each
bot's keys (see agents/<bot>/README.md).`,
    );
}

async function run(opts: RunOptions): Promise<void> {
  const env = process.env;
  const urls = opts.rpc ?? (env.JSON_RPC_URL ? parseUrls(env.JSON_RPC_URL) : undefined);
  if (!urls || opts.devnet) {
    const { runDevnet } = await import("./devnet/devnet");
    await runDevnet({
      once: opts.once ?? false,
      bots: opts.bots,
      format: opts.format,
      out: opts.out,
      handlerTimeoutMs: opts.handlerTimeout,
      record: opts.record,
      expected: opts.expected,
      beaconEvents: opts.beaconEvents,
      sink: opts.sink,
      sinkRules: opts.sinkRules,
    });
    return;
  }
  const log = logger();
  const bots = loadBots(opts.bots ?? [], opts.agentsDir ? resolve(opts.agentsDir) : undefined);
  const rpc = rpcClient(urls);
  const following = opts.range === undefined && opts.block === undefined && opts.tx === undefined;
  // following: a node that is down now is waited for; --range/--block/--tx fail at once with one line
  const chainId = following ? await waitForChainId(rpc, log) : await rpc.chainId();
  const statePath = opts.state ?? (following ? join(".vigil", `state-${chainId}.sqlite`) : ":memory:");
  // the alert sink, in the runtime's own state file (or SINK_DATABASE_URL); none for an in-memory run
  const sink = opts.sink ? await inProcessSink({ statePath, rules: opts.sinkRules, log }) : undefined;
  const runtime = new Runtime({
    rpc,
    bots,
    env,
    store: new RuntimeStore(statePath),
    sinks: [...stdoutSinks(opts.format, opts.out), ...(sink ? [sink] : [])],
    handlerTimeoutMs: opts.handlerTimeout,
    confirmations: opts.confirmations ?? 2,
    pollIntervalMs: opts.poll,
    maxBlockAttempts: following ? undefined : 8,
    log,
    // live only: a range replays the past, and the event streams speak of the present
    beaconEventUrls: following && opts.beaconEvents && env.BEACON_API_URL ? parseUrls(env.BEACON_API_URL) : undefined,
  });
  const stop = () => {
    log.info("stopping after the current block (Ctrl-C again to force)");
    if (runtime.stopped) process.exit(130);
    runtime.stop();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  await runtime.open();
  log.info({ chainId, rpc: rpc.describe(), state: statePath }, "runtime ready");
  try {
    if (opts.tx) await runtime.runTransaction(opts.tx);
    else if (opts.block !== undefined) await runtime.runRange(opts.block, opts.block);
    else if (opts.range) await runtime.runRange(opts.range.from, opts.range.to);
    else await runtime.follow({ from: opts.from });
  } finally {
    await runtime.close();
  }
  log.info({ ...runtime.stats }, "runtime stopped");
}

if (require.main === module) {
  loadEnv();
  const cmd = runCommand();
  parseCommandLine(cmd);
  main(() => run(cmd.opts<RunOptions>()));
}
