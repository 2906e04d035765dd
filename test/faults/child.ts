/**
 * The runtime as its own process, for the kill test (test/faults/suite.ts): runs the bots over
 * FAULTS_FROM..FAULTS_TO of FAULTS_RPC with its state in FAULTS_STATE (SQLite) and findings
 * appended to FAULTS_SINK (JSON lines), printing "block N" as each block starts so the parent
 * can kill it at chosen points.
 */
import { createLogger } from "../../shared/log";
import { RpcClient } from "../../shared/rpc/client";
import { HttpTransport } from "../../shared/rpc/transport";
import { botsFrom, loadBots } from "../../shared/runtime/discovery";
import { Runtime } from "../../shared/runtime/runtime";
import { JsonlFileSink } from "../../shared/runtime/sinks";
import { RuntimeStore } from "../../shared/runtime/store";

async function main(): Promise<void> {
  const e = process.env;
  const progress = botsFrom({
    "zz-progress": () => ({
      async handleBlock(ev) {
        process.stdout.write(`block ${ev.blockNumber}\n`);
        return [];
      },
    }),
  });
  const runtime = new Runtime({
    rpc: new RpcClient(new HttpTransport({ urls: [e.FAULTS_RPC!], timeoutMs: 5_000, retry: { retries: 5, baseDelayMs: 10, maxDelayMs: 100 } })),
    bots: [...loadBots(e.FAULTS_BOTS!.split(",")), ...progress],
    env: { MAKER_CHAINLOG: e.MAKER_CHAINLOG! },
    store: new RuntimeStore(e.FAULTS_STATE!),
    sinks: [new JsonlFileSink(e.FAULTS_SINK!)],
    log: createLogger({ level: "silent" }),
  });
  await runtime.open();
  await runtime.runRange(Number(e.FAULTS_FROM), Number(e.FAULTS_TO));
  await runtime.close();
  process.stdout.write("done\n");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`child failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
