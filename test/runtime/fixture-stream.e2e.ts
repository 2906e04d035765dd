/**
 * Fixtures stream: recording and replaying a long range holds a few blocks' answers at a time,
 * so memory does not grow with the fixture's length, and no line of the file (no string in the
 * process) holds more than one block's answers.
 *
 * Memory is measured after a forced garbage collection at two points of the same run (block
 * 200 and block 1,900 of 2,000) with a generous bound: with whole-fixture buffering the heap
 * grew by the answers of 1,700 blocks (~80 KB each here, ~130 MB); streamed it stays flat.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { setFlagsFromString } from "v8";
import { runInNewContext } from "vm";
import { createGunzip } from "zlib";
import { gzipSync } from "zlib";
import { writeFileSync } from "fs";
import { FixtureTransport, RecordingTransport, convertFixture, readFixtureMeta, FIXTURE_FORMAT } from "../../shared/rpc/fixture";
import { botsFrom } from "../../shared/runtime/discovery";
import { createFinding, defineAlerts, FindingSeverity, FindingType } from "../../shared/findings";
import { blockRefOf, type BotContext } from "../../shared/bot";
import { diffFindings, runOverTransport, toExpected } from "../../shared/testing/replay";
import { SyntheticChain } from "../fixtures/synthetic-chain";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const ALERTS = defineAlerts({ milestone: { id: "TEST-MILESTONE", name: "every 500 blocks", severity: FindingSeverity.Info, type: FindingType.Info } });

/** A bot that reads state at every block, looks at every transaction, and samples the heap at chosen blocks. */
function samplingBot(samples: Map<number, number>, at: readonly number[]) {
  return (ctx: BotContext) => {
    const state = ctx.persistent("m", () => ({ txs: 0 }));
    return {
      async handleBlock(e: { blockNumber: number; network: number; block: { hash: string; timestamp: number } }) {
        await ctx.rpc.request("eth_getBalance", [`0x${"22".repeat(20)}`, `0x${e.blockNumber.toString(16)}`]);
        if (at.includes(e.blockNumber)) {
          gc();
          samples.set(e.blockNumber, process.memoryUsage().heapUsed);
        }
        if (e.blockNumber % 500 !== 0) return [];
        return [createFinding(ALERTS.milestone, { description: `block ${e.blockNumber}: ${state.txs} txs`, key: [e.network, e.block.hash], block: blockRefOf(e as never) })];
      },
      async handleTransaction() {
        state.txs++;
        return [];
      },
    };
  };
}

async function maxLineLength(path: string): Promise<{ max: number; total: number; lines: number }> {
  let max = 0;
  let cur = 0;
  let total = 0;
  let lines = 0;
  for await (const chunk of createReadStream(path).pipe(createGunzip()) as AsyncIterable<Buffer>) {
    total += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === 10) {
        max = Math.max(max, cur);
        cur = 0;
        lines++;
      } else cur++;
    }
  }
  return { max: Math.max(max, cur), total, lines };
}

describe("streamed fixtures", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-stream-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("records and replays 2,000 blocks in constant memory, with identical findings", async () => {
    const from = 1;
    const to = 2000;
    const at = [200, 1900];
    const MB = 2 ** 20;
    const chain = new SyntheticChain({ head: to, txsPerBlock: 40, logsPerTx: 2 });
    const path = join(dir, "long.json.gz");

    const recSamples = new Map<number, number>();
    const recording = new RecordingTransport(chain, path);
    const recorded = await runOverTransport({ transport: recording, from, to, bots: botsFrom({ sampler: samplingBot(recSamples, at) }), env: {} });
    await recording.finish({ chainId: recorded.chainId, from, to, bots: ["sampler"], env: {}, recordedAt: new Date().toISOString() });
    expect(recorded.findings.map((f) => f.finding.description)).toEqual([500, 1000, 1500, 2000].map((n) => `block ${n}: ${(n - 1) * 40} txs`));

    // one line per block (plus the header and what precedes the range); no line holds more than one block
    const shape = await maxLineLength(path);
    expect(shape.total).toBeGreaterThan(100 * MB);
    expect(shape.max).toBeLessThan(1 * MB);
    expect(shape.lines).toBeGreaterThanOrEqual(to - from + 2);

    const repSamples = new Map<number, number>();
    const fixture = await FixtureTransport.open(path);
    const replayed = await runOverTransport({ transport: fixture, from, to, bots: botsFrom({ sampler: samplingBot(repSamples, at) }), env: {} });
    fixture.close();
    expect(diffFindings(toExpected(recorded.findings), toExpected(replayed.findings))).toEqual([]);
    expect(fixture.stats.linesHeld).toBeLessThanOrEqual(64);

    const growth = (s: Map<number, number>) => (s.get(1900)! - s.get(200)!) / MB;
    // ~130 MB of answers were read between the two samples; a generous bound that whole-fixture
    // buffering could never meet, and streaming meets with room to spare
    expect({ record: growth(recSamples) < 40, replay: growth(repSamples) < 40 }).toEqual({ record: true, replay: true });
  }, 600_000);

  it("reads format-1 fixtures, and converts them to format 2 with one command's function", async () => {
    const v1 = join(dir, "v1.json.gz");
    const chain = new SyntheticChain({ head: 5, txsPerBlock: 2, logsPerTx: 1 });
    const answers: Record<string, unknown> = {};
    const calls = [
      { method: "eth_chainId", params: [] },
      { method: "eth_getBlockByNumber", params: ["0x0", false] },
      ...[1, 2, 3].flatMap((n) => [
        { method: "eth_getBlockByNumber", params: [`0x${n}`, true] },
        { method: "eth_getBlockReceipts", params: [`0x${n}`] },
        { method: "eth_getBalance", params: [`0x${"22".repeat(20)}`, `0x${n}`] },
      ]),
    ];
    const outs = await chain.send(calls);
    calls.forEach((c, i) => (answers[`${c.method} ${JSON.stringify(c.params)}`] = outs[i]));
    writeFileSync(v1, gzipSync(JSON.stringify({ format: "vigil-rpc-fixture/1", chainId: 31337, from: 1, to: 3, bots: ["sampler"], env: {}, recordedAt: "2026-01-01T00:00:00Z", answers })));
    const bots = () => botsFrom({ sampler: samplingBot(new Map(), []) });
    const before = await runOverTransport({ transport: await FixtureTransport.open(v1), from: 1, to: 3, bots: bots(), env: {} });
    expect(await convertFixture(v1)).toBe(true);
    expect((await readFixtureMeta(v1)).format).toBe(FIXTURE_FORMAT);
    expect(await convertFixture(v1)).toBe(false); // already format 2
    const after = await runOverTransport({ transport: await FixtureTransport.open(v1), from: 1, to: 3, bots: bots(), env: {} });
    expect(after.chainId).toBe(before.chainId);
    expect(statSync(v1).size).toBeGreaterThan(0);
  });

  it("refuses a damaged fixture with an error naming the file and what to do", async () => {
    const bad = join(dir, "bad.json.gz");
    writeFileSync(bad, "not gzip at all");
    await expect(FixtureTransport.open(bad)).rejects.toThrow(/bad\.json\.gz is not a usable Vigil fixture: not gzip-compressed JSON lines/);
    writeFileSync(bad, gzipSync('{"format":"vigil-rpc-fixture/2","chainId":1,"from":5,"to":2,"bots":[],"env":{}}\n'));
    await expect(FixtureTransport.open(bad)).rejects.toThrow(/its header lacks or has bad from\/to; re-record it/);
    await expect(FixtureTransport.open(join(dir, "missing.json.gz"))).rejects.toThrow(/missing\.json\.gz is not a usable Vigil fixture: cannot read it/);
  });
});
