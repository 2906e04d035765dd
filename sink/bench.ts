/**
 * `benchSink(opts)`: the sink's intake throughput over HTTP (findings per second, SQLite and,
 * when a PostgreSQL URL is given, PostgreSQL) and the latency from intake to a loopback receiver
 * (p50, p99). Called by `npm run bench` (scripts/bench.ts); runs in-process on loopback.
 */
import { mkdtempSync, rmSync } from "fs";
import { createServer } from "http";
import type { AddressInfo } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { randomBytes } from "crypto";
import type { Channel, ChannelFactory } from "./channels/channel";

import { openSink, sinkHttp } from "./main";
import type { Notification, SourcedFinding } from "./model/notification";
import { pino } from "pino";
import { isEntryPoint } from "../shared/runtime/bundled";

export interface SinkBenchOptions {
  /** findings posted per backend (default 5,000) */
  findings?: number;
  /** findings per request (default 50) */
  batch?: number;
  /** concurrent clients (default 4) */
  concurrency?: number;
  /** a PostgreSQL server URL to also measure on (a scratch database is created and dropped) */
  pgUrl?: string;
  /** messages timed for the latency figure (default 200) */
  latencySamples?: number;
}

export interface SinkBenchResult {
  intake: { backend: "sqlite" | "pg"; findings: number; seconds: number; findingsPerSecond: number }[];
  latencyMs: { samples: number; p50: number; p99: number };
}

const TOKEN = randomBytes(16).toString("hex");
const quiet = pino({ level: "silent" });

function sample(i: number, tag: string, now = Date.now()): SourcedFinding {
  return {
    bot: "bench",
    chainId: 1,
    blockNumber: i,
    blockHash: "0x" + "11".repeat(32),
    finding: {
      name: "bench",
      description: `bench finding ${i}`,
      alertId: "BENCH-ALERT",
      protocol: "ethereum",
      severity: "High",
      type: "Info",
      metadata: { priority: "P1", sentAt: String(now) },
      addresses: [`0x${(i % 1000).toString(16).padStart(40, "0")}`],
      uniqueKey: `${tag}-${i}`,
      timestamp: new Date(now).toISOString(),
    },
  };
}

function rulesFile(dir: string): string {
  const f = join(dir, "rules.yaml");
  require("fs").writeFileSync(
    f,
    `settings: { digestPriorities: [], cooldown: 0s, rateLimitPerMinute: 1000000 }
channels: { hook: { kind: console } }
owners: { bench: { name: Bench, channels: [hook] } }
defaults: { owner: bench }
`,
  );
  return f;
}

async function intake(store: string, rules: string, o: Required<Omit<SinkBenchOptions, "pgUrl">>, backend: "sqlite" | "pg") {
  const sink = await openSink({ store, rules, log: quiet, deliver: false });
  const http = sinkHttp(sink, { tokens: [TOKEN], maxBodyBytes: 16 * 1024 * 1024 });
  const { url } = await http.listen();
  const tag = randomBytes(4).toString("hex");
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      for (;;) {
        const start = next;
        if (start >= o.findings) return;
        next += o.batch;
        const body = Array.from({ length: Math.min(o.batch, o.findings - start) }, (_, k) => sample(start + k, tag));
        const res = await fetch(`${url}/v1/findings`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
        if (res.status !== 200) throw new Error(`bench intake answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await http.close();
  await sink.close();
  return { backend, findings: o.findings, seconds, findingsPerSecond: Math.round(o.findings / seconds) };
}

async function latency(dir: string, rules: string, samples: number): Promise<SinkBenchResult["latencyMs"]> {
  const got: number[] = [];
  let done: () => void = () => undefined;
  const all = new Promise<void>((r) => (done = r));
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = JSON.parse(Buffer.concat(chunks).toString()) as Notification;
      got.push(Date.now() - Number(n.findings[0]!.finding.metadata.sentAt));
      res.end("ok");
      if (got.length >= samples) done();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  // a loopback POST per message, like a webhook channel would do
  const post: ChannelFactory = {
    kind: "console",
    secretFields: [],
    check: () => [],
    create: (name): Channel => ({
      name,
      kind: "console",
      async send(n) {
        const r = await fetch(target, { method: "POST", body: JSON.stringify(n), headers: { "content-type": "application/json" } });
        await r.arrayBuffer();
      },
    }),
  };
  const sink = await openSink({ store: join(dir, "latency.sqlite"), rules, log: quiet, factories: { console: post }, worker: { pollMs: 5 } });
  const http = sinkHttp(sink, { tokens: [TOKEN] });
  const { url } = await http.listen();
  for (let i = 0; i < samples; i++) {
    const f = sample(i, "lat", Date.now());
    f.finding.addresses = [`0x${i.toString(16).padStart(40, "0")}`]; // one incident each
    await fetch(`${url}/v1/findings`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(f) }).then((r) => r.arrayBuffer());
  }
  await all;
  await http.close();
  await sink.close();
  await new Promise<void>((r) => receiver.close(() => r()));
  const sorted = got.sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { samples: sorted.length, p50: pct(50), p99: pct(99) };
}

export async function benchSink(opts: SinkBenchOptions = {}): Promise<SinkBenchResult> {
  const o = { findings: opts.findings ?? 5000, batch: opts.batch ?? 50, concurrency: opts.concurrency ?? 4, latencySamples: opts.latencySamples ?? 200 };
  const dir = mkdtempSync(join(tmpdir(), "vigil-sink-bench-"));
  const rules = rulesFile(dir);
  try {
    const results: SinkBenchResult["intake"] = [await intake(join(dir, "bench.sqlite"), rules, o, "sqlite")];
    if (opts.pgUrl) {
      const { Client } = await import("pg");
      const name = `vigil_sink_bench_${randomBytes(4).toString("hex")}`;
      const admin = new Client({ connectionString: opts.pgUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const u = new URL(opts.pgUrl);
        u.pathname = `/${name}`;
        results.push(await intake(u.toString(), rules, o, "pg"));
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    }
    return { intake: results, latencyMs: await latency(dir, rules, o.latencySamples) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(module)) {
  benchSink({ pgUrl: process.env.VIGIL_TEST_PG_URL ?? process.env.SINK_DATABASE_URL })
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"))
    .catch((err) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exitCode = 1;
    });
}
