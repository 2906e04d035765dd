/**
 * The delivery worker: claims due outbox rows (a lease, so a sender that dies mid-send frees
 * them), sends each through its channel, and records the outcome. Retries back off
 * exponentially with jitter, never sooner than a provider's Retry-After; after maxAttempts a row
 * is dead (dead-letter list: `vigil sink dlq`). Per channel a rate limit (messages per minute)
 * paces sends without counting as attempts. Held low-priority messages become one digest per
 * channel once the digest window has passed.
 *
 * Delivery is at least once with a stable id: a kill between a provider's acceptance and the
 * record of it re-sends the same message (same Notification.id) when the lease runs out;
 * receivers dedupe on it. Two messages for one (incident, channel) never go out of order: only
 * the oldest undelivered row of each pair is ever claimable.
 */
import { randomUUID } from "crypto";
import { errorMessage } from "../../shared/errors";
import type { Logger } from "../../shared/log";
import { redact } from "../../shared/net/secrets";
import { ChannelError, type Channel } from "../channels/channel";
import type { Settings } from "../config/rules";
import type { Notification } from "../model/notification";
import type { Db } from "../store/db";
import { retryDelayMs } from "./policy";
import { claimDue, dueDigestRows, enqueue, finishSend, nextDueAt, setOutbox, type OutboxRow } from "../store/queries";

export interface WorkerOptions {
  db: Db;
  channels: Map<string, Channel>;
  settings: Settings;
  log: Logger;
  /** how long a claimed row is ours before another worker may take it (default 30 s) */
  leaseMs?: number;
  /** idle poll (default 250 ms); `kick()` wakes it sooner */
  pollMs?: number;
  /** backoff base and cap (default 1 s, 10 min) */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  now?: () => number;
  random?: () => number;
}

/**
 * Exponential backoff with full jitter, at least the provider's Retry-After (capped at an hour):
 * routing/policy.ts's retryDelayMs with this worker's base and cap.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, retryAfterMs = 0, random = Math.random): number {
  return retryDelayMs(attempt, { maxAttempts: Infinity, baseDelayMs: baseMs, maxDelayMs: maxMs, maxRetryAfterMs: 3_600_000 }, retryAfterMs, random);
}

export class DeliveryWorker {
  readonly owner = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly stats = { sent: 0, failed: 0, dead: 0, digests: 0 };
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly sentAt = new Map<string, number[]>();
  constructor(private readonly o: WorkerOptions) {}

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something was enqueued: look now. */
  kick(): void {
    this.wake?.();
  }

  /** Send what is due now (not held digests, not later retries), for at most `timeoutMs`. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const n = await this.tick();
      if (n === 0) {
        const due = await this.o.db.read(nextDueAt);
        if (due === undefined || due > this.now()) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = 0;
      try {
        worked = await this.tick();
      } catch (err) {
        this.o.log.warn({ err: redact(errorMessage(err)) }, "sink delivery: store error; retrying");
      }
      if (worked === 0 && this.running) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, this.o.pollMs ?? 250);
          this.wake = () => (clearTimeout(t), r());
        });
        this.wake = undefined;
      }
    }
  }

  /** One round: build due digests, claim due rows, send them. Returns how many rows were handled. */
  async tick(): Promise<number> {
    await this.digests();
    const now = this.now();
    const rows = await this.o.db.tx(() => claimDue(this.o.db.dialect, this.owner, now, now + (this.o.leaseMs ?? 30_000), 16));
    await Promise.all(rows.map((r) => this.send(r)));
    return rows.length;
  }

  private rateWait(channel: string, now: number): number {
    const window = 60_000;
    const times = (this.sentAt.get(channel) ?? []).filter((t) => t > now - window);
    this.sentAt.set(channel, times);
    if (times.length < this.o.settings.rateLimitPerMinute) return 0;
    return times[0]! + window - now;
  }

  private async send(row: OutboxRow): Promise<void> {
    const ch = this.o.channels.get(row.channel);
    const now = this.now();
    if (!ch) {
      await this.o.db.tx(() => finishSend(row.id, this.owner, { state: "dead", last_error: `channel ${row.channel} is not in the rules file any more` }));
      return;
    }
    const wait = this.rateWait(row.channel, now);
    if (wait > 0) {
      // paced, not failed: give the attempt back
      await this.o.db.tx(() => finishSend(row.id, this.owner, { state: "pending", next_attempt_at: now + wait, attempts: row.attempts - 1, last_error: row.last_error }));
      return;
    }
    this.sentAt.get(row.channel)!.push(now);
    try {
      await ch.send(JSON.parse(row.payload) as Notification);
      await this.o.db.tx(() => finishSend(row.id, this.owner, { state: "sent", sent_at: this.now(), last_error: null }));
      this.stats.sent++;
    } catch (err) {
      const msg = redact(errorMessage(err));
      const retryable = err instanceof ChannelError ? err.retryable : true;
      const dead = !retryable || row.attempts >= this.o.settings.maxAttempts;
      const delay = backoffDelay(row.attempts, this.o.backoffBaseMs ?? 1000, this.o.backoffMaxMs ?? 600_000, err instanceof ChannelError ? err.retryAfterMs : undefined, this.o.random);
      const next = this.now() + delay;
      await this.o.db.tx(() => finishSend(row.id, this.owner, dead ? { state: "dead", last_error: msg } : { state: "pending", next_attempt_at: next, last_error: msg }));
      this.stats.failed++;
      if (dead) this.stats.dead++;
      this.o.log.warn({ channel: row.channel, incident: row.incident_id, event: row.event, attempt: row.attempts, retryInMs: dead ? undefined : delay, err: msg }, dead ? "sink delivery: message dead-lettered (vigil sink dlq)" : "sink delivery: send failed; will retry");
    }
  }

  private async digests(): Promise<void> {
    const now = this.now();
    await this.o.db.tx(
      function* (this: DeliveryWorker) {
        const rows = yield* dueDigestRows(now - this.o.settings.digestWindowMs, this.o.db.dialect);
        const byChannel = new Map<string, OutboxRow[]>();
        for (const r of rows) byChannel.set(r.channel, [...(byChannel.get(r.channel) ?? []), r]);
        for (const [channel, list] of byChannel) {
          const items = list.map((r) => JSON.parse(r.payload) as Notification);
          const n: Notification = {
            id: `digest/${channel}/${list[0]!.id}-${list[list.length - 1]!.id}`,
            event: "digest",
            incident: items[items.length - 1]!.incident,
            findings: [],
            digest: items.map((i) => ({ incident: i.incident, event: i.event as Exclude<Notification["event"], "digest">, ...(i.findings[0] ? { finding: i.findings[0] } : {}) })),
            createdAt: new Date(now).toISOString(),
          };
          yield* enqueue({ incidentId: 0, channel, event: "digest", dedupe: n.id, priority: "P2", payload: JSON.stringify(n), state: "pending", nextAttemptAt: now, now });
          for (const r of list) yield* setOutbox(r.id, { state: "folded" });
          this.stats.digests++;
        }
      }.bind(this),
    );
  }
}
