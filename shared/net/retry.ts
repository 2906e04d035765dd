/**
 * Retry with exponential backoff and full jitter, honouring a server's Retry-After, and
 * fallback across several endpoints: a failing endpoint hands over to the next one at once;
 * only after every endpoint failed in a round does the caller wait.
 */
import { VigilError, errorMessage } from "../errors";
import { maskUrl } from "./secrets";

export interface RetryPolicy {
  /** rounds after the first one; each round tries every endpoint once */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 250, maxDelayMs: 8_000 };

/** An error that a later attempt (or another endpoint) may not see. */
export class TransientError extends VigilError<"TRANSIENT"> {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super("TRANSIENT", message, options);
  }
}

export class AllEndpointsFailedError extends VigilError<"ALL_ENDPOINTS_FAILED"> {
  /**
   * Each endpoint's last error, in the order of the endpoints (one per endpoint tried). The last
   * error alone says little with several endpoints: one down and another answering "no such
   * state" end a round with whichever was asked last.
   */
  readonly errors: readonly unknown[];
  constructor(
    readonly what: string,
    readonly attempts: number,
    readonly lastError: unknown,
    errors?: readonly unknown[],
  ) {
    super(
      "ALL_ENDPOINTS_FAILED",
      `${what} failed after ${attempts} attempts on every configured endpoint; last error: ${errorMessage(lastError)}. ` +
        `Check that the node(s) are reachable and not rate-limiting, or add another URL.`,
      { cause: lastError },
    );
    this.errors = errors ?? [lastError];
  }
}

export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt));
  const jittered = Math.floor(random() * exp);
  return Math.max(jittered, retryAfterMs ?? 0);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A set of interchangeable endpoints with a sticky preferred one: the one that answered last.
 * Each call goes round the list starting from it; calls in flight at the same time keep their
 * own place in the round, so they cannot bounce each other back onto a dead endpoint.
 */
export class Endpoints {
  private preferred = 0;
  constructor(readonly urls: readonly string[]) {
    if (urls.length === 0) throw new VigilError("NO_ENDPOINTS", "no endpoint URL configured");
  }
  /** the endpoint that answered last (where new calls start) */
  get url(): string {
    return this.urls[this.preferred]!;
  }
  get index(): number {
    return this.preferred;
  }
  /** remember the endpoint that just answered */
  succeeded(index: number): void {
    this.preferred = index;
  }
  describe(): string {
    return this.urls.map(maskUrl).join(", ");
  }
}

/**
 * Run `attempt(url)` starting on the preferred endpoint; on a TransientError try the next
 * endpoint at once, and after a full round of failures wait with backoff (at least the longest
 * Retry-After asked for in the round). Every endpoint is tried in every round, and `retries` counts
 * rounds: (retries + 1) x endpoints attempts at most. Any other error is thrown at once.
 */
export async function withFallback<T>(
  endpoints: Endpoints,
  what: string,
  policy: RetryPolicy,
  attempt: (url: string) => Promise<T>,
  onRetry?: (info: { url: string; error: unknown; attempt: number; delayMs: number }) => void,
): Promise<T> {
  let lastError: unknown;
  const errors = new Map<number, unknown>(); // each endpoint's last error
  let index = endpoints.index;
  const n = endpoints.urls.length;
  const total = (policy.retries + 1) * n;
  let retryAfterMs: number | undefined; // the longest any endpoint asked for in this round
  for (let i = 0; i < total; i++) {
    const url = endpoints.urls[index]!;
    try {
      const result = await attempt(url);
      endpoints.succeeded(index);
      return result;
    } catch (err) {
      if (!(err instanceof TransientError)) throw err;
      lastError = err;
      errors.set(index, err);
      index = (index + 1) % n;
      if (err.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, err.retryAfterMs);
      const endOfRound = (i + 1) % n === 0;
      const delayMs = endOfRound ? backoffDelay((i + 1) / n - 1, policy, retryAfterMs) : 0;
      if (endOfRound) retryAfterMs = undefined;
      if (i + 1 < total) {
        onRetry?.({ url, error: err, attempt: i + 1, delayMs });
        if (delayMs > 0) await sleep(delayMs);
      }
    }
  }
  const each = [...errors.keys()].sort((a, b) => a - b).map((k) => errors.get(k));
  throw new AllEndpointsFailedError(what, total, lastError, each);
}
