/**
 * Delivery on a real SQLite file with a clock the test moves: retries back off and honour
 * Retry-After, a refused message is dead at once, N failures dead-letter it (secrets masked in
 * the error kept), P2 incidents go out as one digest, escalations respect the cooldown, and the
 * per-channel rate limit paces without losing anything.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { registerSecret } from "../../shared/net/secrets";
import { ChannelError } from "../channels/channel";
import { openSink, type Sink } from "../main";
import type { Notification } from "../model/notification";
import { listOutbox } from "../store/queries";
import { finding, memoryChannelFactory, tmpDir } from "../test/helpers";
import { backoffDelay } from "./worker";

function rules(extra: string): string {
  const f = join(tmpDir(), "rules.yaml");
  writeFileSync(f, `settings: { ${extra} }\nchannels: { out: { kind: console } }\nowners: { core: { name: Core, channels: [out] } }\ndefaults: { owner: core }\n`);
  return f;
}

async function setup(settings: string, fail?: () => ChannelError | undefined) {
  const sent: Notification[] = [];
  let now = Date.parse("2026-01-01T00:00:00Z");
  const sink: Sink = await openSink({ store: join(tmpDir(), "s.sqlite"), rules: rules(settings), factories: { console: memoryChannelFactory(sent, { fail }) }, deliver: false });
  const { DeliveryWorker } = await import("./worker");
  const { pino } = await import("pino");
  sink.ctx.now = () => now;
  const worker = new DeliveryWorker({ db: sink.db, channels: new Map([["out", memoryChannelFactory(sent, { fail }).create("out", {})]]), settings: sink.rules.settings, log: pino({ level: "silent" }), now: () => now, random: () => 0.999, backoffBaseMs: 1000, backoffMaxMs: 60_000 });
  return { sink, worker, sent, advance: (ms: number) => (now += ms), at: () => now };
}

test("backoff: exponential, capped, jittered, never sooner than Retry-After", () => {
  expect(backoffDelay(1, 1000, 60_000, 0, () => 0.5)).toBe(500);
  expect(backoffDelay(3, 1000, 60_000, 0, () => 0.5)).toBe(2000);
  expect(backoffDelay(3, 1000, 60_000, 0, () => 0)).toBe(0);
  expect(backoffDelay(20, 1000, 60_000, 0, () => 0.5)).toBe(30_000);
  expect(backoffDelay(1, 1000, 60_000, 30_000, () => 0.5)).toBe(30_000);
  expect(backoffDelay(1, 1000, 60_000, 10 * 3_600_000, () => 0.5)).toBe(3_600_000);
});

test("retries honour Retry-After, then succeed; N failures dead-letter with secrets masked", async () => {
  registerSecret("https://hooks.example.com/services/T000/B000/SECRETSECRETSECRET");
  let failures = 2;
  const t = await setup("digestPriorities: [], maxAttempts: 3", () =>
    failures-- > 0 ? new ChannelError("429 from https://hooks.example.com/services/T000/B000/SECRETSECRETSECRET", true, 30_000, 429) : undefined,
  );
  await t.sink.ingest([finding({ key: "r1" })], "test");
  expect(await t.worker.tick()).toBe(1); // fails, Retry-After 30 s
  const [row] = await t.sink.read(() => listOutbox(["pending"]));
  expect(row!.next_attempt_at - t.at()).toBe(30_000);
  expect(row!.last_error).not.toContain("SECRET");
  expect(row!.last_error).toContain("hooks.example.com");
  t.advance(29_000);
  expect(await t.worker.tick()).toBe(0); // not yet
  t.advance(1_000);
  expect(await t.worker.tick()).toBe(1); // fails again
  t.advance(60_000);
  expect(await t.worker.tick()).toBe(1); // succeeds
  expect(t.sent.map((n) => n.event)).toEqual(["opened"]);

  failures = 100;
  await t.sink.ingest([finding({ key: "r2", addresses: ["0x02"] })], "test");
  for (let i = 0; i < 3; i++) {
    await t.worker.tick();
    t.advance(120_000);
  }
  const dead = await t.sink.read(() => listOutbox(["dead"]));
  expect(dead).toHaveLength(1);
  expect(dead[0]!.attempts).toBe(3);
  expect(dead[0]!.last_error).not.toContain("SECRET");
  await t.sink.close();
});

test("a refused message (not retryable) is dead at once", async () => {
  const t = await setup("digestPriorities: []", () => new ChannelError("400 invalid routing key", false, undefined, 400));
  await t.sink.ingest([finding({ key: "x" })], "test");
  await t.worker.tick();
  expect(await t.sink.read(() => listOutbox(["dead"]))).toHaveLength(1);
  await t.sink.close();
});

test("P2 incidents go out as one digest per channel after the digest window; P0 at once", async () => {
  const t = await setup("digestPriorities: [P2], digestWindow: 10m");
  await t.sink.ingest(
    [0, 1, 2, 3, 4].map((i) => finding({ key: `low${i}`, severity: "Medium", priority: "P2", addresses: [`0x0${i}`] })),
    "test",
  );
  await t.sink.ingest([finding({ key: "high", addresses: ["0xff"] })], "test");
  await t.worker.tick();
  expect(t.sent.map((n) => `${n.event}:${n.incident.priority}`)).toEqual(["opened:P0"]);
  t.advance(10 * 60_000);
  await t.worker.tick();
  await t.worker.tick();
  expect(t.sent.map((n) => n.event)).toEqual(["opened", "digest"]);
  expect(t.sent[1]!.digest!.map((d) => `${d.incident.id}:${d.event}`)).toHaveLength(5);
  await t.sink.close();
});

test("escalations: one per cooldown; the rate limit paces a burst without losing any", async () => {
  const t = await setup("digestPriorities: [], cooldown: 5m, rateLimitPerMinute: 2");
  const ep = { episodeId: "s@1:0x1" };
  await t.sink.ingest([finding({ key: "o", severity: "Medium", priority: "P2", metadata: { ...ep, episode: "opened" } })], "test");
  await t.sink.ingest([finding({ key: "e1", severity: "High", priority: "P1", metadata: { ...ep, episode: "escalated" } })], "test");
  await t.worker.tick();
  await t.worker.tick();
  expect(t.sent.map((n) => n.event)).toEqual(["opened", "escalated"]);
  await t.sink.ingest([finding({ key: "e2", severity: "Critical", priority: "P0", metadata: { ...ep, episode: "escalated" } })], "test");
  t.advance(60_000);
  await t.worker.tick();
  expect(t.sent).toHaveLength(2); // within the cooldown
  t.advance(4 * 60_000);
  await t.worker.tick();
  expect(t.sent.map((n) => `${n.event}:${n.incident.priority}`)).toEqual(["opened:P2", "escalated:P1", "escalated:P0"]);

  // a burst of 5 new incidents with 2 per minute: 2 now, the rest later, none lost
  t.advance(60_000);
  await t.sink.ingest([0, 1, 2, 3, 4].map((i) => finding({ key: `b${i}`, addresses: [`0xb${i}`] })), "test");
  await t.worker.tick();
  expect(t.sent).toHaveLength(5);
  for (let i = 0; i < 3; i++) {
    t.advance(61_000);
    await t.worker.tick();
  }
  expect(t.sent).toHaveLength(8);
  expect(new Set(t.sent.map((n) => n.id)).size).toBe(8);
  await t.sink.close();
});
