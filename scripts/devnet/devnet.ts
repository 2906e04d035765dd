/**
 * The embedded devnet behind `npm start` with no configuration: start the world (local chains,
 * Maker-shaped contracts, simulated beacon nodes), run every bot on it live, and play the
 * storyline of scenes that makes every alert of every bot fire. `--once` stops after the
 * storyline's last block; otherwise it keeps following until Ctrl-C.
 */
import { existsSync, rmSync } from "fs";
import { DEVNET_STATE, inProcessSink } from "../../sink/main";
import { join } from "path";
import { VigilError } from "../../shared/errors";
import { logger, type Logger } from "../../shared/log";
import { RpcClient } from "../../shared/rpc/client";
import { HttpTransport } from "../../shared/rpc/transport";
import { loadBots, type LoadedBot } from "../../shared/runtime/discovery";
import { bundle } from "../../shared/runtime/bundled";
import { Runtime } from "../../shared/runtime/runtime";
import { RuntimeStore } from "../../shared/runtime/store";
import { startDashboard } from "../lib/dashboard";
import { MemorySink, type FindingSink } from "../../shared/runtime/sinks";
import { stdoutSinks } from "../lib/options";
import { handleStopSignals } from "../lib/lifecycle";
import { startOpsServer, type OpsServer } from "../../shared/runtime/ops-server";
import { RecordingTransport } from "../../shared/rpc/fixture";
import { checkExpectation, isSecretKey } from "../../shared/testing/replay";
import type { BotScenes, Scene } from "./scene";
import { startWorld, stopWorld, type DevnetWorld } from "./world";

export interface DevnetOptions {
  once: boolean;
  bots?: string[];
  format: string;
  out?: string;
  handlerTimeoutMs: number;
  /** record every JSON-RPC answer of the storyline into this fixture file (replay with npm run replay) */
  record?: string;
  /** with `record`: also write the findings as the expectation replays compare with */
  expected?: string;
  /** also feed the consensus bots from the simulated beacon nodes' event streams (default true) */
  beaconEvents?: boolean;
  /** serve /health and /metrics here ("127.0.0.1:0": a free loopback port; unset: not served) */
  metricsAddr?: string;
  /** run the alert sink in-process, in `sinkStore` (npm start does; default off, so tests calling runDevnet share no file) */
  sink?: boolean;
  sinkRules?: string;
  /** the sink's store (default .vigil/devnet.sqlite, started afresh each run: the devnet chain is new each time) */
  sinkStore?: string;
  /** serve the dashboard next to the in-process sink (default true; VIGIL_DASHBOARD=off also turns it off) */
  dashboard?: boolean;
  /** extra sinks (tests) */
  sinks?: FindingSink[];
  log?: Logger;
}

export interface DevnetResult {
  fired: Map<string, number>;
  findings: MemorySink["findings"];
  expected: Set<string>;
  missing: string[];
}

/** The runtime's store in the sink's file; the storyline's blocks come seconds apart, so every observation is kept. */
function devnetStore(path: string): RuntimeStore {
  const store = new RuntimeStore(path);
  store.observations.intervalS = 0;
  return store;
}

/** Scenes of the selected bots, in play order. */
export function loadScenes(bots: readonly LoadedBot[]): { bot: string; scene: Scene }[] {
  const all: { bot: string; scene: Scene; pos: number }[] = [];
  for (const b of bots) {
    const file = join(b.dir, "devnet.ts");
    const compiled = bundle()?.scenes[b.name];
    if (!compiled && (!b.dir || !existsSync(file))) continue;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = (compiled ? compiled() : require(file)) as Partial<Pick<BotScenes, "scenes">>;
    if (!Array.isArray(mod.scenes)) throw new VigilError("BAD_SCENES", `${file} must export \`scenes: Scene[]\``);
    mod.scenes.forEach((scene, pos) => all.push({ bot: b.name, scene, pos }));
  }
  return all
    .sort((a, b) => (a.scene.order ?? 100) - (b.scene.order ?? 100) || a.bot.localeCompare(b.bot) || a.pos - b.pos)
    .map(({ bot, scene }) => ({ bot, scene }));
}

export async function runDevnet(opts: DevnetOptions): Promise<DevnetResult> {
  const log = opts.log ?? logger();
  const bots = loadBots(opts.bots ?? []);
  const scenes = loadScenes(bots);
  const world = await startWorld(log);
  const seen = new MemorySink("devnet-summary");
  const http = new HttpTransport({ urls: [world.l1.url] });
  const recording = opts.record ? new RecordingTransport(http, opts.record) : undefined;
  const envRead = new Set<string>();
  const env = { ...process.env, ...world.env };
  const sinkStore = opts.sinkStore ?? DEVNET_STATE;
  if (opts.sink) for (const ext of ["", "-wal", "-shm"]) rmSync(sinkStore + ext, { force: true });
  // the runtime's state first: it refuses a file that already holds other tables (the sink's)
  const runtimeStore = opts.sink ? devnetStore(sinkStore) : undefined;
  const alertSink = opts.sink ? await inProcessSink({ fallbackStore: sinkStore, rules: opts.sinkRules, log, env: { ...process.env, SINK_DATABASE_URL: "" } }) : undefined;
  // the dashboard reads the sink's store; the runtime keeps its blocks and the bots' observations there too
  const dashboard = alertSink && opts.dashboard !== false ? await startDashboard({ store: sinkStore, rules: opts.sinkRules, log, env: { ...process.env, SINK_DATABASE_URL: "" } }) : undefined;
  const runtime = new Runtime({
    rpc: new RpcClient(recording ?? http),
    store: runtimeStore,
    bots,
    env,
    envRead,
    sinks: [...(opts.format === "none" ? [] : stdoutSinks(opts.format, opts.out)), seen, ...(alertSink ? [alertSink] : []), ...(opts.sinks ?? [])],
    handlerTimeoutMs: opts.handlerTimeoutMs,
    confirmations: 0,
    pollIntervalMs: 100,
    log,
    beaconEventUrls: opts.beaconEvents !== false && world.env.BEACON_API_URL ? world.env.BEACON_API_URL.split(",") : undefined,
  });
  let storylineDone = false;
  let lastBlock = Infinity;
  let stopRequested = false;
  let onStop: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (onStop = r));
  const unhandle = handleStopSignals(
    () => {
      stopRequested = true;
      runtime.stop();
      onStop();
    },
    { log },
  );
  world.settle = async () => {
    const head = await world.l1.blockNumber();
    while (!runtime.stopped && (runtime.cursor() ?? 0) <= head) await new Promise((r) => setTimeout(r, 50));
  };
  let first = 0;
  let ops: OpsServer | undefined;
  try {
    if (opts.metricsAddr) {
      ops = await startOpsServer(opts.metricsAddr, () => runtime.health({ maxLagBlocks: 10, maxSilenceMs: 60_000 }));
      // (a URL with a path would be masked in the log: the address alone, the paths in the message)
      log.info({ url: ops.url }, `devnet: serving health and metrics at ${ops.url} (GET /health, GET /metrics)`);
    }
    await runtime.open();
    first = (await world.l1.blockNumber()) + 1;
    const following = runtime.follow({ from: first, until: (next) => opts.once && storylineDone && next > lastBlock });
    const failed = following.then(
      () => undefined,
      (err: unknown) => err,
    );
    for (const { bot, scene } of scenes) {
      if (stopRequested) break;
      log.info({ bot, expects: scene.expects }, `scene: ${scene.title}`);
      const played = scene.play(world).catch((err: unknown) => {
        const e = err as { reason?: string; message?: string };
        throw new VigilError("SCENE_FAILED", `devnet scene "${scene.title}" (${bot}) failed: ${e.reason ?? e.message ?? String(err)}`, { cause: err });
      });
      // a stop signal does not wait for the scene (its transactions may wait on blocks that will not come)
      played.catch(() => undefined);
      await Promise.race([played, stopped, failed.then((e) => Promise.reject(e ?? new VigilError("RUNTIME_STOPPED", "the runtime stopped")))]);
    }
    lastBlock = await world.l1.blockNumber();
    storylineDone = true;
    if (!opts.once) log.info({ lastBlock }, "devnet: storyline played; following the devnet until Ctrl-C");
    const err = await failed;
    if (err) throw err;
  } finally {
    await runtime.close();
    await dashboard?.close();
    await ops?.close();
    await stopWorld(world);
    unhandle();
  }
  if (recording && opts.record) {
    const keptEnv: Record<string, string> = {};
    for (const k of [...envRead].sort()) if (env[k] !== undefined && !isSecretKey(k, env[k]!)) keptEnv[k] = env[k]!;
    await recording.finish({
      chainId: runtime.chainId,
      from: first,
      to: lastBlock,
      bots: bots.map((b) => b.name),
      env: keptEnv,
      recordedAt: new Date().toISOString(),
      command: `npm start -- --once --bots ${bots.map((b) => b.name).join(",")} --record ${opts.record}`,
    });
    if (opts.expected) {
      process.env.UPDATE_EXPECTED = "1";
      checkExpectation(opts.expected, seen.findings.filter((f) => f.blockNumber >= first && f.blockNumber <= lastBlock));
    }
    log.info({ fixture: opts.record, from: first, to: lastBlock, answers: recording.recorded }, "devnet: storyline recorded");
  }
  const fired = new Map<string, number>();
  for (const f of seen.findings) fired.set(f.finding.alertId, (fired.get(f.finding.alertId) ?? 0) + 1);
  const expected = new Set(scenes.flatMap((s) => s.scene.expects));
  const missing = [...expected].filter((id) => !fired.has(id)).sort();
  log.info({ fired: Object.fromEntries([...fired].sort()), missing }, missing.length ? "devnet: some expected alerts did not fire" : "devnet: every expected alert fired");
  if (opts.once && missing.length) process.exitCode = 1;
  return { fired, findings: seen.findings, expected, missing };
}
