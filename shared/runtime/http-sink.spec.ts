/**
 * The HTTP finding sink against a loopback server scripted like the sink's intake: what it
 * acknowledges, what it retries (5xx, 429 + Retry-After, connection refused, an answer that is
 * not the intake's), what it splits (413), what it skips and reports (a finding refused with 400),
 * and what it never skips (a wrong token).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo } from "net";
import { createLogger } from "../log";
import { HttpFindingSink, SinkUnavailableError, intakeUrl } from "./http-sink";
import type { StoredFinding } from "./store";

const TOKEN = "tok-http-sink-5f1e2d";

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
interface Posted {
  auth?: string;
  keys: string[];
}

/** A server answering each POST with `script(posted)` and recording what came. */
async function intake(script: (p: Posted, n: number) => Answer): Promise<{ url: string; posts: Posted[]; server: Server; port: number }> {
  const posts: Posted[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const items = JSON.parse(body) as { finding: { uniqueKey: string } }[];
      const p = { auth: req.headers.authorization, keys: items.map((i) => i.finding.uniqueKey) };
      posts.push(p);
      const a = script(p, posts.length);
      const text = typeof a.body === "string" ? a.body : JSON.stringify(a.body ?? { stored: p.keys.length, duplicates: 0, results: p.keys.map(() => ({ status: "stored" })) });
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, posts, server, port };
}

const close = (s: Server) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));

function findings(n: number, from = 0): StoredFinding[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: from + i + 1,
    bot: "counter",
    chainId: 1,
    blockNumber: 10 + from + i,
    blockHash: "0xabc",
    finding: { name: "n", description: "d", alertId: "TEST-X", protocol: "ethereum", severity: "Info", type: "Info", metadata: {}, addresses: [], uniqueKey: `k${from + i}` } as never,
  }));
}

function logged(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger({ level: "info", format: "json", destination: { write: (l: string) => lines.push(l) } as never });
  return { log, lines };
}

const fast = { baseDelayMs: 5, attempts: 3, restBaseMs: 5, maxRestMs: 20, drainMs: 30_000 };

test("the intake URL: a base URL gets /v1/findings; credentials in the URL are refused without showing them", () => {
  expect(intakeUrl("http://127.0.0.1:8787")).toBe("http://127.0.0.1:8787/v1/findings");
  expect(intakeUrl("https://sink.example/base/")).toBe("https://sink.example/base/v1/findings");
  expect(intakeUrl("http://h:1/v1/findings")).toBe("http://h:1/v1/findings");
  expect(() => intakeUrl("http://alice:s3cret-pass@h:1")).toThrow(/carries credentials; .*VIGIL_SINK_TOKEN/);
  try {
    intakeUrl("http://alice:s3cret-pass@h:1");
  } catch (err) {
    expect((err as Error).message).not.toContain("s3cret-pass");
  }
  expect(() => intakeUrl("ftp://h")).toThrow(/http\(s\)/);
  expect(() => new HttpFindingSink({ url: "http://h:1", token: "", log: logged().log })).toThrow(/VIGIL_SINK_TOKEN is empty/);
});

test("posts in batches with the bearer token; a 5xx and a 429 with Retry-After are retried within one delivery", async () => {
  const s = await intake((_p, n) => (n === 1 ? { status: 503, body: { error: "busy" } } : n === 2 ? { status: 429, headers: { "retry-after": "0" }, body: { error: "slow down" } } : { status: 200 }));
  try {
    const sink = new HttpFindingSink({ url: s.url, token: TOKEN, log: logged().log, maxFindings: 4, ...fast });
    await sink.deliver(findings(10));
    expect(s.posts.map((p) => p.keys.length)).toEqual([4, 4, 4, 4, 2]); // the first batch three times
    expect(s.posts.every((p) => p.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(s.posts.slice(2).flatMap((p) => p.keys)).toEqual(findings(10).map((f) => f.finding.uniqueKey));
  } finally {
    await close(s.server);
  }
});

test("a 413 halves the batch; a finding refused with 400 is found by splitting, skipped and reported; the rest is delivered", async () => {
  const s = await intake((p) => (p.keys.length > 3 ? { status: 413, body: { error: "too big" } } : p.keys.includes("k5") ? { status: 400, body: { error: "[0].finding.severity: \"Huge\" is not one of ..." } } : { status: 200 }));
  const { log, lines } = logged();
  try {
    const sink = new HttpFindingSink({ url: s.url, token: TOKEN, log, maxFindings: 8, ...fast });
    await sink.deliver(findings(8));
    const acked = s.posts.filter((p) => p.keys.length <= 3 && !p.keys.includes("k5")).flatMap((p) => p.keys);
    expect(acked.sort()).toEqual(["k0", "k1", "k2", "k3", "k4", "k6", "k7"]);
    expect(sink.refused).toBe(1);
    const line = lines.find((l) => l.includes("refused a finding"));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ status: 400, uniqueKey: "k5", bot: "counter", reason: expect.stringContaining("finding.severity") });
  } finally {
    await close(s.server);
  }
});

test("a sink refusing every finding of a batch is not the findings' fault: nothing skipped", async () => {
  const s = await intake(() => ({ status: 400, body: { error: "[0].finding.newField: is required" } }));
  try {
    const sink = new HttpFindingSink({ url: s.url, token: TOKEN, log: logged().log, ...fast });
    await expect(sink.deliver(findings(3))).rejects.toThrow(/refused every one of 3 findings \(HTTP 400: \[0\]\.finding\.newField: is required\); nothing skipped/);
    expect(sink.refused).toBe(0);
  } finally {
    await close(s.server);
  }
});

test("a wrong token is never a reason to skip: delivery fails with what to fix, and the token is not in the message", async () => {
  const s = await intake(() => ({ status: 401, body: { error: "the bearer token is not one of SINK_TOKENS" } }));
  try {
    const sink = new HttpFindingSink({ url: s.url, token: TOKEN, log: logged().log, ...fast });
    const err = (await sink.deliver(findings(2)).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(SinkUnavailableError);
    expect(err.message).toMatch(/HTTP 401: .*set VIGIL_SINK_TOKEN to one of the sink's SINK_TOKENS/);
    expect(err.message).not.toContain(TOKEN);
    expect(sink.refused).toBe(0);
  } finally {
    await close(s.server);
  }
});

test("a 200 that is not the intake's answer is not an acknowledgement", async () => {
  const s = await intake(() => ({ status: 200, body: "<html>login</html>" }));
  try {
    const sink = new HttpFindingSink({ url: s.url, token: TOKEN, log: logged().log, ...fast });
    await expect(sink.deliver(findings(1))).rejects.toThrow(/not the intake's JSON/);
    const short = await intake(() => ({ status: 200, body: { stored: 1, duplicates: 0, results: [{ status: "stored" }] } }));
    try {
      const other = new HttpFindingSink({ url: short.url, token: TOKEN, log: logged().log, ...fast });
      await expect(other.deliver(findings(2))).rejects.toThrow(/acknowledges 1 of 2 findings/);
    } finally {
      await close(short.server);
    }
  } finally {
    await close(s.server);
  }
});

test("a sink that is down: delivery fails after a few attempts, then rests without requests; the last delivery waits for it to come back", async () => {
  let down = true;
  let tries = 0;
  const acked: string[] = [];
  const server = createServer((req, res) => {
    tries++;
    if (down) return req.socket.destroy(); // a dropped connection
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const items = JSON.parse(body) as { finding: { uniqueKey: string } }[];
      acked.push(...items.map((i) => i.finding.uniqueKey));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ stored: items.length, duplicates: 0, results: items.map(() => ({ status: "stored" })) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    // a rest far longer than this test: a request while resting would show as a try
    const sink = new HttpFindingSink({ url, token: TOKEN, log: logged().log, attempts: 2, baseDelayMs: 5, restBaseMs: 600_000, maxRestMs: 600_000, drainMs: 600_000 });
    const first = (await sink.deliver(findings(1)).catch((e: unknown) => e)) as Error;
    expect(first).toBeInstanceOf(SinkUnavailableError);
    expect(first.message).toMatch(/^the sink at http:\/\/127\.0\.0\.1:\d+ is unavailable \(.+\); retrying with backoff/);
    expect(tries).toBe(2);
    down = false;
    // resting: fails at once with the same message (the pump says it once), no request
    const second = (await sink.deliver(findings(1)).catch((e: unknown) => e)) as Error;
    expect(second.message).toBe(first.message);
    expect(tries).toBe(2);
    // the last delivery at close does not rest, and keeps trying while the sink is down
    down = true;
    const last = sink.deliver(findings(3), { final: true });
    const start = tries;
    while (tries < start + 2) await new Promise((r) => setTimeout(r, 10));
    down = false;
    await last;
    expect(acked).toEqual(["k0", "k1", "k2"]);
    // delivering again: no rest left
    await sink.deliver(findings(1, 3));
    expect(acked).toEqual(["k0", "k1", "k2", "k3"]);
  } finally {
    await close(server);
  }
});
