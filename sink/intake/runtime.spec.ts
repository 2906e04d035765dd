/**
 * One outbox, not two: the in-process sink in the runtime's own SQLite file takes a batch in the
 * same transaction as the advance of its row in the runtime's sink_cursor. A crash before that
 * commit leaves the batch undelivered (nothing stored, nothing queued); after it, the runtime has
 * nothing left to deliver to the sink (nothing twice), even if it never recorded the delivery.
 */
import { join } from "path";
import { RuntimeStore } from "../../shared/runtime/store";
import { openSink } from "../main";
import { countFindings, listIncidents, listOutbox } from "../store/queries";
import { finding, tmpDir } from "../test/helpers";
import { InProcessSink, RUNTIME_SINK_NAME, type SinkWriter } from "./runtime";

const RULES = join(__dirname, "../test/rules.test.yaml");

test("intake and the runtime's delivery record commit together in the runtime's state file", async () => {
  const file = join(tmpDir(), "state-1.sqlite");
  const store = new RuntimeStore(file);
  store.registerSink(RUNTIME_SINK_NAME, false);
  const sink = await openSink({ store: file, rules: RULES, deliver: false });
  const inProcess = new InProcessSink(sink, true);
  const block = (n: number) => ({ number: n, hash: `0x${n.toString(16).padStart(64, "0")}`, parentHash: "0x", timestamp: n });
  store.commitBlock({ block: block(1), findings: [finding({ key: "a", block: 1 }), finding({ key: "b", block: 1, addresses: ["0xbb"] })], states: new Map(), next: 2, keepBlocks: 10 });

  // a batch whose intake fails half-way (the disk is full, the database is away ...): nothing of it stays
  const batch = store.undelivered(RUNTIME_SINK_NAME);
  const diskFull: SinkWriter = {
    ...sink,
    db: sink.db,
    log: sink.log,
    ingest: (f, source, also) =>
      sink.ingest(f, source, function* () {
        if (also) yield* also();
        throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
      }),
    close: () => sink.close(),
  };
  await expect(new InProcessSink(diskFull, true).deliver(batch)).rejects.toThrow(/disk is full/);
  expect(await sink.read(countFindings)).toBe(0);
  expect(store.undelivered(RUNTIME_SINK_NAME)).toHaveLength(2);

  // delivered: findings, incidents, outbox rows and the runtime's sink_cursor in one commit
  await inProcess.deliver(store.undelivered(RUNTIME_SINK_NAME));
  // (the runtime is killed here, before its own markDelivered)
  expect(store.undelivered(RUNTIME_SINK_NAME)).toEqual([]);
  expect(await sink.read(countFindings)).toBe(2);
  expect((await sink.read(() => listIncidents({}))).map((i) => i.priority)).toEqual(["P0", "P0"]);
  expect(await sink.read(() => listOutbox(["pending"]))).toHaveLength(2);

  // the next block's findings follow; a re-delivery of an old batch is only duplicates
  store.commitBlock({ block: block(2), findings: [finding({ key: "c", block: 2, addresses: ["0xcc"] })], states: new Map(), next: 3, keepBlocks: 10 });
  await inProcess.deliver(store.undelivered(RUNTIME_SINK_NAME));
  await inProcess.deliver(batch);
  expect(await sink.read(countFindings)).toBe(3);
  expect(await sink.read(() => listOutbox(["pending"]))).toHaveLength(3);
  await inProcess.close();
  store.close();
});
