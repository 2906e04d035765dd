/** Test helpers for the sink: findings, a fresh PostgreSQL database, a loopback receiver. */
import { randomBytes } from "crypto";
import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { Channel, ChannelFactory } from "../channels/channel";
import { ChannelError } from "../channels/channel";
import type { Notification, SourcedFinding } from "../model/notification";
import { verifyWebhook } from "../channels/webhook/payload";

export function tmpDir(): string {
  return mkdtempSync(join(tmpdir(), "vigil-sink-"));
}

export function finding(o: {
  alertId?: string;
  key: string;
  severity?: string;
  priority?: string;
  metadata?: Record<string, string>;
  bot?: string;
  block?: number;
  addresses?: string[];
  timestamp?: string;
  txHash?: string;
}): SourcedFinding {
  return {
    bot: o.bot ?? "maker-emergency",
    chainId: 1,
    blockNumber: o.block ?? 100,
    blockHash: `0x${"ab".repeat(32)}`,
    ...(o.txHash ? { txHash: o.txHash } : {}),
    finding: {
      name: `${o.alertId ?? "MAKER-ESM-FIRE"} finding`,
      description: `description of ${o.key}`,
      alertId: o.alertId ?? "MAKER-ESM-FIRE",
      protocol: "ethereum",
      severity: (o.severity ?? "Critical") as SourcedFinding["finding"]["severity"],
      type: "Suspicious",
      metadata: { priority: o.priority ?? "P0", ...o.metadata },
      addresses: o.addresses ?? ["0x00000000000000000000000000000000000000aa"],
      uniqueKey: o.key,
      timestamp: o.timestamp ?? "2026-01-01T00:00:00.000Z",
    },
  };
}

/** A fresh database on VIGIL_TEST_PG_URL (undefined when unset locally; an error under CI). */
export async function freshPg(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const base = process.env.VIGIL_TEST_PG_URL;
  if (!base) {
    if (process.env.CI === "true") throw new Error("VIGIL_TEST_PG_URL is not set: the sink's PostgreSQL tests need it under CI (.ci/postgres.sh)");
    // eslint-disable-next-line no-console
    console.log("VIGIL_TEST_PG_URL unset: skipping the PostgreSQL half of this test");
    return undefined;
  }
  const { Client } = await import("pg");
  const name = `vigil_sink_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Records what a test channel sent. */
export function memoryChannelFactory(sent: Notification[], opts: { fail?: () => ChannelError | undefined } = {}): ChannelFactory {
  return {
    kind: "console",
    secretFields: [],
    check: () => [],
    create: (name): Channel => ({
      name,
      kind: "console",
      async send(n) {
        const err = opts.fail?.();
        if (err) throw err;
        sent.push(n);
      },
    }),
  };
}

export interface Receiver {
  url: string;
  received: { id: string; incident: string; event: string; channel: string }[];
  up: boolean;
  close(): Promise<void>;
}

/**
 * A loopback receiver of the webhook channel (sink/channels/webhook) that can be taken "down"
 * (answers 503). With `secret`, it checks each message's signature as docs/sink-webhooks.md says
 * and refuses (401) what does not verify.
 */
export async function startReceiver(secret?: string): Promise<Receiver> {
  const r: Receiver = { url: "", received: [], up: true, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (!r.up) {
        res.writeHead(503, { "retry-after": "0" });
        return res.end("down");
      }
      try {
        const raw = Buffer.concat(chunks).toString("utf8");
        if (secret && !verifyWebhook(secret, { timestamp: req.headers["x-vigil-timestamp"] as string, signature: req.headers["x-vigil-signature"] as string }, raw, Date.now())) {
          res.writeHead(401);
          return res.end("bad signature");
        }
        const n = JSON.parse(raw) as Notification & { channel?: string };
        r.received.push({ id: n.id, incident: n.incident.id, event: n.event, channel: n.channel ?? "hook" });
        res.writeHead(200);
        res.end("ok");
      } catch {
        res.writeHead(400);
        res.end("bad json");
      }
    });
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () =>
    new Promise<void>((res) => {
      server.closeAllConnections();
      server.close(() => res());
    });
  return r;
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
