/**
 * The fault-injection suite (`npm run test:faults`, and a shorter pass in `npm test` through
 * test/faults/faults.e2e.ts). On a local chain carrying our Maker-shaped system (deployMaker,
 * then ordinary activity: frobs, drips, a flash mint, PSM swaps, a liquidation, price moves), it
 * runs the Maker bots and compares every outcome with a clean run:
 *
 *   rpc        the range through FaultProxy (timeouts, 429 + Retry-After, 5xx, dropped
 *              connections, malformed JSON, wrong ids, partial batches, a lagging node):
 *              no block skipped, findings identical
 *   reorgs     following the head through the proxy (plus a node going back in height) while
 *              anvil_reorg replaces the last 1-5 blocks: every orphaned finding is retracted,
 *              and what remains equals a clean run over the final chain
 *   kills      the runtime and a standalone sink (`vigil sink serve`, fed over HTTP as with
 *              `vigil run --sink-url`), each its own process, killed with SIGKILL at seeded
 *              points (half each) and restarted: the final store equals the clean run, a file
 *              sink's findings deduplicated by uniqueKey (at least once) too, and the standalone
 *              sink's store exactly (every finding once, in order)
 *   beacon     the consensus bots' beacon client through the proxy in beacon mode (5xx, 404
 *              "No state found" for states at empty slots, timeouts, dropped connections, SSE streams cut): (see beacon.ts)
 *   fuzz       configuration values, command-line options and fixture files, malformed: every
 *              case a clear one-line error (exit 2 for commands), never a stack trace; and the
 *              sink's HTTP intake (`vigil sink serve`) under a seeded barrage of malformed
 *              requests: every one a clear 4xx, the process alive, valid findings still taken
 *              (see sink.ts)
 *
 * Each part reports faults by kind, blocks processed, findings compared and mismatches.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { gzipSync } from "zlib";
import { startAnvil, type AnvilChain } from "../chain/anvil";
import { deployMaker } from "../chain/maker";
import { quietActivity } from "../../agents/maker-vat/scenario";
import { createLogger } from "../../shared/log";
import { ConfigError, VigilError } from "../../shared/errors";
import { RpcClient } from "../../shared/rpc/client";
import { FixtureTransport } from "../../shared/rpc/fixture";
import { HttpTransport } from "../../shared/rpc/transport";
import { loadBots } from "../../shared/runtime/discovery";
import { Runtime } from "../../shared/runtime/runtime";
import { MemorySink } from "../../shared/runtime/sinks";
import type { EmittedFinding } from "../../shared/runtime/store";
import { diffFindings, runOverTransport, toExpected } from "../../shared/testing/replay";
import { FaultProxy, seeded } from "./fault-proxy";
import { beaconPart } from "./beacon";
import { fuzzSinkIntake } from "./sink";
import { compareFindings } from "./compare";
import { killPart } from "./kills";
import { MAKER_BOTS, PARTS, type PartReport, type SuiteOptions, type SuiteReport, type World } from "./types";

export { compareFindings } from "./compare";
export { MAKER_BOTS, type Part, type PartReport, type SuiteOptions, type SuiteReport } from "./types";

const ROOT = resolve(__dirname, "..", "..");
const TEST_BOTS_DIR = join(ROOT, "test", "runtime", "bots");

const quiet = () => createLogger({ level: process.env.LOG_LEVEL ?? "silent" });

function transport(url: string, timeoutMs = 1_000): HttpTransport {
  return new HttpTransport({ urls: [url], timeoutMs, retry: { retries: 6, baseDelayMs: 5, maxDelayMs: 60 } });
}

async function runRange(url: string, bots: string[], env: Record<string, string>, from: number, to: number, timeoutMs?: number): Promise<{ findings: EmittedFinding[]; runtime: Runtime }> {
  const sink = new MemorySink();
  const runtime = new Runtime({ rpc: new RpcClient(transport(url, timeoutMs)), bots: loadBots(bots), env, sinks: [sink], log: quiet() });
  await runtime.open();
  await runtime.runRange(from, to);
  await runtime.close();
  return { findings: sink.findings.map(({ seq: _s, ...f }) => f), runtime };
}

/** The first block at which the ChainLog has code (bots initialise from it). */
async function chainlogBlock(chain: AnvilChain, address: string): Promise<number> {
  let lo = 0;
  let hi = await chain.blockNumber();
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const code = await chain.send<string>("eth_getCode", [address, `0x${mid.toString(16)}`]);
    if (code && code !== "0x") hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

async function buildWorld(say: (l: string) => void): Promise<World> {
  const chain = await startAnvil();
  try {
    const mk = await deployMaker(chain);
    await quietActivity(mk, "faults");
    await mk.setPrice("ETH-A", "1850");
    await mk.drip("ETH-A");
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };
    const from = (await chainlogBlock(chain, env.MAKER_CHAINLOG)) + 1;
    const to = await chain.blockNumber();
    const { findings: clean } = await runRange(chain.url, MAKER_BOTS, env, from, to);
    say(`world: Maker-shaped chain, blocks ${from}..${to}, ${clean.length} findings in the clean run`);
    return { chain, mk, env, from, to, clean };
  } catch (err) {
    await chain.stop();
    throw err;
  }
}

// ---- rpc faults over a range -------------------------------------------------------------

async function rpcPart(w: World, o: SuiteOptions): Promise<PartReport> {
  const proxy = await new FaultProxy({ upstream: w.chain.url, seed: o.seed, rate: o.long ? 0.2 : 0.12, lag: 40, kinds: ["timeout", "rate-limit", "5xx", "drop", "malformed", "wrong-ids", "partial-batch", "stale"] }).start();
  try {
    const { findings, runtime } = await runRange(proxy.url, MAKER_BOTS, w.env, w.from, w.to, 1_500);
    const mismatches = compareFindings("rpc", w.clean, findings);
    const blocks = w.to - w.from + 1;
    if (runtime.stats.lastBlock !== w.to) mismatches.push(`rpc: the run ended at block ${runtime.stats.lastBlock}, not ${w.to}`);
    if (runtime.stats.blocks !== blocks) mismatches.push(`rpc: ${runtime.stats.blocks} blocks committed, expected ${blocks} (a block skipped or committed twice)`);
    return { part: "rpc", faults: { ...proxy.injected }, blocks: runtime.stats.blocks, findingsCompared: w.clean.length, mismatches };
  } finally {
    await proxy.stop();
  }
}

// ---- reorgs while following --------------------------------------------------------------

/**
 * Wait for `cond`. The limit only ends a hang: on the loaded 2-core CI box, with one request in
 * five failing on purpose, catching up after a reorg once took more than 3 minutes. `state` names
 * where things stood when it gives up.
 */
async function waitFor(what: string, cond: () => boolean | Promise<boolean>, state: () => Promise<string> | string = () => "", timeoutMs = 600_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms (${await state()})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * What a consumer ends up believing: every finding, minus those a later retraction names, minus
 * the retractions themselves.
 */
export function effectiveFindings(all: readonly (EmittedFinding & { seq?: number })[]): EmittedFinding[] {
  const live = new Map<string, EmittedFinding>();
  for (const f of all) {
    if (f.finding.alertId === "VIGIL-REORG-RETRACTION") {
      for (const k of JSON.parse(f.finding.metadata.retractedKeys ?? "[]") as string[]) live.delete(k);
      continue;
    }
    live.set(f.finding.uniqueKey, f);
  }
  return [...live.values()].sort((a, b) => a.blockNumber - b.blockNumber);
}

async function reorgPart(w: World, o: SuiteOptions): Promise<PartReport> {
  const rand = seeded(o.seed ^ 0x5eed);
  const rounds = o.long ? 10 : 4;
  const bots = [...loadBots(MAKER_BOTS), ...loadBots(["counter"], TEST_BOTS_DIR)];
  const proxy = await new FaultProxy({ upstream: w.chain.url, seed: o.seed + 1, rate: o.long ? 0.2 : 0.2, lag: 2, kinds: ["timeout", "5xx", "drop", "malformed", "wrong-ids", "partial-batch", "stale", "height-back", "rate-limit"] }).start();
  const sink = new MemorySink();
  const start = w.to - 20;
  // 5 s per request, as the kills part's children: a loaded box can take seconds to answer a block's batch
  // its warnings (retries, reorgs) are kept, the last few named when a wait gives up
  const logTail: string[] = [];
  const log = createLogger({ level: "warn", format: "json", destination: { write: (line: string) => void (logTail.push(line.trim()) > 20 && logTail.shift()) } });
  const runtime = new Runtime({ rpc: new RpcClient(transport(proxy.url, 5_000)), bots, env: w.env, sinks: [sink], log, pollIntervalMs: 20 });
  const mismatches: string[] = [];
  const depths: number[] = [];
  const [a, b] = w.chain.accounts;
  let done = false;
  try {
    await runtime.open();
    // follow() ending early (it threw) fails the wait at once, with its error, instead of after the limit
    let followFailed: unknown;
    const following = runtime.follow({ from: start, until: () => done }).catch((err: unknown) => {
      followFailed = err;
    });
    const caughtUp = async () => {
      if (followFailed !== undefined) throw new Error(`the runtime stopped following: ${(followFailed as Error).message ?? String(followFailed)}`);
      return (runtime.cursor() ?? 0) > (await w.chain.blockNumber());
    };
    const where = async () =>
      `runtime cursor ${runtime.cursor() ?? "none"}, chain head ${await w.chain.blockNumber()}, runtime ${JSON.stringify(runtime.stats)}, its last warnings: ${logTail.slice(-5).join(" | ") || "none"}`;
    for (let r = 0; r < rounds; r++) {
      const k = 2 + Math.floor(rand() * 4);
      for (let i = 0; i < k; i++) {
        if (rand() < 0.3) await w.mk.drip(rand() < 0.5 ? "ETH-A" : "WBTC-A");
        else await w.chain.transact({ from: a, to: b, value: `0x${(1000 + r * 10 + i).toString(16)}` });
      }
      await waitFor("the runtime to catch up", caughtUp, where);
      const depth = 1 + Math.floor(rand() * 5);
      depths.push(depth);
      await w.chain.reorg(
        depth,
        Array.from({ length: depth }, (_, i) => ({ block: i, tx: { from: a, to: b, value: `0x${(50_000 + r * 10 + i).toString(16)}` } })),
      );
      await w.chain.mine(1);
      await waitFor("the runtime to follow the new branch", caughtUp, where);
    }
    done = true;
    await following;
    if (followFailed !== undefined) throw followFailed;
    const head = (await w.chain.blockNumber()) - 0;
    const last = (runtime.cursor() ?? 0) - 1;
    await runtime.close();
    const retractions = sink.findings.filter((f) => f.finding.alertId === "VIGIL-REORG-RETRACTION");
    const seenDepths = retractions.map((f) => Number(f.finding.metadata.depth));
    if (JSON.stringify(seenDepths) !== JSON.stringify(depths)) mismatches.push(`reorgs: retractions of depth ${seenDepths.join(",")}, reorgs made of depth ${depths.join(",")}`);
    // every finding on an orphaned block before a retraction is named by it
    for (const r of retractions) {
      const named = new Set(JSON.parse(r.finding.metadata.retractedKeys!) as string[]);
      const orphaned = sink.findings.filter((f) => f.seq < r.seq && f.blockNumber > Number(r.finding.metadata.ancestorNumber) && f.finding.alertId !== "VIGIL-REORG-RETRACTION");
      const prior = retractions.filter((x) => x.seq < r.seq).flatMap((x) => JSON.parse(x.finding.metadata.retractedKeys!) as string[]);
      for (const f of orphaned) if (!named.has(f.finding.uniqueKey) && !prior.includes(f.finding.uniqueKey)) mismatches.push(`reorgs: ${f.finding.alertId} at orphaned block ${f.blockNumber} was not retracted`);
    }
    const effective = effectiveFindings(sink.findings);
    const cleanRun = await (async () => {
      const s = new MemorySink();
      const rt = new Runtime({ rpc: new RpcClient(transport(w.chain.url)), bots: [...loadBots(MAKER_BOTS), ...loadBots(["counter"], TEST_BOTS_DIR)], env: w.env, sinks: [s], log: quiet() });
      await rt.open();
      await rt.runRange(start, last);
      await rt.close();
      return s.findings.map(({ seq: _s, ...f }) => f);
    })();
    const byBlock = (fs: EmittedFinding[]) => [...fs].sort((x, y) => x.blockNumber - y.blockNumber || x.finding.uniqueKey.localeCompare(y.finding.uniqueKey));
    const diff = diffFindings(toExpected(byBlock(cleanRun)), toExpected(byBlock(effective))).map((l) => `reorgs: after retractions: ${l}`);
    mismatches.push(...diff);
    if (last !== head) mismatches.push(`reorgs: followed up to ${last}, head is ${head}`);
    const faults = { ...proxy.injected, [`reorg depth 1-5`]: depths.length };
    return { part: "reorgs", faults, blocks: runtime.stats.blocks, findingsCompared: cleanRun.length, mismatches };
  } finally {
    done = true;
    runtime.stop();
    await proxy.stop();
  }
}

// ---- fuzz --------------------------------------------------------------------------------

const NASTY = ["", " ", "abc", "-1", "1e999", "NaN", "0x", "0xzz", "9".repeat(400), "1,2,,3", "\u0000", "ü", "{}", "[1]", "true", "-0", "0.0000000000000000000000000001", "http://", "1 2"];

function fuzzConfig(rand: () => number, long: boolean): { cases: number; mismatches: string[] } {
  const mismatches: string[] = [];
  let cases = 0;
  const agents = join(ROOT, "agents");
  for (const bot of readdirSync(agents)) {
    const file = join(agents, bot, "src", "config.ts");
    if (!existsSync(file)) continue;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(file) as { CONFIG_SPEC?: Record<string, { env: string }>; loadConfig?: (env: Record<string, string>) => unknown };
    if (!mod.CONFIG_SPEC || !mod.loadConfig) continue;
    const base = {
      MAKER_CHAINLOG: "0xdA0Ab1e0017DEbCd72Be8599041a2aa3bA7e740F",
      BEACON_API_URL: "http://127.0.0.1:5052",
      DAI_BRIDGE_DOMAINS: "optimism",
      DAI_BRIDGE_OPTIMISM_RPC_URL: "http://127.0.0.1:9545",
    };
    for (const f of Object.values(mod.CONFIG_SPEC)) {
      const values = long ? NASTY : NASTY.filter(() => rand() < 0.35);
      for (const v of values) {
        cases++;
        try {
          mod.loadConfig({ ...base, [f.env]: v });
        } catch (err) {
          const msg = (err as Error).message ?? "";
          if (!(err instanceof VigilError)) mismatches.push(`fuzz config: ${bot} ${f.env}=${JSON.stringify(v)}: ${(err as Error).name}: ${msg.slice(0, 200)} (not a clear configuration error)`);
          else if (msg.includes("\n")) mismatches.push(`fuzz config: ${bot} ${f.env}=${JSON.stringify(v)}: the error spans several lines`);
          else if (err instanceof ConfigError && !msg.includes(f.env)) mismatches.push(`fuzz config: ${bot} ${f.env}=${JSON.stringify(v)}: the error does not name the key: ${msg.slice(0, 200)}`);
        }
      }
    }
  }
  return { cases, mismatches };
}

/** A command's answer to bad input: exit 2 and one clear error line, no stack trace. */
function checkCommand(script: string, args: string[], env: NodeJS.ProcessEnv = {}): string | undefined {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", `${script}.ts`), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "silent", JSON_RPC_URL: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  const what = `fuzz cli: ${script} ${args.map((a) => JSON.stringify(a)).join(" ")}`;
  const lines = r.stderr.split("\n").filter((l) => l.trim() && !l.startsWith("{"));
  if (r.status !== 2) return `${what}: exit ${r.status} (expected 2): ${r.stderr.slice(0, 300)}`;
  if (/\n\s+at /.test(r.stderr)) return `${what}: printed a stack trace`;
  if (lines.length !== 1 || !/^error/.test(lines[0]!)) return `${what}: expected one "error..." line, got ${JSON.stringify(lines.slice(0, 4))}`;
  return undefined;
}

function fuzzCli(rand: () => number, long: boolean, badFixture: string): { cases: number; mismatches: string[] } {
  const all: [string, string[]][] = [
    ["run", ["--range", "10..5"]],
    ["run", ["--range", "abc"]],
    ["run", ["--rpc", "ftp://x"]],
    ["run", ["--bots", "no-such-bot", "--rpc", "http://127.0.0.1:9", "--range", "1..2"]],
    ["run", ["--handler-timeout", "0"]],
    ["run", ["--no-such-option"]],
    ["replay", []],
    ["replay", ["--fixture", badFixture]],
    ["replay", ["--fixture", "/nonexistent/x.json.gz"]],
    ["replay", ["--fixture", badFixture, "--format", "xml"]],
    ["record", ["--range", "1..2", "--out", join(tmpdir(), "never.json.gz")]],
    ["record", ["--range", "2..1", "--out", join(tmpdir(), "never.json.gz"), "--rpc", "http://127.0.0.1:9"]],
    ["record", ["--rpc", "not a url", "--range", "1..2", "--out", "x"]],
    ["bench", ["--no-such-option"]],
    ["fixture-convert", [badFixture]],
  ];
  const chosen = long ? all : all.filter((_, i) => i % 3 === 0 || rand() < 0.2);
  const mismatches: string[] = [];
  for (const [script, args] of chosen) {
    const m = checkCommand(script, args);
    if (m) mismatches.push(m);
  }
  return { cases: chosen.length, mismatches };
}

async function fuzzFixtures(rand: () => number, dir: string, good: string): Promise<{ cases: number; mismatches: string[]; bad: string }> {
  const goodBytes = readFileSync(good);
  const header = '{"format":"vigil-rpc-fixture/2","chainId":31337,"from":1,"to":3,"bots":[],"env":{}}';
  const bodies: [string, Buffer][] = [
    ["empty file", Buffer.alloc(0)],
    ["random bytes", Buffer.from(Array.from({ length: 512 }, () => Math.floor(rand() * 256)))],
    ["plain JSON, not gzip", Buffer.from(header)],
    ["gzip cut in the middle", goodBytes.subarray(0, Math.floor(goodBytes.length / 2))],
    ["gzip of nothing", gzipSync("")],
    ["header not JSON", gzipSync("{format: 2}\n")],
    ["header an array", gzipSync("[1,2]\n")],
    ["unknown format", gzipSync('{"format":"vigil-rpc-fixture/9"}\n')],
    ["header without range", gzipSync('{"format":"vigil-rpc-fixture/2","chainId":1,"bots":[],"env":{}}\n')],
    ["a line that is not JSON", gzipSync(`${header}\n{"b":1,"a":[[\n`)],
    ["a line without answers", gzipSync(`${header}\n{"b":1}\n`)],
    ["an answer that is not a pair", gzipSync(`${header}\n{"b":1,"a":[1,2]}\n`)],
    ["lines out of block order", gzipSync(`${header}\n{"b":2,"a":[]}\n{"b":1,"a":[]}\n`)],
    ["no answers at all", gzipSync(`${header}\n`)],
    ["format 1 without answers", gzipSync('{"format":"vigil-rpc-fixture/1","chainId":1,"from":1,"to":2,"bots":[],"env":{}}')],
  ];
  const mismatches: string[] = [];
  let bad = "";
  for (const [what, bytes] of bodies) {
    const path = join(dir, `fuzz-${bodies.findIndex(([w]) => w === what)}.json.gz`);
    writeFileSync(path, bytes);
    if (what === "a line that is not JSON") bad = path;
    try {
      const t = await FixtureTransport.open(path);
      try {
        await runOverTransport({ transport: t, from: t.meta.from, to: t.meta.to, bots: [], env: {} });
        mismatches.push(`fuzz fixture: ${what}: replayed without an error`);
      } finally {
        t.close();
      }
    } catch (err) {
      const msg = (err as Error).message ?? "";
      if (!(err instanceof VigilError)) mismatches.push(`fuzz fixture: ${what}: ${(err as Error).name}: ${msg.slice(0, 200)} (not a clear error)`);
      else if (msg.includes("\n")) mismatches.push(`fuzz fixture: ${what}: the error spans several lines`);
    }
  }
  return { cases: bodies.length, mismatches, bad };
}

async function fuzzPart(w: World, o: SuiteOptions): Promise<PartReport> {
  const rand = seeded(o.seed ^ 0xf022);
  const dir = mkdtempSync(join(tmpdir(), "vigil-fuzz-"));
  try {
    const good = join(ROOT, "agents", "maker-emergency", "test", "fixtures", "storyline.json.gz");
    const fx = await fuzzFixtures(rand, dir, good);
    const cfg = fuzzConfig(rand, o.long);
    const cli = fuzzCli(rand, o.long, fx.bad);
    const sink = await fuzzSinkIntake(seeded(o.seed ^ 0x5151), o.long ? 600 : 120, o.say);
    const sinkCases = Object.fromEntries(Object.entries(sink.cases).map(([k, v]) => [`sink intake: ${k}`, v]));
    void w;
    return {
      part: "fuzz",
      faults: { "malformed config values": cfg.cases, "malformed command lines": cli.cases, "malformed fixture files": fx.cases, ...sinkCases },
      blocks: 0,
      findingsCompared: 0,
      mismatches: [...fx.mismatches, ...cfg.mismatches, ...cli.mismatches, ...sink.mismatches],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the suite ---------------------------------------------------------------------------

export async function runFaultSuite(o: SuiteOptions): Promise<SuiteReport> {
  const say = o.say ?? (() => undefined);
  // Always in this order, whatever order they were asked in: the reorg part replaces the chain's
  // last blocks (deeper than the blocks it added first, into the world's range), so a part after it
  // would compare with a clean run of another chain (seen: `--parts reorgs,rpc`, a finding "missing").
  const parts = PARTS.filter((p) => !o.parts || o.parts.includes(p));
  const w = await buildWorld(say);
  const reports: PartReport[] = [];
  try {
    for (const p of parts) {
      const t0 = Date.now();
      say(`${p}: running`);
      let r: PartReport;
      try {
        r = p === "rpc" ? await rpcPart(w, o) : p === "kills" ? await killPart(w, o) : p === "fuzz" ? await fuzzPart(w, o) : p === "beacon" ? await beaconPart(o) : await reorgPart(w, o);
      } catch (err) {
        // a part that cannot finish is a mismatch of its own, and the other parts still run
        r = { part: p, faults: {}, blocks: 0, findingsCompared: 0, mismatches: [`${p}: the part failed: ${(err as Error).message.split("\n")[0]!.slice(0, 2000)}`] };
      }
      reports.push(r);
      say(`${p}: ${r.blocks} blocks, ${r.findingsCompared} findings compared, faults ${JSON.stringify(r.faults)}, mismatches ${r.mismatches.length} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      for (const m of r.mismatches.slice(0, 20)) say(`  MISMATCH ${m}`);
    }
  } finally {
    await w.chain.stop();
  }
  const faults: Record<string, number> = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.faults)) faults[k] = (faults[k] ?? 0) + v;
  return {
    seed: o.seed,
    parts: reports,
    faults,
    blocks: reports.reduce((a, r) => a + r.blocks, 0),
    findingsCompared: reports.reduce((a, r) => a + r.findingsCompared, 0),
    mismatches: reports.flatMap((r) => r.mismatches),
  };
}

export function formatSummary(r: SuiteReport): string {
  const lines = [`fault-injection suite (seed ${r.seed})`, "faults injected:"];
  for (const [k, v] of Object.entries(r.faults).sort()) lines.push(`  ${k.padEnd(28)} ${v}`);
  lines.push(`blocks processed: ${r.blocks}`, `findings compared: ${r.findingsCompared}`);
  for (const p of r.parts) lines.push(`  ${p.part.padEnd(8)} blocks ${String(p.blocks).padStart(5)}  findings ${String(p.findingsCompared).padStart(5)}  mismatches ${p.mismatches.length}`);
  for (const m of r.mismatches) lines.push(`  ${m}`);
  lines.push(`mismatches: ${r.mismatches.length}`);
  return lines.join("\n");
}
