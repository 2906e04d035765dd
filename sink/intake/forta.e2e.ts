/**
 * The Forta poller against a loopback GraphQL server speaking the documented alerts API:
 * POST /graphql, Bearer key, `alerts(input: AlertsInput)` with bots, chainId, first, after
 * (AlertEndCursorInput {alertId, blockNumber}) or createdSince; answers
 * {data: {alerts: {alerts, pageInfo: {hasNextPage, endCursor}}}}.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "http";
import type { AddressInfo } from "net";
import type { SourcedFinding } from "../model/notification";
import { alertToFinding, decodeCursor, FortaApiError, FortaPoller, fortaConfigProblems, startFortaPoller, type CursorStore } from "./forta";

const KEY = "forta-api-key-0123456789abcdef";
const BOT_A = `0x${"a1".repeat(32)}`;
const BOT_B = `0x${"b2".repeat(32)}`;

interface Alert {
  hash: string;
  alertId: string;
  name: string;
  description: string;
  severity: string;
  findingType: string;
  protocol: string;
  metadata: Record<string, unknown>;
  addresses: string[];
  createdAt: string;
  chainId: number;
  source: { transactionHash: string; bot: { id: string }; block: { number: number; hash: string; timestamp: string; chainId: number } };
}

function makeAlert(i: number): Alert {
  const block = 19_000_000 + Math.floor(i / 3); // three alerts per block
  return {
    hash: `0x${i.toString(16).padStart(64, "0")}`,
    alertId: i % 2 ? "FORTA-1" : "ATTACK-DETECTOR-2",
    name: `Alert ${i}`,
    description: `Something at index ${i}`,
    severity: i % 5 === 0 ? "CRITICAL" : "HIGH",
    findingType: i % 2 ? "SUSPICIOUS" : "EXPLOIT",
    protocol: "ethereum",
    metadata: { index: i, note: "n" },
    addresses: [`0x${"c".repeat(40)}`],
    createdAt: new Date(Date.UTC(2026, 11, 6, 7, 0, i)).toISOString(),
    chainId: 1,
    source: { transactionHash: `0x${(i + 1000).toString(16).padStart(64, "0")}`, bot: { id: i % 2 ? BOT_B : BOT_A }, block: { number: block, hash: `0x${block.toString(16).padStart(64, "0")}`, timestamp: "2026-12-06T07:00:00Z", chainId: 1 } },
  };
}

interface Seen {
  headers: IncomingHttpHeaders;
  input: Record<string, unknown>;
  query: string;
  path: string;
  method: string;
}

/** A fake of Forta's alerts API: alerts in block order; endCursor {alertId: <last alert's hash>, blockNumber}. */
class FakeForta {
  readonly alerts: Alert[] = [];
  readonly seen: Seen[] = [];
  readonly faults: { status: number; headers?: Record<string, string>; body?: string }[] = [];
  private server!: Server;
  url = "";

  add(n: number): void {
    const start = this.alerts.length;
    for (let i = start; i < start + n; i++) this.alerts.push(makeAlert(i));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { "content-type": "application/json", ...headers });
          res.end(typeof body === "string" ? body : JSON.stringify(body));
        };
        let parsed: { query?: string; variables?: { input?: Record<string, unknown> } };
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof parsed;
        } catch {
          return reply(400, { errors: [{ message: "body is not JSON" }] });
        }
        const input = parsed.variables?.input ?? {};
        this.seen.push({ headers: req.headers, input, query: parsed.query ?? "", path: req.url ?? "", method: req.method ?? "" });
        const fault = this.faults.shift();
        if (fault) return reply(fault.status, fault.body ?? { errors: [{ message: "fault" }] }, fault.headers);
        if (req.headers.authorization !== `Bearer ${KEY}`) return reply(401, { errors: [{ message: "unauthorized" }] });
        if (!/alerts\s*\(\s*input\s*:\s*\$input\s*\)/.test(parsed.query ?? "")) return reply(400, { errors: [{ message: "unexpected query" }] });
        const bots = input.bots as string[];
        const first = input.first as number;
        let list = this.alerts.filter((a) => bots.includes(a.source.bot.id) && a.chainId === input.chainId);
        const after = input.after as { alertId: string; blockNumber: number } | undefined;
        if (after) {
          const i = list.findIndex((a) => a.hash === after.alertId);
          list = i >= 0 ? list.slice(i + 1) : list.filter((a) => a.source.block.number > after.blockNumber);
        }
        const page = list.slice(0, first);
        const last = page[page.length - 1];
        reply(200, {
          data: {
            alerts: {
              alerts: page,
              pageInfo: { hasNextPage: list.length > first, endCursor: last ? { alertId: last.hash, blockNumber: last.source.block.number } : null },
            },
          },
        });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

class MemoryCursors implements CursorStore {
  readonly values = new Map<string, string>();
  readonly writes: string[] = [];
  async getCursor(name: string) {
    return this.values.get(name);
  }
  async setCursor(name: string, value: string) {
    this.values.set(name, value);
    this.writes.push(value);
  }
}

/** An intake that keeps what it accepted, and (like the sink's) counts a uniqueKey once. */
class Intake {
  readonly accepted: SourcedFinding[] = [];
  readonly keys = new Set<string>();
  submits = 0;
  failNext: Error | undefined;
  async submit(findings: SourcedFinding[]) {
    this.submits++;
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = undefined;
      throw e;
    }
    for (const f of findings) {
      this.accepted.push(f);
      this.keys.add(f.finding.uniqueKey);
    }
  }
}

describe("Forta GraphQL alerts poller", () => {
  let api: FakeForta;
  beforeEach(async () => {
    api = await new FakeForta().start();
  });
  afterEach(() => api.stop());

  const poller = (cursors: CursorStore, intake: Intake, extra: Partial<ConstructorParameters<typeof FortaPoller>[0]> = {}) =>
    new FortaPoller({ bots: [BOT_A, BOT_B], chainId: 1, apiKey: KEY, url: api.url, pageSize: 10, lookbackMs: 3_600_000, cursors, submit: (f) => intake.submit(f), ...extra });

  it("pages through every alert in order, submitting each page before storing its cursor, with the documented request shape", async () => {
    api.add(25);
    const cursors = new MemoryCursors();
    const intake = new Intake();
    const order: string[] = [];
    const p = new FortaPoller({
      bots: [BOT_A, BOT_B],
      chainId: 1,
      apiKey: KEY,
      url: api.url,
      pageSize: 10,
      cursors: { getCursor: (n) => cursors.getCursor(n), setCursor: async (n, v) => (order.push("cursor"), cursors.setCursor(n, v)) },
      submit: async (f) => (order.push(`submit ${f.length}`), intake.submit(f)),
    });
    const r = await p.pollOnce();
    expect(r).toMatchObject({ pages: 3, findings: 25 });
    expect(order).toEqual(["submit 10", "cursor", "submit 10", "cursor", "submit 5", "cursor"]);
    expect(intake.accepted.map((f) => f.finding.uniqueKey)).toEqual(api.alerts.map((a) => a.hash));
    // the request contract
    const [first, second] = api.seen;
    expect(first!.method).toBe("POST");
    expect(first!.path).toBe("/graphql");
    expect(first!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(first!.headers["content-type"]).toBe("application/json");
    expect(first!.query).toMatch(/pageInfo\s*\{\s*hasNextPage\s+endCursor\s*\{\s*alertId\s+blockNumber\s*\}/);
    expect(first!.input).toEqual({ bots: [BOT_A, BOT_B], chainId: 1, first: 10, blockSortDirection: "asc", createdSince: 3_600_000 });
    expect(second!.input).toEqual({ bots: [BOT_A, BOT_B], chainId: 1, first: 10, blockSortDirection: "asc", after: { alertId: api.alerts[9]!.hash, blockNumber: 19_000_003 } });
    expect(decodeCursor(cursors.values.get(p.name))).toEqual({ alertId: api.alerts[24]!.hash, blockNumber: 19_000_008 });
  });

  it("maps a Forta alert to a SourcedFinding (enums, string metadata, tx, block, bot, hash as uniqueKey)", () => {
    const f = alertToFinding(makeAlert(5), { chainId: 1 });
    expect(f).toEqual({
      bot: BOT_B,
      chainId: 1,
      blockNumber: 19_000_001,
      blockHash: `0x${(19_000_001).toString(16).padStart(64, "0")}`,
      txHash: `0x${(1005).toString(16).padStart(64, "0")}`,
      finding: {
        name: "Alert 5",
        description: "Something at index 5",
        alertId: "FORTA-1",
        protocol: "ethereum",
        severity: "Critical",
        type: "Suspicious",
        metadata: { index: "5", note: "n" },
        addresses: [`0x${"c".repeat(40)}`],
        uniqueKey: `0x${(5).toString(16).padStart(64, "0")}`,
        timestamp: "2026-12-06T07:00:05.000Z",
      },
    });
    const problems: string[] = [];
    const odd = alertToFinding({ alertId: "X", severity: "weird", metadata: null, source: null }, { chainId: 10, bot: BOT_A }, problems);
    expect(odd).toMatchObject({ bot: BOT_A, chainId: 10, blockNumber: 0, finding: { severity: "Unknown", type: "Unknown", uniqueKey: expect.stringMatching(/^0x[0-9a-f]{64}$/) } });
    expect(problems).toHaveLength(2);
  });

  it("keeps a cursor as the API gave it (blockNumber as a string, as in Forta's own example) and passes it back unchanged", async () => {
    api.add(3);
    const cursors = new MemoryCursors();
    await cursors.setCursor("c", JSON.stringify({ v: 1, alertId: api.alerts[0]!.hash, blockNumber: "19000000" }));
    const intake = new Intake();
    const positions: (string | undefined)[] = [];
    const p = poller(cursors, intake, { name: "c", submit: async (f, pos) => (positions.push(pos?.cursor), intake.submit(f)) });
    await p.pollOnce();
    expect(api.seen[0]!.input.after).toEqual({ alertId: api.alerts[0]!.hash, blockNumber: "19000000" });
    expect(intake.accepted.map((f) => f.finding.uniqueKey)).toEqual([api.alerts[1]!.hash, api.alerts[2]!.hash]);
    // submit is told the position its page ends at (for a store that commits both at once)
    expect(positions).toEqual([cursors.values.get("c")]);
  });

  it("picks up only new alerts on the next poll (no duplicate), and nothing when nothing is new", async () => {
    api.add(12);
    const cursors = new MemoryCursors();
    const intake = new Intake();
    const p = poller(cursors, intake);
    await p.pollOnce();
    expect(intake.accepted).toHaveLength(12);
    const quiet = await p.pollOnce();
    expect(quiet).toMatchObject({ pages: 1, findings: 0 });
    api.add(4);
    const r = await p.pollOnce();
    expect(r.findings).toBe(4);
    expect(intake.accepted.map((f) => f.finding.uniqueKey)).toEqual(api.alerts.map((a) => a.hash));
    expect(api.seen[api.seen.length - 1]!.input.createdSince).toBeUndefined();
  });

  it("restarts in the middle without gap or duplicate: a failed submit leaves the cursor on the last accepted page", async () => {
    api.add(35);
    const cursors = new MemoryCursors();
    const intake = new Intake();
    // the first process takes page 1, then dies while submitting page 2
    let pages = 0;
    const dying = poller(cursors, intake, {
      submit: async (f) => {
        if (++pages === 2) throw new Error("killed");
        await intake.submit(f);
      },
    });
    await expect(dying.pollOnce()).rejects.toThrow("killed");
    expect(intake.accepted).toHaveLength(10);
    expect(decodeCursor(cursors.values.get(dying.name))).toEqual({ alertId: api.alerts[9]!.hash, blockNumber: 19_000_003 });
    // a new process with the same cursor store takes over
    const restarted = poller(cursors, intake);
    await restarted.pollOnce();
    const keys = intake.accepted.map((f) => f.finding.uniqueKey);
    expect(keys).toEqual(api.alerts.map((a) => a.hash)); // every alert, in order, once
  });

  it("a crash after submit but before the cursor is stored re-submits the same uniqueKeys (the idempotent intake keeps them once)", async () => {
    api.add(20);
    const intake = new Intake();
    const cursors = new MemoryCursors();
    let writes = 0;
    const crashing = poller(
      {
        getCursor: (n) => cursors.getCursor(n),
        setCursor: async (n, v) => {
          if (++writes === 2) throw new Error("killed before the cursor was written");
          await cursors.setCursor(n, v);
        },
      },
      intake,
    );
    await expect(crashing.pollOnce()).rejects.toThrow("killed");
    await poller(cursors, intake).pollOnce();
    expect(intake.accepted).toHaveLength(30); // page 2 submitted twice
    expect(intake.keys.size).toBe(20);
    expect([...intake.keys]).toEqual(api.alerts.map((a) => a.hash));
  });

  it("backs off on 429 (honouring Retry-After) and on 500, then resumes from its cursor", async () => {
    api.add(25);
    const cursors = new MemoryCursors();
    const intake = new Intake();
    const waits: number[] = [];
    const stop = new AbortController();
    const logs: string[] = [];
    // page 1 fine, then a 429 asking for 7 s, then a 500, then the rest
    let served = 0;
    const p = poller(cursors, intake, {
      random: () => 0.5,
      retry: { maxAttempts: Infinity, baseDelayMs: 1000, maxDelayMs: 60_000, maxRetryAfterMs: 3_600_000 },
      intervalMs: 30_000,
      log: (_l, m) => logs.push(m),
      submit: async (f) => {
        await intake.submit(f);
        if (++served === 1) api.faults.push({ status: 429, headers: { "retry-after": "7" }, body: '{"errors":[{"message":"rate limited"}]}' }, { status: 500, body: "oops" });
      },
      sleep: async (ms) => {
        waits.push(ms);
        if (intake.accepted.length === 25) stop.abort();
      },
    });
    await p.run(stop.signal);
    expect(waits[0]).toBe(7000); // Retry-After beats the jittered 500 ms
    expect(waits[1]).toBe(1000); // second failure: 0.5 * 2000
    expect(waits[2]).toBe(30_000); // caught up: the poll interval
    expect(intake.accepted.map((f) => f.finding.uniqueKey)).toEqual(api.alerts.map((a) => a.hash));
    expect(logs.join("\n")).toMatch(/HTTP 429 \(rate limited\)/);
    expect(logs.join("\n")).toMatch(/HTTP 500/);
    expect(logs.join("\n")).not.toContain(KEY);
  });

  it("a refused key is not retried quickly, says to check FORTA_API_KEY, and never shows the key", async () => {
    api.add(3);
    const intake = new Intake();
    const bad = poller(new MemoryCursors(), intake, { apiKey: "wrong-key-0123456789abcdef" });
    const err = await bad.pollOnce().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FortaApiError);
    expect((err as FortaApiError).retryable).toBe(false);
    expect((err as FortaApiError).message).toMatch(/FORTA_API_KEY/);
    expect((err as FortaApiError).message).not.toContain("wrong-key-0123456789abcdef");
    // in the loop: the longest backoff, not a quick retry
    const waits: number[] = [];
    const stop = new AbortController();
    const looping = poller(new MemoryCursors(), intake, {
      apiKey: "wrong-key-0123456789abcdef",
      retry: { maxAttempts: Infinity, baseDelayMs: 1000, maxDelayMs: 300_000, maxRetryAfterMs: 3_600_000 },
      sleep: async (ms) => {
        waits.push(ms);
        stop.abort();
      },
    });
    await looping.run(stop.signal);
    expect(waits).toEqual([300_000]);
    expect(intake.submits).toBe(0);
  });

  it("GraphQL errors in a 200 and malformed answers are errors, and the cursor does not move", async () => {
    api.add(5);
    const cursors = new MemoryCursors();
    const intake = new Intake();
    const p = poller(cursors, intake);
    api.faults.push({ status: 200, body: '{"errors":[{"message":"internal resolver failure"}]}' });
    await expect(p.pollOnce()).rejects.toThrow(/internal resolver failure/);
    api.faults.push({ status: 200, body: '{"data":{"alerts":null}}' });
    await expect(p.pollOnce()).rejects.toThrow(/lacks data.alerts.alerts/);
    api.faults.push({ status: 200, body: "<html>gateway</html>" });
    await expect(p.pollOnce()).rejects.toThrow(/not JSON/);
    expect(cursors.writes).toEqual([]);
    expect(intake.submits).toBe(0);
  });

  it("startFortaPoller reads FORTA_API_KEY, polls in the background until stopped, and refuses a bad configuration", async () => {
    api.add(4);
    const intake = new Intake();
    let caughtUp!: () => void;
    const seen = new Promise<void>((resolve) => (caughtUp = resolve));
    const h = startFortaPoller(
      { bots: [BOT_A, BOT_B], chainId: 1, url: api.url, cursors: new MemoryCursors(), submit: async (f) => (await intake.submit(f), caughtUp()), log: () => undefined },
      { FORTA_API_KEY: KEY },
    );
    try {
      await seen;
    } finally {
      await h.stop(); // ends the loop even while it waits out its poll interval
    }
    expect(intake.keys.size).toBe(4);
    expect(() => startFortaPoller({ bots: [BOT_A], chainId: 1, cursors: new MemoryCursors(), submit: async () => undefined }, {})).toThrow(/FORTA_API_KEY: unset/);
  });

  it("checks its configuration: bot ids, chain id, FORTA_API_KEY", () => {
    expect(fortaConfigProblems({ bots: [BOT_A], chainId: 1 }, { FORTA_API_KEY: KEY })).toEqual([]);
    expect(fortaConfigProblems({ bots: ["0x12"], chainId: 0 }, {})).toEqual([
      expect.stringMatching(/^forta.bots: "0x12" is not a bot id/),
      expect.stringMatching(/^forta.chainId: must be a positive integer/),
      expect.stringMatching(/^FORTA_API_KEY: unset/),
    ]);
  });
});
