/**
 * Record and replay: a range recorded from a node replays with no node at all, identically;
 * a replay that needs an answer the fixture lacks fails loudly, naming the request.
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { HttpTransport } from "../../shared/rpc/transport";
import { FixtureTransport } from "../../shared/rpc/fixture";
import { loadBots } from "../../shared/runtime/discovery";
import { runOverTransport, toExpected, diffFindings } from "../../shared/testing/replay";
import { TEST_BOTS_DIR, chainWithTraffic } from "./helpers";
import { RecordingTransport } from "../../shared/rpc/fixture";

describe("record and replay", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-fixture-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("replays a recorded range offline with identical findings, and names a request it cannot answer", async () => {
    const chain = await chainWithTraffic(12);
    const path = join(dir, "counter.json.gz");
    const bots = loadBots(["counter"], TEST_BOTS_DIR);
    let recorded;
    try {
      const recording = new RecordingTransport(new HttpTransport({ urls: [chain.url] }), path);
      recorded = await runOverTransport({ transport: recording, from: 1, to: 12, bots, env: {} });
      await recording.finish({ chainId: recorded.chainId, from: 1, to: 12, bots: ["counter"], env: {}, recordedAt: new Date().toISOString() });
    } finally {
      await chain.stop(); // no node from here on
    }
    const replayed = await runOverTransport({ transport: await FixtureTransport.open(path), from: 1, to: 12, bots, env: {} });
    expect(diffFindings(toExpected(recorded.findings), toExpected(replayed.findings))).toEqual([]);
    expect(replayed.findings.length).toBe(recorded.findings.length);

    // asking for one block more than was recorded is an answer the fixture lacks
    const err = await runOverTransport({ transport: await FixtureTransport.open(path), from: 1, to: 13, bots, env: {} }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/fixture .*counter\.json\.gz has no answer for eth_getBlockByNumber \["0xd",true\]/);
    expect((err as Error).message).toMatch(/npm run record -- --rpc <URL> --range 1\.\.12/);
  });
});
