/**
 * A sink instance for the crash test: what `vigil sink serve` runs, with worker timings short
 * enough for a test (lease 20 s, backoff 50-400 ms). The lease is no shorter: a claim of 16 rows
 * sent one by one to a receiver on a loaded machine can take seconds, and a lease running out
 * mid-send makes another instance send the rows again, which the test counts against the kills. argv: <store> <rules>. Prints
 * "listening <url>" when ready.
 */

import { openSink, sinkHttp } from "../main";
import { logger } from "../../shared/log";

async function main(): Promise<void> {
  const [store, rules] = process.argv.slice(2);
  const sink = await openSink({
    store: store!,
    rules,
    log: logger(),
    worker: { pollMs: 20, leaseMs: 20_000, backoffBaseMs: 50, backoffMaxMs: 400 },
  });
  const http = sinkHttp(sink, { tokens: (process.env.SINK_TOKENS ?? "").split(","), port: 0 });
  const { url } = await http.listen();
  process.stdout.write(`listening ${url}\n`);
  process.on("SIGTERM", () => void http.close().then(() => sink.close()).then(() => process.exit(0)));
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(2);
});
