/**
 * A sink instance for the crash test: `sink serve` with a minimal webhook-like test channel
 * (POSTs the notification as JSON with its channel name) so the test does not depend on the
 * channels work. argv: <store> <rules>. Prints "listening <url>" when ready.
 */
import type { Channel, ChannelFactory } from "../channels/channel";
import { ChannelError } from "../channels/channel";
import { SinkHttp } from "../http/server";
import { openSink } from "../main";
import { logger } from "../../shared/log";

const testWebhook: ChannelFactory = {
  kind: "webhook",
  secretFields: ["url"],
  check: (o) => (typeof o.url === "string" ? [] : ["url: required"]),
  create: (name, o): Channel => ({
    name,
    kind: "webhook",
    async send(n) {
      let res: Response;
      try {
        res = await fetch(String(o.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...n, channel: name }) });
      } catch (err) {
        throw new ChannelError(`receiver unreachable: ${(err as Error).message}`, true);
      }
      if (!res.ok) throw new ChannelError(`receiver answered ${res.status}`, res.status >= 500 || res.status === 429, Number(res.headers.get("retry-after") ?? 0) * 1000);
    },
  }),
};

async function main(): Promise<void> {
  const [store, rules] = process.argv.slice(2);
  const sink = await openSink({
    store: store!,
    rules,
    log: logger(),
    factories: { webhook: testWebhook },
    worker: { pollMs: 20, leaseMs: 3000, backoffBaseMs: 50, backoffMaxMs: 400 },
  });
  const http = new SinkHttp(sink, { tokens: (process.env.SINK_TOKENS ?? "").split(","), port: 0 });
  const { url } = await http.listen();
  process.stdout.write(`listening ${url}\n`);
  process.on("SIGTERM", () => void http.close().then(() => sink.close()).then(() => process.exit(0)));
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(2);
});
