/**
 * A poison finding does not block the in-process sink: a finding whose intake fails for good
 * (invalid, or data the store cannot hold) is quarantined with the reason, in the same
 * transaction as the runtime cursor's advance past it, and the findings after it are taken in.
 * The database being busy or away is retried instead. Nothing lost, nothing twice. Both stores.
 */
import { join } from "path";
import { registry } from "../../shared/metrics";
import { RuntimeStore, type StoredFinding } from "../../shared/runtime/store";
import { openSink, sinkCli, type Sink } from "../main";
import { countQuarantined, listQuarantined } from "../store/quarantine";
import { countFindings, listFindings } from "../store/queries";
import { finding, freshPg, tmpDir } from "../test/helpers";
import { InProcessSink, RUNTIME_SINK_NAME, type SinkWriter } from "./runtime";

const RULES = join(__dirname, "../test/rules.test.yaml");
const block = (n: number) => ({ number: n, hash: `0x${n.toString(16).padStart(64, "0")}`, parentHash: "0x", timestamp: n });

async function quarantinedMetric(): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === "vigil_sink_quarantined_total");
  return (m?.values as { value: number }[] | undefined)?.reduce((a, v) => a + v.value, 0) ?? 0;
}

/** The runtime's delivery loop for one sink (shared/runtime/runtime.ts deliver), as far as it matters here. */
async function deliverAll(store: RuntimeStore, sink: InProcessSink): Promise<void> {
  for (;;) {
    const rows = store.undelivered(RUNTIME_SINK_NAME);
    if (!rows.length) return;
    await sink.deliver(rows);
    store.markDelivered(RUNTIME_SINK_NAME, rows[rows.length - 1]!.seq);
  }
}

/** Runs `vigil sink quarantine ...` in this process; returns what it printed. */
async function cli(storeArg: string, ...args: string[]): Promise<string> {
  const printed: string[] = [];
  const write = jest.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (printed.push(String(s)), true));
  try {
    await sinkCli().parseAsync(["quarantine", ...args, "--store", storeArg, "--rules", RULES], { from: "user" });
  } finally {
    write.mockRestore();
  }
  return printed.join("");
}
const cliList = async (storeArg: string) => JSON.parse(await cli(storeArg, "list", "--json")) as { reason: string; uniqueKey?: string }[];

function poisonedRun(store: RuntimeStore, poison: (f: StoredFinding) => StoredFinding): void {
  const findings = [finding({ key: "a", block: 1 }), finding({ key: "bad", block: 1, addresses: ["0xbb"] }), finding({ key: "c", block: 1, addresses: ["0xcc"] })];
  store.commitBlock({ block: block(1), findings, states: new Map(), next: 2, keepBlocks: 10 });
  // the runtime stored the finding as a bot emitted it: spoil the stored JSON of "bad"
  const db = (store as unknown as { db: import("better-sqlite3").Database }).db;
  for (const r of store.undelivered(RUNTIME_SINK_NAME)) {
    if (r.finding.uniqueKey !== "bad") continue;
    const { seq, ...rest } = poison(r);
    db.prepare("UPDATE findings SET json = ? WHERE seq = ?").run(JSON.stringify(rest), seq);
  }
}

test("SQLite, the runtime's own file: an invalid finding is quarantined with its reason, the next ones are delivered, once", async () => {
  const file = join(tmpDir(), "state-1.sqlite");
  const store = new RuntimeStore(file);
  store.registerSink(RUNTIME_SINK_NAME, false);
  const sink = await openSink({ store: file, rules: RULES, deliver: false });
  const inProcess = new InProcessSink(sink, true);
  const before = await quarantinedMetric();
  poisonedRun(store, (f) => ({ ...f, finding: { ...f.finding, severity: undefined, metadata: null } as never }));

  await deliverAll(store, inProcess);
  expect(store.undelivered(RUNTIME_SINK_NAME)).toEqual([]);
  expect((await sink.read(() => listFindings({}))).map((f) => f.finding.uniqueKey).sort()).toEqual(["a", "c"]);
  const q = await sink.read(() => listQuarantined());
  expect(q).toHaveLength(1);
  expect(q[0]).toMatchObject({ source: "runtime", uniqueKey: "bad" });
  expect(q[0]!.reason).toMatch(/^invalid: finding\.finding\./);
  expect(JSON.parse(q[0]!.json).finding.uniqueKey).toBe("bad");
  expect(await quarantinedMetric()).toBe(before + 1);

  // delivered again (a runtime that crashed before its markDelivered): nothing twice
  const all = store.findingsAfter(0);
  await inProcess.deliver(all);
  expect(await sink.read(countFindings)).toBe(2);
  expect(await sink.read(countQuarantined)).toBe(1);
  expect(await quarantinedMetric()).toBe(before + 1);

  // listed for people
  expect((await cliList(file)).map((r) => [r.uniqueKey, r.reason.slice(0, 8)])).toEqual([["bad", "invalid:"]]);
  // handed to intake again: still refused, still kept; dropped by hand: gone
  expect(await cli(file, "retry", "--all")).toMatch(/still refused[\s\S]*0 finding\(s\) taken in/);
  expect(await sink.read(countQuarantined)).toBe(1);
  expect(await cli(file, "drop", "--all")).toMatch(/1 finding\(s\) dropped/);
  expect(await sink.read(countQuarantined)).toBe(0);
  await inProcess.close();
  store.close();
});

test("the database busy or away is retried, not quarantined", async () => {
  const file = join(tmpDir(), "state-1.sqlite");
  const store = new RuntimeStore(file);
  store.registerSink(RUNTIME_SINK_NAME, false);
  const sink = await openSink({ store: file, rules: RULES, deliver: false });
  store.commitBlock({ block: block(1), findings: [finding({ key: "a", block: 1 }), finding({ key: "b", block: 1, addresses: ["0xbb"] })], states: new Map(), next: 2, keepBlocks: 10 });
  let busy = true;
  const flaky: SinkWriter = {
    db: sink.db,
    log: sink.log,
    ingest: (f, source, also) => (busy ? Promise.reject(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" })) : sink.ingest(f, source, also)),
    close: () => sink.close(),
  };
  const inProcess = new InProcessSink(flaky, true);
  await expect(deliverAll(store, inProcess)).rejects.toThrow(/locked/);
  expect(store.undelivered(RUNTIME_SINK_NAME)).toHaveLength(2);
  expect(await sink.read(countQuarantined)).toBe(0);
  busy = false;
  await deliverAll(store, inProcess);
  expect(await sink.read(countFindings)).toBe(2);
  expect(await sink.read(countQuarantined)).toBe(0);
  await inProcess.close();
  store.close();
});

test("PostgreSQL: a finding the store cannot hold (a NUL character) is quarantined, the rest delivered, once", async () => {
  const pg = await freshPg();
  if (!pg) return;
  let sink: Sink | undefined;
  const store = new RuntimeStore(join(tmpDir(), "state-1.sqlite"));
  try {
    store.registerSink(RUNTIME_SINK_NAME, false);
    sink = await openSink({ store: pg.url, rules: RULES, deliver: false });
    const inProcess = new InProcessSink(sink, false);
    poisonedRun(store, (f) => ({ ...f, finding: { ...f.finding, alertId: "VIGIL-TEST\u0000NUL" } }));

    await deliverAll(store, inProcess);
    expect(store.undelivered(RUNTIME_SINK_NAME)).toEqual([]);
    expect((await sink.read(() => listFindings({}))).map((f) => f.finding.uniqueKey).sort()).toEqual(["a", "c"]);
    const q = await sink.read(() => listQuarantined());
    expect(q.map((r) => [r.uniqueKey, r.source])).toEqual([["bad", "runtime"]]);
    expect(q[0]!.reason).toMatch(/^intake failed: .*(0x00|byte sequence)/i);
    // re-delivered: nothing twice
    await inProcess.deliver(store.findingsAfter(0));
    expect(await sink.read(countFindings)).toBe(2);
    expect(await sink.read(countQuarantined)).toBe(1);
    expect((await cliList(pg.url)).map((r) => r.uniqueKey)).toEqual(["bad"]);
  } finally {
    await sink?.close();
    store.close();
    await pg.drop();
  }
});
