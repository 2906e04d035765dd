/**
 * The runtime as its own process, for the kill test (test/faults/suite.ts): runs the bots over
 * FAULTS_FROM..FAULTS_TO of FAULTS_RPC with its state in FAULTS_STATE (SQLite) and findings
 * appended to FAULTS_SINK (JSON lines) and, with FAULTS_SINK_URL, posted to a standalone sink
 * (`vigil sink serve`, token in VIGIL_SINK_TOKEN) as `vigil run --sink-url` does, printing
 * "block N" as each block starts so the parent can kill it at chosen points. Exits 3 when a sink
 * is still owed findings at the end (as `vigil run` does), 0 when everything was delivered.
 */
import { createLogger } from "../../shared/log";
import { RpcClient } from "../../shared/rpc/client";
import { HttpTransport } from "../../shared/rpc/transport";
import { botsFrom, loadBots } from "../../shared/runtime/discovery";
import { Runtime } from "../../shared/runtime/runtime";
import { HttpFindingSink } from "../../shared/runtime/http-sink";
import { JsonlFileSink, type FindingSink } from "../../shared/runtime/sinks";
import { RuntimeStore } from "../../shared/runtime/store";

async function main(): Promise<number> {
  const e = process.env;
  const progress = botsFrom({
    "zz-progress": () => ({
      async handleBlock(ev) {
        process.stdout.write(`block ${ev.blockNumber}\n`);
        return [];
      },
    }),
  });
  const log = createLogger({ level: "silent" });
  const sinks: FindingSink[] = [new JsonlFileSink(e.FAULTS_SINK!)];
  if (e.FAULTS_SINK_URL) sinks.push(new HttpFindingSink({ url: e.FAULTS_SINK_URL, token: e.VIGIL_SINK_TOKEN ?? "", log }));
  const runtime = new Runtime({
    rpc: new RpcClient(new HttpTransport({ urls: [e.FAULTS_RPC!], timeoutMs: 5_000, retry: { retries: 5, baseDelayMs: 10, maxDelayMs: 100 } })),
    bots: [...loadBots(e.FAULTS_BOTS!.split(",")), ...progress],
    env: { MAKER_CHAINLOG: e.MAKER_CHAINLOG! },
    store: new RuntimeStore(e.FAULTS_STATE!),
    sinks,
    log,
  });
  await runtime.open();
  await runtime.runRange(Number(e.FAULTS_FROM), Number(e.FAULTS_TO));
  await runtime.close();
  const owed = runtime.undelivered();
  process.stdout.write(owed.length ? `undelivered ${JSON.stringify(owed)}\n` : "done\n");
  return owed.length ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`child failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
