import {
  afterFailure,
  cooldown,
  DEFAULT_RETRY_POLICY,
  isDigested,
  moreUrgent,
  nextAttemptAt,
  planDigest,
  retryDelayMs,
  seededRandom,
  shouldDeadLetter,
  takeToken,
  type Bucket,
  type RetryPolicy,
} from "./policy";

const T0 = Date.UTC(2026, 11, 6, 8, 0, 0);
const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000, maxRetryAfterMs: 3_600_000 };

describe("retry backoff", () => {
  it("is seeded-deterministic: the same seed gives the same schedule", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(seededRandom(43)()).not.toBe(xs[0]);
  });

  it("uses full jitter under an exponential ceiling that is capped", () => {
    // random() = 0.999..: at the ceiling; 0: zero
    const hi = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((k) => retryDelayMs(k, POLICY, undefined, hi))).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999]);
    expect(retryDelayMs(3, POLICY, undefined, () => 0)).toBe(0);
    // every jittered delay lies in [0, ceiling) whatever the seed
    const r = seededRandom(7);
    for (let k = 1; k <= 30; k++) {
      const d = retryDelayMs(k, POLICY, undefined, r);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(60_000, 1000 * 2 ** (k - 1)));
    }
    // a huge attempt count does not overflow
    expect(Number.isFinite(retryDelayMs(5000, POLICY, undefined, hi))).toBe(true);
  });

  it("never retries before Retry-After, and caps a hostile Retry-After", () => {
    expect(retryDelayMs(1, POLICY, 30_000, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(8, POLICY, 1_000, () => 0.999)).toBe(59_940);
    expect(retryDelayMs(1, POLICY, 365 * 86_400_000, () => 0)).toBe(3_600_000);
    expect(retryDelayMs(1, POLICY, -5, () => 0)).toBe(0);
    expect(nextAttemptAt(T0, 1, POLICY, 7_000, () => 0)).toBe(T0 + 7_000);
  });
});

describe("dead-letter decision", () => {
  it("retries retryable failures until maxAttempts sends, then dead-letters with the last error", () => {
    const r = seededRandom(1);
    for (let n = 1; n < 5; n++) {
      const d = afterFailure({ retryable: true, message: "HTTP 503" }, n, T0, POLICY, r);
      expect(d.action).toBe("retry");
      if (d.action === "retry") expect(d.at).toBeGreaterThanOrEqual(T0);
    }
    const last = afterFailure({ retryable: true, message: "HTTP 503" }, 5, T0, POLICY, r);
    expect(last).toEqual({ action: "dead-letter", attempts: 5, reason: "gave up after 5 attempts; last error: HTTP 503" });
    expect(shouldDeadLetter(true, 4, POLICY)).toBe(false);
    expect(shouldDeadLetter(true, 5, POLICY)).toBe(true);
  });

  it("dead-letters a final failure at once, and honours Retry-After on a retry", () => {
    expect(afterFailure({ retryable: false, message: "HTTP 400 invalid_payload" }, 1, T0, POLICY)).toMatchObject({ action: "dead-letter", reason: expect.stringMatching(/refused for good: HTTP 400/) });
    expect(shouldDeadLetter(false, 1)).toBe(true);
    expect(afterFailure({ retryable: true, retryAfterMs: 120_000, message: "429" }, 1, T0, POLICY, () => 0.1)).toEqual({ action: "retry", at: T0 + 120_000, attempts: 1 });
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
  });
});

describe("cooldown per (incident, channel)", () => {
  const last = { at: T0, event: "opened" as const, priority: "P1" as const };
  it("always lets the first message and state changes through", () => {
    expect(cooldown("opened", "P1", undefined, T0, 60_000)).toEqual({ send: true });
    for (const e of ["acknowledged", "resolved", "retracted"] as const) expect(cooldown(e, "P1", last, T0 + 1, 60_000)).toEqual({ send: true });
  });
  it("holds repeats within the cooldown until it ends, but not an escalation to a more urgent priority", () => {
    expect(cooldown("escalated", "P1", last, T0 + 10_000, 60_000)).toEqual({ send: false, until: T0 + 60_000, reason: expect.stringMatching(/cooldown/) });
    expect(cooldown("reopened", "P1", last, T0 + 59_999, 60_000)).toMatchObject({ send: false });
    expect(cooldown("reopened", "P1", last, T0 + 60_000, 60_000)).toEqual({ send: true });
    expect(cooldown("escalated", "P0", last, T0 + 10_000, 60_000)).toEqual({ send: true });
    expect(cooldown("requalified", "P2", last, T0 + 10_000, 60_000)).toMatchObject({ send: false });
    expect(cooldown("escalated", "P1", last, T0 + 10_000, 0)).toEqual({ send: true });
    expect(moreUrgent("P0", "P1")).toBe(true);
    expect(moreUrgent("P2", "P1")).toBe(false);
  });
});

describe("rate limit (token bucket over a given time)", () => {
  const limit = { perMinute: 60, burst: 3 }; // one per second, three at once
  it("lets a burst through, then one per refill interval, telling when the next token comes", () => {
    let b: Bucket | undefined;
    for (let i = 0; i < 3; i++) {
      const d = takeToken(b, T0, limit);
      expect(d.ok).toBe(true);
      b = d.bucket;
    }
    const denied = takeToken(b, T0, limit);
    expect(denied).toMatchObject({ ok: false, retryAt: T0 + 1000 });
    expect(takeToken(denied.bucket, T0 + 999, limit).ok).toBe(false);
    const next = takeToken(denied.bucket, T0 + 1000, limit);
    expect(next.ok).toBe(true);
    // a long quiet spell refills only up to the burst
    let c = next.bucket;
    let allowed = 0;
    for (let i = 0; i < 10; i++) {
      const d = takeToken(c, T0 + 3_600_000, limit);
      if (d.ok) allowed++;
      c = d.bucket;
    }
    expect(allowed).toBe(3);
  });
  it("a clock that goes backwards refills nothing; the bucket is plain JSON", () => {
    const d = takeToken({ tokens: 0, at: T0 }, T0 - 5000, limit);
    expect(d).toMatchObject({ ok: false, retryAt: T0 + 1000 });
    expect(JSON.parse(JSON.stringify(d.bucket))).toEqual(d.bucket);
  });
});

describe("digests for low priorities", () => {
  const policy = { priorities: ["P2" as const], immediateEvents: ["retracted" as const], intervalMs: 60_000, maxItems: 3 };
  it("batches only the configured priorities, never the excepted events or digests themselves", () => {
    expect(isDigested("P2", "opened", policy)).toBe(true);
    expect(isDigested("P1", "opened", policy)).toBe(false);
    expect(isDigested("P2", "retracted", policy)).toBe(false);
    expect(isDigested("P2", "digest", policy)).toBe(false);
  });
  it("flushes everything once the oldest entry waited the interval, and full batches at once", () => {
    expect(planDigest([], T0, policy)).toEqual({ batches: [], nextCheckAt: undefined });
    const two = [
      { id: "b", at: T0 + 1000 },
      { id: "a", at: T0 },
    ];
    expect(planDigest(two, T0 + 59_999, policy)).toEqual({ batches: [], nextCheckAt: T0 + 60_000 });
    expect(planDigest(two, T0 + 60_000, policy)).toEqual({ batches: [["a", "b"]], nextCheckAt: undefined });
    const seven = Array.from({ length: 7 }, (_, i) => ({ id: `e${i}`, at: T0 + i }));
    expect(planDigest(seven, T0 + 10, policy)).toEqual({ batches: [["e0", "e1", "e2"], ["e3", "e4", "e5"]], nextCheckAt: T0 + 6 + 60_000 });
    expect(planDigest(seven, T0 + 60_000, policy).batches).toEqual([["e0", "e1", "e2"], ["e3", "e4", "e5"], ["e6"]]);
  });
});
