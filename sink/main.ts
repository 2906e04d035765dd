/**
 * Wiring only: open the store (migrations), load the rules, create the channels, start the
 * delivery worker. `openSink` is what `npm start` (in-process), `vigil sink serve` and the CLI use;
 * `sinkHttp` mounts intake/'s POST /v1/findings on the HTTP API; `sinkCli` hands the commands
 * (sink/cli) what they open and serve. The stages never import this file.
 */
import { existsSync, readdirSync, statSync } from "fs";
import { join, resolve } from "path";
import { logger, type Logger } from "../shared/log";
import type { Command as CliCommand } from "commander";
import type { Channel } from "./channels/channel";
import type { ServeOptions } from "./cli/index";
import { loadRules, type RulesConfig } from "./config/rules";
import type { HttpOptions, SinkHttp } from "./http/server";
import { command, ingest, type Command, type EngineContext, type IngestResult } from "./incidents/engine";
import type { SinkHandle } from "./incidents/handle";
import type { Incident } from "./model/incident";
import type { SourcedFinding } from "./model/notification";
import { createChannels, defaultFactories, type Factories } from "./routing/factories";
import { DeliveryWorker } from "./routing/worker";
import { openDb, type Db, type Q } from "./store/db";
import { migrate } from "./store/migrations";
import { pruneObservations } from "./store/observations";
import { getCursor, setCursor, getSetting, prune } from "./store/queries";

/**
 * The documented default rules file, shipped with the repository (found next to this module, or
 * from a bundle in dist/, at sink/rules.default.yaml above it).
 */
export const DEFAULT_RULES =
  [resolve(__dirname, "rules.default.yaml"), resolve(__dirname, "../sink/rules.default.yaml"), resolve(__dirname, "../../sink/rules.default.yaml")].find((p) => existsSync(p)) ??
  resolve(__dirname, "rules.default.yaml");
/** Where the devnet (`npm start` with no RPC) keeps its state, so `vigil sink ...` finds it afterwards. */
export const DEVNET_STATE = join(".vigil", "devnet.sqlite");

/**
 * The store the CLI uses when not told: SINK_DATABASE_URL; else the most recently written of the
 * devnet's .vigil/devnet.sqlite and the follow-mode state files .vigil/state-<chainId>.sqlite.
 */
export function defaultStore(env: NodeJS.ProcessEnv = process.env, dir = ".vigil"): string {
  if (env.SINK_DATABASE_URL) return env.SINK_DATABASE_URL;
  const candidates = existsSync(dir) ? readdirSync(dir).filter((f) => f === "devnet.sqlite" || /^state-\d+\.sqlite$/.test(f)) : [];
  const newest = candidates.map((f) => join(dir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  return newest ?? DEVNET_STATE;
}

export function rulesPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.SINK_RULES || DEFAULT_RULES;
}

export interface SinkOptions {
  /** SQLite file or postgres:// URL */
  store: string;
  rules?: string;
  log?: Logger;
  factories?: Factories;
  /** start the delivery worker (default true) */
  deliver?: boolean;
  env?: NodeJS.ProcessEnv;
  /** worker tuning (tests) */
  worker?: { pollMs?: number; leaseMs?: number; backoffBaseMs?: number; backoffMaxMs?: number };
}

export class Sink implements SinkHandle {
  readonly ctx: EngineContext;
  private pruneTimer: NodeJS.Timeout | undefined;
  constructor(
    readonly db: Db,
    readonly rules: RulesConfig,
    readonly channels: Map<string, Channel>,
    readonly worker: DeliveryWorker | undefined,
    readonly log: Logger,
  ) {
    this.ctx = { rules, dialect: db.dialect, now: Date.now };
  }

  /** Store and qualify findings; outbox rows are committed with them. `also` runs in the same transaction. */
  async ingest(findings: readonly SourcedFinding[], source: string, also?: () => Q<void>): Promise<IngestResult> {
    const ctx = this.ctx;
    const res = await this.db.tx(function* () {
      const r = yield* ingest(ctx, findings, source);
      if (also) yield* also();
      return r;
    });
    if (res.opened.length || res.results.some((r) => r.incident)) this.worker?.kick();
    return res;
  }

  async command(incidentId: number, cmd: Command, actor: string, note?: string): Promise<Incident> {
    const ctx = this.ctx;
    const inc = await this.db.tx(() => command(ctx, incidentId, cmd, actor, note));
    this.worker?.kick();
    return inc;
  }

  read<T>(body: () => Q<T>): Promise<T> {
    return this.db.read(body);
  }

  /** The cursor store the Forta poller keeps its position in. */
  cursors(): { getCursor(name: string): Promise<string | undefined>; setCursor(name: string, value: string): Promise<void> } {
    return {
      getCursor: (name) => this.db.read(() => getCursor(name)),
      setCursor: (name, value) => this.db.tx(() => setCursor(name, value)),
    };
  }

  /**
   * The Forta poller's submit: intake of a page and the poller's cursor in one transaction
   * (exactly once across restarts: no gap, no duplicate).
   */
  fortaSubmit(): (findings: SourcedFinding[], position?: { cursorName: string; cursor: string | undefined }) => Promise<void> {
    return async (findings, position) => {
      const cursor = position?.cursor;
      await this.ingest(findings, "forta", cursor !== undefined && position ? () => setCursor(position.cursorName, cursor) : undefined);
    };
  }

  /** Apply the retention settings once (findings and closed incidents; open incidents never). */
  async pruneNow(now = Date.now()): Promise<{ findings: number; incidents: number }> {
    return this.db.tx(function* () {
      const fd = Number((yield* getSetting("retention.findingsDays")) ?? "90");
      const cd = Number((yield* getSetting("retention.closedIncidentsDays")) ?? "365");
      const od = Number((yield* getSetting("retention.observationsDays")) ?? "30");
      yield* pruneObservations(now - od * 86_400_000);
      return yield* prune(now - fd * 86_400_000, now - cd * 86_400_000);
    });
  }

  startRetention(everyMs = 3_600_000): void {
    const tick = () => this.pruneNow().catch((err) => this.log.warn({ err: (err as Error).message }, "sink retention failed; will retry"));
    this.pruneTimer = setInterval(tick, everyMs);
    this.pruneTimer.unref();
  }

  async close(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.worker?.stop();
    for (const c of this.channels.values()) await c.close?.().catch(() => undefined);
    await this.db.close();
  }
}

export async function openSink(o: SinkOptions): Promise<Sink> {
  const log = o.log ?? logger();
  const factories = { ...defaultFactories(), ...o.factories };
  const rules = loadRules(rulesPath(o.rules, o.env), { env: o.env, factories, requireSecrets: o.deliver !== false });
  const db = await openDb(o.store);
  try {
    const applied = await migrate(db);
    if (applied.length) log.info({ store: db.describe, applied }, "sink schema migrated");
    // readers (the CLI) need no channels: only the process that delivers creates them
    const channels = o.deliver === false ? new Map<string, Channel>() : createChannels(rules, factories);
    const worker =
      o.deliver === false
        ? undefined
        : new DeliveryWorker({ db, channels, settings: rules.settings, log, ...o.worker });
    const sink = new Sink(db, rules, channels, worker, log);
    worker?.start();
    return sink;
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * The in-process sink `npm start` runs: in the runtime's state file when it has one (one
 * database, one transaction for intake and delivery bookkeeping), else in SINK_DATABASE_URL,
 * else in `fallbackStore`. Returns the runtime's FindingSink.
 */
export async function inProcessSink(o: { statePath?: string; fallbackStore?: string; rules?: string; log?: Logger; env?: NodeJS.ProcessEnv }): Promise<import("./intake/runtime").InProcessSink | undefined> {
  const { InProcessSink } = await import("./intake/runtime");
  const env = o.env ?? process.env;
  const sameFile = !env.SINK_DATABASE_URL && o.statePath !== undefined && o.statePath !== ":memory:";
  const store = env.SINK_DATABASE_URL || (sameFile ? o.statePath : o.fallbackStore);
  if (!store) return undefined;
  const sink = await openSink({ store, rules: o.rules, log: o.log, env });
  sink.startRetention();
  (o.log ?? logger()).info({ store: sink.db.describe, rules: sink.rules.file, channels: [...sink.channels.keys()] }, "alert sink running in-process (vigil sink incidents to list incidents)");
  return new InProcessSink(sink, sameFile);
}

/** The HTTP API with intake's POST /v1/findings mounted (what `sink serve`, the bench and tests listen with). */
export function sinkHttp(sink: Sink, o: HttpOptions): SinkHttp {
  // loaded when used: the runtime's in-process sink (npm start) needs neither the API nor the cli
  const { SinkHttp } = require("./http/server") as typeof import("./http/server");
  const { findingsRoute } = require("./intake/http") as typeof import("./intake/http");
  return new SinkHttp(sink, { ...o, routes: [findingsRoute(sink), ...(o.routes ?? [])] });
}

/** `vigil sink serve`: the sink on its own (HTTP intake and API, delivery, retention, the Forta poller when asked). */
export async function serveSink(o: ServeOptions & { log?: Logger }): Promise<{ url: string; stop(): Promise<void> }> {
  const log = o.log ?? logger();
  const s = await openSink({ store: o.store, rules: o.rules, log });
  s.startRetention();
  const { tokensFromEnv } = await import("./http/server");
  const http = sinkHttp(s, { tokens: tokensFromEnv(), host: o.host, port: o.port, maxBodyBytes: o.maxBodyBytes });
  const { url } = await http.listen();
  let forta: { stop(): Promise<void> } | undefined;
  if (o.fortaBots.length) {
    const { startFortaPoller } = await import("./intake/forta");
    forta = startFortaPoller({ bots: o.fortaBots, chainId: o.fortaChainId, cursors: s.cursors(), submit: s.fortaSubmit() });
  }
  log.info({ url, store: s.db.describe, rules: s.rules.file, channels: [...s.channels.keys()], fortaBots: o.fortaBots }, "sink serving");
  return {
    url,
    async stop() {
      await forta?.stop();
      await http.close();
      await s.close();
    },
  };
}

/** `vigil sink ...`: the commands (sink/cli) with what they open and serve. */
export function sinkCli(): CliCommand {
  const { sinkCommand } = require("./cli/index") as typeof import("./cli/index");
  return sinkCommand({
    defaultStore: () => defaultStore(),
    rulesPath: (explicit) => rulesPath(explicit),
    open: (o) => openSink({ store: o.store, rules: o.rules, deliver: false, log: logger() }),
    serve: (o) => serveSink(o),
    checkRules: (path) => {
      const cfg = loadRules(path, { factories: defaultFactories() });
      return { rules: cfg.rules.length, owners: cfg.owners.size, channels: cfg.channels.size };
    },
  });
}
