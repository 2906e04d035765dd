/**
 * The dashboard's charts with the sink in its own store (PostgreSQL, or another SQLite file):
 * the runtime delivers its observations (ctx.observe) through the same delivery record as its
 * findings, and GET /ui/api/vitals shows them; a re-delivery leaves one copy, a reorg leaves
 * none of the orphaned block's points. In the runtime's own file the sink reads its table as before.
 */
import { join } from "path";
import { logger } from "../../shared/log";
import { deliverObservations, type Observation } from "../../shared/runtime/observations";
import { RuntimeStore } from "../../shared/runtime/store";
import { openSink, sinkHttp, type Sink } from "../main";
import type { SinkHttp } from "../http/server";
import { freshPg, tmpDir } from "../test/helpers";
import { InProcessSink, RUNTIME_SINK_NAME } from "./runtime";

const RULES = join(__dirname, "../test/rules.test.yaml");
const log = logger();
const block = (n: number, fork = 0) => ({ number: n, hash: `0x${(n + fork * 1000).toString(16).padStart(64, "0")}`, parentHash: "0x", timestamp: 1_700_000_000 + n * 12 });
const obs = (value: number): Observation[] => [{ bot: "maker-vat", name: "vat.debt", labels: '{"ilk":"ETH-A"}', value }];

interface Point {
  bot: string;
  name: string;
  points: [number, number, number][];
}

async function vitals(url: string): Promise<[number, number][]> {
  const res = await fetch(`${url}/ui/api/vitals?since=0`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { series: Point[] };
  return body.series.filter((s) => s.name === "vat.debt").flatMap((s) => s.points.map(([, v, b]) => [b, v] as [number, number]));
}

async function scenario(sinkStore: string | undefined): Promise<void> {
  const file = join(tmpDir(), "state-1.sqlite");
  const store = new RuntimeStore(file);
  store.observations.intervalS = 0;
  store.registerSink(RUNTIME_SINK_NAME, false);
  const sameFile = sinkStore === undefined;
  let sink: Sink | undefined;
  let http: SinkHttp | undefined;
  try {
    sink = await openSink({ store: sinkStore ?? file, rules: RULES, deliver: false });
    const inProcess = new InProcessSink(sink, sameFile);
    http = sinkHttp(sink, { tokens: ["t0ken-for-tests"], host: "127.0.0.1", port: 0 });
    const { url } = await http.listen();
    const commit = async (n: number, value: number, fork = 0) => {
      store.commitBlock({ block: block(n, fork), findings: [], states: new Map(), next: n + 1, keepBlocks: 10, observations: obs(value) });
      await deliverObservations(store.observations, inProcess, 1, log);
    };
    for (let n = 1; n <= 3; n++) await commit(n, 100 + n);
    expect(await vitals(url)).toEqual([[1, 101], [2, 102], [3, 103]]);
    if (sameFile) return expect(inProcess.deliverObservations).toBeUndefined();

    // the runtime dies after the sink took a batch, before its record moved: delivered again, one copy
    await inProcess.deliverObservations!(store.observations.undelivered("another-position", 1));
    expect(await vitals(url)).toEqual([[1, 101], [2, 102], [3, 103]]);

    // a reorg of blocks 2-3: their points go, the new branch's come
    store.rewind(1, "test");
    await commit(2, 202, 1);
    expect(await vitals(url)).toEqual([[1, 101], [2, 202]]);
  } finally {
    await http?.close();
    await sink?.close();
    store.close();
  }
}

test("in the runtime's own SQLite file: the dashboard reads the runtime's observations (nothing delivered)", async () => {
  await scenario(undefined);
});

test("in another SQLite file: observations delivered into the sink's store, charted", async () => {
  await scenario(join(tmpDir(), "sink.sqlite"));
});

test("in PostgreSQL: observations delivered into the sink's store, charted (the charts were empty)", async () => {
  const pg = await freshPg();
  if (!pg) return;
  try {
    await scenario(pg.url);
  } finally {
    await pg.drop();
  }
});
