/**
 * Forta network intake: polls Forta's GraphQL alerts API (POST https://api.forta.network/graphql,
 * `alerts(input: AlertsInput)`, API key as a Bearer token) for the bots a user names, maps each
 * alert to a SourcedFinding and hands them to `submit`, page by page.
 *
 * No gap, no duplicate across restarts: the position is the API's own page cursor
 * (`pageInfo.endCursor {alertId, blockNumber}`), persisted through `cursors` and advanced only
 * after `submit` resolved for that page. A crash between `submit` and `setCursor` submits that
 * page again on restart: every finding's uniqueKey is Forta's alert hash, so the sink's intake
 * (idempotent by uniqueKey) stores it once; a store that commits `position` with the findings
 * makes it exactly once. Without a cursor the first query looks back
 * `lookbackMs` (`createdSince`: milliseconds before now; 600000 is "the last 10 minutes" in
 * Forta's example query). Errors and 429 back off (full jitter, Retry-After
 * honoured); a refused key says what to fix and is retried at the longest
 * backoff, so a fixed key resumes where it stopped.
 *
 * Facts used (docs.forta.network "API"; forta-network/forta-api example queries; the SDK's
 * getAlerts): AlertsInput {bots, chainId, first, after: AlertEndCursorInput, createdSince,
 * blockSortDirection}; AlertsResponse {alerts [...], pageInfo {hasNextPage, endCursor
 * {alertId, blockNumber}}}; Alert {hash, alertId, name, description, severity, findingType,
 * protocol, metadata, addresses, createdAt, source {transactionHash, bot {id}, block {number,
 * hash, timestamp, chainId}}}. GraphQL errors come as `errors: [{message}]`.
 */
import { createHash } from "crypto";
import { ConfigError, VigilError } from "../../shared/errors";
import type { FindingJson } from "../../shared/findings";
import { logger } from "../../shared/log";
import { parseRetryAfter } from "../../shared/net/http";
import { maskSecrets, maskUrl, registerSecret } from "../../shared/net/secrets";
import type { SourcedFinding } from "../model/notification";
import { retryDelayMs, type RetryPolicy } from "../config/retry";

export const FORTA_GRAPHQL_URL = "https://api.forta.network/graphql";

export interface CursorStore {
  getCursor(name: string): Promise<string | undefined>;
  setCursor(name: string, value: string): Promise<void>;
}

export interface FortaPollerOptions {
  /** bot ids (0x + 64 hex) whose alerts to fetch */
  bots: string[];
  chainId: number;
  /** FORTA_API_KEY */
  apiKey: string;
  cursors: CursorStore;
  /**
   * Resolves once the findings are durably accepted (the sink's intake). `position` is the cursor
   * this page ends at: a store that commits it in the same transaction as the findings makes
   * intake exactly once (the poller still calls setCursor afterwards, with the same value).
   */
  submit(findings: SourcedFinding[], position?: { cursorName: string; cursor: string | undefined }): Promise<void>;
  /** the cursor's name (default derived from chain and bots, so another set of bots has its own) */
  name?: string;
  url?: string;
  /** alerts per page (`first`), default 100 */
  pageSize?: number;
  /** how far back the very first poll looks (createdSince, ms), default 1 hour */
  lookbackMs?: number;
  /** pause between polls once caught up, default 60 s */
  intervalMs?: number;
  timeoutMs?: number;
  retry?: RetryPolicy;
  random?: () => number;
  /** how to wait (tests pass one that records and returns at once); must end early on abort */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** default: the shared pino logger (stderr, secrets redacted) */
  log?: (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

export const FORTA_RETRY: RetryPolicy = { maxAttempts: Number.POSITIVE_INFINITY, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000, maxRetryAfterMs: 60 * 60_000 };

/** A failed query: retryable (network, 429, 5xx) or not (refused key, bad query, malformed answer). */
export class FortaApiError extends VigilError {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super("FORTA_API", message);
  }
}

/** The API's endCursor, kept as it came: Forta's own example passes blockNumber back as a string. */
interface FortaCursor {
  alertId: string;
  blockNumber: number | string;
}

interface FortaAlert {
  hash?: string | null;
  alertId?: string | null;
  name?: string | null;
  description?: string | null;
  severity?: string | null;
  findingType?: string | null;
  protocol?: string | null;
  metadata?: unknown;
  addresses?: unknown;
  createdAt?: string | null;
  chainId?: number | null;
  source?: {
    transactionHash?: string | null;
    bot?: { id?: string | null } | null;
    block?: { number?: number | string | null; hash?: string | null; timestamp?: string | null; chainId?: number | null } | null;
  } | null;
}

export const ALERTS_QUERY = `query VigilAlerts($input: AlertsInput) {
  alerts(input: $input) {
    pageInfo { hasNextPage endCursor { alertId blockNumber } }
    alerts {
      hash alertId name description severity findingType protocol metadata addresses createdAt chainId
      source { transactionHash bot { id } block { number hash timestamp chainId } }
    }
  }
}`;

const SEVERITIES = ["Unknown", "Info", "Low", "Medium", "High", "Critical"] as const;
const TYPES = ["Unknown", "Exploit", "Suspicious", "Degraded", "Info", "Scam"] as const;

function enumOf<T extends string>(values: readonly T[], v: unknown): T {
  const s = typeof v === "string" ? v.toLowerCase() : "";
  return values.find((x) => x.toLowerCase() === s) ?? values[0]!;
}

function isoOf(v: unknown): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const n = typeof v === "number" || /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) return undefined;
  // block timestamps come in seconds, createdAt as an ISO string
  const ms = typeof v === "number" || /^\d+$/.test(String(v)) ? (n < 1e12 ? n * 1000 : n) : n;
  return new Date(ms).toISOString();
}

/** Map one Forta alert to the sink's SourcedFinding. `problems` collects what was out of spec. */
export function alertToFinding(a: FortaAlert, fallback: { chainId: number; bot?: string }, problems: string[] = []): SourcedFinding {
  const block = a.source?.block ?? undefined;
  const blockNumber = Number(block?.number ?? NaN);
  if (!Number.isFinite(blockNumber)) problems.push("an alert without source.block.number (kept as block 0)");
  const metadata: Record<string, string> = {};
  if (a.metadata && typeof a.metadata === "object") {
    for (const [k, v] of Object.entries(a.metadata as Record<string, unknown>)) metadata[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const addresses = Array.isArray(a.addresses) ? a.addresses.filter((x): x is string => typeof x === "string") : [];
  const bot = a.source?.bot?.id ?? fallback.bot ?? "forta";
  let uniqueKey = a.hash ?? undefined;
  if (!uniqueKey) {
    problems.push("an alert without a hash (its uniqueKey is derived from its content)");
    uniqueKey = `0x${createHash("sha256").update(JSON.stringify(["forta", bot, a.alertId, block?.number, block?.hash, a.source?.transactionHash, a.description, metadata])).digest("hex")}`;
  }
  const finding: FindingJson = {
    name: a.name ?? a.alertId ?? "Forta alert",
    description: a.description ?? a.name ?? "",
    alertId: a.alertId ?? "FORTA-UNKNOWN",
    protocol: a.protocol ?? "",
    severity: enumOf(SEVERITIES, a.severity),
    type: enumOf(TYPES, a.findingType),
    metadata,
    addresses,
    uniqueKey,
    timestamp: isoOf(a.createdAt) ?? isoOf(block?.timestamp) ?? new Date(0).toISOString(),
  };
  const sf: SourcedFinding = {
    bot,
    chainId: Number(block?.chainId ?? a.chainId ?? fallback.chainId),
    blockNumber: Number.isFinite(blockNumber) ? blockNumber : 0,
    blockHash: block?.hash ?? "",
    finding,
  };
  if (a.source?.transactionHash) sf.txHash = a.source.transactionHash;
  return sf;
}

/** The cursor as stored: the API's endCursor, as JSON. */
export function encodeCursor(c: FortaCursor): string {
  return JSON.stringify({ v: 1, alertId: c.alertId, blockNumber: c.blockNumber });
}

export function decodeCursor(s: string | undefined): FortaCursor | undefined {
  if (!s) return undefined;
  let o: { v?: unknown; alertId?: unknown; blockNumber?: unknown };
  try {
    o = JSON.parse(s) as typeof o;
  } catch {
    throw new VigilError("FORTA_CURSOR", `the stored Forta cursor is not JSON (${s.slice(0, 80)}); delete it to start over from the lookback window`);
  }
  if (typeof o.alertId !== "string" || (typeof o.blockNumber !== "number" && typeof o.blockNumber !== "string")) {
    throw new VigilError("FORTA_CURSOR", `the stored Forta cursor lacks alertId/blockNumber (${s.slice(0, 80)}); delete it to start over from the lookback window`);
  }
  return { alertId: o.alertId, blockNumber: o.blockNumber };
}

export function cursorNameOf(chainId: number, bots: readonly string[]): string {
  const h = createHash("sha256").update([...bots].map((b) => b.toLowerCase()).sort().join(",")).digest("hex").slice(0, 12);
  return `forta:${chainId}:${h}`;
}

/** Check a Forta poller's configuration: bot ids, chain, the API key from the environment. */
export function fortaConfigProblems(o: { bots: unknown; chainId: unknown }, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (!Array.isArray(o.bots) || o.bots.length === 0) problems.push("forta.bots: missing; list the bot ids (0x + 64 hex digits) whose alerts to fetch");
  else for (const b of o.bots) if (typeof b !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(b)) problems.push(`forta.bots: ${JSON.stringify(b)} is not a bot id; use the 0x + 64 hex id shown on the bot's page in the Forta App`);
  if (typeof o.chainId !== "number" || !Number.isInteger(o.chainId) || o.chainId <= 0) problems.push("forta.chainId: must be a positive integer chain id (1 for Ethereum mainnet)");
  if (!env.FORTA_API_KEY) problems.push("FORTA_API_KEY: unset; create an API key in the Forta App (My API Keys) and export it");
  return problems;
}

/** Options for a poller from the environment: the key from FORTA_API_KEY, or a ConfigError naming the problem. */
export function fortaApiKeyFromEnv(env: NodeJS.ProcessEnv): string {
  const key = env.FORTA_API_KEY;
  if (!key) throw new ConfigError("FORTA_API_KEY", undefined, "create an API key in the Forta App (My API Keys) and export FORTA_API_KEY");
  registerSecret(key);
  return key;
}

interface Page {
  alerts: FortaAlert[];
  hasNextPage: boolean;
  endCursor?: FortaCursor;
}

export interface PollResult {
  pages: number;
  findings: number;
  cursor: string | undefined;
}

export class FortaPoller {
  readonly name: string;
  private readonly url: string;
  private readonly said = new Set<string>();

  constructor(private readonly o: FortaPollerOptions) {
    this.name = o.name ?? cursorNameOf(o.chainId, o.bots);
    this.url = o.url ?? FORTA_GRAPHQL_URL;
    registerSecret(o.apiKey);
  }

  private log(level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>): void {
    if (this.o.log) this.o.log(level, msg, fields);
    else logger()[level](fields ?? {}, msg);
  }

  /** Say once that the API answers out of spec (not once per alert). */
  private outOfSpec(problem: string): void {
    if (this.said.has(problem)) return;
    this.said.add(problem);
    this.log("warn", `Forta API answered out of spec: ${problem}`);
  }

  private async query(after: FortaCursor | undefined): Promise<Page> {
    const input: Record<string, unknown> = {
      bots: this.o.bots,
      chainId: this.o.chainId,
      first: this.o.pageSize ?? 100,
      blockSortDirection: "asc",
    };
    if (after) input.after = after;
    else input.createdSince = this.o.lookbackMs ?? 60 * 60_000;
    const mask = (s: string) => maskSecrets(s, [this.o.apiKey]);
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${this.o.apiKey}` },
        body: JSON.stringify({ operationName: "VigilAlerts", query: ALERTS_QUERY, variables: { input } }),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      throw new FortaApiError(`cannot reach the Forta API at ${maskUrl(this.url)}: ${mask(e.cause?.code ?? e.message)}`, true);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new FortaApiError(`the Forta API's answer broke off (HTTP ${res.status})`, true, undefined, res.status);
    }
    const snippet = mask(text.replace(/\s+/g, " ").slice(0, 300));
    if (res.status === 429 || res.status === 408 || res.status >= 500) {
      throw new FortaApiError(`the Forta API answered HTTP ${res.status}${res.status === 429 ? " (rate limited)" : ""}: ${snippet}`, true, parseRetryAfter(res.headers.get("retry-after")), res.status);
    }
    if (res.status === 401 || res.status === 403) {
      throw new FortaApiError(`the Forta API refused the API key (HTTP ${res.status}): ${snippet}; check FORTA_API_KEY and that the plan covers these bots`, false, undefined, res.status);
    }
    let body: { data?: { alerts?: { alerts?: unknown; pageInfo?: { hasNextPage?: unknown; endCursor?: { alertId?: unknown; blockNumber?: unknown } | null } } | null } | null; errors?: { message?: string }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new FortaApiError(`the Forta API answered HTTP ${res.status} with a body that is not JSON: ${snippet}`, res.status >= 200 && res.status < 300, undefined, res.status);
    }
    if (body.errors?.length) {
      const msg = mask(body.errors.map((e) => e.message ?? JSON.stringify(e)).join("; ").slice(0, 300));
      const auth = /unauth|forbidden|api key|not authorized|access/i.test(msg);
      throw new FortaApiError(`the Forta API answered with errors: ${msg}${auth ? "; check FORTA_API_KEY and that the plan covers these bots" : ""}`, !auth, undefined, res.status);
    }
    if (res.status < 200 || res.status >= 300) throw new FortaApiError(`the Forta API answered HTTP ${res.status}: ${snippet}`, false, undefined, res.status);
    const conn = body.data?.alerts;
    if (!conn || !Array.isArray(conn.alerts)) throw new FortaApiError(`the Forta API's answer lacks data.alerts.alerts: ${snippet}`, true, undefined, res.status);
    const pi = conn.pageInfo ?? {};
    let endCursor: FortaCursor | undefined;
    const ec = pi.endCursor;
    if (ec && typeof ec.alertId === "string" && ec.alertId !== "" && (typeof ec.blockNumber === "number" || typeof ec.blockNumber === "string")) {
      endCursor = { alertId: ec.alertId, blockNumber: ec.blockNumber };
    }
    const hasNextPage = pi.hasNextPage === true;
    if (hasNextPage && !endCursor) throw new FortaApiError("the Forta API said hasNextPage but gave no endCursor; cannot page on", true, undefined, res.status);
    if (conn.alerts.length > 0 && !endCursor) throw new FortaApiError("the Forta API returned alerts without a pageInfo.endCursor; the poller cannot record its place", true, undefined, res.status);
    return { alerts: conn.alerts as FortaAlert[], hasNextPage, endCursor };
  }

  /**
   * Fetch every page after the stored cursor: for each, submit its findings, then store the
   * page's endCursor. Returns when caught up; throws FortaApiError (the cursor stays on the last
   * page submitted) or the submit's own error.
   */
  async pollOnce(): Promise<PollResult> {
    let stored = await this.o.cursors.getCursor(this.name);
    let after = decodeCursor(stored);
    let pages = 0;
    let findings = 0;
    const fallbackBot = this.o.bots.length === 1 ? this.o.bots[0] : undefined;
    for (;;) {
      const page = await this.query(after);
      pages++;
      const problems: string[] = [];
      const batch = page.alerts.map((a) => alertToFinding(a, { chainId: this.o.chainId, bot: fallbackBot }, problems));
      for (const p of problems) this.outOfSpec(p);
      if (batch.length) await this.o.submit(batch, { cursorName: this.name, cursor: page.endCursor ? encodeCursor(page.endCursor) : stored });
      findings += batch.length;
      if (page.endCursor) {
        const next = encodeCursor(page.endCursor);
        if (next !== stored) {
          await this.o.cursors.setCursor(this.name, next);
          stored = next;
        }
        after = page.endCursor;
      }
      if (!page.hasNextPage) return { pages, findings, cursor: stored };
    }
  }

  /**
   * Poll until `signal` aborts: after catching up wait `intervalMs`; after a failure back off
   * (full jitter, at least the Retry-After; refusals that need a person wait the longest backoff).
   */
  async run(signal: AbortSignal): Promise<void> {
    const sleep = this.o.sleep ?? abortableSleep;
    const policy = this.o.retry ?? FORTA_RETRY;
    const random = this.o.random ?? Math.random;
    let failures = 0;
    while (!signal.aborted) {
      let wait: number;
      try {
        const r = await this.pollOnce();
        if (failures > 0) this.log("info", "Forta API reachable again", { poller: this.name });
        failures = 0;
        if (r.findings) this.log("info", "Forta alerts taken in", { poller: this.name, findings: r.findings, pages: r.pages });
        wait = this.o.intervalMs ?? 60_000;
      } catch (err) {
        failures++;
        const e = err as Partial<FortaApiError> & Error;
        const retryable = e instanceof FortaApiError ? e.retryable : true; // a failed submit: try again later
        wait = retryable ? retryDelayMs(failures, policy, e.retryAfterMs, random) : Math.max(policy.maxDelayMs, e.retryAfterMs ?? 0);
        this.log(retryable ? "warn" : "error", `Forta poll failed: ${maskSecrets(e.message, [this.o.apiKey])}; next try in ${Math.ceil(wait / 1000)} s`, { poller: this.name, failures });
      }
      if (signal.aborted) break;
      await sleep(wait, signal);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Start polling in the background with the key from FORTA_API_KEY (ConfigError naming the
 * problem if the configuration is bad). `stop()` ends the loop and resolves when it has.
 */
export function startFortaPoller(
  o: Omit<FortaPollerOptions, "apiKey">,
  env: NodeJS.ProcessEnv = process.env,
): { poller: FortaPoller; stop(): Promise<void> } {
  const problems = fortaConfigProblems(o, env);
  if (problems.length) throw new VigilError("FORTA_CONFIG", `the Forta poller is misconfigured:\n${problems.join("\n")}`);
  const poller = new FortaPoller({ ...o, apiKey: fortaApiKeyFromEnv(env) });
  const ac = new AbortController();
  const done = poller.run(ac.signal);
  return {
    poller,
    async stop() {
      ac.abort();
      await done;
    },
  };
}
