/**
 * The beacon API test server: a loopback HTTP server that serves one simulated node's view of a
 * SimNetwork through the standard Beacon Node API routes the consensus bots use, plus the SSE
 * event stream. With `validate` on (the default), every response and every event is checked
 * against the official OpenAPI spec (test/openapi); problems are collected in `violations`
 * (tests assert it stays empty) and logged to stderr.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo, Socket } from "net";
import { BeaconApiSpec, beaconApiSpec } from "../openapi/validator";
import { renderBlock, renderCheckpoints, renderHeader, renderValidator, envelope, finalizedSlot } from "./sim/render";
import type { SimBlock, SimEvent, SimNetwork, SimNode } from "./sim/network";
import { bytesHex, ZERO_ROOT } from "./sim/hash";
import { epochOf, isActive, validatorStatus, type SimState } from "./sim/state";

/**
 * Ways real clients answer that the spec does not foresee (seen on a Lodestar 1.22 dev chain), so
 * each accommodation in the bots has an end-to-end test. Answers out of spec (decimal rewards, the
 * missing v2 route's body) are not validated; they are counted in `outOfSpecAnswers`.
 */
export interface ClientQuirks {
  /** attestation rewards as decimal strings ("15975.09375"), as Lodestar before its 2025 fix */
  decimalRewards?: boolean;
  /** a state by slot at an empty slot (no block there) is 404 "No state found", for good */
  emptySlotStateNotFound?: boolean;
  /** no /eth/v2/node/version route (404 from the HTTP framework); /eth/v1/node/version only */
  noV2Version?: boolean;
}

/** Lodestar 1.22 as the issue met it. */
export const LODESTAR_1_22: ClientQuirks = { decimalRewards: true, emptySlotStateNotFound: true, noV2Version: true };

export interface BeaconTestServerOptions {
  network: SimNetwork;
  /** name of the simulated node to serve */
  node: string;
  /** validate every response against the spec; default true */
  validate?: boolean;
  /** default 0: any free port */
  port?: number;
  /** serve the debug routes (/eth/v2/debug/...); default true. Off: they are absent (404), as on many providers */
  debugRoutes?: boolean;
  /** answer like a real client that departs from the spec (see ClientQuirks); default none */
  quirks?: ClientQuirks;
  /** awaited before each request is answered (the devnet brings the chain up to date here) */
  beforeRequest?: () => Promise<void>;
}

export interface RequestRecord {
  method: string;
  path: string;
  /** the spec's route template (e.g. /eth/v1/beacon/headers/{block_id}) */
  route: string;
  status: number;
  /** the network's slot when it was served */
  slot: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const EVENT_TOPICS = new Set(["head", "block", "finalized_checkpoint", "chain_reorg"]);
const STATUS_GROUPS: Record<string, string[]> = {
  active: ["active_ongoing", "active_exiting", "active_slashed"],
  pending: ["pending_initialized", "pending_queued"],
  exited: ["exited_unslashed", "exited_slashed"],
  withdrawal: ["withdrawal_possible", "withdrawal_done"],
};

export class BeaconTestServer {
  readonly violations: string[] = [];
  readonly requests: RequestRecord[] = [];
  /** events written to SSE streams (after topic filtering), across all streams */
  eventsSent = 0;
  /** answers deliberately out of spec (ClientQuirks), not validated */
  outOfSpecAnswers = 0;
  readonly quirks: ClientQuirks;
  private readonly failing = new Map<string, number>();
  private readonly spec: BeaconApiSpec | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly streams = new Set<ServerResponse>();
  private server!: Server;
  url = "";

  private constructor(
    readonly network: SimNetwork,
    readonly nodeName: string,
    validate: boolean,
    private readonly debugRoutes: boolean,
    private readonly beforeRequest: (() => Promise<void>) | undefined,
    quirks: ClientQuirks,
  ) {
    this.spec = validate ? beaconApiSpec() : undefined;
    this.quirks = quirks;
  }

  static async start(opts: BeaconTestServerOptions): Promise<BeaconTestServer> {
    const s = new BeaconTestServer(opts.network, opts.node, opts.validate ?? true, opts.debugRoutes ?? true, opts.beforeRequest, opts.quirks ?? {});
    s.network.node(opts.node); // fail early on a bad name
    s.server = createServer((req, res) => s.handle(req, res));
    s.server.on("connection", (sock) => {
      s.sockets.add(sock);
      sock.on("close", () => s.sockets.delete(sock));
    });
    await new Promise<void>((resolve, reject) => {
      s.server.once("error", reject);
      s.server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
    });
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  get node(): SimNode {
    return this.network.node(this.nodeName);
  }

  /**
   * Answer every request for `route` (a spec route template, e.g. /eth/v2/debug/beacon/heads)
   * with `status` and an error body, as a node failing there would, until `restoreRoute`.
   */
  failRoute(route: string, status = 500): void {
    this.failing.set(route, status);
  }

  restoreRoute(route: string): void {
    this.failing.delete(route);
  }

  /** Requests per route template since `fromIndex` (calls-per-epoch checks). */
  countByRoute(fromIndex = 0): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests.slice(fromIndex)) out[r.route] = (out[r.route] ?? 0) + 1;
    return out;
  }

  async close(): Promise<void> {
    for (const r of this.streams) r.end();
    this.streams.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  // --- dispatch ---------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.node.conditions.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      if (this.beforeRequest) {
        try {
          await this.beforeRequest();
        } catch (err) {
          process.stderr.write(`beacon test server: could not bring the chain up to date: ${(err as Error).message}\n`);
        }
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      const method = req.method ?? "GET";
      const route = this.spec?.match(url.pathname)?.template ?? url.pathname;
      if (url.pathname === "/eth/v1/events" && method === "GET") {
        this.events(url, res);
        return;
      }
      if (!this.debugRoutes && url.pathname.startsWith("/eth/v2/debug/")) {
        // An absent route, not an answer of the API: nothing to validate.
        this.requests.push({ method, path: url.pathname + url.search, route, status: 404, slot: this.network.slot });
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("Not Found");
        return;
      }
      let status = 200;
      let body: unknown;
      let outOfSpec = false;
      const headers: Record<string, string> = {};
      try {
        const failing = this.failing.get(route) ?? this.failing.get(url.pathname);
        if (failing !== undefined) throw new HttpError(failing, `injected failure of ${route} (BeaconTestServer.failRoute)`);
        const out = this.route(method, url, Buffer.concat(chunks).toString("utf8"), headers);
        status = out.status ?? 200;
        body = out.body;
        outOfSpec = out.outOfSpec === true;
      } catch (err) {
        status = err instanceof HttpError ? err.status : 500;
        body = { code: status, message: (err as Error).message };
        if (!(err instanceof HttpError)) process.stderr.write(`beacon test server: ${(err as Error).stack}\n`);
      }
      this.requests.push({ method, path: url.pathname + url.search, route, status, slot: this.network.slot });
      const contentType = body === undefined ? undefined : "application/json";
      if (outOfSpec) this.outOfSpecAnswers++;
      else this.check(this.spec?.validateResponse(method, url.pathname, status, contentType, body) ?? []);
      res.writeHead(status, { ...(contentType ? { "content-type": contentType } : {}), ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  private check(problems: string[]): void {
    for (const p of problems) {
      this.violations.push(p);
      process.stderr.write(`beacon test server: spec violation: ${p}\n`);
    }
  }

  private route(method: string, url: URL, body: string, headers: Record<string, string>): { status?: number; body?: unknown; outOfSpec?: boolean } {
    const net = this.network;
    const node = this.node;
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (method === "GET" && p === "/eth/v1/beacon/genesis") {
      return {
        body: {
          data: {
            genesis_time: String(net.genesisTime),
            genesis_validators_root: `0x${bytesHex(32, net.seed, "gvr")}`,
            genesis_fork_version: "0x00000001",
          },
        },
      };
    }
    if (method === "GET" && p === "/eth/v1/config/spec") {
      const c = net.c;
      return {
        body: {
          data: {
            PRESET_BASE: c.slotsPerEpoch === 32 ? "mainnet" : "minimal",
            CONFIG_NAME: "vigil-sim",
            SECONDS_PER_SLOT: String(c.secondsPerSlot),
            SLOTS_PER_EPOCH: String(c.slotsPerEpoch),
            TARGET_COMMITTEE_SIZE: String(c.targetCommitteeSize),
            MAX_COMMITTEES_PER_SLOT: String(c.maxCommitteesPerSlot),
            MIN_EPOCHS_TO_INACTIVITY_PENALTY: String(c.minEpochsToInactivityPenalty),
            MAX_SEED_LOOKAHEAD: String(c.maxSeedLookahead),
            MIN_VALIDATOR_WITHDRAWABILITY_DELAY: String(c.minValidatorWithdrawabilityDelay),
            EPOCHS_PER_SLASHINGS_VECTOR: String(c.epochsPerSlashingsVector),
          },
        },
      };
    }
    if ((m = /^\/eth\/v1\/beacon\/states\/([^/]+)\/(finality_checkpoints|validators|committees|root)$/.exec(p))) {
      const { block, slot } = this.resolveState(decodeURIComponent(m[1]!));
      const state = net.stateAt(block, slot);
      const what = m[2]!;
      if (what === "finality_checkpoints" && method === "GET") return { body: envelope(net, node, slot, renderCheckpoints(state)) };
      if (what === "root" && method === "GET") return { body: envelope(net, node, slot, { root: net.stateRootOf(block, slot) }) };
      if (what === "committees" && method === "GET") return { body: envelope(net, node, slot, this.committees(state, url)) };
      if (what === "validators" && (method === "GET" || method === "POST")) {
        let ids = url.searchParams.getAll("id").flatMap((x) => x.split(","));
        let statuses = url.searchParams.getAll("status").flatMap((x) => x.split(","));
        if (method === "POST" && body) {
          const q = JSON.parse(body) as { ids?: string[] | null; statuses?: string[] | null };
          ids = q.ids ?? [];
          statuses = q.statuses ?? [];
        }
        return { body: envelope(net, node, slot, this.validators(state, ids, statuses)) };
      }
    }
    if (method === "GET" && (m = /^\/eth\/v1\/beacon\/headers\/([^/]+)$/.exec(p))) {
      const b = this.resolveBlock(decodeURIComponent(m[1]!));
      return { body: envelope(net, node, net.canonical(node, b) ? b.slot : Infinity, renderHeader(net, node, b)) };
    }
    if (method === "GET" && p === "/eth/v1/beacon/headers") {
      const slotQ = url.searchParams.get("slot");
      const parentQ = url.searchParams.get("parent_root")?.toLowerCase();
      const slot = slotQ === null ? node.head.slot : this.slotParam(slotQ);
      const known = [...node.known].map((r) => net.block(r)!);
      const found = known.filter((b) => (slotQ === null && parentQ ? true : b.slot === slot) && (parentQ ? b.parentRoot === parentQ : true));
      found.sort((a, b) => Number(net.canonical(node, b)) - Number(net.canonical(node, a)) || a.root.localeCompare(b.root));
      const fin = found.length > 0 && found.every((b) => net.canonical(node, b) && b.slot <= finalizedSlot(net, node));
      return { body: { execution_optimistic: node.conditions.optimistic, finalized: fin, data: found.map((b) => renderHeader(net, node, b)) } };
    }
    if (method === "GET" && (m = /^\/eth\/v2\/beacon\/blocks\/([^/]+)$/.exec(p))) {
      const b = this.resolveBlock(decodeURIComponent(m[1]!));
      headers["eth-consensus-version"] = "electra";
      return { body: { version: "electra", ...envelope(net, node, net.canonical(node, b) ? b.slot : Infinity, renderBlock(net, b)) } };
    }
    if (method === "GET" && (m = /^\/eth\/v1\/beacon\/blocks\/([^/]+)\/root$/.exec(p))) {
      const b = this.resolveBlock(decodeURIComponent(m[1]!));
      return { body: envelope(net, node, net.canonical(node, b) ? b.slot : Infinity, { root: b.root }) };
    }
    if (method === "POST" && (m = /^\/eth\/v1\/beacon\/rewards\/attestations\/([^/]+)$/.exec(p))) {
      return { body: this.rewards(m[1]!, body), outOfSpec: this.quirks.decimalRewards === true };
    }
    if (method === "GET" && p === "/eth/v2/debug/beacon/heads") {
      return { body: { data: net.leaves(node).map((b) => ({ root: b.root, slot: String(b.slot), execution_optimistic: node.conditions.optimistic })) } };
    }
    if (method === "GET" && p === "/eth/v1/node/syncing") {
      const distance = net.slot - node.head.slot;
      const syncing = node.conditions.syncDistance > 0;
      return {
        body: {
          data: {
            head_slot: String(node.head.slot),
            sync_distance: String(syncing ? distance : 0),
            is_syncing: syncing,
            is_optimistic: node.conditions.optimistic,
            el_offline: node.conditions.elOffline,
          },
        },
      };
    }
    if (method === "GET" && p === "/eth/v1/node/health") {
      const c = node.conditions;
      return { status: c.health ?? (c.syncDistance > 0 || c.elOffline || c.optimistic ? 206 : 200) };
    }
    if (method === "GET" && p === "/eth/v1/node/peer_count") {
      return { body: { data: { connected: String(node.conditions.peers), connecting: "0", disconnected: "3", disconnecting: "0" } } };
    }
    if (method === "GET" && p === "/eth/v2/node/version" && this.quirks.noV2Version) {
      // what the HTTP framework of a node without the route answers: not a Beacon API error body
      return { status: 404, body: { statusCode: 404, error: "Not Found", message: `Route GET:${p} not found` }, outOfSpec: true };
    }
    if (method === "GET" && p === "/eth/v2/node/version") {
      return {
        body: {
          data: {
            beacon_node: { ...node.client },
            execution_client: { code: "GE", name: "go-ethereum", version: "v1.16.5", commit: "0x0a1b2c3d" },
          },
        },
      };
    }
    if (method === "GET" && p === "/eth/v1/node/version") {
      return { body: { data: { version: `${node.client.name}/${node.client.version}-${node.client.commit.slice(2)}/x86_64-linux` } } };
    }
    throw new HttpError(404, `route not served by the Vigil beacon test server: ${method} ${p}`);
  }

  // --- ids --------------------------------------------------------------------------------

  private slotParam(raw: string): number {
    if (!/^(0|[1-9][0-9]*)$/.test(raw)) throw new HttpError(400, `invalid slot: ${raw}`);
    return Number(raw);
  }

  /** The block and slot of a state id, as this node sees them. */
  private resolveState(id: string): { block: SimBlock; slot: number } {
    const net = this.network;
    const node = this.node;
    const cpBlock = (root: string, epoch: number) => ({ block: root === ZERO_ROOT ? net.genesis : net.block(root)!, slot: epoch * net.c.slotsPerEpoch });
    switch (id) {
      case "head":
        return { block: node.head, slot: node.head.slot };
      case "genesis":
        return { block: net.genesis, slot: 0 };
      case "finalized":
        return cpBlock(node.head.state.finalized.root, node.head.state.finalized.epoch);
      case "justified":
        return cpBlock(node.head.state.currentJustified.root, node.head.state.currentJustified.epoch);
    }
    if (/^0x[0-9a-fA-F]{64}$/.test(id)) {
      const found = net.byState(id);
      if (!found || !node.known.has(found.block.root)) throw new HttpError(404, "State not found");
      return found;
    }
    const slot = this.slotParam(id);
    if (slot > net.nodeSlot(node)) throw new HttpError(404, "State not found");
    const block = net.ancestorAt(node.head, slot);
    // Lodestar keeps states of blocks: at a slot without a block there is none, ever.
    if (this.quirks.emptySlotStateNotFound && block.slot !== slot) throw new HttpError(404, "No state found");
    return { block, slot };
  }

  private resolveBlock(id: string): SimBlock {
    const net = this.network;
    const node = this.node;
    if (id === "head") return node.head;
    if (id === "genesis") return net.genesis;
    if (id === "finalized") {
      const r = node.head.state.finalized.root;
      return r === ZERO_ROOT ? net.genesis : net.block(r)!;
    }
    if (/^0x[0-9a-fA-F]{64}$/.test(id)) {
      const b = net.block(id);
      if (!b || !node.known.has(b.root)) throw new HttpError(404, "Block not found");
      return b;
    }
    const slot = this.slotParam(id);
    if (slot > node.head.slot) throw new HttpError(404, "Block not found");
    const b = net.ancestorAt(node.head, slot);
    if (b.slot !== slot) throw new HttpError(404, "Block not found");
    return b;
  }

  // --- route bodies -----------------------------------------------------------------------

  private validators(state: SimState, ids: string[], statuses: string[]): unknown[] {
    const epoch = epochOf(this.network.c, state.slot);
    const wanted = new Set(statuses.flatMap((s) => STATUS_GROUPS[s] ?? [s]));
    for (const s of wanted) {
      if (![...Object.values(STATUS_GROUPS)].flat().includes(s)) throw new HttpError(400, `Invalid validator status: ${s}`);
    }
    const idSet = new Set(ids.map((x) => x.toLowerCase()));
    const out: unknown[] = [];
    state.validators.forEach((v, i) => {
      if (idSet.size && !idSet.has(String(i)) && !idSet.has(v.pubkey)) return;
      if (wanted.size && !wanted.has(validatorStatus(v, epoch))) return;
      out.push(renderValidator(v, i, epoch));
    });
    return out;
  }

  private committees(state: SimState, url: URL): unknown[] {
    const net = this.network;
    const stateEpoch = epochOf(net.c, state.slot);
    const epochQ = url.searchParams.get("epoch");
    const epoch = epochQ === null ? stateEpoch : this.slotParam(epochQ);
    if (epoch > stateEpoch + 1 || epoch + 1 < stateEpoch) throw new HttpError(400, `epoch ${epoch} is too far from the state's epoch ${stateEpoch}`);
    const indexQ = url.searchParams.get("index");
    const slotQ = url.searchParams.get("slot");
    const out: unknown[] = [];
    net.committees(state, epoch).forEach((row, k) => {
      const slot = epoch * net.c.slotsPerEpoch + k;
      if (slotQ !== null && String(slot) !== slotQ) return;
      row.forEach((validators, index) => {
        if (indexQ !== null && String(index) !== indexQ) return;
        out.push({ index: String(index), slot: String(slot), validators: validators.map(String) });
      });
    });
    return out;
  }

  private rewards(epochRaw: string, body: string): unknown {
    const net = this.network;
    const node = this.node;
    const epoch = this.slotParam(epochRaw);
    // Rewards of `epoch` are known once the epoch after it has been processed.
    const slot = (epoch + 2) * net.c.slotsPerEpoch;
    if (slot > net.nodeSlot(node)) throw new HttpError(404, "Epoch not known or required data not available");
    const state = net.stateAt(net.ancestorAt(node.head, slot), slot);
    const r = state.rewards[epoch];
    if (!r) throw new HttpError(404, "Epoch not known or required data not available");
    let ids: string[] = [];
    if (body.trim()) {
      const parsed = JSON.parse(body) as unknown;
      if (!Array.isArray(parsed)) throw new HttpError(400, "body must be an array of validator ids");
      ids = parsed.map(String);
    }
    const wanted = new Set(ids.map((id) => (id.startsWith("0x") ? String(state.validators.findIndex((v) => v.pubkey === id.toLowerCase())) : id)));
    // decimalRewards: Lodestar before its 2025 fix computed rewards in floating point
    const s = (n: bigint) => (this.quirks.decimalRewards && n !== 0n ? `${n}.09375` : n.toString());
    return {
      execution_optimistic: node.conditions.optimistic,
      finalized: epoch <= node.head.state.finalized.epoch,
      data: {
        ideal_rewards: r.ideal.map((x) => ({ effective_balance: x.effectiveBalance.toString(), head: s(x.head), target: s(x.target), source: s(x.source), inactivity: s(x.inactivity) })),
        total_rewards: r.total
          .filter((x) => wanted.size === 0 || wanted.has(String(x.validatorIndex)))
          .map((x) => ({ validator_index: String(x.validatorIndex), head: s(x.head), target: s(x.target), source: s(x.source), inactivity: s(x.inactivity) })),
      },
    };
  }

  private events(url: URL, res: ServerResponse): void {
    const topics = (url.searchParams.getAll("topics").flatMap((t) => t.split(",")) ?? []).filter(Boolean);
    const unknown = topics.filter((t) => !(this.spec ? this.spec.eventTopics().includes(t) : true));
    if (topics.length === 0 || unknown.length) {
      const body = { code: 400, message: `Invalid topic: ${unknown.join(",") || "(none)"}` };
      this.requests.push({ method: "GET", path: url.pathname + url.search, route: "/eth/v1/events", status: 400, slot: this.network.slot });
      this.check(this.spec?.validateResponse("GET", url.pathname, 400, "application/json", body) ?? []);
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
      return;
    }
    this.requests.push({ method: "GET", path: url.pathname + url.search, route: "/eth/v1/events", status: 200, slot: this.network.slot });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.write(": vigil beacon test server\n\n");
    this.streams.add(res);
    const wanted = new Set(topics.filter((t) => EVENT_TOPICS.has(t)));
    const send = (e: SimEvent) => {
      if (this.node.conditions.down) {
        res.socket?.destroy();
        return;
      }
      if (!wanted.has(e.topic)) return;
      this.check(this.spec?.validateEvent(e.topic, e.data) ?? []);
      res.write(`event: ${e.topic}\ndata: ${JSON.stringify(e.data)}\n\n`);
      this.eventsSent++;
    };
    const unsubscribe = this.node.subscribe(send);
    res.on("close", () => {
      unsubscribe();
      this.streams.delete(res);
    });
  }
}

/** Active validator count of a state (handy in tests). */
export function activeCount(net: SimNetwork, state: SimState): number {
  const epoch = epochOf(net.c, state.slot);
  return state.validators.filter((v) => isActive(v, epoch)).length;
}
