/**
 * Retry policy and backoff: the delivery worker (routing/) and the Forta poller (intake/) retry
 * the same way (exponential backoff with full jitter, a provider's Retry-After honoured up to a
 * cap), so the arithmetic lives here, in the vocabulary both stages read.
 */

export interface RetryPolicy {
  /** attempts in all (the first send included) before a message goes to the dead-letter list */
  maxAttempts: number;
  /** the backoff ceiling of the first retry; doubles with each attempt */
  baseDelayMs: number;
  /** no backoff is longer than this */
  maxDelayMs: number;
  /** a provider's Retry-After is honoured up to this (a broken or hostile "wait a year" is capped) */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 2_000,
  maxDelayMs: 10 * 60_000,
  maxRetryAfterMs: 60 * 60_000,
};

/**
 * The delay before retry number `attempt` (1 = the first retry): exponential backoff with full
 * jitter, `random() * min(maxDelay, base * 2^(attempt-1))`, but never sooner than the provider's
 * Retry-After (capped at maxRetryAfterMs).
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, Math.min(attempt - 1, 52)));
  const jittered = Math.floor(random() * ceiling);
  const asked = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs) : 0;
  return Math.max(jittered, Math.ceil(asked));
}
