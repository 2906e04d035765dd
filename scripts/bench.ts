/**
 * `npm run bench` (later `npx vigil bench`): the whole suite's speed and memory on a
 * mainnet-like workload, measured (never asserted in tests; `--quick` is only checked for shape).
 *
 * 1. workload: scripts/bench/workload.ts builds a deterministic mainnet-like chain on anvil with
 *    our Maker-shaped contracts (>= 500 blocks of 150-200 transactions, ~300-400 logs each, Maker
 *    activity among unrelated ERC-20 traffic, a few heavy blocks of 500+ transactions).
 * 2. fixture: the suite's JSON-RPC answers over that range, recorded once and cached under
 *    .vigil/bench/ (gitignored), keyed by the generator's hash.
 * 3. live: the Maker and Sky execution-chain bots (BENCH_BOTS) against anvil through a counting proxy, in a
 *    process of their own: blocks/s, HTTP requests and JSON-RPC calls per block by method,
 *    p50/p99 per-block time, peak RSS.
 * 4. replay: the same bots over the cached fixture, no node, one process (one core): blocks/s,
 *    p50/p99, peak RSS, and startup (process start to the first block handled). Both measured
 *    phases run the compiled command (dist/vigil.js as users run it, built afresh: COMPILED).
 * 5. by bot: each bot alone over the first blocks of the fixture: calls per block by method (what
 *    it would ask without the shared cache and batching).
 * 6. forta-agent CLI: the same bots one at a time under the real CLI, one run of S+2 blocks each,
 *    through the same counting proxy: per-block time measured inside the run (from the CLI's
 *    "fetching block" line of the second block to that of the last: S whole blocks, the CLI's
 *    start-up, the bot's first block and the shutdown left out), requests per block in the same
 *    window, and the ratio.
 * Then a table (stdout), and as the very last stdout line one JSON object.
 */
import { spawn } from "child_process";
import { Command, Option } from "commander";
import { existsSync, mkdirSync, rmSync } from "fs";
import { cpus, freemem, loadavg, totalmem, type as osType, release } from "os";
import { join } from "path";
import { performance } from "perf_hooks";
import type { Env } from "../shared/config";
import { createLogger } from "../shared/log";
import { RpcClient } from "../shared/rpc/client";
import { FixtureTransport, readFixtureMeta } from "../shared/rpc/fixture";
import { HttpTransport, type RpcCall, type RpcOutcome, type RpcTransport } from "../shared/rpc/transport";
import { botsFrom, loadBots, type LoadedBot } from "../shared/runtime/discovery";
import { Runtime } from "../shared/runtime/runtime";
import { recordFixture, runOverTransport } from "../shared/testing/replay";
import { isEntryPoint, REPO_ROOT } from "../shared/runtime/bundled";
import { anvilPeakRssMb, processCpuMs } from "./bench/proc";
import { ProxyProcess, serveProxyPhase } from "./bench/proxy";
import { parseNonNegative, runStandalone, UsageError } from "./lib/options";

const ROOT = REPO_ROOT;
/**
 * The measured phases run in a process of their own, as users run Vigil: the compiled command
 * (`npx vigil`, dist/vigil.js as `npm run build` makes it, plain node, no TypeScript loader),
 * built afresh from the sources by each bench (startup, RSS and speed of the shipped form), run as
 * `node <it> bench --phase ...`: one file per bench process, in the repository (for node_modules).
 */
const COMPILED = join(ROOT, ".vigil", "bench-build", `vigil-${process.pid}.js`);
/** the bots whose contracts the workload deploys and drives (maker-dai-bridge stays off: no DAI_BRIDGE_DOMAINS, no L2) */
export const BENCH_BOTS = ["maker-auth", "maker-dai-bridge", "maker-emergency", "maker-flash", "maker-governance", "maker-liquidations", "maker-oracles", "maker-psm", "maker-vat", "sky-bridges", "sky-burn-engine", "sky-lockstake", "sky-rates", "sky-stablecoin"];

export interface BenchOptions {
  quick?: boolean;
  /** a PostgreSQL server for the sink's intake figure (a scratch database is created and dropped) */
  sinkPg?: string;
  blocks?: number;
  cliBlocks?: number;
  cliBots?: string[];
  cacheDir: string;
  phase?: "live" | "replay" | "proxy";
  rpc?: string;
  fixture?: string;
  from?: number;
  to?: number;
  env?: string;
}

export function benchCommand(): Command {
  return new Command("bench")
    .description("Measure the whole suite on a mainnet-like workload: replay and live blocks/s, RPC requests and calls per block, p50/p99 block time, startup, peak RSS, and the ratio to the forta-agent CLI.")
    .addOption(new Option("--sink-pg <url>", "also measure the alert sink's intake on this PostgreSQL server (a scratch database is created and dropped; env SINK_BENCH_PG_URL)"))
    .addOption(new Option("--quick", "a small workload (~35 blocks) and a 1-bot CLI sample: checks that everything runs, figures are not meaningful"))
    .addOption(new Option("--blocks <n>", "filled blocks in the workload (default 500)").argParser(parseNonNegative))
    .addOption(new Option("--cli-blocks <n>", "blocks timed per bot in the forta-agent CLI sample (default 20; two more are run)").argParser(parseNonNegative))
    .addOption(new Option("--cli-bots <names>", "bots in the forta-agent CLI sample (default: all the benchmark's bots)").argParser((v: string) => v.split(",").map((s) => s.trim()).filter(Boolean)))
    .addOption(new Option("--cache-dir <dir>", "where the recorded workload fixture is cached").default(join(ROOT, ".vigil", "bench")))
    .addOption(new Option("--phase <phase>", "internal: run one measured phase in this process").choices(["live", "replay", "proxy"]).hideHelp())
    .addOption(new Option("--rpc <url>").hideHelp())
    .addOption(new Option("--fixture <file>").hideHelp())
    .addOption(new Option("--from <n>").argParser(parseNonNegative).hideHelp())
    .addOption(new Option("--to <n>").argParser(parseNonNegative).hideHelp())
    .addOption(new Option("--env <json>").hideHelp())
    .action(async (o: BenchOptions) => runBench(o))
    .addHelpText(
      "after",
      `
Progress goes to stderr; the table, then one JSON line (the last line of stdout) to stdout.
The first run (and any run after scripts/bench/workload.ts changes) records the workload's
fixture into --cache-dir; a full run takes several minutes (the workload is built on anvil).

Example:
  npm run bench
  npx vigil bench --quick`,
    );
}

// ---- measured phases (child processes) -----------------------------------------------------

/** A first bot that only notes when each block reaches it: the interval is the block's time. */
function timerBot(marks: number[], firstCpu: { ms: number }): LoadedBot[] {
  return botsFrom({
    "000-bench-timer": () => ({
      async handleBlock() {
        if (marks.length === 0) {
          const c = process.cpuUsage();
          firstCpu.ms = (c.user + c.system) / 1000;
        }
        marks.push(performance.now());
        return [];
      },
    }),
  });
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

class CountingTransport implements RpcTransport {
  readonly byMethod: Record<string, number> = {};
  calls = 0;
  batches = 0;
  constructor(private readonly inner: RpcTransport) {}
  describe(): string {
    return this.inner.describe();
  }
  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    this.batches++;
    this.calls += calls.length;
    for (const c of calls) this.byMethod[c.method] = (this.byMethod[c.method] ?? 0) + 1;
    return this.inner.send(calls);
  }
}

interface PhaseResult {
  blocks: number;
  ms: number;
  p50: number;
  p99: number;
  peakRssMb: number;
  startupMs: number;
  /** CPU time (user + system) from process start to the first block: what startup costs without the machine's load */
  startupCpuMs: number;
  /** CPU time (user + system) of the range: blocks per CPU-second is the figure a loaded machine distorts least */
  cpuMs: number;
  calls: number;
  batches: number;
}

async function runPhase(o: BenchOptions): Promise<void> {
  const marks: number[] = [];
  const firstCpu = { ms: 0 };
  let transport: RpcTransport;
  let from: number;
  let to: number;
  let env: Env;
  let names: string[];
  let fixture: FixtureTransport | undefined;
  if (o.phase === "replay") {
    fixture = await FixtureTransport.open(o.fixture!);
    transport = fixture;
    ({ from, to, env } = fixture.meta);
    names = fixture.meta.bots;
  } else {
    transport = new HttpTransport({ urls: [o.rpc!], timeoutMs: 60_000 });
    from = o.from!;
    to = o.to!;
    env = JSON.parse(o.env ?? "{}") as Env;
    names = BENCH_BOTS;
  }
  const counting = new CountingTransport(transport);
  let lastReported = 0;
  const progress = setInterval(() => {
    const done = marks.length;
    if (done !== lastReported) process.stdout.write(`@progress ${done} ${to - from + 1}\n`);
    lastReported = done;
  }, 250);
  const runtime = new Runtime({ rpc: new RpcClient(counting), bots: [...timerBot(marks, firstCpu), ...loadBots(names)], env, log: createLogger({ level: "warn" }) });
  await runtime.open();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await runtime.runRange(from, to);
  const t1 = performance.now();
  const cpu = process.cpuUsage(c0);
  await runtime.close();
  fixture?.close();
  clearInterval(progress);
  const intervals = marks.slice(1).map((m, i) => m - marks[i]!);
  intervals.push(t1 - marks[marks.length - 1]!);
  const result: PhaseResult = {
    blocks: to - from + 1,
    ms: t1 - t0,
    p50: percentile(intervals, 50),
    p99: percentile(intervals, 99),
    // the kernel's own peak (getrusage): sampling memoryUsage() every 25 ms cost ~2% of the replay's CPU
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
    startupMs: marks[0] ?? 0,
    startupCpuMs: firstCpu.ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    calls: counting.calls,
    batches: counting.batches,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

// ---- orchestration ---------------------------------------------------------------------------

class Progress {
  private last = "";
  constructor(private readonly on = process.stderr.isTTY || process.env.VIGIL_BENCH_PROGRESS === "1") {}
  bar(phase: string, done: number, total: number): void {
    if (!this.on) return;
    const width = 30;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const line = `\r${phase.padEnd(34)} [${"#".repeat(Math.round(frac * width)).padEnd(width, ".")}] ${String(Math.round(frac * 100)).padStart(3)}% ${done}/${total}`;
    if (line !== this.last) process.stderr.write(line);
    this.last = line;
  }
  say(text: string): void {
    if (this.on) process.stderr.write(`\r${" ".repeat(90)}\r`);
    process.stderr.write(`${text}\n`);
  }
}

/** Run a measured phase in a child process (its own heap, its own RSS); progress lines drive the bar. */
function child(args: string[], progress: Progress, phase: string): Promise<PhaseResult> {
  return new Promise((resolveChild, reject) => {
    const p = spawn(process.execPath, [COMPILED, "bench", ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const lines = out.split("\n");
      out = lines.pop()!;
      for (const l of lines) {
        const m = /^@progress (\d+) (\d+)$/.exec(l);
        if (m) progress.bar(phase, Number(m[1]), Number(m[2]));
        else if (l.startsWith("{")) resolveChild(JSON.parse(l) as PhaseResult);
      }
    });
    p.on("exit", (code) => {
      if (code !== 0) reject(new Error(`bench phase ${phase} failed (exit ${code}): ${err.slice(-3000)}`));
    });
  });
}

/** The --sink-pg server answers (its URL's password is never printed). */
async function pgReachable(url: string): Promise<void> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 30_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    const u = new URL(url);
    throw new UsageError(`--sink-pg: the PostgreSQL server at ${u.hostname}:${u.port || 5432} does not answer (${(err as Error).message}): start it (e.g. bash .ci/postgres.sh) or leave out --sink-pg and SINK_BENCH_PG_URL`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function machine(): string {
  const c = cpus();
  return `${c[0]?.model.trim() ?? "unknown CPU"}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), ${osType()} ${release()}, Node ${process.versions.node}, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function bench(o: BenchOptions): Promise<void> {
  // loaded here: the measured phases (child processes) do not need anvil or the contracts
  const { startAnvil } = await import("../test/chain/anvil");
  const { generateWorkload, workloadHash, DEFAULT_WORKLOAD, QUICK_WORKLOAD } = await import("./bench/workload");
  const { runFortaCli } = await import("../shared/testing/forta-cli");
  const progress = new Progress();
  const opts = o.quick ? { ...QUICK_WORKLOAD } : { ...DEFAULT_WORKLOAD, ...(o.blocks ? { blocks: o.blocks } : {}) };
  const machineLine = machine();
  progress.say(`vigil bench: ${o.quick ? "QUICK (figures not meaningful)" : "full"} on ${machineLine}`);

  // anvil keeps the states of the whole range in memory (an archive node serves history from its
  // database; anvil by default pages old states out to disk, one file per block, read back on
  // every call at that block: the live phase, all at past blocks, then measured anvil's disk)
  // a PostgreSQL server for the sink's figure must answer now, not after the long run
  const pgUrl = o.sinkPg ?? process.env.SINK_BENCH_PG_URL;
  if (pgUrl) await pgReachable(pgUrl);
  const keepStates = 2 * opts.blocks + 200;
  const chain = await startAnvil({ keepStates, extraArgs: ["--gas-limit", "100000000"] });
  let proxy: ProxyProcess | undefined;
  try {
    await (await import("./build")).buildVigil(COMPILED);
    // the counting proxy in a small process of its own (this one's heap holds the workload's build)
    proxy = await ProxyProcess.start([COMPILED, "bench"], chain.url);
    const tGen = performance.now();
    const w = await generateWorkload(chain, opts, (done, total, what) => progress.bar(`workload: ${what}`, done, total));
    progress.say(`workload: blocks ${w.from}..${w.to} (${w.to - w.from + 1}), ${w.txs} transactions in ${w.filledBlocks} filled blocks (burn engine and bridges: ${Object.entries(w.activity).map(([k, v]) => `${v} ${k}`).join(", ")}), built in ${round((performance.now() - tGen) / 1000)} s`);
    if (w.to - w.from + 2 > keepStates) throw new Error(`the workload's range (${w.to - w.from + 1} blocks) is longer than the states anvil keeps (${keepStates}): raise keepStates in scripts/bench.ts`);

    // the fixture, recorded once per generator version
    mkdirSync(o.cacheDir, { recursive: true });
    const fixture = join(o.cacheDir, `workload-${workloadHash(opts)}.json.gz`);
    if (!existsSync(fixture)) {
      progress.say(`recording the workload's fixture to ${fixture}`);
      await recordFixture({ transport: new HttpTransport({ urls: [chain.url] }), from: w.from, to: w.to, botNames: BENCH_BOTS, env: { ...w.env }, out: fixture });
    }
    const meta = await readFixtureMeta(fixture);

    // live, through the counting proxy
    proxy.reset();
    // where a live block's time goes besides the bots' own process: anvil's CPU and the proxy's
    const anvilCpu0 = processCpuMs(chain.pid);
    const proxyCpu0 = processCpuMs(proxy.pid);
    const live = await child(["--phase", "live", "--rpc", proxy.url, "--from", String(w.from), "--to", String(w.to), "--env", JSON.stringify(w.env)], progress, "live (anvil, counting proxy)");
    await proxy.sync();
    const liveCounts = { requests: proxy.requests, calls: proxy.calls, byMethod: { ...proxy.byMethod } };
    const anvilCpu1 = processCpuMs(chain.pid);
    const proxyCpu1 = processCpuMs(proxy.pid);
    progress.say(`live: ${live.blocks} blocks in ${round(live.ms / 1000)} s`);

    // replay of the cached fixture
    const replay = await child(["--phase", "replay", "--fixture", fixture], progress, "replay (fixture, one core)");
    progress.say(`replay: ${replay.blocks} blocks in ${round(replay.ms / 1000)} s`);

    // each bot alone over the first blocks of the fixture
    const alone = Math.min(o.quick ? 10 : 100, meta.to - meta.from + 1);
    const byBot: Record<string, Record<string, number>> = {};
    for (const [i, name] of ["(runtime: blocks, receipts)", ...BENCH_BOTS].entries()) {
      progress.bar("calls by bot (each alone)", i, BENCH_BOTS.length + 1);
      const t = await FixtureTransport.open(fixture);
      const counting = new CountingTransport(t);
      await runOverTransport({ transport: counting, from: meta.from, to: meta.from + alone - 1, bots: i === 0 ? [] : loadBots([name]), env: meta.env });
      t.close();
      byBot[name] = Object.fromEntries(Object.entries(counting.byMethod).map(([m, n]) => [m, round(n / alone, 2)]));
    }
    const runtimeBase = byBot["(runtime: blocks, receipts)"]!;
    for (const name of BENCH_BOTS) {
      for (const [m, n] of Object.entries(runtimeBase)) byBot[name]![m] = round((byBot[name]![m] ?? 0) - n, 2);
      for (const m of Object.keys(byBot[name]!)) if (byBot[name]![m] === 0) delete byBot[name]![m];
    }

    // the forta-agent CLI, one bot at a time, on a sample of blocks
    const cliBots = o.cliBots ?? (o.quick ? ["maker-vat"] : BENCH_BOTS);
    const S = Math.max(1, o.cliBlocks ?? (o.quick ? 2 : 20));
    const at = w.from + Math.floor((w.to - w.from) / 2);
    let cliMsPerBlock = 0;
    let cliRequests = 0;
    let cliCalls = 0;
    const cliByBot: Record<string, number> = {};
    for (const [i, name] of cliBots.entries()) {
      progress.bar(`forta-agent CLI (${name})`, i, cliBots.length);
      const botDir = join(ROOT, "agents", name);
      const env = { ...w.env };
      // one run over S+2 blocks, timed from inside it: from the CLI's "fetching block" line of
      // the second block to that of the last, S whole blocks (fetch, handlers, output), leaving
      // out the CLI's start-up, the bot's first (cold) block and the shutdown; the proxy's
      // requests and calls are counted in the same window
      const starts: { ms: number; requests: number; calls: number }[] = [];
      proxy.reset();
      await runFortaCli({ botDir, rpcUrl: proxy.url, from: at, to: at + S + 1, env, timeoutMs: 600_000, onBlockStart: () => starts.push({ ms: performance.now(), requests: proxy!.requests, calls: proxy!.calls }) });
      const first = starts[1];
      const last = starts[starts.length - 1];
      if (!first || !last || starts.length !== S + 2) throw new Error(`forta-agent CLI (${name}): expected ${S + 2} "fetching block" lines, saw ${starts.length}`);
      const perBlock = (last.ms - first.ms) / S;
      cliByBot[name] = round(perBlock, 0);
      cliMsPerBlock += perBlock;
      cliRequests += (last.requests - first.requests) / S;
      cliCalls += (last.calls - first.calls) / S;
    }
    // the suite under the CLI: the bots one after another on each block
    const cliBlocksPerSecond = cliMsPerBlock > 0 ? 1000 / cliMsPerBlock : 0;
    const scale = BENCH_BOTS.length / cliBots.length; // a partial sample stands for them all
    const cliSuiteBps = cliBlocksPerSecond / scale;

    const liveBps = live.blocks / (live.ms / 1000);
    const replayBps = replay.blocks / (replay.ms / 1000);

    // the alert sink's figures: intake over HTTP (SQLite, and PostgreSQL when a server is given)
    // and the latency from intake to a loopback webhook receiver
    progress.say("sink: intake over HTTP and delivery latency");
    const { benchSink } = await import("../sink/bench"); // not loaded by the measured phases
    const sinkRun = await benchSink(o.quick ? { findings: 200, latencySamples: 20, pgUrl } : { pgUrl });
    const perSecond = (backend: string) => sinkRun.intake.find((r) => r.backend === backend)?.findingsPerSecond ?? null;
    const sink = {
      intakeFindingsPerSecondSqlite: round(perSecond("sqlite") ?? 0),
      intakeFindingsPerSecondPg: perSecond("pg") === null ? null : round(perSecond("pg")!),
      deliveryP50Ms: round(sinkRun.latencyMs.p50),
      deliveryP99Ms: round(sinkRun.latencyMs.p99),
    };

    const report = {
      blocks: live.blocks,
      transactions: w.txs,
      blocksPerSecond: round(replayBps),
      replayBlocksPerCpuSecond: round(replay.blocks / (replay.cpuMs / 1000)),
      liveBlocksPerCpuSecond: round(live.blocks / (live.cpuMs / 1000)),
      liveBlocksPerSecond: round(liveBps),
      rpcRequestsPerBlock: round(liveCounts.requests / live.blocks, 2),
      rpcCallsPerBlock: round(liveCounts.calls / live.blocks, 2),
      rpcCallsPerBlockByMethod: Object.fromEntries(Object.entries(liveCounts.byMethod).map(([m, n]) => [m, round(n / live.blocks, 2)])),
      rpcCallsPerBlockByBot: byBot,
      p50BlockMs: round(replay.p50),
      p99BlockMs: round(replay.p99),
      liveP50BlockMs: round(live.p50),
      liveP99BlockMs: round(live.p99),
      liveCpuMsPerBlock: round(live.cpuMs / live.blocks),
      liveAnvilCpuMsPerBlock: anvilCpu0 === null || anvilCpu1 === null ? null : round((anvilCpu1 - anvilCpu0) / live.blocks),
      liveProxyCpuMsPerBlock: proxyCpu0 === null || proxyCpu1 === null ? null : round((proxyCpu1 - proxyCpu0) / live.blocks),
      peakRssMb: round(Math.max(live.peakRssMb, replay.peakRssMb)),
      replayPeakRssMb: round(replay.peakRssMb),
      livePeakRssMb: round(live.peakRssMb),
      anvilPeakRssMb: anvilPeakRssMb(chain.pid),
      startupMs: round(replay.startupMs, 0),
      startupCpuMs: round(replay.startupCpuMs, 0),
      fortaCli: { bots: cliBots, blocksPerBot: S, msPerBlockByBot: cliByBot, suiteBlocksPerSecond: round(cliSuiteBps, 2), requestsPerBlock: round(cliRequests * scale, 1), callsPerBlock: round(cliCalls * scale, 1) },
      speedupVsFortaCli: cliSuiteBps > 0 ? round(liveBps / cliSuiteBps) : null,
      ...(sink ? { sink } : {}),
      quick: Boolean(o.quick),
      machine: machineLine,
    };
    progress.say("");
    process.stdout.write(table(report) + "\n");
    process.stdout.write(JSON.stringify(report) + "\n");
  } finally {
    await proxy?.stop();
    await chain.stop();
    for (const f of [COMPILED, `${COMPILED}.map`]) rmSync(f, { force: true });
  }
}

function table(r: Record<string, unknown> & { fortaCli: Record<string, unknown> }): string {
  const row = (k: string, v: unknown, target = "") => `  ${k.padEnd(40)} ${String(v).padStart(12)}   ${target}`;
  const get = (k: string) => r[k] as number;
  const mark = (ok: boolean) => (ok ? "met" : "MISSED");
  const lines = [
    `vigil bench${r.quick ? " (QUICK: figures not meaningful)" : ""}: ${r.blocks} blocks, ${r.transactions} transactions, the ${BENCH_BOTS.length} Maker and Sky bots`,
    `  ${"".padEnd(40)} ${"value".padStart(12)}   target`,
    row("replay blocks/s (one core)", get("blocksPerSecond"), `>= 100: ${mark(get("blocksPerSecond") >= 100)}`),
    row("  per CPU-second of the replay process", get("replayBlocksPerCpuSecond")),
    row("live blocks/s (anvil, counting proxy)", get("liveBlocksPerSecond"), `>= 30: ${mark(get("liveBlocksPerSecond") >= 30)}`),
    row("  per CPU-second of the bots' process", get("liveBlocksPerCpuSecond")),
    row("  CPU ms/block: bots / anvil / proxy", `${get("liveCpuMsPerBlock")} / ${r.liveAnvilCpuMsPerBlock ?? "n/a"} / ${r.liveProxyCpuMsPerBlock ?? "n/a"}`),
    row("HTTP requests per block (live)", get("rpcRequestsPerBlock"), `<= 1.1: ${mark(get("rpcRequestsPerBlock") <= 1.1)}`),
    row("JSON-RPC calls per block (live)", get("rpcCallsPerBlock")),
    row("p50 / p99 ms per block (replay)", `${get("p50BlockMs")} / ${get("p99BlockMs")}`, `p99 < 100: ${mark(get("p99BlockMs") < 100)}`),
    row("p50 / p99 ms per block (live)", `${get("liveP50BlockMs")} / ${get("liveP99BlockMs")}`, `p99 < 250: ${mark(get("liveP99BlockMs") < 250)}`),
    row("peak RSS MB (replay / live)", `${get("replayPeakRssMb")} / ${get("livePeakRssMb")}`, `< 300: ${mark(get("peakRssMb") < 300)}`),
    row("  anvil's peak RSS MB (range kept in memory)", r.anvilPeakRssMb ?? "n/a"),
    row("startup ms (process start to first block)", get("startupMs"), `< 1000: ${mark(get("startupMs") < 1000)}`),
    row("  of which CPU ms (user + system)", get("startupCpuMs")),
    row("forta-agent CLI blocks/s (bots one at a time)", r.fortaCli.suiteBlocksPerSecond),
    row("forta-agent CLI requests / calls per block", `${r.fortaCli.requestsPerBlock} / ${r.fortaCli.callsPerBlock}`),
    row("speedup vs forta-agent CLI (live)", r.speedupVsFortaCli, `>= 10: ${mark(((r.speedupVsFortaCli as number) ?? 0) >= 10)}`),
    "  JSON-RPC calls per block by method (live):",
    ...Object.entries(r.rpcCallsPerBlockByMethod as Record<string, number>).map(([m, n]) => row(`    ${m}`, n)),
    "  JSON-RPC calls per block by bot, each alone (beyond the runtime's blocks and receipts):",
    ...Object.entries(r.rpcCallsPerBlockByBot as Record<string, Record<string, number>>).map(([b, ms]) =>
      row(`    ${b}`, Object.values(ms).reduce((a, n) => a + n, 0).toFixed(2), Object.entries(ms).map(([m, n]) => `${m} ${n}`).join(", ")),
    ),
    ...(r.sink
      ? (() => {
          const s = r.sink as Record<string, number | null>;
          return [
            row("sink intake findings/s over HTTP (SQLite)", s.intakeFindingsPerSecondSqlite),
            row("sink intake findings/s over HTTP (PostgreSQL)", s.intakeFindingsPerSecondPg ?? "n/a", s.intakeFindingsPerSecondPg === null ? "(--sink-pg URL or SINK_BENCH_PG_URL)" : ""),
            row("sink intake -> receiver p50 / p99 ms", `${s.deliveryP50Ms} / ${s.deliveryP99Ms}`),
          ];
        })()
      : []),
    `  machine: ${String(r.machine)}`,
  ];
  return lines.join("\n");
}

/** Run the benchmark with parsed options (the vigil dispatcher's entry: `benchCommand()` parses, this runs). */
export function runBench(o: BenchOptions): Promise<void> {
  return o.phase === "proxy" ? serveProxyPhase(o.rpc!) : o.phase ? runPhase(o) : bench(o);
}

if (isEntryPoint(module)) runStandalone(benchCommand(), "npm run bench --");
