/**
 * The runtime's findings to a standalone alert sink (`vigil sink serve`) over HTTP: a FindingSink
 * posting to the sink's intake, `POST <url>/v1/findings` with `Authorization: Bearer <token>`
 * (the token from VIGIL_SINK_TOKEN, one of the sink's SINK_TOKENS; never on the command line,
 * never logged).
 *
 * It is one more FindingSink of the runtime's one outbox pump (delivery.ts), not a ledger of its
 * own: the runtime's `sink_cursor` moves past a batch only after `deliver` returned, which it
 * does only once the sink acknowledged every finding of it (2xx, "stored" or "duplicate"). A
 * runtime or sink killed between the sink's commit and the cursor's advance re-posts the batch,
 * and the intake, idempotent by uniqueKey, acknowledges it as duplicates: at-least-once delivery,
 * exactly-once storage in the sink.
 *
 * - Batches: at most `maxFindings` findings and `maxBytes` bytes per request (under the intake's
 *   body limit, 1 MiB by default); a 413 halves the batch size for the rest of the run.
 * - Transient failures (connection refused or dropped, timeouts, 5xx, 429 with Retry-After, an
 *   answer that is not the intake's): a few quick retries with exponential backoff and jitter
 *   inside one delivery; then the sink rests (backoff doubling up to `maxRestMs`, at least what
 *   Retry-After asked) and deliveries until then fail at once without a request, so the runtime
 *   goes on committing blocks (its store is the outbox) and delivers the backlog when the sink is
 *   back. The last delivery at close (`final`) ignores the rest and retries for up to `drainMs`.
 * - The sink refusing the runtime (401/403 token, 404 wrong URL, other 4xx that are not about a
 *   finding): like a transient failure, with an error saying what to fix; nothing is skipped.
 * - A finding the sink refuses for good (400 naming the field, 413 for a single finding, 422):
 *   the batch is split until that finding stands alone; it is skipped, reported as an error line
 *   (bot, alert, uniqueKey, the sink's reason) and counted (vigil_sink_http_refused_total). It
 *   stays in the runtime's state file and on the runtime's other sinks (stdout, --out), so it is
 *   not lost; one bad finding never holds back the findings (maybe a P0) behind it. When the sink
 *   refuses every finding of a batch of several, it is not the findings' fault (runtime and sink
 *   disagree): nothing is skipped, delivery waits as for an unavailable sink.
 *
 * Observations (ctx.observe) are not posted: the intake has no route for them.
 */
import { Counter } from "prom-client";
import { VigilError, errorMessage } from "../errors";
import type { Logger } from "../log";
import { registry } from "../metrics";
import { HttpStatusError, httpRequest } from "../net/http";
import { TransientError, backoffDelay, sleep } from "../net/retry";
import { maskUrl, redact, registerSecret } from "../net/secrets";
import type { FindingSink } from "./sinks";
import type { StoredFinding } from "./store";

/** The sink's name in the runtime's `sink_cursor`: one remote sink, its position kept whatever its URL. */
export const HTTP_SINK_NAME = "vigil-sink-http";

export interface HttpSinkOptions {
  /** the sink's base URL (`http://host:8787`) or its intake (`.../v1/findings`) */
  url: string;
  /** one of the sink's SINK_TOKENS */
  token: string;
  log: Logger;
  /** per request (default 30 s) */
  timeoutMs?: number;
  /** findings per request (default 200) */
  maxFindings?: number;
  /** bytes per request (default 512 KiB: half the intake's default limit) */
  maxBytes?: number;
  /** attempts inside one delivery before the sink rests (default 4) */
  attempts?: number;
  /** first backoff between attempts (default 250 ms); doubles per attempt, up to 8 s */
  baseDelayMs?: number;
  /** first rest after a failed delivery (default 1 s); doubles per failed delivery */
  restBaseMs?: number;
  /** longest rest between deliveries (default 60 s) */
  maxRestMs?: number;
  /** how long the last delivery at close keeps trying (default 20 s, under the 60 s stop grace) */
  drainMs?: number;
}

/** The sink could not be reached or refused the runtime itself (not one finding): delivery waits. */
export class SinkUnavailableError extends VigilError<"SINK_UNAVAILABLE"> {
  constructor(message: string, readonly retryAfterMs?: number) {
    super("SINK_UNAVAILABLE", message);
  }
}

const refusedTotal =
  (registry.getSingleMetric("vigil_sink_http_refused_total") as Counter<"bot"> | undefined) ??
  new Counter({ name: "vigil_sink_http_refused_total", help: "Findings the standalone sink refused for good (skipped; see the error log line)", labelNames: ["bot"] as const, registers: [registry] });

/** The intake's URL from what a user gives: a base URL or the intake itself. Throws a usage-level message. */
export function intakeUrl(given: string): string {
  let u: URL;
  try {
    u = new URL(given);
  } catch {
    throw new VigilError("BAD_CONFIG", `the sink URL ${maskUrl(given)} is not a URL; give the sink's address, e.g. http://127.0.0.1:8787`);
  }
  if (!/^https?:$/.test(u.protocol)) throw new VigilError("BAD_CONFIG", `the sink URL must be http(s)://..., got ${u.protocol}//`);
  if (u.username || u.password) {
    registerSecret(given);
    throw new VigilError("BAD_CONFIG", `the sink URL ${maskUrl(given)} carries credentials; the sink takes a bearer token: put it in VIGIL_SINK_TOKEN and leave the URL without user:password@`);
  }
  const path = u.pathname.replace(/\/+$/, "");
  u.pathname = path.endsWith("/v1/findings") ? path : `${path}/v1/findings`;
  return u.toString();
}

type Refusal = { refused: true; status: number; reason: string };

export class HttpFindingSink implements FindingSink {
  readonly name = HTTP_SINK_NAME;
  readonly url: string;
  /** findings the sink refused for good (skipped, reported) */
  refused = 0;
  private maxFindings: number;
  private failures = 0;
  private restUntil = 0;
  private lastError = "";

  constructor(private readonly o: HttpSinkOptions) {
    if (!o.token) throw new VigilError("BAD_CONFIG", "VIGIL_SINK_TOKEN is empty: export VIGIL_SINK_TOKEN=<one of the sink's SINK_TOKENS> (the runtime sends it as Authorization: Bearer)");
    registerSecret(o.token);
    registerSecret(o.url);
    this.url = intakeUrl(o.url);
    this.maxFindings = o.maxFindings ?? 200;
  }

  /** The sink's address as logs may show it (scheme, host, port). */
  describe(): string {
    return new URL(this.url).origin;
  }

  async deliver(batch: readonly StoredFinding[], opts: { final?: boolean } = {}): Promise<void> {
    if (batch.length === 0) return;
    if (!opts.final && Date.now() < this.restUntil) {
      // resting after failures: no request now, the runtime goes on and asks again with a later block
      throw new SinkUnavailableError(`the sink at ${this.describe()} is unavailable (${this.lastError}); retrying with backoff, findings wait in the runtime's store`);
    }
    const deadline = opts.final ? Date.now() + (this.o.drainMs ?? 20_000) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.post(batch.map(({ seq: _seq, ...f }) => f));
        this.failures = 0;
        this.restUntil = 0;
        return;
      } catch (err) {
        if (!(err instanceof SinkUnavailableError)) throw err;
        this.lastError = err.message;
        const base = this.o.baseDelayMs ?? 250;
        const more = opts.final ? Date.now() < deadline : attempt + 1 < (this.o.attempts ?? 4);
        if (!more) {
          this.failures++;
          // half the rest fixed, half jittered (runtimes restarted together spread out), at least what Retry-After asked
          const exp = Math.min(this.o.maxRestMs ?? 60_000, (this.o.restBaseMs ?? 1_000) * 2 ** (this.failures - 1));
          this.restUntil = Date.now() + Math.max(exp / 2 + Math.random() * (exp / 2), err.retryAfterMs ?? 0);
          throw new SinkUnavailableError(`the sink at ${this.describe()} is unavailable (${err.message}); retrying with backoff, findings wait in the runtime's store`);
        }
        const wait = backoffDelay(attempt, { retries: 0, baseDelayMs: base, maxDelayMs: 8_000 }, err.retryAfterMs);
        await sleep(opts.final ? Math.min(wait, Math.max(0, deadline - Date.now())) : wait);
      }
    }
  }

  /**
   * Post `findings` in requests within the size limits. A refused request is split until the
   * finding at fault stands alone; those are skipped and reported, unless the sink refused every
   * finding of a batch of several (then it is more likely the sink and the runtime disagree, e.g.
   * versions apart, than that every finding is bad: nothing is skipped, delivery waits).
   */
  private async post(findings: readonly Omit<StoredFinding, "seq">[]): Promise<void> {
    const refused: { f: Omit<StoredFinding, "seq">; status: number; reason: string }[] = [];
    await this.postSplitting(findings, refused);
    if (refused.length && refused.length === findings.length && findings.length > 1) {
      throw new SinkUnavailableError(`the sink refused every one of ${findings.length} findings (HTTP ${refused[0]!.status}: ${refused[0]!.reason}); nothing skipped: check that runtime and sink run the same Vigil version`);
    }
    for (const { f, status, reason } of refused) {
      this.refused++;
      refusedTotal.inc({ bot: f.bot });
      this.o.log.error(
        { sink: this.name, url: this.describe(), status, bot: f.bot, alertId: f.finding.alertId, uniqueKey: f.finding.uniqueKey, blockNumber: f.blockNumber, reason },
        "the sink refused a finding for good: skipped (it stays in the runtime's state file and on stdout); fix the bot or the sink's validation",
      );
    }
  }

  private async postSplitting(findings: readonly Omit<StoredFinding, "seq">[], refused: { f: Omit<StoredFinding, "seq">; status: number; reason: string }[]): Promise<void> {
    for (const chunk of this.chunks(findings)) {
      const answer = await this.request(chunk);
      if (answer === undefined) continue;
      if (answer.status === 413 && chunk.length > 1) this.maxFindings = Math.max(1, Math.floor(chunk.length / 2));
      if (chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        await this.postSplitting(chunk.slice(0, half), refused);
        await this.postSplitting(chunk.slice(half), refused);
        continue;
      }
      refused.push({ f: chunk[0]!, status: answer.status, reason: answer.reason });
    }
  }

  private chunks<T>(items: readonly T[]): T[][] {
    const maxBytes = this.o.maxBytes ?? 524_288;
    const out: T[][] = [];
    let cur: T[] = [];
    let bytes = 2;
    for (const it of items) {
      const size = Buffer.byteLength(JSON.stringify(it)) + 1;
      if (cur.length && (cur.length >= this.maxFindings || bytes + size > maxBytes)) {
        out.push(cur);
        cur = [];
        bytes = 2;
      }
      cur.push(it);
      bytes += size;
    }
    if (cur.length) out.push(cur);
    return out;
  }

  /** One request: undefined when acknowledged; a refusal when the sink refuses the findings themselves; throws SinkUnavailableError otherwise. */
  private async request(chunk: readonly unknown[]): Promise<Refusal | undefined> {
    let text: string;
    try {
      const res = await httpRequest({ url: this.url, method: "POST", body: JSON.stringify(chunk), headers: { authorization: `Bearer ${this.o.token}` }, timeoutMs: this.o.timeoutMs ?? 30_000 });
      text = res.text;
    } catch (err) {
      if (err instanceof TransientError) throw new SinkUnavailableError(redact(err.message), err.retryAfterMs);
      if (!(err instanceof HttpStatusError)) throw new SinkUnavailableError(redact(errorMessage(err)));
      const reason = errorOf(err.body);
      if (err.status === 400 || err.status === 413 || err.status === 422) return { refused: true, status: err.status, reason };
      const fix =
        err.status === 401 || err.status === 403
          ? "set VIGIL_SINK_TOKEN to one of the sink's SINK_TOKENS"
          : err.status === 404 || err.status === 405
            ? "check --sink-url: it should be the address `vigil sink serve` prints (listening http://...)"
            : "check that --sink-url points at `vigil sink serve`";
      throw new SinkUnavailableError(`HTTP ${err.status}: ${reason}; ${fix}`);
    }
    // a 2xx that is not the intake's answer (a proxy's page?) is not an acknowledgement
    let answer: { results?: unknown[] };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new SinkUnavailableError(`the answer is not the intake's JSON (${redact(text.slice(0, 80))}); check that --sink-url points at \`vigil sink serve\``);
    }
    if (!Array.isArray(answer?.results) || answer.results.length !== chunk.length) {
      throw new SinkUnavailableError(`the answer acknowledges ${Array.isArray(answer?.results) ? answer.results.length : "no"} of ${chunk.length} findings; check that --sink-url points at \`vigil sink serve\``);
    }
    return undefined;
  }
}

/** The sink's `{error}` message, else the body's start. */
function errorOf(body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: unknown }).error;
    if (typeof e === "string") return redact(e.slice(0, 300));
  } catch {
    /* below */
  }
  return redact(body.slice(0, 200)) || "no reason given";
}
