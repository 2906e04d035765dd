/**
 * FortaExternalSink against a loopback server speaking Forta's documented sendAlerts API:
 * findings arrive as the v2 SDK sends them, in batches of at most 50, with the API key as a
 * bearer token; refusals and server errors make the batch fail (the runtime delivers it again).
 */
import { createServer, type Server } from "http";
import type { StoredFinding } from "../runtime/store";
import { FortaExternalSink, SEND_ALERTS_MUTATION, batches } from "./external-sink";

const BOT_ID = `0x${"ab".repeat(32)}`;
const KEY = "fk_secret_api_key_123";

interface Received {
  auth: string | undefined;
  query: string;
  alerts: { botId: string; finding: Record<string, unknown> }[];
}

/** A loopback Forta API: checks the request as the documented schema would, answers per alert. */
async function fortaApi(answer: (r: Received) => { status?: number; body: unknown }): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (d) => (text += String(d)));
    req.on("end", () => {
      const body = JSON.parse(text) as { query: string; variables: { alerts: Received["alerts"] } };
      const r = { auth: req.headers.authorization, query: body.query, alerts: body.variables.alerts };
      got.push(r);
      const a = answer(r);
      res.writeHead(a.status ?? 200, { "content-type": "application/json" });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`, got, server };
}

const ok = (r: Received) => ({ body: { data: { sendAlerts: { alerts: r.alerts.map((_, i) => ({ alertHash: `0x${i}`, error: null })) } } } });

function finding(i: number, tx = true): StoredFinding {
  return {
    seq: i,
    bot: "maker-psm",
    chainId: 1,
    blockNumber: 100 + i,
    blockHash: `0x${"11".repeat(32)}`,
    ...(tx ? { txHash: `0x${"22".repeat(32)}` } : {}),
    finding: {
      name: "Run on a PSM's reserve",
      description: `run ${i}`,
      alertId: "MAKER-PSM-RUN",
      protocol: "makerdao",
      severity: "High",
      type: "Suspicious",
      metadata: { share: "0.29", episode: "opened" },
      addresses: [],
      uniqueKey: `0x${i.toString(16).padStart(64, "0")}`,
      timestamp: "2026-12-06T08:00:00.000Z",
    },
  };
}

const noRetry = { retries: 0, baseDelayMs: 1, maxDelayMs: 1 };

describe("FortaExternalSink", () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it("sends findings as the external bot's alerts, in batches of at most 50, with the API key as bearer", async () => {
    const api = await fortaApi(ok);
    servers.push(api.server);
    const sink = new FortaExternalSink({ botId: BOT_ID, apiKey: KEY, apiUrl: api.url, retry: noRetry });
    await sink.deliver(Array.from({ length: 120 }, (_, i) => finding(i, i % 2 === 0)));
    expect(api.got.map((r) => r.alerts.length)).toEqual([50, 50, 20]);
    expect(api.got.every((r) => r.auth === `Bearer ${KEY}` && r.query === SEND_ALERTS_MUTATION)).toBe(true);
    const first = api.got[0]!.alerts[0]!;
    expect(first.botId).toBe(BOT_ID);
    expect(first.finding).toEqual({
      name: "Run on a PSM's reserve",
      description: "run 0",
      alertId: "MAKER-PSM-RUN",
      severity: "HIGH",
      type: "SUSPICIOUS",
      metadata: { share: "0.29", episode: "opened" },
      uniqueKey: `0x${"0".repeat(64)}`,
      timestamp: "2026-12-06T08:00:00.000Z",
      source: { chains: [{ chainId: 1 }], blocks: [{ chainId: 1, number: 100, hash: `0x${"11".repeat(32)}` }], transactions: [{ chainId: 1, hash: `0x${"22".repeat(32)}` }] },
      private: false,
    });
    // a block finding has no transaction source; empty addresses are left out as the SDK does
    expect(api.got[0]!.alerts[1]!.finding.source).toEqual({ chains: [{ chainId: 1 }], blocks: [{ chainId: 1, number: 101, hash: `0x${"11".repeat(32)}` }] });
  });

  it("fails the batch (for the runtime to deliver again) when Forta refuses an alert, answers with errors or a 5xx; the key never shows", async () => {
    const refuse = await fortaApi((r) => ({ body: { data: { sendAlerts: { alerts: r.alerts.map((_, i) => ({ alertHash: "", error: i === 1 ? { code: "INVALID", message: "bad metadata" } : null })) } } } }));
    const errors = await fortaApi(() => ({ body: { errors: [{ message: "unauthorized bot" }] } }));
    const down = await fortaApi(() => ({ status: 503, body: {} }));
    servers.push(refuse.server, errors.server, down.server);
    const sink = (url: string) => new FortaExternalSink({ botId: BOT_ID, apiKey: KEY, apiUrl: url, retry: noRetry });
    const batch = [finding(1), finding(2)];
    await expect(sink(refuse.url).deliver(batch)).rejects.toThrow(/refused 1 of 2 alerts \(MAKER-PSM-RUN: INVALID bad metadata\); the batch will be sent again/);
    await expect(sink(errors.url).deliver(batch)).rejects.toThrow(/refused sendAlerts: unauthorized bot/);
    const err = await sink(down.url).deliver(batch).catch((e: Error) => e);
    expect(String(err)).toMatch(/503/);
    for (const e of [err]) expect(String((e as Error).message)).not.toContain(KEY);
  });

  it("refuses a bad bot id or a missing key at start, naming the setting", () => {
    expect(() => FortaExternalSink.fromEnv({ FORTA_BOT_ID: "0x12", FORTA_API_KEY: KEY })).toThrow(/FORTA_BOT_ID "0x12" is not a bot id/);
    expect(() => FortaExternalSink.fromEnv({ FORTA_BOT_ID: BOT_ID })).toThrow(/FORTA_API_KEY is empty/);
    expect(FortaExternalSink.fromEnv({ FORTA_BOT_ID: BOT_ID, FORTA_API_KEY: KEY }).name).toBe(`forta:${BOT_ID}`);
  });

  it("splits by size too: no request over the limit", () => {
    expect(batches(["a".repeat(40), "b".repeat(40), "c"], 50, 60).map((b) => b.length)).toEqual([1, 2]);
    expect(() => batches(["x".repeat(100)], 50, 60)).toThrow(/over the 60 bytes/);
  });
});
