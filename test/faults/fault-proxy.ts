/**
 * A loopback proxy that injects faults on a seeded schedule, in front of a JSON-RPC node
 * (anvil) or a beacon node (the beacon API test server).
 *
 * Each HTTP request draws from a seeded generator: with probability `rate` it gets one fault,
 * chosen among the kinds that apply to it. JSON-RPC kinds:
 *   timeout        no answer at all (the client's timeout must fire)
 *   rate-limit     HTTP 429 with Retry-After (0 or 1 s)
 *   5xx            HTTP 500 / 502 / 503 / 504
 *   drop           the connection is destroyed before any answer
 *   malformed      HTTP 200 with JSON cut in the middle
 *   wrong-ids      a batch answered with ids that match none of the calls
 *   partial-batch  a batch answered with only some of its replies
 *   stale          a lagging node: a block, receipts or state above its height are unknown
 *                  (null block, "header not found")
 *   height-back    eth_blockNumber answered lower than before (the node went back in height)
 * Beacon kinds: 5xx, drop, timeout, SSE streams cut after a few events (drawn), and
 *   404-empty-slot  not drawn but always, as Lodestar does: a state asked by slot
 *                   (/eth/v1/beacon/states/{slot}/..., any version) at a slot that had no block answers
 *                   404 "No state found" (the slot's emptiness comes from `emptySlot`, which
 *                   asks the simulated node)
 * The schedule is a function of the seed and the order of requests (which a loaded machine can
 * shuffle a little); every fault is counted by kind.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo } from "net";

/** A small, fast, seeded generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const RPC_FAULTS = ["timeout", "rate-limit", "5xx", "drop", "malformed", "wrong-ids", "partial-batch", "stale", "height-back"] as const;
export const BEACON_FAULTS = ["timeout", "5xx", "drop", "404-empty-slot", "sse-drop"] as const;
export type FaultKind = (typeof RPC_FAULTS)[number] | (typeof BEACON_FAULTS)[number];

interface Call {
  jsonrpc?: string;
  id: unknown;
  method: string;
  params?: unknown[];
}

export interface FaultProxyOptions {
  upstream: string;
  seed: number;
  /** share of requests that get a fault (0..1) */
  rate: number;
  /** "rpc" (JSON-RPC, default) or "beacon" (REST + SSE) */
  mode?: "rpc" | "beacon";
  /** kinds to draw from (default: all of the mode's kinds) */
  kinds?: readonly FaultKind[];
  /** the lagging node is this many blocks behind the real head (stale answers; default 3) */
  lag?: number;
  /** beacon mode, with "404-empty-slot" among the kinds: whether a slot had no block on the upstream node */
  emptySlot?: (slot: number) => boolean;
}

export class FaultProxy {
  /** faults injected, by kind */
  readonly injected: Record<string, number> = {};
  requests = 0;
  /** beacon mode: 404s the node itself gave on block routes (empty slots), passed through */
  passed404 = 0;
  url = "";
  /** faults off (e.g. while a test sets up), on again with `enabled = true` */
  enabled = true;
  private readonly rand: () => number;
  private server!: Server;
  private readonly kinds: readonly FaultKind[];
  /** the highest height answered to eth_blockNumber (going back is measured from it) */
  private highestHeight = 0;
  /** beacon mode: requests recently faulted -> how many more of them pass unfaulted */
  private readonly faultedLast = new Map<string, number>();
  /** the real node's head, asked at every request (a lagging node is measured against it) */
  private head = 0;

  /** where requests go (may be set after start, e.g. when the upstream starts after its clients) */
  upstream: string;

  constructor(private readonly o: FaultProxyOptions) {
    this.upstream = o.upstream;
    this.rand = seeded(o.seed);
    this.kinds = o.kinds ?? (o.mode === "beacon" ? BEACON_FAULTS : RPC_FAULTS);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.onRequest(req, res).catch(() => res.destroy()));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  get total(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }

  private count(kind: FaultKind): void {
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
  }

  private draw(applicable: readonly FaultKind[]): FaultKind | undefined {
    const r = this.rand();
    const pick = this.rand();
    if (!this.enabled || r >= this.o.rate || applicable.length === 0) return undefined;
    // the kinds that apply to few requests (a lagging node, a node going back) get half the draws they can
    const rare = applicable.filter((k) => k === "stale" || k === "height-back");
    if (rare.length && pick < 0.5) return rare[Math.floor(pick * 2 * rare.length)];
    return applicable[Math.floor(pick * applicable.length)];
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    this.requests++;
    if (this.o.mode === "beacon") return this.onBeacon(req, res, body);

    let parsed: Call | Call[];
    try {
      parsed = JSON.parse(body.toString("utf8")) as Call | Call[];
    } catch {
      return this.forwardRaw(req, res, body);
    }
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    if (this.kinds.includes("stale")) await this.refreshHead();
    const batch = Array.isArray(parsed) && parsed.length > 1;
    const applicable = this.kinds.filter((k) => {
      if (k === "wrong-ids" || k === "partial-batch") return batch;
      if (k === "height-back") return calls.some((c) => c.method === "eth_blockNumber") && this.highestHeight > 2;
      if (k === "stale") return calls.some((c) => this.aboveLag(c) !== undefined);
      return RPC_FAULTS.includes(k as (typeof RPC_FAULTS)[number]);
    });
    const fault = this.draw(applicable);
    if (fault) this.count(fault);
    switch (fault) {
      case "timeout":
        return; // never answered; the client times out (the socket is closed at stop)
      case "drop":
        req.socket.destroy();
        return;
      case "rate-limit":
        res.writeHead(429, { "retry-after": this.rand() < 0.5 ? "0" : "1", "content-type": "text/plain" });
        res.end("Too Many Requests");
        return;
      case "5xx":
        res.writeHead([500, 502, 503, 504][Math.floor(this.rand() * 4)]!, { "content-type": "text/html" });
        res.end("<html><body>upstream error</body></html>");
        return;
      case "malformed": {
        const text = await this.upstreamText(body);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        return;
      }
      default:
        break;
    }
    const answers = await this.upstreamJson(calls);
    if (fault === "stale") {
      for (const c of calls) {
        const at = this.aboveLag(c);
        if (at === undefined) continue;
        const a = answers.find((x) => x.id === c.id);
        if (!a) continue;
        if (c.method === "eth_getBlockByNumber" || c.method === "eth_getBlockReceipts") {
          a.result = null;
        } else {
          delete a.result;
          a.error = { code: -32000, message: "header not found" };
        }
      }
    }
    for (const a of answers) {
      if (a.result && typeof a.result === "string" && calls.find((c) => c.id === a.id)?.method === "eth_blockNumber") {
        const h = parseInt(a.result, 16);
        if (fault === "height-back") a.result = `0x${Math.max(0, this.highestHeight - 1 - Math.floor(this.rand() * 3)).toString(16)}`;
        else this.highestHeight = Math.max(this.highestHeight, h);
      }
    }
    let out: unknown = Array.isArray(parsed) ? answers : answers[0];
    if (fault === "wrong-ids") out = answers.map((a, i) => ({ ...a, id: 1_000_000_000 + i }));
    if (fault === "partial-batch") out = answers.slice(0, Math.max(1, Math.floor(answers.length / 2)));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(out));
  }

  private async refreshHead(): Promise<void> {
    const [a] = await this.upstreamJson([{ jsonrpc: "2.0", id: 0, method: "eth_blockNumber", params: [] }]);
    if (typeof a?.result === "string") this.head = parseInt(a.result, 16);
  }

  /** The block a call asks for, when it is above what the lagging node has. */
  private aboveLag(c: Call): number | undefined {
    if (!this.head) return undefined;
    const p = c.params ?? [];
    const tag = c.method === "eth_getBlockByNumber" || c.method === "eth_getBlockReceipts" ? p[0] : c.method === "eth_call" || c.method === "eth_getBalance" ? p[1] : undefined;
    if (typeof tag !== "string" || !/^0x[0-9a-f]+$/i.test(tag)) return undefined;
    const n = parseInt(tag, 16);
    return n > this.head - (this.o.lag ?? 3) ? n : undefined;
  }

  private async upstreamText(body: Buffer): Promise<string> {
    const res = await fetch(this.upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
    return res.text();
  }

  private async upstreamJson(calls: Call[]): Promise<{ id: unknown; result?: unknown; error?: unknown }[]> {
    const res = await fetch(this.upstream, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(calls) });
    return (await res.json()) as { id: unknown; result?: unknown; error?: unknown }[];
  }

  private forwardRaw(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const up = new URL(this.upstream);
    const fwd = httpRequest({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    fwd.on("error", () => res.destroy());
    fwd.end(body);
  }

  // ---- beacon ------------------------------------------------------------------------------

  private onBeacon(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    res.shouldKeepAlive = false;
    const path = req.url ?? "/";
    const sse = path.startsWith("/eth/v1/events");
    const blockRoute = /^\/eth\/v[12]\/beacon\/(blocks|headers)\/\d+/.test(path);
    const stateSlot = /^\/eth\/v\d+\/beacon\/states\/(\d+)\//.exec(path);
    if (stateSlot && this.enabled && this.kinds.includes("404-empty-slot") && this.o.emptySlot?.(Number(stateSlot[1]))) {
      // not drawn: a node without states at empty slots answers so every time (no rand() drawn,
      // so the rest of the schedule stays what the seed makes it)
      this.count("404-empty-slot");
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ statusCode: 404, error: "Not Found", message: `No state found for id '${stateSlot[1]}'` }));
      return;
    }
    // a node's own health routes are left alone: a health check is meant to report a failing node
    const health = path.startsWith("/eth/v1/node/") || path.startsWith("/eth/v2/node/");
    const applicable = this.kinds.filter((k) => {
      if (health) return false;
      if (k === "sse-drop") return sse;
      if (k === "404-empty-slot") return false; // never drawn: see above
      return !sse && BEACON_FAULTS.includes(k as (typeof BEACON_FAULTS)[number]);
    });
    // a blip, not an outage: the same request is never faulted twice in a row (see the beacon part)
    // (several bots ask the same route at once: after a fault, the route's next few requests
    // pass, so that a bot's retry is not faulted again because another bot's request came between)
    const key = `${req.method} ${path}`;
    const drawn = this.draw(applicable);
    const immune = this.faultedLast.get(key) ?? 0;
    const fault = immune > 0 ? undefined : drawn;
    if (fault) this.faultedLast.set(key, 6);
    else if (immune > 1) this.faultedLast.set(key, immune - 1);
    else this.faultedLast.delete(key);
    if (fault) this.count(fault);
    switch (fault) {
      case "timeout":
        return;
      case "drop":
        req.socket.destroy();
        return;
      case "5xx":
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 503, message: "node is syncing" }));
        return;
      default:
        break;
    }
    const up = new URL(this.upstream);
    // agent: false: a fresh connection per request, so an idle socket the upstream closed is never reused
    const fwd = httpRequest({ host: up.hostname, port: up.port, path, method: req.method, headers: { ...req.headers, host: up.host }, agent: false }, (r) => {
      if (r.statusCode === 404 && blockRoute) this.passed404++;
      // no keep-alive: a socket the proxy drops must never be one a later request reuses
      const { connection: _c, "keep-alive": _k, ...headers } = r.headers;
      res.writeHead(r.statusCode ?? 502, { ...headers, connection: "close" });
      if (fault === "sse-drop") {
        // pass a few events through, then cut the stream
        let events = 0;
        const limit = 1 + Math.floor(this.rand() * 3);
        r.on("data", (chunk: Buffer) => {
          res.write(chunk);
          events += (chunk.toString("utf8").match(/^data:/gm) ?? []).length;
          if (events >= limit) {
            r.destroy();
            res.destroy();
          }
        });
        r.on("end", () => res.end());
        return;
      }
      r.pipe(res);
    });
    fwd.on("error", () => res.destroy());
    fwd.end(body);
  }
}
