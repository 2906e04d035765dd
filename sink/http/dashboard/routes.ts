/**
 * The dashboard, served by the sink's HTTP server (sink/http/server.ts hands it every request
 * outside /v1 and /healthz):
 *
 *   GET /                       -> /ui/incidents
 *   GET /ui/...                 the single page (incidents, an incident, findings, bots, vital signs)
 *   GET /ui/assets/app.js|.css  the client, bundled from ./client by esbuild on first request
 *   GET /ui/api/incidents       ?status=&priority=&owner=&bot=&chain=&since=&until=&offset=&limit=
 *   GET /ui/api/incidents/:id   incident, timeline, findings, messages, observations around it
 *   GET /ui/api/incidents/:id/report   the Markdown report (download)
 *   GET /ui/api/findings        ?q=&bot=&alertId=&severity=&priority=&chain=&blockFrom=&blockTo=&since=&until=&before=&limit=
 *   GET /ui/api/bots            each bot's state and alert catalogue
 *   GET /ui/api/vitals          observation series and findings per bot over time
 *   GET /ui/api/events          server-sent events: `change` whenever the store changes
 *
 * Reading needs no secret when the server listens on loopback; otherwise reads need one of
 * SINK_TOKENS too (header, or the `vigil_token` cookie the page sets). Actions go through the
 * API's own POST /v1/incidents/:id/:command with the token, so they are checked, recorded and
 * put in the timeline with their actor exactly as from the CLI.
 */
import { readFileSync, readdirSync, statSync } from "fs";
import type { IncomingMessage, ServerResponse } from "http";
import { join } from "path";
import { VigilError } from "../../../shared/errors";
import { incidentReport } from "../../incidents/report";
import { PRIORITIES, STATUSES, SEVERITIES, parseIncidentKey } from "../../model/incident";
import type { SinkHandle } from "../../incidents/handle";
import { findingsOfIncident, getIncident, outboxOfIncident, timeline } from "../../store/queries";
import { botActivity, botErrors, dashboardFindings, dashboardIncidents, dashboardVersion, findingsPerBot, firstFindingSince, observationSeries, runtimeState } from "../../store/dashboard";
import { alertCatalogue } from "./catalogue";

export interface DashboardOptions {
  tokens: readonly string[];
  /** the address the server listens on: reads are open on loopback only */
  host: string;
  /** how often the live-update stream looks for changes (default 1 s) */
  pollMs?: number;
}

export class DashboardError extends VigilError<"SINK_DASHBOARD"> {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super("SINK_DASHBOARD", message);
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;
const CLIENT_DIR = join(__dirname, "client");

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(text);
}

function list(v: string | null, allowed: readonly string[], name: string): string[] | undefined {
  if (!v) return undefined;
  const items = v.split(",").map((s) => s.trim()).filter(Boolean);
  for (const i of items) if (!allowed.includes(i)) throw new DashboardError(400, `${name}: ${JSON.stringify(i)} is not one of ${allowed.join(", ")}`);
  return items;
}

function int(v: string | null, name: string): number | undefined {
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new DashboardError(400, `${name}: ${JSON.stringify(v)} must be a non-negative integer`);
  return n;
}

function time(v: string | null, name: string): number | undefined {
  if (!v) return undefined;
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw new DashboardError(400, `${name}: ${JSON.stringify(v)} must be an ISO date or epoch milliseconds`);
  return t;
}

let bundle: Promise<{ js: string; css: string }> | undefined;
let bundledAt = 0;

/** The client, bundled when first asked for and again when its sources change (esbuild; no CDN: uPlot is bundled in). */
function clientBundle(): Promise<{ js: string; css: string }> {
  const changed = Math.max(...readdirSync(CLIENT_DIR).map((f) => statSync(join(CLIENT_DIR, f)).mtimeMs));
  if (changed > bundledAt) (bundle = undefined), (bundledAt = changed);
  bundle ??= (async () => {
    const esbuild = await import("esbuild").catch((err: Error) => {
      throw new DashboardError(500, `the dashboard's client is bundled by esbuild when first served, and esbuild cannot be loaded (${err.message}): install the dev dependencies too (npm ci without --omit=dev)`);
    });
    const out = await esbuild.build({
      entryPoints: [join(CLIENT_DIR, "app.ts")],
      bundle: true,
      format: "iife",
      target: "es2020",
      minify: true,
      write: false,
      logLevel: "silent",
    });
    const uplotCss = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
    return { js: out.outputFiles[0]!.text, css: uplotCss + "\n" + readFileSync(join(CLIENT_DIR, "app.css"), "utf8") };
  })();
  bundle.catch(() => (bundle = undefined));
  return bundle;
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Vigil</title><link rel="stylesheet" href="/ui/assets/app.css"></head>
<body><a class="skip" href="#main">Skip to content</a><header id="top"></header><main id="main" tabindex="-1"><p>Loading…</p></main>
<script src="/ui/assets/app.js"></script></body></html>`;

export class Dashboard {
  constructor(
    private readonly sink: SinkHandle,
    private readonly o: DashboardOptions,
  ) {}

  /** Serves the request if it is the dashboard's; false otherwise (the API's routes). */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (path === "/" && req.method === "GET") {
      res.writeHead(302, { location: "/ui/incidents" });
      res.end();
      return true;
    }
    if (!(path === "/ui" || path.startsWith("/ui/"))) return false;
    if (req.method !== "GET") throw new DashboardError(405, "the dashboard only reads; actions are POST /v1/incidents/:id/:command with a token");
    if (!LOOPBACK.test(this.o.host) && !this.readerOk(req)) {
      throw new DashboardError(401, "this sink listens beyond loopback: reading the dashboard needs one of SINK_TOKENS (enter it on the page, or send Authorization: Bearer <token>)");
    }
    if (path === "/ui/assets/app.js" || path === "/ui/assets/app.css") {
      const b = await clientBundle();
      const body = path.endsWith(".js") ? b.js : b.css;
      res.writeHead(200, { "content-type": `${path.endsWith(".js") ? "text/javascript" : "text/css"}; charset=utf-8`, "content-length": Buffer.byteLength(body), "cache-control": "no-cache" });
      res.end(body);
      return true;
    }
    if (path.startsWith("/ui/api/")) {
      await this.api(path.slice("/ui/api".length), url.searchParams, req, res);
      return true;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(PAGE), "cache-control": "no-cache" });
    res.end(PAGE);
    return true;
  }

  private readerOk(req: IncomingMessage): boolean {
    const cookie = /(?:^|;\s*)vigil_token=([^;]+)/.exec(String(req.headers.cookie ?? ""));
    const header = req.headers.authorization ?? (cookie ? `Bearer ${decodeURIComponent(cookie[1]!)}` : undefined);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { tokenOk } = require("../server") as typeof import("../server");
    return tokenOk(header, this.o.tokens);
  }

  private async api(path: string, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sink = this.sink;
    const dialect = sink.db.dialect;
    if (path === "/incidents") {
      const body = await sink.read(() =>
        dashboardIncidents({
          status: list(q.get("status"), STATUSES, "status"),
          priority: list(q.get("priority"), PRIORITIES, "priority"),
          owner: q.get("owner") || undefined,
          bot: q.get("bot") || undefined,
          chain: int(q.get("chain"), "chain"),
          since: time(q.get("since"), "since"),
          until: time(q.get("until"), "until"),
          offset: int(q.get("offset"), "offset"),
          limit: int(q.get("limit"), "limit"),
        }),
      );
      const owners = [...sink.rules.owners.keys()];
      return json(res, 200, { ...body, owners });
    }
    const m = /^\/incidents\/([^/]+)(\/report)?$/.exec(path);
    if (m) {
      const id = parseIncidentKey(decodeURIComponent(m[1]!));
      if (id === undefined) throw new DashboardError(400, `incident id ${JSON.stringify(m[1])} must look like INC-12 or 12`);
      const detail = await sink.read(function* () {
        const incident = yield* getIncident(id);
        if (!incident) return undefined;
        return { incident, timeline: yield* timeline(id), findings: yield* findingsOfIncident(id), messages: (yield* outboxOfIncident(id)).map(({ payload: _p, ...r }) => r) };
      });
      if (!detail) throw new DashboardError(404, `incident INC-${id} does not exist`);
      if (m[2]) {
        const md = incidentReport(detail.incident, detail.timeline, detail.findings, sink.rules);
        res.writeHead(200, { "content-type": "text/markdown; charset=utf-8", "content-disposition": `attachment; filename="${detail.incident.key}.md"`, "content-length": Buffer.byteLength(md) });
        res.end(md);
        return;
      }
      // the observations around the incident: the same bot, blocks near its findings
      const blocks = detail.findings.map((f) => f.blockNumber);
      const lo = blocks.length ? Math.min(...blocks) : undefined;
      const hi = blocks.length ? Math.max(...blocks) : undefined;
      const margin = Math.max(50, ((hi ?? 0) - (lo ?? 0)) / 2);
      const series =
        lo === undefined ? [] : await sink.read(() => observationSeries(dialect, { bot: detail.incident.bot, blockFrom: Math.max(0, lo - margin), blockTo: hi! + margin, limit: 20_000 }));
      const owner = sink.rules.owners.get(detail.incident.owner);
      return json(res, 200, { ...detail, series, ownerName: owner?.name ?? detail.incident.owner, owners: [...sink.rules.owners.keys()] });
    }
    if (path === "/findings") {
      const body = await sink.read(() =>
        dashboardFindings({
          q: q.get("q") || undefined,
          bot: q.get("bot") || undefined,
          alertId: q.get("alertId") || undefined,
          severity: list(q.get("severity"), SEVERITIES, "severity"),
          priority: list(q.get("priority"), PRIORITIES, "priority"),
          chain: int(q.get("chain"), "chain"),
          blockFrom: int(q.get("blockFrom"), "blockFrom"),
          blockTo: int(q.get("blockTo"), "blockTo"),
          since: time(q.get("since"), "since"),
          until: time(q.get("until"), "until"),
          before: int(q.get("before"), "before"),
          limit: int(q.get("limit"), "limit"),
        }),
      );
      return json(res, 200, body);
    }
    if (path === "/bots") {
      const [activity, errors, runtime] = await Promise.all([sink.read(botActivity), sink.read(() => botErrors()), sink.read(() => runtimeState(dialect))]);
      const catalogue = alertCatalogue();
      const names = [...new Set([...catalogue.keys(), ...activity.map((a) => a.bot)])].sort();
      const bots = names.map((name) => {
        const errs = errors.filter((e) => e.bot === name);
        return {
          name,
          alerts: catalogue.get(name) ?? [],
          activity: activity.find((a) => a.bot === name),
          errors: errs.length,
          lastError: errs[0],
          disabled: runtime?.disabled[name],
        };
      });
      return json(res, 200, { bots, runtime: runtime ?? null, now: Date.now() });
    }
    if (path === "/vitals") {
      const since = time(q.get("since"), "since");
      const series = await sink.read(() => observationSeries(dialect, { since, limit: 50_000 }));
      const from = since ?? Date.now() - 7 * 86_400_000;
      // minutes for a short history (a devnet run), hours beyond six of them
      const span = Date.now() - ((await sink.read(() => firstFindingSince(from))) ?? from);
      const bucketMs = span <= 6 * 3_600_000 ? 60_000 : 3_600_000;
      const activity = await sink.read(() => findingsPerBot(from, bucketMs));
      return json(res, 200, { series, activity, bucketMs });
    }
    if (path === "/events") return this.events(req, res);
    throw new DashboardError(404, `no dashboard route ${path}`);
  }

  /** Server-sent events: one `change` event whenever dashboardVersion moves (and a comment every 15 s to keep proxies open). */
  private async events(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    let last = await this.sink.read(dashboardVersion);
    res.write(`retry: 2000\nevent: hello\ndata: ${last}\n\n`);
    let beats = 0;
    let busy = false;
    const pollMs = this.o.pollMs ?? 1000;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.sink
        .read(dashboardVersion)
        .then((v) => {
          if (v !== last) res.write(`event: change\ndata: ${(last = v)}\n\n`);
          else if (++beats * pollMs >= 15_000) (beats = 0), res.write(": keep-alive\n\n");
        })
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, pollMs);
    const stop = () => clearInterval(timer);
    req.on("close", stop);
    res.on("close", stop);
  }
}
