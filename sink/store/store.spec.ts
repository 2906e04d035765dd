/**
 * The store on both backends (a real SQLite file; a fresh PostgreSQL database when
 * VIGIL_TEST_PG_URL is set): migrations from the previous schema, incidents from findings
 * (episode grouping, escalation, resolution, retraction), commands, outbox order, retention.
 */
import { join } from "path";
import { openDb, run, type Db } from "./db";
import { MIGRATIONS, SCHEMA_VERSION, migrate } from "./migrations";
import { openSink, type Sink } from "../main";
import type { Notification } from "../model/notification";
import { finding, freshPg, memoryChannelFactory, tmpDir, waitFor } from "../test/helpers";
import { countFindings, listIncidents, outboxOfIncident, timeline, getSetting } from "./queries";

const RULES = join(__dirname, "../test/rules.test.yaml");

async function backends(): Promise<{ name: string; target: string; drop: () => Promise<void> }[]> {
  const out: { name: string; target: string; drop: () => Promise<void> }[] = [{ name: "sqlite", target: join(tmpDir(), "state.sqlite"), drop: async () => undefined }];
  const pg = await freshPg();
  if (pg) out.push({ name: "pg", target: pg.url, drop: pg.drop });
  return out;
}

describe("sink store", () => {
  let list: Awaited<ReturnType<typeof backends>>;
  beforeAll(async () => {
    list = await backends();
  });
  afterAll(async () => {
    for (const b of list) await b.drop();
  });

  test("migrates from the previous schema version, keeping the data", async () => {
    for (const b of list) {
      const db: Db = await openDb(b.target);
      expect(await migrate(db, SCHEMA_VERSION - 1)).toEqual(MIGRATIONS.slice(0, -1).map((m) => m.version));
      await db.tx(() => run("INSERT INTO sink_cursors(name, value) VALUES (?, ?)", ["forta", "abc"]));
      expect(await migrate(db)).toEqual([SCHEMA_VERSION]);
      expect(await migrate(db)).toEqual([]);
      expect(await db.read(() => getSetting("retention.findingsDays"))).toBe("90");
      const s = await openSink({ store: b.target, rules: RULES, deliver: false });
      expect(await s.cursors().getCursor("forta")).toBe("abc");
      await s.close();
      await db.close();
    }
  });

  test("findings become incidents: episode lineage, escalation, resolution, retraction, commands", async () => {
    for (const b of list) {
      const sent: Notification[] = [];
      const s: Sink = await openSink({ store: b.target, rules: RULES, factories: { console: memoryChannelFactory(sent) }, worker: { pollMs: 10 } });
      try {
        const ep = { episodeId: "ilk-A@10:0xabc" };
        const opened = finding({ alertId: "MAKER-ESM-THRESHOLD", key: `${b.name}-ep-open`, severity: "High", priority: "P1", metadata: { ...ep, episode: "opened" } });
        const r1 = await s.ingest([opened], "test");
        expect(r1.opened).toHaveLength(1);
        const inc = r1.opened[0]!;
        expect(inc).toMatchObject({ priority: "P1", type: "protocol", owner: "core", rule: "esm", status: "open" });
        // a repeat is a duplicate, stored once
        const again = await s.ingest([opened], "test");
        expect(again.results[0]!.status).toBe("duplicate");
        await s.ingest([finding({ alertId: "MAKER-ESM-THRESHOLD", key: `${b.name}-ep-esc`, severity: "Critical", priority: "P0", metadata: { ...ep, episode: "escalated" } })], "test");
        await s.ingest([finding({ alertId: "MAKER-ESM-THRESHOLD", key: `${b.name}-ep-res`, severity: "Info", priority: "none", metadata: { ...ep, episode: "resolved" } })], "test");
        let [i1] = await s.read(() => listIncidents({ limit: 1 }));
        expect(i1).toMatchObject({ id: inc.id, priority: "P0", status: "resolved" });
        // a reorg retracts the only finding of another incident: it closes as retracted, the channel is told
        const lone = await s.ingest([finding({ key: `${b.name}-lone`, addresses: ["0xbb"] })], "test");
        const loneInc = lone.opened[0]!;
        await s.ingest(
          [finding({ alertId: "VIGIL-REORG-RETRACTION", bot: "vigil-runtime", key: `${b.name}-reorg`, severity: "Info", priority: "none", metadata: { retractedKeys: JSON.stringify([`${b.name}-lone`]) } })],
          "test",
        );
        [i1] = await s.read(() => listIncidents({ limit: 1 }));
        expect(i1).toMatchObject({ id: loneInc.id, status: "retracted" });
        // by hand
        await s.command(loneInc.id, { kind: "reopen" }, "alice", "not a reorg after all");
        await s.command(loneInc.id, { kind: "ack" }, "alice");
        await s.command(loneInc.id, { kind: "requalify", priority: "P1", type: "A" }, "bob", "network-wide");
        await s.command(loneInc.id, { kind: "assign", owner: "ops" }, "bob");
        await s.command(loneInc.id, { kind: "comment" }, "bob", "looking");
        await s.command(loneInc.id, { kind: "resolve" }, "alice");
        await expect(s.command(loneInc.id, { kind: "ack" }, "x")).rejects.toThrow(/resolved; only an open incident/);
        const tl = await s.read(() => timeline(loneInc.id));
        expect(tl.map((e) => `${e.kind}:${e.actor}`)).toEqual([
          "opened:vigil-sink",
          "retracted:vigil-sink",
          "reopened:alice",
          "acknowledged:alice",
          "requalified:bob",
          "assigned:bob",
          "comment:bob",
          "resolved:alice",
        ]);
        // every message reached the channel once, in order per incident
        await waitFor("messages sent", async () => (await s.read(() => outboxOfIncident(loneInc.id))).every((r) => r.state === "sent"));
        await waitFor("messages sent", async () => (await s.read(() => outboxOfIncident(inc.id))).every((r) => r.state === "sent"));
        expect(sent.filter((n) => n.incident.id === inc.key).map((n) => n.event)).toEqual(["opened", "escalated", "resolved"]);
        expect(sent.filter((n) => n.incident.id === loneInc.key).map((n) => n.event)).toEqual(["opened", "retracted", "reopened", "acknowledged", "requalified", "resolved"]);
        expect(new Set(sent.map((n) => n.id)).size).toBe(sent.length);
        expect(await s.read(countFindings)).toBe(5);
      } finally {
        await s.close();
      }
    }
  });

  test("retention prunes old findings and closed incidents, never open ones", async () => {
    for (const b of list) {
      const s = await openSink({ store: b.target, rules: RULES, deliver: false });
      try {
        const open = (await s.ingest([finding({ key: `${b.name}-keep-open`, addresses: ["0xcc"] })], "test")).opened[0]!;
        await s.ingest([finding({ key: `${b.name}-no-incident`, severity: "Info", priority: "none" })], "test");
        const before = await s.read(countFindings);
        const far = Date.now() + 400 * 86_400_000;
        const pruned = await s.pruneNow(far);
        expect(pruned.incidents).toBeGreaterThan(0);
        const left = await s.read(() => listIncidents({}));
        expect(left.every((i) => i.status === "open" || i.status === "acknowledged")).toBe(true);
        expect(left.map((i) => i.id)).toContain(open.id);
        expect(await s.read(countFindings)).toBeLessThan(before);
      } finally {
        await s.close();
      }
    }
  });
});

describe("Forta intake", () => {
  test("a page of alerts and the poller's cursor commit together; a replayed page is only duplicates", async () => {
    const file = join(tmpDir(), "forta.sqlite");
    const s = await openSink({ store: file, rules: RULES, deliver: false });
    try {
      const submit = s.fortaSubmit();
      await submit([finding({ key: "forta-1", bot: "0xbot" })], { cursorName: "forta:1", cursor: "page-1" });
      expect(await s.cursors().getCursor("forta:1")).toBe("page-1");
      // a page whose intake fails leaves the cursor where it was
      await expect(submit([finding({ key: "forta-2" }), { ...finding({ key: "forta-3" }), finding: undefined as never }], { cursorName: "forta:1", cursor: "page-2" })).rejects.toThrow();
      expect(await s.cursors().getCursor("forta:1")).toBe("page-1");
      await submit([finding({ key: "forta-1", bot: "0xbot" }), finding({ key: "forta-2" })], { cursorName: "forta:1", cursor: "page-2" });
      expect(await s.read(countFindings)).toBe(2);
      expect(await s.cursors().getCursor("forta:1")).toBe("page-2");
    } finally {
      await s.close();
    }
  });
});
