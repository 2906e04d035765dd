/**
 * Transports move batches of JSON-RPC calls. HttpTransport: per-request timeout, retries with
 * backoff on errors and rate limits, fallback across several URLs, JSON-RPC batches (split to
 * a maximum size, and sent one by one to a node that refuses batches), and the plain eth_calls
 * of a batch at one block folded into one eth_call (fold.ts; RPC_FOLD_READS=off turns it off).
 */
import { httpRequest } from "../net/http";
import { DEFAULT_RETRY, Endpoints, RetryPolicy, TransientError, withFallback } from "../net/retry";
import { endpointLabel, metrics } from "../metrics";
import { registerSecret } from "../net/secrets";
import { logger } from "../log";
import { ConfigError } from "../errors";
import { JsonRpcErrorObject, RpcAnswerError, isTransientRpcError } from "./errors";
import { FoldState, planFold } from "./fold";
import type { RpcCall, RpcOutcome } from "./call";

export type { RpcCall, RpcOutcome } from "./call";

export interface RpcTransport {
  /** answers in the order of `calls`; throws only when the transport itself failed */
  send(calls: readonly RpcCall[]): Promise<RpcOutcome[]>;
  describe(): string;
}

export interface HttpTransportOptions {
  urls: readonly string[];
  timeoutMs?: number;
  retry?: RetryPolicy;
  maxBatch?: number;
  /** fold a batch's plain eth_calls at one block into one (default: on unless RPC_FOLD_READS=off) */
  foldReads?: boolean;
}

let nextId = 1;

export class HttpTransport implements RpcTransport {
  private readonly endpoints: Endpoints;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly maxBatch: number;
  /** endpoints seen refusing batches */
  private readonly noBatch = new Set<string>();
  /** counters for benchmarks and metrics */
  readonly stats = { httpRequests: 0, calls: 0, retries: 0 };
  readonly fold: FoldState;

  constructor(opts: HttpTransportOptions) {
    for (const u of opts.urls) registerSecret(u);
    this.endpoints = new Endpoints(opts.urls);
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.maxBatch = opts.maxBatch ?? 100;
    this.fold = new FoldState(opts.foldReads ?? foldReadsFromEnv(process.env.RPC_FOLD_READS));
  }

  describe(): string {
    return this.endpoints.describe();
  }

  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    const plan = this.fold.on ? planFold(calls) : undefined;
    if (!plan) return this.sendPlain(calls);
    const { answers, failedFold } = plan.unfold(await this.sendPlain(plan.sent));
    const again = answers.flatMap((a, i) => (a ? [] : [i]));
    if (again.length > 0) {
      const second = await this.sendPlain(again.map((i) => calls[i]!));
      again.forEach((i, k) => (answers[i] = second[k]));
    }
    const line = this.fold.settled(plan, failedFold, again.length);
    if (line) logger().warn({ endpoints: this.describe() }, line);
    return answers as RpcOutcome[];
  }

  private async sendPlain(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    const out: RpcOutcome[] = new Array(calls.length);
    const chunks: number[][] = [];
    for (let i = 0; i < calls.length; i += this.maxBatch) {
      chunks.push([...Array(Math.min(this.maxBatch, calls.length - i)).keys()].map((k) => i + k));
    }
    await Promise.all(chunks.map((idx) => this.sendChunk(calls, idx, out)));
    return out;
  }

  private async sendChunk(calls: readonly RpcCall[], indices: number[], out: RpcOutcome[]): Promise<void> {
    let pending = indices;
    const what = pending.length === 1 ? calls[pending[0]!]!.method : `batch of ${pending.length} JSON-RPC calls`;
    await withFallback(
      this.endpoints,
      what,
      this.retry,
      async (url) => {
        const answers = await this.post(url, pending.map((i) => calls[i]!));
        const again: number[] = [];
        answers.forEach((a, k) => {
          const i = pending[k]!;
          if (!a.ok && isTransientRpcError(a.error)) again.push(i);
          else out[i] = a;
        });
        if (again.length > 0) {
          pending = again;
          const first = answers.find((a) => !a.ok && isTransientRpcError(a.error)) as { error: JsonRpcErrorObject };
          throw new TransientError(`node answered ${again.length} call(s) with a transient error: ${first.error.message}`);
        }
      },
      ({ error, delayMs, url }) => {
        this.stats.retries++;
        metrics.rpcRetries.inc({ method: pending.length === 1 ? calls[pending[0]!]!.method : "batch", endpoint: endpointLabel(url) });
        logger().warn({ err: (error as Error).message, delayMs, endpoints: this.describe() }, "JSON-RPC retry");
      },
    );
  }

  private async post(url: string, calls: RpcCall[]): Promise<RpcOutcome[]> {
    if (calls.length === 1 || this.noBatch.has(url)) {
      const answers: RpcOutcome[] = [];
      for (const c of calls) answers.push((await this.postBody(url, [c], false))[0]!);
      return answers;
    }
    return this.postBody(url, calls, true);
  }

  private async postBody(url: string, calls: RpcCall[], asBatch: boolean): Promise<RpcOutcome[]> {
    const reqs = calls.map((c) => ({ jsonrpc: "2.0", id: nextId++, method: c.method, params: c.params }));
    this.stats.httpRequests++;
    this.stats.calls += calls.length;
    const endpoint = endpointLabel(url);
    for (const c of calls) metrics.rpcRequests.inc({ method: c.method, endpoint });
    const outcomes = await this.exchange(url, reqs, asBatch, calls).catch((err: unknown) => {
      for (const c of calls) metrics.rpcErrors.inc({ method: c.method, endpoint });
      throw err;
    });
    outcomes.forEach((o, i) => {
      if (!o.ok) metrics.rpcErrors.inc({ method: calls[i]!.method, endpoint });
    });
    return outcomes;
  }

  private async exchange(url: string, reqs: { id: number; method: string }[], asBatch: boolean, calls: RpcCall[]): Promise<RpcOutcome[]> {
    const res = await httpRequest({ url, body: JSON.stringify(asBatch ? reqs : reqs[0]), timeoutMs: this.timeoutMs });
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new TransientError(`node answered ${calls[0]!.method} with something that is not JSON: ${res.text.slice(0, 120)}`);
    }
    if (asBatch && !Array.isArray(body)) {
      // Nodes that refuse batches answer with one error object: send one by one from now on.
      this.noBatch.add(url);
      return this.post(url, calls);
    }
    const list = (asBatch ? body : [body]) as unknown[];
    const byId = new Map<number, Record<string, unknown>>();
    for (const item of list) {
      if (item && typeof item === "object" && "id" in item) byId.set(Number((item as { id: unknown }).id), item as Record<string, unknown>);
    }
    return reqs.map((r) => {
      const item = byId.get(r.id);
      if (!item) throw new TransientError(`node's answer lacks the reply to ${r.method} (id ${r.id})`);
      if (item.error && typeof item.error === "object") {
        const e = item.error as JsonRpcErrorObject;
        return { ok: false as const, error: { code: Number(e.code), message: String(e.message ?? ""), data: e.data } };
      }
      if (!("result" in item)) throw new RpcAnswerError(r.method, "reply has neither result nor error");
      return { ok: true as const, result: item.result };
    });
  }
}

/** RPC_FOLD_READS: on (the default) or off, as the configuration's other switches are written. */
export function foldReadsFromEnv(raw: string | undefined): boolean {
  if (raw === undefined || raw.trim() === "" || /^(1|true|yes|on)$/i.test(raw.trim())) return true;
  if (/^(0|false|no|off)$/i.test(raw.trim())) return false;
  throw new ConfigError("RPC_FOLD_READS", raw, "expected on or off (off sends every eth_call on its own)");
}
