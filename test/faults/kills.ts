/**
 * The fault suite's kill part (test/faults/suite.ts): the runtime and a standalone sink, each its
 * own process, killed with SIGKILL at seeded points over one range and started again; the
 * runtime's store, a file sink and the standalone sink's store are compared with a clean run.
 */
import { spawn } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { RuntimeStore, type EmittedFinding } from "../../shared/runtime/store";
import { compareFindings } from "./compare";
import { seeded } from "./fault-proxy";
import { killSink, sinkStoreFindings, startSinkProcess } from "./sink-process";
import { MAKER_BOTS, type PartReport, type SuiteOptions, type World } from "./types";

const ROOT = resolve(__dirname, "..", "..");

// ---- SIGKILL at seeded points ------------------------------------------------------------

function childEnv(w: World, dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOG_LEVEL: "silent",
    FAULTS_RPC: w.chain.url,
    FAULTS_BOTS: MAKER_BOTS.join(","),
    FAULTS_STATE: join(dir, "state.sqlite"),
    FAULTS_SINK: join(dir, "sink.jsonl"),
    FAULTS_FROM: String(w.from),
    FAULTS_TO: String(w.to),
    MAKER_CHAINLOG: w.env.MAKER_CHAINLOG,
  };
}

const SINK_TOKEN = "faults-sink-token-4b7e21";

/**
 * Run the runtime child to its end, calling `onBlock` on each "block N" it prints; `onBlock` may
 * ask for the child to be killed (SIGKILL after a delay). Resolves how it ended: killed, finished
 * (everything delivered) or owed (exit 3: a sink was still owed findings when the range was done).
 */
function runChild(env: NodeJS.ProcessEnv, onBlock: (n: number) => number | undefined): Promise<"killed" | "finished" | "owed"> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "child.ts")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    let buf = "";
    let killing = false;
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop()!;
      for (const l of lines) {
        const m = /^block (\d+)$/.exec(l);
        if (!m || killing) continue;
        const delayMs = onBlock(Number(m[1]));
        if (delayMs === undefined) continue;
        killing = true;
        setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") return resolveRun("killed");
      if (code === 0) return resolveRun("finished");
      if (code === 3) return resolveRun("owed");
      reject(new Error(`the runtime process failed (exit ${code}): ${err.slice(-2000)}`));
    });
  });
}

/**
 * The runtime (its own process, state in SQLite) delivering to a JSON-lines file and, over HTTP,
 * to a standalone sink (`vigil sink serve`, its own process and store); each of `kills` seeded
 * points (a block, a delay) SIGKILLs one of the two, half of them each, and the killed one is
 * started again (the sink on its address, as a service manager would). Afterwards the runtime's
 * store equals the clean run, the file sink too once deduplicated by uniqueKey (at least once),
 * and the standalone sink's store exactly: every finding once, in order, nothing missing.
 */
export async function killPart(w: World, o: SuiteOptions): Promise<PartReport> {
  const rand = seeded(o.seed ^ 0xdead);
  const kills = o.long ? 20 : 5;
  const dir = mkdtempSync(join(tmpdir(), "vigil-kills-"));
  const mismatches: string[] = [];
  const killed = { runtime: 0, sink: 0 };
  const sinkStore = join(dir, "sink.sqlite");
  let sink = await startSinkProcess({ store: sinkStore, tokens: SINK_TOKEN });
  try {
    const env: NodeJS.ProcessEnv = { ...childEnv(w, dir), FAULTS_SINK_URL: sink.url, VIGIL_SINK_TOKEN: SINK_TOKEN };
    // half the kills for each process, in a seeded order, at seeded blocks of the range
    const targets: ("runtime" | "sink")[] = Array.from({ length: kills }, (_, i) => (i < Math.ceil(kills / 2) ? "runtime" : "sink"));
    for (let i = targets.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [targets[i], targets[j]] = [targets[j]!, targets[i]!];
    }
    const blocks = Array.from({ length: kills }, () => w.from + Math.floor(rand() * (w.to - w.from + 1))).sort((x, y) => x - y);
    const points = blocks.map((at, i) => ({ at, target: targets[i]!, delayMs: Math.floor(rand() * 40) }));
    let next = 0;
    let runtimeAt = 0;
    // one sink kill at a time: killed, then started again on its port (the runtime goes on meanwhile)
    let sinkWork: Promise<void> = Promise.resolve();
    const killSinkAt = (p: (typeof points)[number]) => {
      sinkWork = sinkWork.then(async () => {
        await new Promise((r) => setTimeout(r, p.delayMs));
        await killSink(sink);
        killed.sink++;
        o.say?.(`  kill ${killed.runtime + killed.sink}/${kills}: sink at block ${p.at}`);
        sink = await startSinkProcess({ store: sinkStore, tokens: SINK_TOKEN, port: sink.port });
      });
    };
    const onBlock = (n: number): number | undefined => {
      while (next < points.length && n >= points[next]!.at) {
        const p = points[next++]!;
        if (p.target === "sink") killSinkAt(p);
        else return ((runtimeAt = p.at), p.delayMs);
      }
      return undefined;
    };
    for (let runs = 0; ; runs++) {
      if (runs > kills + 20) throw new Error(`the runtime did not finish the range with every finding delivered after ${runs} runs`);
      const outcome = await runChild(env, onBlock);
      if (outcome === "killed") {
        killed.runtime++;
        o.say?.(`  kill ${killed.runtime + killed.sink}/${kills}: runtime at block ${runtimeAt}`);
        continue;
      }
      // a last run after every sink restart: it must end with nothing owed to any sink
      await sinkWork;
      if (outcome === "finished" && next >= points.length) break;
      o.say?.(`  runtime ${outcome === "owed" ? "ended owing the sink findings (it was down): started again" : "finished early: started again"}`);
    }
    const store = new RuntimeStore(env.FAULTS_STATE!);
    const stored = store.allFindings().map(({ seq: _s, ...f }) => f);
    store.close();
    mismatches.push(...compareFindings("kills: store", w.clean, stored));
    const lines = existsSync(env.FAULTS_SINK!) ? readFileSync(env.FAULTS_SINK!, "utf8").split("\n").filter(Boolean) : [];
    const delivered = lines.map((l) => JSON.parse(l) as EmittedFinding);
    const dedup = new Map<string, EmittedFinding>();
    for (const f of delivered) if (!dedup.has(f.finding.uniqueKey)) dedup.set(f.finding.uniqueKey, f);
    mismatches.push(...compareFindings("kills: file sink (deduplicated by uniqueKey)", w.clean, [...dedup.values()]));
    o.say?.(`  file sink: ${delivered.length} lines delivered, ${delivered.length - dedup.size} re-delivered after a kill (at least once), ${dedup.size} distinct`);
    sink.child.kill("SIGTERM");
    await sink.exited;
    const standalone = sinkStoreFindings(sinkStore);
    mismatches.push(...compareFindings("kills: standalone sink (vigil sink serve, exactly once)", w.clean, standalone.findings));
    if (standalone.rows !== w.clean.length) mismatches.push(`kills: standalone sink holds ${standalone.rows} findings, the clean run ${w.clean.length}`);
    o.say?.(`  standalone sink: ${standalone.rows} findings stored (clean run ${w.clean.length}); killed runtime ${killed.runtime}x, sink ${killed.sink}x`);
    return {
      part: "kills",
      faults: { "SIGKILL runtime": killed.runtime, "SIGKILL sink": killed.sink },
      blocks: w.to - w.from + 1,
      findingsCompared: w.clean.length * 3,
      mismatches,
    };
  } finally {
    sink.child.kill("SIGKILL");
    await sink.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
