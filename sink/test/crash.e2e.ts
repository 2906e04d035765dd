/**
 * Not done until: 1,000 findings posted over HTTP while the sink is killed (SIGKILL) several
 * times and the webhook receiver is down for part of the run. Afterwards every acknowledged
 * finding is stored once, and every incident's notifications arrived once per (incident,
 * channel, event), in order. SQLite with one instance; PostgreSQL with two instances sharing the
 * database. Messages go through the real webhook channel (signed; the receiver verifies).
 * No fixed sleeps: every wait is for a condition.
 *
 * A kill between a receiver's 200 and the sink's record of it re-sends the same message (same
 * Notification.id) once the lease runs out: the receiver dedupes on the id, as documented. The
 * test counts such re-sends and bounds them by what the kills can cause.
 */
import { spawn, type ChildProcess } from "child_process";
import { join } from "path";
import { openSink } from "../main";
import type { SourcedFinding } from "../model/notification";
import { countFindings, listOutbox } from "../store/queries";
import { finding, freshPg, startReceiver, tmpDir, waitFor, type Receiver } from "./helpers";

const ROOT = join(__dirname, "../..");
const RULES = join(__dirname, "rules.webhook.yaml");
const TOKEN = "crash-test-token-0123456789";
const SECRET = "crash-test-webhook-secret-0123456789";

interface Instance {
  child?: ChildProcess;
  url?: string;
}

async function startInstance(inst: Instance, store: string, receiver: Receiver): Promise<void> {
  // node itself runs the sink (tsx as a loader, not tsx's CLI, which would put a second process
  // between the test's SIGKILL and the sink)
  const tsx = join(ROOT, "node_modules/tsx/dist");
  const child = spawn(process.execPath, ["--require", join(tsx, "preflight.cjs"), "--import", `file://${join(tsx, "loader.mjs")}`, join(__dirname, "serve-child.ts"), store, RULES], {
    env: { ...process.env, SINK_TOKENS: TOKEN, RECEIVER_URL: receiver.url, RECEIVER_SECRET: SECRET, LOG_LEVEL: "error" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  inst.child = child;
  inst.url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (c: Buffer) => {
      buf += c.toString();
      const m = /listening (\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`sink instance exited with ${code} before listening`)));
  });
}

function kill(inst: Instance): Promise<void> {
  const c = inst.child!;
  inst.url = undefined;
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    c.once("exit", () => r());
    c.kill("SIGKILL");
  });
}

function workload(): SourcedFinding[] {
  const opened: SourcedFinding[] = [];
  const escalated: SourcedFinding[] = [];
  const resolved: SourcedFinding[] = [];
  const plain: SourcedFinding[] = [];
  for (let e = 0; e < 200; e++) {
    const ep = { episodeId: `subject-${e}@1:0xabc` };
    opened.push(finding({ alertId: "MAKER-VAT-ILK-UTILISATION", key: `ep${e}-open`, severity: "High", priority: "P1", metadata: { ...ep, episode: "opened" }, block: 10 + e }));
    escalated.push(finding({ alertId: "MAKER-VAT-ILK-UTILISATION", key: `ep${e}-esc`, severity: "Critical", priority: "P0", metadata: { ...ep, episode: "escalated" }, block: 1000 + e }));
    resolved.push(finding({ alertId: "MAKER-VAT-ILK-UTILISATION", key: `ep${e}-res`, severity: "Info", priority: "none", metadata: { ...ep, episode: "resolved" }, block: 2000 + e }));
  }
  for (let i = 0; i < 400; i++) {
    plain.push(finding({ alertId: "MAKER-PSM-LARGE-SWAP", key: `swap${i}`, severity: "Medium", priority: "P2", addresses: [`0x${(i % 40).toString(16).padStart(40, "0")}`], block: 500 + i, txHash: `0x${i.toString(16).padStart(64, "0")}` }));
  }
  return [...opened, ...plain, ...escalated, ...resolved];
}

async function post(url: string, batch: SourcedFinding[]): Promise<{ uniqueKey: string; status: string }[]> {
  const res = await fetch(`${url}/v1/findings`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(batch) });
  if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { results: { uniqueKey: string; status: string }[] }).results;
}

async function scenario(store: string, instances: number): Promise<void> {
  const receiver = await startReceiver(SECRET);
  const insts: Instance[] = Array.from({ length: instances }, () => ({}));
  try {
    for (const i of insts) await startInstance(i, store, receiver);
    const all = workload();
    const acked = new Map<string, number>();
    const kills = new Set([15, 40, 65]);
    let killCount = 0;
    for (let b = 0; b * 10 < all.length; b++) {
      const batch = all.slice(b * 10, b * 10 + 10);
      if (b === 25) receiver.up = false;
      if (b === 55) receiver.up = true;
      for (let attempt = 0; ; attempt++) {
        const target = insts[(b + attempt) % insts.length]!;
        if (!target.url) await startInstance(target, store, receiver);
        const p = post(target.url!, batch);
        p.catch(() => undefined); // looked at below
        if (kills.has(b) && attempt === 0) {
          // killed while the request is in flight: it may or may not have been committed
          killCount++;
          await kill(target);
        }
        try {
          for (const r of await p) acked.set(r.uniqueKey, (acked.get(r.uniqueKey) ?? 0) + 1);
          break;
        } catch {
          if (attempt > 20) throw new Error(`batch ${b} could not be posted`);
        }
      }
    }
    for (const i of insts) if (!i.url) await startInstance(i, store, receiver);
    expect(acked.size).toBe(1000);

    const reader = await openSink({ store, rules: RULES, deliver: false, env: { ...process.env, RECEIVER_URL: receiver.url, RECEIVER_SECRET: SECRET } });
    try {
      expect(await reader.read(countFindings)).toBe(1000);
      await waitFor("every message delivered", async () => (await reader.read(() => listOutbox(["pending", "sending", "digest"], 1))).length === 0, 480_000);
      const rows = await reader.read(() => listOutbox(["sent"], 100_000));
      expect(await reader.read(() => listOutbox(["dead"], 10))).toEqual([]);
      // 200 episodes: opened, escalated, resolved; 40 swap subjects: opened
      expect(rows.length).toBe(200 * 3 + 40);
      await waitFor("the receiver got every message", () => new Set(receiver.received.map((r) => r.id)).size >= rows.length);
      const ids = new Set(receiver.received.map((r) => r.id));
      expect([...ids].sort()).toEqual(rows.map((r) => r.dedupe).sort());
      // exactly once per (incident, channel, event): one distinct message each
      const perEvent = new Map<string, Set<string>>();
      for (const r of receiver.received) {
        const k = `${r.incident}|${r.channel}|${r.event}`;
        perEvent.set(k, (perEvent.get(k) ?? new Set()).add(r.id));
      }
      for (const [k, set] of perEvent) expect([k, set.size]).toEqual([k, 1]);
      // in order: per incident, first arrivals follow the outbox order
      const firstSeen = new Map<string, number>();
      receiver.received.forEach((r, i) => firstSeen.has(r.id) || firstSeen.set(r.id, i));
      const byIncident = new Map<number, typeof rows>();
      for (const r of rows) byIncident.set(r.incident_id, [...(byIncident.get(r.incident_id) ?? []), r]);
      for (const list of byIncident.values()) {
        const order = list.map((r) => firstSeen.get(r.dedupe)!);
        expect(order).toEqual([...order].sort((a, b) => a - b));
        if (list.length === 3) expect(list.map((r) => r.event)).toEqual(["opened", "escalated", "resolved"]);
      }
      const resent = receiver.received.length - ids.size;
      // eslint-disable-next-line no-console
      console.log(`${store.startsWith("postgres") ? "pg" : "sqlite"}: ${instances} instance(s), ${killCount} kills, ${rows.length} messages, ${resent} re-sent after a kill (same id)`);
      expect(resent).toBeLessThanOrEqual(killCount * 16);
    } finally {
      await reader.close();
    }
  } finally {
    for (const i of insts) if (i.child) await kill(i);
    await receiver.close();
  }
}

describe("sink under SIGKILL and a receiver that goes down", () => {
  test("SQLite, one instance", async () => {
    await scenario(join(tmpDir(), "state.sqlite"), 1);
  }, 900_000);

  test("PostgreSQL, two instances sharing the database", async () => {
    const pg = await freshPg();
    if (!pg) return;
    try {
      await scenario(pg.url, 2);
    } finally {
      await pg.drop();
    }
  }, 900_000);
});
