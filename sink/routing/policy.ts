/**
 * The delivery worker's decisions as pure functions: time is always an argument (ms since the
 * epoch), randomness is injectable (seeded in tests), nothing here sleeps, schedules or stores.
 *
 *   after a failed send  -> afterFailure(...)      retry at a time, or dead-letter
 *   before a send        -> cooldown(...)          send now, or hold until the cooldown ends
 *                        -> takeToken(...)         the channel's rate limit (token bucket)
 *   low priorities       -> isDigested(...) + planDigest(...)   batch into one message
 */
import type { ChannelKind } from "../model/channel";
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from "../config/retry";
import type { IncidentPriority, NotificationEvent } from "../model/notification";

// ---------------------------------------------------------------- randomness

/** A deterministic random source in [0, 1) from a 32-bit seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- retries and the dead-letter list

export { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from "../config/retry";

/** When to try again after the `attempt`-th retry's failure: now + retryDelayMs. */
export function nextAttemptAt(now: number, attempt: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  return now + retryDelayMs(attempt, policy, retryAfterMs, random);
}

export type FailureDecision =
  | { action: "retry"; at: number; attempts: number }
  | { action: "dead-letter"; attempts: number; reason: string };

/**
 * After a failed send: `attemptsSoFar` counts the sends made, this one included. A final error
 * (the provider refused the message for good) goes to the dead-letter list at once; a retryable
 * one is retried until `maxAttempts` sends were made.
 */
export function afterFailure(
  failure: { retryable: boolean; retryAfterMs?: number; message: string },
  attemptsSoFar: number,
  now: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): FailureDecision {
  if (!failure.retryable) return { action: "dead-letter", attempts: attemptsSoFar, reason: `refused for good: ${failure.message}` };
  if (attemptsSoFar >= policy.maxAttempts) return { action: "dead-letter", attempts: attemptsSoFar, reason: `gave up after ${attemptsSoFar} attempts; last error: ${failure.message}` };
  return { action: "retry", at: nextAttemptAt(now, attemptsSoFar, policy, failure.retryAfterMs, random), attempts: attemptsSoFar };
}

/** The dead-letter decision alone: true when the message should go to the dead-letter list. */
export function shouldDeadLetter(retryable: boolean, attemptsSoFar: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  return !retryable || attemptsSoFar >= policy.maxAttempts;
}

// ---------------------------------------------------------------- cooldown per (incident, channel)

const URGENCY: Record<IncidentPriority, number> = { P0: 0, P1: 1, P2: 2 };

/** True when `a` is more urgent than `b` (P0 beats P1 beats P2). */
export function moreUrgent(a: IncidentPriority, b: IncidentPriority): boolean {
  return URGENCY[a] < URGENCY[b];
}

/** What the (incident, channel) pair was last told. */
export interface LastSent {
  at: number;
  event: NotificationEvent;
  priority: IncidentPriority;
}

export type CooldownDecision = { send: true } | { send: false; until: number; reason: string };

/**
 * Cooldown per (incident, channel): a state change people must know (opened, acknowledged,
 * resolved, retracted) always goes; so does an escalation or requalification to a more urgent
 * priority than the channel last saw. Other repeats (an escalation that did not raise the
 * priority, a reopen, a requalification) within `cooldownMs` of the last message are held until
 * the cooldown ends: the worker sends the latest state then (or drops it if a later message
 * superseded it).
 */
export function cooldown(event: NotificationEvent, priority: IncidentPriority, last: LastSent | undefined, now: number, cooldownMs: number): CooldownDecision {
  if (!last || cooldownMs <= 0) return { send: true };
  if (event === "opened" || event === "acknowledged" || event === "resolved" || event === "retracted" || event === "digest") return { send: true };
  if ((event === "escalated" || event === "requalified") && moreUrgent(priority, last.priority)) return { send: true };
  const until = last.at + cooldownMs;
  if (now >= until) return { send: true };
  return { send: false, until, reason: `cooldown: this channel was told of this incident (${last.event}) ${Math.round((now - last.at) / 1000)} s ago` };
}

// ---------------------------------------------------------------- rate limit per channel

export interface RateLimit {
  /** sustained messages per minute */
  perMinute: number;
  /** how many may go at once after a quiet spell */
  burst: number;
}

/** Providers' documented paces (reference/alerting.md): Slack ~1/s, Telegram ~1/s per chat and 20/min per group, PagerDuty ~120/min per key. */
export const DEFAULT_RATE_LIMITS: Record<ChannelKind, RateLimit> = {
  pagerduty: { perMinute: 100, burst: 10 },
  slack: { perMinute: 50, burst: 3 },
  discord: { perMinute: 25, burst: 5 },
  telegram: { perMinute: 18, burst: 3 },
  email: { perMinute: 30, burst: 5 },
  webhook: { perMinute: 300, burst: 30 },
  console: { perMinute: 6000, burst: 1000 },
  file: { perMinute: 6000, burst: 1000 },
};

/** A token bucket's state: plain JSON, storable. */
export interface Bucket {
  tokens: number;
  at: number;
}

export type TokenDecision = { ok: true; bucket: Bucket } | { ok: false; bucket: Bucket; retryAt: number };

/**
 * Take one token from a channel's bucket at time `now`: refills at perMinute/60000 per ms up to
 * `burst`. A new bucket starts full. A clock that went backwards refills nothing.
 */
export function takeToken(bucket: Bucket | undefined, now: number, limit: RateLimit): TokenDecision {
  const rate = limit.perMinute / 60_000;
  const start = bucket ?? { tokens: limit.burst, at: now };
  const elapsed = Math.max(0, now - start.at);
  const tokens = Math.min(limit.burst, start.tokens + elapsed * rate);
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, at: Math.max(now, start.at) } };
  const wait = rate > 0 ? Math.ceil((1 - tokens) / rate) : Number.POSITIVE_INFINITY;
  return { ok: false, bucket: { tokens, at: Math.max(now, start.at) }, retryAt: Math.max(now, start.at) + wait };
}

// ---------------------------------------------------------------- digests for low priorities

export interface DigestPolicy {
  /** priorities batched into digests instead of sent one by one (default: P2) */
  priorities: readonly IncidentPriority[];
  /** events that are never batched, whatever the priority */
  immediateEvents: readonly NotificationEvent[];
  /** the longest an entry waits */
  intervalMs: number;
  /** a digest goes out at once when this many entries wait */
  maxItems: number;
}

export const DEFAULT_DIGEST_POLICY: DigestPolicy = { priorities: ["P2"], immediateEvents: [], intervalMs: 30 * 60_000, maxItems: 50 };

/** Does this (priority, event) go into a digest rather than its own message? */
export function isDigested(priority: IncidentPriority, event: NotificationEvent, policy: DigestPolicy = DEFAULT_DIGEST_POLICY): boolean {
  if (event === "digest") return false;
  if (policy.immediateEvents.includes(event)) return false;
  return policy.priorities.includes(priority);
}

export interface PendingDigestEntry {
  /** the outbox row (or whatever the worker keys entries by) */
  id: string;
  /** when it was queued for the digest */
  at: number;
}

export interface DigestPlan {
  /** batches to send now, each one digest message, oldest entries first */
  batches: string[][];
  /** when to look again (the oldest remaining entry's deadline), undefined when nothing waits */
  nextCheckAt: number | undefined;
}

/**
 * Which waiting entries of one channel go out now: everything once the oldest has waited
 * `intervalMs`, or full batches of `maxItems` as soon as there are that many.
 */
export function planDigest(pending: readonly PendingDigestEntry[], now: number, policy: DigestPolicy = DEFAULT_DIGEST_POLICY): DigestPlan {
  const sorted = [...pending].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (sorted.length === 0) return { batches: [], nextCheckAt: undefined };
  const max = Math.max(1, policy.maxItems);
  const due = now - sorted[0]!.at >= policy.intervalMs;
  const batches: string[][] = [];
  let rest = sorted;
  if (due) {
    for (let i = 0; i < sorted.length; i += max) batches.push(sorted.slice(i, i + max).map((e) => e.id));
    rest = [];
  } else {
    while (rest.length >= max) {
      batches.push(rest.slice(0, max).map((e) => e.id));
      rest = rest.slice(max);
    }
  }
  return { batches, nextCheckAt: rest.length ? rest[0]!.at + policy.intervalMs : undefined };
}
