/**
 * A JSON-RPC "tape": what a bot asked a second chain (an L2) and what it was answered, in order.
 *
 * The runtime's fixtures (shared/rpc/fixture.ts) hold the answers of the chain the runtime
 * watches, keyed by request. A bot that also reads another chain through its own URL (maker-dai-
 * bridge reads each L2 at its head) asks questions whose answers change with time ("latest"), so
 * those are kept as a tape instead: every HTTP exchange in order, replayed in the same order.
 *
 * - `JsonRpcProxy`: a loopback HTTP proxy in front of a node; can play "unavailable" (HTTP 503)
 *   and records every exchange when asked to. The devnet gives bots the proxy's URL.
 * - `JsonRpcTapeServer`: a loopback HTTP server answering from a tape: each request gets the next
 *   recorded answer for the same calls (ids rewritten), or a JSON-RPC error naming what the tape
 *   lacks. A replay gives bots its URL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { VigilError } from "../errors";

export const TAPE_FORMAT = "vigil-rpc-tape/1";

/** One HTTP exchange: the calls (method + params, in request order) and the answer. */
export interface TapeEntry {
  key: string;
  /** HTTP status the node (or the proxy) answered with */
  status: number;
  /** with status 200: one JSON-RPC reply per call, in call order, without ids */
  replies?: unknown[];
  /** otherwise: the body as it was */
  text?: string;
}

export interface TapeFile {
  format: string;
  recordedAt: string;
  entries: TapeEntry[];
}

interface Call {
  id: unknown;
  method: string;
  params: unknown;
}

function parseCalls(body: string): { batch: boolean; calls: Call[] } | null {
  try {
    const parsed = JSON.parse(body) as unknown;
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const calls = list.map((c) => {
      const o = c as { id?: unknown; method?: unknown; params?: unknown };
      if (typeof o?.method !== "string") throw new Error("not a JSON-RPC call");
      return { id: o.id, method: o.method, params: o.params ?? [] };
    });
    return { batch: Array.isArray(parsed), calls };
  } catch {
    return null;
  }
}

/** The key of a request: its calls without ids (same calls, same key). */
export function tapeKey(batch: boolean, calls: readonly Call[]): string {
  return `${batch ? "batch" : "single"} ${JSON.stringify(calls.map((c) => [c.method, c.params]))}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A loopback proxy in front of a JSON-RPC node; records the exchanges when `record` is set. */
export class JsonRpcProxy {
  /** false: answer every request with HTTP 503, as a node that is down behind a load balancer */
  available = true;
  readonly entries: TapeEntry[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string, opts: { record?: boolean } = {}): Promise<JsonRpcProxy> {
    let proxy: JsonRpcProxy | undefined;
    const server = createServer((req, res) => void proxy!.handle(target, opts.record ?? false, req, res));
    const url = await listen(server);
    proxy = new JsonRpcProxy(server, url);
    return proxy;
  }

  private async handle(target: string, record: boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const parsed = parseCalls(body);
    let status: number;
    let text: string;
    if (!this.available) {
      status = 503;
      text = "node unavailable (devnet: switched off)";
    } else {
      try {
        const answer = await fetch(target, { method: "POST", body, headers: { "content-type": "application/json" } });
        status = answer.status;
        text = await answer.text();
      } catch (err) {
        status = 502;
        text = `proxy: ${(err as Error).message}`;
      }
    }
    if (record && parsed) this.entries.push(toEntry(parsed, status, text));
    res.writeHead(status, { "content-type": status === 200 ? "application/json" : "text/plain" });
    res.end(text);
  }

  /** Write the recorded exchanges as a gzip-compressed tape. */
  save(path: string): void {
    const file: TapeFile = { format: TAPE_FORMAT, recordedAt: new Date().toISOString(), entries: this.entries };
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(JSON.stringify(file), { level: 9 }));
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}

function toEntry(parsed: { batch: boolean; calls: Call[] }, status: number, text: string): TapeEntry {
  const key = tapeKey(parsed.batch, parsed.calls);
  if (status !== 200) return { key, status, text };
  try {
    const body = JSON.parse(text) as unknown;
    const list = (Array.isArray(body) ? body : [body]) as { id?: unknown }[];
    const byId = new Map(list.map((r) => [JSON.stringify(r?.id), r]));
    const replies = parsed.calls.map((c) => {
      const { id: _id, ...rest } = (byId.get(JSON.stringify(c.id)) ?? {}) as Record<string, unknown>;
      return rest;
    });
    return { key, status, replies };
  } catch {
    return { key, status, text };
  }
}

export class TapeFormatError extends VigilError<"TAPE_FORMAT"> {
  constructor(path: string, problem: string) {
    super("TAPE_FORMAT", `${path} is not a usable JSON-RPC tape: ${problem}`);
  }
}

export function loadTape(path: string): TapeFile {
  let file: TapeFile;
  try {
    file = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as TapeFile;
  } catch (err) {
    throw new TapeFormatError(path, `cannot read it as gzip-compressed JSON (${(err as Error).message})`);
  }
  if (file.format !== TAPE_FORMAT || !Array.isArray(file.entries)) throw new TapeFormatError(path, `format is ${String(file.format)}, expected ${TAPE_FORMAT}`);
  return file;
}

/** Answers requests from a tape, in recorded order per request key. */
export class JsonRpcTapeServer {
  /** requests the tape had no (more) answer for */
  readonly misses: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly queues: Map<string, TapeEntry[]>,
  ) {}

  static async start(tape: TapeFile | string): Promise<JsonRpcTapeServer> {
    const file = typeof tape === "string" ? loadTape(tape) : tape;
    const queues = new Map<string, TapeEntry[]>();
    for (const e of file.entries) queues.set(e.key, [...(queues.get(e.key) ?? []), e]);
    let self: JsonRpcTapeServer | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    const url = await listen(server);
    self = new JsonRpcTapeServer(server, url, queues);
    return self;
  }

  /** Recorded answers nobody asked for. */
  unused(): number {
    return [...this.queues.values()].reduce((n, q) => n + q.length, 0);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const parsed = parseCalls(body);
    if (!parsed) {
      res.writeHead(400).end("not a JSON-RPC request");
      return;
    }
    const key = tapeKey(parsed.batch, parsed.calls);
    const entry = this.queues.get(key)?.shift();
    if (!entry) {
      this.misses.push(key);
      const error = { code: -32099, message: `the tape has no (more) answer for ${key.slice(0, 300)}: re-record it` };
      const replies = parsed.calls.map((c) => ({ jsonrpc: "2.0", id: c.id, error }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(parsed.batch ? replies : replies[0]));
      return;
    }
    if (entry.status !== 200 || !entry.replies) {
      res.writeHead(entry.status, { "content-type": "text/plain" }).end(entry.text ?? "");
      return;
    }
    const replies = parsed.calls.map((c, i) => ({ ...(entry.replies![i] as Record<string, unknown>), id: c.id }));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(parsed.batch ? replies : replies[0]));
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
