/**
 * `npm run bench`: speed and memory of the runtime, measured (never asserted in tests).
 *
 * - replay: the committed maker-emergency fixture replayed offline N times: blocks per second,
 *   JSON-RPC calls answered per block, heap after the runs.
 * - shared reads: K bots asking the same eth_call at the same block through one RpcClient: how
 *   many calls reach the node (the per-block cache should make it 1).
 */
import { Command, Option } from "commander";
import { isEntryPoint, REPO_ROOT } from "../shared/runtime/bundled";
import { join } from "path";
import { RpcClient } from "../shared/rpc/client";
import { FixtureTransport } from "../shared/rpc/fixture";
import type { RpcCall, RpcOutcome, RpcTransport } from "../shared/rpc/transport";
import { replayFixture } from "../shared/testing/replay";
import { parseNonNegative, runStandalone } from "./lib/options";

class CountingTransport implements RpcTransport {
  calls = 0;
  batches = 0;
  constructor(private readonly inner: RpcTransport) {}
  describe(): string {
    return this.inner.describe();
  }
  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    this.calls += calls.length;
    this.batches++;
    return this.inner.send(calls);
  }
}

async function bench(o: { runs: number; bots: number }): Promise<void> {
  const fixture = join(REPO_ROOT, "agents", "maker-emergency", "test", "fixtures", "storyline.json.gz");
  const meta = new FixtureTransport(fixture).meta;
  const blocks = meta.to - meta.from + 1;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < o.runs; i++) await replayFixture(fixture);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  const report: Record<string, unknown> = {
    replay: { fixture: "maker-emergency storyline", blocks, runs: o.runs, blocksPerSecond: Math.round((blocks * o.runs) / (ms / 1000)), msPerBlock: +(ms / (blocks * o.runs)).toFixed(2), heapMb: +heapMb.toFixed(1) },
  };

  // K bots reading the same state at the same block
  const counting = new CountingTransport({
    describe: () => "synthetic",
    send: async (calls) => calls.map(() => ({ ok: true as const, result: `0x${"00".repeat(31)}01` })),
  });
  const rpc = new RpcClient(counting);
  const call = { to: "0x35d1b3f3d7966a1dfe207aa4514c12a259a0492b", data: "0x0dca59c1" };
  await Promise.all(Array.from({ length: o.bots }, () => rpc.call(call, 19_000_000)));
  report.sharedReads = { bots: o.bots, callsSent: counting.calls, httpBatches: counting.batches };
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
}

export function benchCommand(): Command {
  return new Command("bench")
    .description("Measure the runtime: offline replay throughput and memory, and how many node calls K bots sharing a read cost.")
    .addOption(new Option("--runs <n>", "replays of the fixture").default(20).argParser(parseNonNegative))
    .addOption(new Option("--bots <k>", "bots asking the same question").default(12).argParser(parseNonNegative))
    .action(async (o: { runs: number; bots: number }) => bench(o))
    .addHelpText("after", "\nExample:\n  npx vigil bench --runs 50");
}

if (isEntryPoint(module)) runStandalone(benchCommand(), "npm run bench --");
