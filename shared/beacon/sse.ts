/**
 * A Server-Sent Events client for a beacon node's event stream (GET /eth/v1/events?topics=...).
 *
 * - One stream per node; events are delivered in order, one at a time (the next waits for the
 *   handler's promise), so a bot sees a node's events in the order the node sent them.
 * - Reconnects after any failure (refused, reset, stream ended, nothing received for
 *   `idleTimeoutMs`) with exponential backoff and jitter; a successful connection resets it.
 * - A 400 (topics refused) is not retried: it is reported and the stream stops.
 * - URLs are masked in every message.
 */
import { VigilError, errorMessage } from "../errors";
import { withoutCredentials } from "../net/http";
import { backoffDelay, sleep, type RetryPolicy } from "../net/retry";
import { maskUrl, registerSecret } from "../net/secrets";
import { parseBeaconEvent, type BeaconEvent, type BeaconEventTopic } from "./events";

export interface BeaconEventStreamOptions {
  /** base URL of the beacon node (as configured) */
  url: string;
  topics: readonly BeaconEventTopic[];
  onEvent(event: BeaconEvent): void | Promise<void>;
  /** a connection failed or an event could not be parsed/handled; the stream carries on */
  onError?(error: unknown, info: { reconnectInMs?: number }): void;
  /** called on each successful (re)connection */
  onConnect?(): void;
  /** backoff between reconnections; default 500 ms doubling to 30 s */
  backoff?: Omit<RetryPolicy, "retries">;
  /** reconnect when nothing (not even a comment) arrives for this long; default 60 s */
  idleTimeoutMs?: number;
}

export class SseTopicsRejectedError extends VigilError<"SSE_TOPICS_REJECTED"> {
  constructor(url: string, body: string) {
    super("SSE_TOPICS_REJECTED", `beacon node ${maskUrl(url)} refused the event topics: ${body.slice(0, 200)}. Ask only for topics it supports.`);
  }
}

/** Parses the SSE wire format incrementally (https://html.spec.whatwg.org/#event-stream-interpretation). */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];

  /** Feed text; returns the complete messages it finished. */
  push(text: string): { event: string; data: string }[] {
    this.buffer += text;
    const out: { event: string; data: string }[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const sepLen = this.buffer.startsWith("\r\n", nl) ? 2 : 1;
      // A lone \r at the end of the buffer may be the first half of \r\n: wait for more.
      if (this.buffer[nl] === "\r" && sepLen === 1 && nl === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(nl + sepLen);
      if (line === "") {
        if (this.data.length) out.push({ event: this.event || "message", data: this.data.join("\n") });
        this.event = "";
        this.data = [];
        continue;
      }
      if (line.startsWith(":")) continue; // comment / keep-alive
      const colon = line.indexOf(":");
      const name = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (name === "event") this.event = value;
      else if (name === "data") this.data.push(value);
      // id and retry: beacon nodes do not resume streams; ignored.
    }
    return out;
  }
}

export class BeaconEventStream {
  private abort: AbortController | undefined;
  private closed = false;
  private loop: Promise<void> | undefined;
  /** counters for tests and metrics */
  readonly stats = { connections: 0, events: 0, errors: 0 };

  constructor(private readonly opts: BeaconEventStreamOptions) {
    registerSecret(opts.url);
    if (opts.topics.length === 0) throw new VigilError("SSE_NO_TOPICS", "beacon event stream: no topics to subscribe to");
  }

  /** Start streaming (idempotent). */
  start(): this {
    this.loop ??= this.run();
    return this;
  }

  /** Stop and wait until the connection is closed and no handler is running. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const backoff = { retries: 0, baseDelayMs: 500, maxDelayMs: 30_000, ...this.opts.backoff };
    let attempt = 0;
    while (!this.closed) {
      try {
        await this.connectOnce(() => (attempt = 0));
        if (this.closed) return;
        throw new Error("the event stream ended");
      } catch (err) {
        if (this.closed) return;
        if (err instanceof SseTopicsRejectedError) {
          this.stats.errors++;
          this.opts.onError?.(err, {});
          return;
        }
        const delay = backoffDelay(attempt++, backoff);
        this.stats.errors++;
        this.opts.onError?.(new VigilError("SSE_DISCONNECTED", `event stream from ${maskUrl(this.opts.url)}: ${errorMessage(err)}`, { cause: err }), {
          reconnectInMs: delay,
        });
        await this.sleepUnlessClosed(delay);
      }
    }
  }

  private async sleepUnlessClosed(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!this.closed && Date.now() < end) await sleep(Math.min(100, end - Date.now()));
  }

  private async connectOnce(onConnected: () => void): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    // fetch refuses credentials in a URL: they travel as a basic-auth header
    const target = withoutCredentials(`${this.opts.url.replace(/\/+$/, "")}/eth/v1/events?topics=${this.opts.topics.join(",")}`);
    const idleMs = this.opts.idleTimeoutMs ?? 60_000;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error(`nothing received for ${idleMs} ms`)), idleMs);
    };
    try {
      armIdle();
      const res = await fetch(target.url, { headers: { ...target.headers, accept: "text/event-stream" }, signal: abort.signal });
      if (res.status === 400) throw new SseTopicsRejectedError(this.opts.url, await res.text());
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      this.stats.connections++;
      onConnected();
      this.opts.onConnect?.();
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        armIdle();
        for (const msg of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (this.closed) return;
          await this.deliver(msg.event, msg.data);
        }
      }
    } catch (err) {
      if (abort.signal.aborted && abort.signal.reason instanceof Error && !this.closed) throw abort.signal.reason;
      throw err;
    } finally {
      clearTimeout(idle);
      abort.abort();
    }
  }

  private async deliver(topic: string, data: string): Promise<void> {
    let event: BeaconEvent | undefined;
    try {
      event = parseBeaconEvent(topic, data, this.opts.url);
    } catch (err) {
      this.stats.errors++;
      this.opts.onError?.(err, {});
      return;
    }
    if (!event) return;
    this.stats.events++;
    try {
      await this.opts.onEvent(event);
    } catch (err) {
      this.stats.errors++;
      this.opts.onError?.(err, {});
    }
  }
}
