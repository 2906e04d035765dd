/**
 * Runs consensus bots against simulated beacon nodes on loopback, the way the runtime does:
 * either with execution block events whose timestamps map onto slots (the Forta path), or with
 * the nodes' SSE event streams (the self-hosted path). Every response the servers give is
 * validated against the Beacon API spec; `violations()` collects any problem.
 */
import { createBlockEvent, type BlockEvent, type Finding } from "forta-agent";
import type { Agent, BotContext } from "../../shared/bot";
import { createLogger } from "../../shared/log";
import { RpcClient } from "../../shared/rpc/client";
import { HttpTransport } from "../../shared/rpc/transport";
import { findingToJson, type FindingJson } from "../../shared/findings";
import { isBeaconEventHandler } from "../../shared/beacon/agent";
import { BeaconEventStream } from "../../shared/beacon/sse";
import type { BeaconEvent } from "../../shared/beacon/events";
import { SimNetwork, type SimNetworkOptions } from "./sim/network";
import { BeaconTestServer, type ClientQuirks } from "./server";
import { root } from "./sim/hash";

export type AgentFactory = (ctx: BotContext) => Agent;
export type Drive = "blocks" | "events" | "both";

export interface HarnessOptions {
  network?: SimNetworkOptions;
  /** bots by name */
  bots: Record<string, AgentFactory>;
  /** configuration for every bot; BEACON_API_URL is added (all nodes, in order) unless given */
  env?: Record<string, string>;
  /**
   * "blocks": execution block events (default); "events": the nodes' SSE streams; "both": the
   * two at once, as the self-hosted runtime may do (each finding must still come once)
   */
  drive?: Drive;
  /** serve the debug routes; default true */
  debugRoutes?: boolean;
  /** nodes (by name) that answer like a real client departing from the spec (e.g. LODESTAR_1_22) */
  quirks?: Record<string, ClientQuirks>;
}

interface RunningBot {
  name: string;
  agent: Agent;
  state: Map<string, object>;
}

export class ConsensusHarness {
  readonly findings: { bot: string; finding: Finding }[] = [];
  private readonly bots: RunningBot[] = [];
  private readonly streams: BeaconEventStream[] = [];
  private readonly delivered = new Map<string, string>();
  private readonly errors: unknown[] = [];
  /** connection problems of the event streams (expected when a node goes down) */
  readonly streamErrors: unknown[] = [];
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly net: SimNetwork,
    readonly servers: BeaconTestServer[],
    readonly drive: Drive,
  ) {}

  static async start(opts: HarnessOptions): Promise<ConsensusHarness> {
    const net = new SimNetwork(opts.network);
    const servers = await Promise.all(net.nodes.map((n) => BeaconTestServer.start({ network: net, node: n.name, debugRoutes: opts.debugRoutes, quirks: opts.quirks?.[n.name] })));
    const h = new ConsensusHarness(net, servers, opts.drive ?? "blocks");
    const env = { BEACON_API_URL: servers.map((s) => s.url).join(","), LOG_LEVEL: "silent", ...opts.env };
    for (const [name, factory] of Object.entries(opts.bots)) {
      const state = new Map<string, object>();
      const ctx: BotContext = {
        name,
        rpc: new RpcClient(new HttpTransport({ urls: ["http://127.0.0.1:9"] })), // consensus bots read no execution state
        env,
        log: createLogger({ level: "silent" }),
        initBlock: 0,
        persistent: <T extends object>(key: string, init: () => T): T => {
          if (!state.has(key)) state.set(key, init());
          return state.get(key) as T;
        },
      };
      const agent = factory(ctx);
      await agent.initialize?.();
      h.bots.push({ name, agent, state });
    }
    if (h.drive !== "blocks") {
      const topics = [...new Set(h.bots.flatMap((b) => (isBeaconEventHandler(b.agent) ? [...b.agent.beaconEventTopics] : [])))];
      for (const s of servers) {
        const stream = new BeaconEventStream({
          url: s.url,
          topics,
          backoff: { baseDelayMs: 10, maxDelayMs: 50 },
          onEvent: (e) => h.onEvent(s.url, e),
          onError: (err) => void h.streamErrors.push(err),
        }).start();
        h.streams.push(stream);
      }
      await h.until(() => h.streams.every((s) => s.stats.connections > 0), "event streams to connect");
    }
    return h;
  }

  /** Advance the network slot by slot up to `slot`, driving the bots at each slot. */
  async runTo(slot: number): Promise<void> {
    while (this.net.slot < slot) {
      this.net.advance(1);
      if (this.drive !== "blocks") await this.settleEvents();
      if (this.drive !== "events") await this.handleBlock(this.net.slot);
    }
  }

  /** Run whole epochs: up to the first slot of `epoch`. */
  async runToEpoch(epoch: number): Promise<void> {
    await this.runTo(epoch * this.net.c.slotsPerEpoch);
  }

  /** The execution block of `slot`, as the Forta SDK builds it. */
  blockEvent(slot: number): BlockEvent {
    return createBlockEvent({
      block: {
        number: 1000 + slot,
        hash: root("execution-block", slot),
        parentHash: root("execution-block", slot - 1),
        timestamp: this.net.timestampOf(slot),
        transactions: [],
      } as never,
    });
  }

  /** The execution block of `slot` to every bot; none at a slot without a beacon block (as on a real chain). */
  private async handleBlock(slot: number): Promise<void> {
    if (!this.net.hasBlockAt(slot)) return;
    const event = this.blockEvent(slot);
    for (const b of this.bots) {
      if (!b.agent.handleBlock) continue;
      for (const f of await b.agent.handleBlock(event)) this.findings.push({ bot: b.name, finding: f });
    }
  }

  private onEvent(url: string, e: BeaconEvent): Promise<void> {
    const run = this.queue.then(async () => {
      for (const b of this.bots) {
        if (!isBeaconEventHandler(b.agent)) continue;
        for (const f of await b.agent.handleBeaconEvent(e)) this.findings.push({ bot: b.name, finding: f });
      }
      if (e.topic === "head") this.delivered.set(url, e.data.block);
    });
    this.queue = run.catch((err: unknown) => void this.errors.push(err));
    return this.queue;
  }

  /** Wait until every node that is up has delivered (and the bots handled) its current head. */
  private async settleEvents(): Promise<void> {
    await this.until(
      () => this.servers.every((s) => s.node.conditions.down || this.delivered.get(s.url) === s.node.head.root),
      `head events of slot ${this.net.slot}`,
    );
    await this.queue;
  }

  private async until(cond: () => boolean, what: string, ms = 180_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Findings as JSON (severity and type by name), in the order they were produced. */
  json(bot?: string): FindingJson[] {
    return this.findings.filter((f) => !bot || f.bot === bot).map((f) => findingToJson(f.finding));
  }

  /** A compact view for assertions: alert id, severity, priority, incident type, episode transition. */
  summary(bot?: string): string[] {
    return this.json(bot).map((f) => [f.alertId, f.severity, f.metadata.priority, f.metadata.incidentType ?? "-", f.metadata.episode ?? "-"].join(" "));
  }

  violations(): string[] {
    return this.servers.flatMap((s) => s.violations);
  }

  /** Errors raised by handlers on the event path (the block path throws them directly). */
  handlerErrors(): unknown[] {
    return [...this.errors];
  }

  stateOf(bot: string): Record<string, unknown> {
    const b = this.bots.find((x) => x.name === bot);
    return Object.fromEntries(b ? b.state : []);
  }

  async close(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.close()));
    await Promise.all(this.servers.map((s) => s.close()));
  }
}
