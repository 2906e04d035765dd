/**
 * Runtime and sink as two services over loopback: `vigil run --sink-url` posts its findings to a
 * `vigil sink serve` process (its own store, SINK_TOKENS), with the token from VIGIL_SINK_TOKEN.
 * The sink stores exactly what the runtime printed, in order, once. With the sink down the run
 * exits 3 saying the findings wait in the state file; started again once the sink is back, the
 * same runtime delivers them, and the sink still holds each finding once.
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { AnvilChain } from "../chain/anvil";
import { killSink, sinkStoreFindings, startSinkProcess, type SinkProcess } from "../faults/sink-process";
import { runTs } from "../../scripts/test/process";
import { TEST_BOTS_DIR, chainWithTraffic } from "./helpers";

const TOKEN = "e2e-sink-token-93c1f0a7";

let chain: AnvilChain;
let dir: string;
let sink: SinkProcess | undefined;

beforeAll(async () => {
  chain = await chainWithTraffic(24);
  dir = mkdtempSync(join(tmpdir(), "vigil-sink-http-"));
}, 300_000);

afterAll(async () => {
  if (sink) await killSink(sink);
  await chain?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const keysOf = (fs: { finding: { uniqueKey: string } }[]) => fs.map((f) => f.finding.uniqueKey);

function run(range: string, url: string, token = TOKEN) {
  return runTs(
    "scripts/run.ts",
    ["--rpc", chain.url, "--range", range, "--agents-dir", TEST_BOTS_DIR, "--bots", "counter", "--state", join(dir, "state.sqlite"), "--format", "json", "--sink-url", url],
    { LOG_LEVEL: "info", VIGIL_SINK_TOKEN: token },
  );
}

test("vigil run --sink-url: the standalone sink stores what the runtime found, once, and gets what it missed while down", async () => {
  const store = join(dir, "sink.sqlite");
  sink = await startSinkProcess({ store, tokens: `${TOKEN},another-token-xyz` });

  const first = run("1..12", sink.url);
  expect(first.err).not.toContain(TOKEN);
  expect(first.code).toBe(0);
  const printed = first.out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { finding: { uniqueKey: string } });
  expect(printed.length).toBeGreaterThan(3);
  expect(keysOf(sinkStoreFindings(store).findings)).toEqual(keysOf(printed));
  expect(first.err).toMatch(/"sinkUrl":"http:\/\/127\.0\.0\.1:\d+"/);

  // the sink goes down; the runtime's next range waits in its state file (exit 3 says so)
  const port = sink.port;
  await killSink(sink);
  sink = undefined;
  const down = run("13..24", `http://127.0.0.1:${port}`);
  expect(down.code).toBe(3);
  expect(down.err).toMatch(/findings could not be delivered: \d+ to vigil-sink-http \(the sink at http:\/\/127\.0\.0\.1:\d+ is unavailable .*\); they stay in .*state\.sqlite and are delivered at the next start/);
  expect(down.err).not.toContain(TOKEN);
  const missed = down.out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { finding: { uniqueKey: string } });
  expect(missed.length).toBeGreaterThan(0);

  // back on its address: the same range again delivers what waited, and nothing twice
  sink = await startSinkProcess({ store, tokens: TOKEN, port });
  const again = run("13..24", sink.url);
  expect(again.code).toBe(0);
  const { findings, rows } = sinkStoreFindings(store);
  expect(keysOf(findings)).toEqual([...keysOf(printed), ...keysOf(missed)]);
  expect(rows).toBe(printed.length + missed.length);

  // a token the sink does not know: nothing skipped, the run says what to fix; the right token delivers
  await chain.mine(3);
  const wrong = run("25..27", sink.url, "not-a-sink-token-000");
  expect(wrong.code).toBe(3);
  expect(wrong.err).toMatch(/HTTP 401: the bearer token is not one of SINK_TOKENS; set VIGIL_SINK_TOKEN to one of the sink's SINK_TOKENS/);
  const late = wrong.out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { finding: { uniqueKey: string } });
  expect(late.length).toBeGreaterThan(0);
  expect(run("25..27", sink.url).code).toBe(0);
  expect(keysOf(sinkStoreFindings(store).findings)).toEqual([...keysOf(printed), ...keysOf(missed), ...keysOf(late)]);
}, 900_000);

test("--sink-url refuses credentials in the URL and a missing token, in one line each", () => {
  const creds = runTs("scripts/run.ts", ["--rpc", "http://127.0.0.1:9", "--range", "1..2", "--agents-dir", TEST_BOTS_DIR, "--bots", "counter", "--sink-url", "http://ops:hunter2-secret@127.0.0.1:9"], {
    VIGIL_SINK_TOKEN: TOKEN,
  });
  expect(creds.code).toBe(2);
  expect(creds.err).toMatch(/^error: the sink URL http:\/\/127\.0\.0\.1:9\/… carries credentials; .*VIGIL_SINK_TOKEN/m);
  expect(creds.err).not.toContain("hunter2-secret");
  const none = runTs("scripts/run.ts", ["--rpc", "http://127.0.0.1:9", "--range", "1..2", "--agents-dir", TEST_BOTS_DIR, "--bots", "counter", "--sink-url", "http://127.0.0.1:9"], { VIGIL_SINK_TOKEN: "" });
  expect(none.code).toBe(2);
  expect(none.err).toMatch(/^error: VIGIL_SINK_TOKEN is empty: export VIGIL_SINK_TOKEN=<one of the sink's SINK_TOKENS>/m);
}, 300_000);
