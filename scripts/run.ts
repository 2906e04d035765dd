/**
 * `npm start`: run every bot in agents/ over a chain.
 *
 * With no RPC configured (no --rpc, no JSON_RPC_URL) it starts the embedded devnet: a local
 * anvil chain with our Maker-shaped contracts, simulated beacon nodes, and a storyline that
 * triggers every alert of every bot, and follows it live.
 */
import { Command, Option } from "commander";
import { isEntryPoint } from "../shared/runtime/bundled";
import { join, resolve } from "path";
import { logger } from "../shared/log";
import { loadBots } from "../shared/runtime/discovery";
import { Runtime } from "../shared/runtime/runtime";
import { RuntimeStore } from "../shared/runtime/store";
import { handleStopSignals } from "./lib/lifecycle";
import { startOpsServer } from "../shared/runtime/ops-server";
import { inProcessSink } from "../sink/main";
import { FortaExternalSink } from "../shared/forta/external-sink";
import { HttpFindingSink } from "../shared/runtime/http-sink";
import {
  ExitCodeError,
  parseBlockNumber,
  parseList,
  parseNonNegative,
  parsePositiveMs,
  parseRange,
  parseTxHash,
  parseUrls,
  rpcClient,
  runStandalone,
  stdoutSinks,
  UsageError,
  waitForChainId,
} from "./lib/options";

interface RunOptions {
  fortaExternal?: boolean;
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
  metricsAddr?: string;
  maxLag: number;
  sink: boolean;
  sinkRules?: string;
  sinkUrl?: string;
}

/** Exit codes of `vigil run` beyond 0 (done), 1 (unexpected error) and 2 (bad input, node or configuration). */
export const EXIT_UNDELIVERED = 3;
export const EXIT_NO_BOT_RUNNING = 4;

const FOLLOW_ONLY = ["from", "confirmations", "poll"];
const DEVNET_ONLY = ["once", "record", "expected"];

export function runCommand(): Command {
  return new Command("run")
    .description(
      "Run every bot in agents/ over a chain and print findings (JSON lines on stdout, logs on stderr).\n" +
        "With no RPC configured it starts the embedded devnet and plays a storyline that triggers every alert.",
    )
    .addOption(new Option("--rpc <urls>", "JSON-RPC URL(s), comma-separated, tried in order (env: JSON_RPC_URL)").argParser(parseUrls))
    .addOption(new Option("--range <A..B>", "process blocks A to B inclusive, then exit").argParser(parseRange).conflicts(["block", "tx", ...FOLLOW_ONLY, ...DEVNET_ONLY, "devnet"]))
    .addOption(new Option("--block <N>", "process one block, then exit").argParser(parseBlockNumber).conflicts(["tx", ...FOLLOW_ONLY, ...DEVNET_ONLY, "devnet"]))
    .addOption(new Option("--tx <hash>", "run the transaction handlers on one transaction, then exit").argParser(parseTxHash).conflicts([...FOLLOW_ONLY, ...DEVNET_ONLY, "devnet"]))
    .addOption(new Option("--from <N>", "follow mode: first block when the state has no cursor (default: the head)").argParser(parseBlockNumber).conflicts([...DEVNET_ONLY, "devnet"]))
    .addOption(new Option("--confirmations <n>", "follow mode: stay n blocks behind the head (default 2; devnet 0)").argParser(parseNonNegative).conflicts(["devnet", ...DEVNET_ONLY]))
    .addOption(new Option("--bots <names>", "only these bots (comma-separated folder names under agents/)").argParser(parseList))
    .addOption(new Option("--agents-dir <dir>", "where to find bots (default: agents/ of this repository)"))
    .addOption(new Option("--state <file>", "SQLite file for the cursor, findings and bot state (default in follow mode: .vigil/state-<chainId>.sqlite; other modes keep it in memory)"))
    .addOption(new Option("--format <format>", "findings on stdout: json lines, pretty, or auto (pretty on a terminal)").default("auto").choices(["json", "pretty", "auto"]))
    .addOption(new Option("--out <file>", "also append findings as JSON lines to this file"))
    .addOption(new Option("--handler-timeout <ms>", "time limit for one handler call").default(30_000).argParser(parsePositiveMs(30_000)))
    .addOption(new Option("--poll <ms>", "follow mode: how often to ask for a new head").default(2_000).argParser(parsePositiveMs(2_000)))
    .addOption(new Option("--no-beacon-events", "do not also feed the consensus bots from the beacon nodes' SSE event streams (BEACON_API_URL)"))
    .addOption(new Option("--metrics-addr <host:port>", "serve GET /health and GET /metrics (Prometheus) there, e.g. 127.0.0.1:9464 (default: off; devnet: a free loopback port, printed)").env("VIGIL_METRICS_ADDR"))
    .addOption(new Option("--max-lag <blocks>", "follow mode: /health answers 503 when more blocks than this are waiting").default(10).argParser(parseNonNegative))
    .addOption(new Option("--forta-external", "also publish the findings to the Forta network as an external bot (FORTA_BOT_ID, FORTA_API_KEY; docs/techops.md)"))
    .addOption(new Option("--no-sink", "do not run the alert sink in-process (findings still go to stdout)"))
    .addOption(new Option("--sink-rules <file>", "the sink's rules file (env: SINK_RULES; default sink/rules.default.yaml)"))
    .addOption(
      new Option("--sink-url <url>", "deliver findings to a standalone sink (`vigil sink serve`) at this address instead of running one in-process; token from VIGIL_SINK_TOKEN (one of the sink's SINK_TOKENS)")
        .env("VIGIL_SINK_URL")
        .conflicts(["sinkRules", "devnet"]),
    )
    .addOption(new Option("--devnet", "start the embedded devnet even if JSON_RPC_URL is set").conflicts(["rpc", "state", "agentsDir"]))
    .addOption(new Option("--once", "devnet: play the storyline once, process its last block, and exit 0"))
    .addOption(new Option("--record <file>", "devnet: record the storyline's JSON-RPC answers into a fixture for npm run replay"))
    .addOption(new Option("--expected <file>", "devnet with --record: also write the findings as the replay expectation"))
    .action(async (opts: RunOptions) => run(opts))
    .addHelpText(
      "after",
      `
Examples:
  npx vigil run                                   # embedded devnet, storyline, follow until Ctrl-C
  npx vigil run --once --format json | jq .finding.alertId
  npx vigil run --once --bots maker-emergency --record esm.json.gz --expected esm.expected.json
  JSON_RPC_URL=https://eth.example/KEY npx vigil run --confirmations 3   # follow mainnet
  npx vigil run --rpc http://127.0.0.1:8545 --range 100..200 --bots maker-emergency --format json
  VIGIL_SINK_TOKEN=... npx vigil run --rpc http://127.0.0.1:8545 --sink-url http://127.0.0.1:8787   # a sink elsewhere

--range, --block and --tx run once and exit; without them the runtime follows the head. Options of
one mode are refused in another (exit 2).

--sink-url: findings go to the sink's POST /v1/findings in batches, from the runtime's outbox (its
state file): the position advances only when the sink acknowledged them, so a sink or runtime that
is down or killed gets them later (retries with backoff, Retry-After honoured), stored once by
uniqueKey. A finding the sink refuses for good (400 naming a field) is skipped with an error line
and stays in the state file. Run it with --state (or follow mode) so undelivered findings survive a
restart (docs/operations.md: runtime and sink as two services).

Exit codes: 0 done (or stopped by SIGINT/SIGTERM after the block in hand); 1 unexpected error;
2 bad input, configuration or node; ${EXIT_UNDELIVERED} findings could not be delivered to a sink;
${EXIT_NO_BOT_RUNNING} no requested bot could start.

Configuration (environment or .env): JSON_RPC_URL, MAKER_CHAINLOG, BEACON_API_URL, LOG_LEVEL
(${"fatal|error|warn|info|debug|trace|silent"}), LOG_FORMAT (json|pretty) and each bot's keys
(see agents/<bot>/README.md).`,
    );
}

async function run(opts: RunOptions): Promise<void> {
  const env = process.env;
  const urls = opts.rpc ?? (env.JSON_RPC_URL ? parseUrls(env.JSON_RPC_URL) : undefined);
  const devnetOnly = DEVNET_ONLY.filter((k) => opts[k as keyof RunOptions] !== undefined);
  if (urls && !opts.devnet && devnetOnly.length) {
    throw new UsageError(`--${devnetOnly[0]} is for the embedded devnet, but a node is configured (--rpc or JSON_RPC_URL): add --devnet, or leave --${devnetOnly[0]} out`);
  }
  if ((!urls || opts.devnet) && opts.sinkUrl) {
    throw new UsageError("--sink-url is for a runtime on a node (--rpc or JSON_RPC_URL); the embedded devnet runs its own sink in-process");
  }
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
      metricsAddr: opts.metricsAddr ?? "127.0.0.1:0",
    }).catch((err: unknown) => {
      if ((err as { code?: string }).code !== "ANVIL_NOT_FOUND") throw err;
      throw new UsageError(
        `the embedded devnet needs anvil, and none is installed for ${process.platform}/${process.arch} (${(err as Error).message.replace(/^anvil binary not found \((.*?)\);.*$/s, "$1")}); ` +
          "point Vigil at a node instead: JSON_RPC_URL=https://your-node npx vigil run (or --rpc URL)",
      );
    });
    return;
  }
  const log = logger();
  const bots = loadBots(opts.bots ?? [], opts.agentsDir ? resolve(opts.agentsDir) : undefined);
  // checked before the node is asked anything: a bad bot id or a missing key is one line, exit 2
  const fortaSinks = opts.fortaExternal ? [FortaExternalSink.fromEnv(env)] : [];
  const httpSink = opts.sinkUrl ? new HttpFindingSink({ url: opts.sinkUrl, token: env.VIGIL_SINK_TOKEN ?? "", log }) : undefined;
  const rpc = rpcClient(urls);
  const following = opts.range === undefined && opts.block === undefined && opts.tx === undefined;
  let runtime: Runtime | undefined;
  // served from the start: while the node is awaited, /health says so (503)
  const ops = opts.metricsAddr
    ? await startOpsServer(opts.metricsAddr, () => {
        if (!runtime) return { healthy: false, reason: "starting: waiting for the node" };
        if (following) return runtime.health({ maxLagBlocks: opts.maxLag, maxSilenceMs: Math.max(60_000, 10 * opts.poll) });
        return { healthy: !runtime.stopped, reason: runtime.stopped ? "stopping" : "running a one-shot range" };
      })
    : undefined;
  // (a URL with a path would be masked in the log: the address alone, the paths in the message)
  if (ops) log.info({ url: ops.url }, "serving health and metrics (GET /health, GET /metrics)");
  try {
    // following: a node that is down now is waited for; --range/--block/--tx fail at once with one line
    const chainId = following ? await waitForChainId(rpc, log) : await rpc.chainId();
    const statePath = opts.state ?? (following ? join(".vigil", `state-${chainId}.sqlite`) : ":memory:");
    // the runtime's store first: it takes the file's lock and creates (or checks) the runtime's
    // tables, so the sink's tables never make a new file look like someone else's database
    const store = new RuntimeStore(statePath);
    // the alert sink, in the runtime's own state file (or SINK_DATABASE_URL); none for an in-memory run;
    // with --sink-url the sink runs elsewhere (two sinks would notify the same people twice)
    const sink = opts.sink && !httpSink ? await inProcessSink({ statePath, rules: opts.sinkRules, log }).catch((err: unknown) => {
      store.close();
      throw err;
    }) : undefined;
    const rt = new Runtime({
      rpc,
      bots,
      env,
      store,
      sinks: [...stdoutSinks(opts.format, opts.out), ...(sink ? [sink] : []), ...(httpSink ? [httpSink] : []), ...fortaSinks],
      handlerTimeoutMs: opts.handlerTimeout,
      confirmations: opts.confirmations ?? 2,
      pollIntervalMs: opts.poll,
      maxBlockAttempts: following ? undefined : 8,
      log,
      // live only: a range replays the past, and the event streams speak of the present
      beaconEventUrls: following && opts.beaconEvents && env.BEACON_API_URL ? parseUrls(env.BEACON_API_URL) : undefined,
    });
    runtime = rt;
    const unhandle = handleStopSignals(() => rt.stop(), { log });
    try {
      await rt.open();
      log.info({ chainId, rpc: rpc.describe(), state: statePath, ...(httpSink ? { sinkUrl: httpSink.describe() } : {}) }, "runtime ready");
      if (opts.tx) await rt.runTransaction(opts.tx);
      else if (opts.block !== undefined) await rt.runRange(opts.block, opts.block);
      else if (opts.range) await rt.runRange(opts.range.from, opts.range.to);
      else await rt.follow({ from: opts.from });
    } finally {
      await rt.close();
      unhandle();
    }
    log.info({ ...rt.stats }, "runtime stopped");
    checkOutcome(rt, statePath, !following);
  } finally {
    await ops?.close();
  }
}

/** A run that could not deliver its findings, or ran no bot at all, does not exit 0. */
function checkOutcome(runtime: Runtime, statePath: string, oneShot: boolean): void {
  const undelivered = runtime.undelivered();
  if (undelivered.length) {
    const where = statePath === ":memory:" ? "they are lost (no --state file)" : `they stay in ${statePath} and are delivered at the next start`;
    const list = undelivered.map((u) => `${u.findings} to ${u.sink}${u.error ? ` (${u.error})` : ""}`).join("; ");
    throw new ExitCodeError("UNDELIVERED", `findings could not be delivered: ${list}; ${where}`, EXIT_UNDELIVERED);
  }
  const bots = runtime.botStatus();
  if (oneShot && bots.requested > 0 && bots.running === 0 && bots.failed > 0) {
    throw new ExitCodeError("NO_BOT_RUNNING", `none of the ${bots.requested} requested bot(s) could start (${bots.failed} failed to initialize; see the VIGIL-BOT-INIT-FAILED findings and the log)`, EXIT_NO_BOT_RUNNING);
  }
}

if (isEntryPoint(module)) runStandalone(runCommand(), "npm start --");
