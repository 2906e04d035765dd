/**
 * The sink's HTTP API.
 *
 *   POST /v1/findings                 one finding or an array (forta Finding + source; intake/http.ts, mounted by main.ts)
 *   GET  /v1/findings                 ?bot=&alertId=&severity=&since=&incident=&before=&limit=
 *   GET  /v1/incidents                ?status=&priority=&bot=&owner=&since=&before=&limit=
 *   GET  /v1/incidents/:id            incident, timeline, findings, messages
 *   POST /v1/incidents/:id/:command   ack | resolve | reopen | requalify | assign | comment
 *                                     body {actor, note?, priority?, type?, owner?}
 *   GET  /healthz                     no token needed
 *
 * Every other request needs `Authorization: Bearer <token>`, one of SINK_TOKENS (compared in
 * constant time). Bodies: JSON only (415 otherwise), at most `maxBodyBytes` (413), UTF-8, no key
 * twice in one object (400). A finding is
 * acknowledged (200) only once committed; a repeat of a uniqueKey is acknowledged as duplicate.
 */
import { createHash, timingSafeEqual } from "crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo } from "net";
import { VigilError, errorMessage } from "../../shared/errors";
import { redact } from "../../shared/net/secrets";
import { CommandError, type Command } from "../incidents/engine";
import { KINDS, PRIORITIES, STATUSES, parseIncidentKey } from "../model/incident";
import type { IncidentKind, IncidentPriority } from "../model/notification";
import type { SinkHandle } from "../incidents/handle";
import { duplicateKey } from "../../shared/net/json";
import { findingsOfIncident, getIncident, listFindings, listIncidents, outboxOfIncident, timeline } from "../store/queries";
import { Dashboard, DashboardError } from "./dashboard/routes";

export interface HttpOptions {
  tokens: readonly string[];
  maxBodyBytes?: number;
  host?: string;
  port?: number;
  /** serve the dashboard at / and /ui (default true; see ./dashboard/routes.ts) */
  dashboard?: boolean;
  /**
   * Routes other parts own, mounted by the wiring (sink/main.ts mounts intake/'s POST
   * /v1/findings): behind the token check, the JSON body read and checked here, handled there.
   */
  routes?: readonly JsonRoute[];
}

export interface JsonRoute {
  method: string;
  path: string;
  handle(body: unknown): Promise<{ status: number; body: unknown } | { status: number; error: string }>;
}

class HttpError extends VigilError<"SINK_HTTP"> {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super("SINK_HTTP", message);
  }
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time check of a bearer token against every configured token. */
export function tokenOk(header: string | undefined, tokens: readonly string[]): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  const given = digest(m ? m[1]! : "");
  let ok = false;
  for (const t of tokens) ok = timingSafeEqual(given, digest(t)) || ok;
  return ok && m !== null;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (declared > max) return reject(new HttpError(413, `body of ${declared} bytes is over the limit of ${max}; send fewer findings per request`));
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > max) {
        failed = true;
        reject(new HttpError(413, `body is over the limit of ${max} bytes; send fewer findings per request`));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => !failed && resolve(Buffer.concat(chunks)));
    req.on("aborted", () => !failed && ((failed = true), reject(new HttpError(400, "request aborted before the body ended"))));
    req.on("error", (e) => !failed && ((failed = true), reject(new HttpError(400, `could not read the body: ${e.message}`))));
  });
}

async function jsonBody(req: IncomingMessage, max: number): Promise<unknown> {
  const ct = String(req.headers["content-type"] ?? "");
  if (!/^application\/(.+\+)?json\b/i.test(ct)) throw new HttpError(415, `content-type must be application/json (got ${ct ? JSON.stringify(ct) : "none"})`);
  const buf = await readBody(req, max);
  let text: string;
  try {
    text = utf8.decode(buf);
  } catch {
    throw new HttpError(400, "body is not valid UTF-8; send JSON encoded as UTF-8");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `body is not valid JSON (${errorMessage(err).slice(0, 200)}); was it truncated?`);
  }
  // JSON.parse keeps the last of two equal keys: which one the sender meant is unclear
  const dup = duplicateKey(text);
  if (dup) throw new HttpError(400, `${dup}: the key appears twice in one object; send it once`);
  return body;
}

/** Strict: a body with bytes that are not UTF-8 is refused, not read with replacement characters. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

function list(v: string | null, allowed: readonly string[], name: string): string[] | undefined {
  if (!v) return undefined;
  const items = v.split(",").map((s) => s.trim()).filter(Boolean);
  for (const i of items) if (!allowed.includes(i)) throw new HttpError(400, `${name}: ${JSON.stringify(i)} is not one of ${allowed.join(", ")}`);
  return items;
}

function num(v: string | null, name: string): number | undefined {
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new HttpError(400, `${name}: ${JSON.stringify(v)} must be a non-negative number`);
  return n;
}

function since(v: string | null): number | undefined {
  if (!v) return undefined;
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw new HttpError(400, `since: ${JSON.stringify(v)} must be an ISO date or epoch milliseconds`);
  return t;
}

export class SinkHttp {
  private server: Server | undefined;
  constructor(
    private readonly sink: SinkHandle,
    private readonly o: HttpOptions,
  ) {}

  async listen(): Promise<{ url: string; port: number }> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        const status = err instanceof HttpError ? err.status : err instanceof CommandError ? err.status : 500;
        if (status === 500) this.sink.log.error({ err: redact(errorMessage(err)), url: req.url }, "sink http: request failed");
        // a body we did not read to the end: close the connection after this answer
        if (!req.complete) res.setHeader("connection", "close");
        if (!res.headersSent) send(res, status, { error: redact(errorMessage(err)) });
        else res.destroy();
      });
    });
    server.requestTimeout = 60_000;
    // a request Node cannot parse as HTTP (two content-lengths, a bad header...): a 400 that says so
    server.on("clientError", (err: Error & { code?: string }, socket) => {
      if (!socket.writable) return;
      const text = JSON.stringify({ error: `not a valid HTTP/1.1 request (${err.code ?? "parse error"}); check the request line and headers` });
      socket.end(`HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.o.port ?? 0, this.o.host ?? "127.0.0.1", () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    return { url: `http://${this.o.host ?? "127.0.0.1"}:${port}`, port };
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections?.();
    await new Promise<void>((r) => s.close(() => r()));
  }

  private dashboard(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    return serveDashboard(this, this.sink, this.o, req, res, url);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sink");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path === "/healthz") return send(res, 200, { ok: true });
    if (await this.dashboard(req, res, url)) return;
    if (!tokenOk(req.headers.authorization, this.o.tokens)) {
      res.setHeader("www-authenticate", 'Bearer realm="vigil-sink"');
      throw new HttpError(401, req.headers.authorization ? "the bearer token is not one of SINK_TOKENS" : "missing Authorization: Bearer <token> (one of SINK_TOKENS)");
    }
    const max = this.o.maxBodyBytes ?? 1_048_576;
    const q = url.searchParams;
    const route = this.o.routes?.find((r) => r.path === path && r.method === req.method);
    if (route) {
      const answer = await route.handle(await jsonBody(req, max));
      if ("error" in answer) throw new HttpError(answer.status, answer.error);
      return send(res, answer.status, answer.body);
    }
    if (path === "/v1/findings" && req.method === "GET") {
      const incident = q.get("incident") ? parseIncidentKey(q.get("incident")!) : undefined;
      const rows = await this.sink.read(() =>
        listFindings({ bot: q.get("bot") ?? undefined, alertId: q.get("alertId") ?? undefined, severity: q.get("severity") ?? undefined, since: since(q.get("since")), incidentId: incident, before: num(q.get("before"), "before"), limit: num(q.get("limit"), "limit") }),
      );
      return send(res, 200, { findings: rows, next: rows.length ? rows[rows.length - 1]!.id : undefined });
    }
    if (path === "/v1/incidents" && req.method === "GET") {
      const rows = await this.sink.read(() =>
        listIncidents({
          status: list(q.get("status"), STATUSES, "status"),
          priority: list(q.get("priority"), PRIORITIES, "priority"),
          bot: q.get("bot") ?? undefined,
          owner: q.get("owner") ?? undefined,
          since: since(q.get("since")),
          before: num(q.get("before"), "before"),
          limit: num(q.get("limit"), "limit"),
        }),
      );
      return send(res, 200, { incidents: rows, next: rows.length ? rows[rows.length - 1]!.id : undefined });
    }
    const m = /^\/v1\/incidents\/([^/]+)(?:\/([a-z]+))?$/.exec(path);
    if (m) {
      const id = parseIncidentKey(decodeURIComponent(m[1]!));
      if (id === undefined) throw new HttpError(400, `incident id ${JSON.stringify(m[1])} must look like INC-12 or 12`);
      if (!m[2] && req.method === "GET") {
        const detail = await this.sink.read(function* () {
          const incident = yield* getIncident(id);
          if (!incident) return undefined;
          return { incident, timeline: yield* timeline(id), findings: yield* findingsOfIncident(id), messages: (yield* outboxOfIncident(id)).map(({ payload: _p, ...r }) => r) };
        });
        if (!detail) throw new HttpError(404, `incident INC-${id} does not exist`);
        return send(res, 200, detail);
      }
      if (m[2] && req.method === "POST") {
        const body = (await jsonBody(req, 65_536)) as Record<string, unknown>;
        if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, "body must be an object {actor, note?, ...}");
        if (typeof body.actor !== "string" || !body.actor) throw new HttpError(400, "actor: required (who does this; shown in the timeline)");
        if (body.note !== undefined && typeof body.note !== "string") throw new HttpError(400, "note: must be a string");
        const cmd = parseCommand(m[2], body);
        const inc = await this.sink.command(id, cmd, body.actor, body.note as string | undefined);
        return send(res, 200, { incident: inc });
      }
    }
    throw new HttpError(404, `no route ${req.method} ${path}; see GET /v1/incidents, POST /v1/findings`);
  }
}

/** The dashboard's pages and reads (no token on loopback), before the API's token check. */
const dashboards = new WeakMap<SinkHttp, Dashboard>();
async function serveDashboard(http: SinkHttp, sink: SinkHandle, o: HttpOptions, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (o.dashboard === false) return false;
  let dash = dashboards.get(http);
  if (!dash) dashboards.set(http, (dash = new Dashboard(sink, { tokens: o.tokens, host: o.host ?? "127.0.0.1" })));
  try {
    return await dash.handle(req, res, url);
  } catch (err) {
    throw err instanceof DashboardError ? new HttpError(err.status, err.message) : err;
  }
}

function parseCommand(name: string, body: Record<string, unknown>): Command {
  switch (name) {
    case "ack":
    case "resolve":
    case "reopen":
    case "comment":
      return { kind: name };
    case "requalify": {
      if (body.priority !== undefined && !PRIORITIES.includes(body.priority as IncidentPriority)) throw new HttpError(400, `priority: must be one of ${PRIORITIES.join(", ")}`);
      if (body.type !== undefined && !KINDS.includes(body.type as IncidentKind)) throw new HttpError(400, `type: must be one of ${KINDS.join(", ")}`);
      return { kind: "requalify", priority: body.priority as IncidentPriority | undefined, type: body.type as IncidentKind | undefined };
    }
    case "assign":
      if (typeof body.owner !== "string") throw new HttpError(400, "owner: required (an owner id from the rules file)");
      return { kind: "assign", owner: body.owner };
    default:
      throw new HttpError(404, `unknown command ${name}: ack, resolve, reopen, requalify, assign, comment`);
  }
}

export function tokensFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.SINK_TOKENS ?? "").split(",").map((t) => t.trim()).filter(Boolean);
}
