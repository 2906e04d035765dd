/**
 * The HTTP intake on a real server and a real SQLite file: malformed requests each get a clear
 * 4xx and the process stays up; repeats are acknowledged as duplicates and stored once; reads
 * and commands; SINK_TOKENS compared in constant time (wrong or missing token: 401).
 */
import { request } from "http";
import { connect } from "net";
import { join } from "path";
import { openSink, sinkHttp, type Sink } from "../main";
import { finding, tmpDir } from "../test/helpers";
import { tokenOk, type SinkHttp } from "./server";

const RULES = join(__dirname, "../test/rules.test.yaml");
const TOKEN = "test-token-abcdef123456";

/** Send a request that announces more body than it sends, then hang up. */
function truncated(url: string, body: string): Promise<void> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = connect(Number(u.port), u.hostname, () => {
      s.write(`POST /v1/findings HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n${body}`);
      setTimeout(() => s.destroy(), 50);
    });
    s.on("close", () => resolve());
    s.on("error", () => resolve());
  });
}

function raw(url: string, o: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(o.path, url);
    const req = request(u, { method: o.method ?? "POST", headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(o.body);
  });
}

describe("sink HTTP intake", () => {
  let sink: Sink;
  let http: SinkHttp;
  let url: string;
  const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  beforeAll(async () => {
    sink = await openSink({ store: join(tmpDir(), "state.sqlite"), rules: RULES, deliver: false });
    http = sinkHttp(sink, { tokens: [TOKEN, "another-token-xyz"], maxBodyBytes: 64 * 1024 });
    url = (await http.listen()).url;
  });
  afterAll(async () => {
    await http.close();
    await sink.close();
  });

  test("tokens: constant-time comparison against each configured token", () => {
    expect(tokenOk(`Bearer ${TOKEN}`, [TOKEN])).toBe(true);
    expect(tokenOk(`bearer ${TOKEN}`, ["x", TOKEN])).toBe(true);
    expect(tokenOk(`Bearer ${TOKEN}x`, [TOKEN])).toBe(false);
    expect(tokenOk(undefined, [TOKEN])).toBe(false);
    expect(tokenOk("Bearer ", [""])).toBe(false);
  });

  test("malformed requests each get a clear 4xx, and the server stays up", async () => {
    const good = JSON.stringify(finding({ key: "http-1" }));
    const cases: [string, Parameters<typeof raw>[1], number, RegExp][] = [
      ["missing token", { path: "/v1/findings", headers: { "content-type": "application/json" }, body: good }, 401, /missing Authorization: Bearer/],
      ["wrong token", { path: "/v1/findings", headers: { ...auth, authorization: "Bearer nope" }, body: good }, 401, /not one of SINK_TOKENS/],
      ["not JSON content type", { path: "/v1/findings", headers: { ...auth, "content-type": "text/plain" }, body: good }, 415, /content-type must be application\/json/],
      ["not JSON", { path: "/v1/findings", headers: auth, body: "hello" }, 400, /not valid JSON/],
      ["truncated JSON", { path: "/v1/findings", headers: auth, body: good.slice(0, 40) }, 400, /not valid JSON.*truncated/],
      ["huge", { path: "/v1/findings", headers: auth, body: Buffer.alloc(200 * 1024, 32) }, 413, /over the limit of 65536/],
      ["wrong type", { path: "/v1/findings", headers: auth, body: JSON.stringify({ ...JSON.parse(good), chainId: "one" }) }, 400, /body\.chainId: must be a non-negative whole number/],
      ["bad severity in an array", { path: "/v1/findings", headers: auth, body: JSON.stringify([JSON.parse(good), { ...JSON.parse(good), finding: { ...JSON.parse(good).finding, severity: "Apocalyptic" } }]) }, 400, /\[1\]\.finding\.severity: "Apocalyptic" is not one of/],
      ["missing uniqueKey", { path: "/v1/findings", headers: auth, body: JSON.stringify({ ...JSON.parse(good), finding: { ...JSON.parse(good).finding, uniqueKey: undefined } }) }, 400, /body\.finding\.uniqueKey: is required/],
      ["metadata not strings", { path: "/v1/findings", headers: auth, body: JSON.stringify({ ...JSON.parse(good), finding: { ...JSON.parse(good).finding, metadata: { a: { b: 1 } } } }) }, 400, /body\.finding\.metadata\.a: must be a string/],
      ["empty array", { path: "/v1/findings", headers: auth, body: "[]" }, 400, /empty array/],
      ["unknown route", { path: "/v1/nothing", headers: auth, body: "{}" }, 404, /no route/],
      ["bad incident id", { method: "GET", path: "/v1/incidents/xyz", headers: auth }, 400, /must look like INC-12/],
      ["bad filter", { method: "GET", path: "/v1/incidents?priority=P9", headers: auth }, 400, /priority: "P9" is not one of/],
    ];
    for (const [what, req, status, msg] of cases) {
      const r = await raw(url, req).catch((err: Error) => {
        throw new Error(`${what}: ${err.message}`);
      });
      expect([what, r.status]).toEqual([what, status]);
      expect([what, (JSON.parse(r.body) as { error: string }).error]).toEqual([what, expect.stringMatching(msg)]);
    }
    // a body cut off mid-way (the client goes away): nothing stored, server still answers
    await truncated(url, good);
    expect((await raw(url, { method: "GET", path: "/healthz" })).status).toBe(200);
    expect((await sink.read(function* () { return yield* (require("../store/queries") as typeof import("../store/queries")).countFindings(); }))).toBe(0);
  });

  test("one finding or an array, idempotent by uniqueKey; reads, filters, pagination, commands", async () => {
    const f1 = finding({ key: "k-1", addresses: ["0x01"] });
    const r1 = await raw(url, { path: "/v1/findings", headers: auth, body: JSON.stringify(f1) });
    expect(r1.status).toBe(200);
    expect(JSON.parse(r1.body)).toMatchObject({ stored: 1, duplicates: 0, results: [{ uniqueKey: "k-1", status: "stored", incident: "INC-1" }] });
    // forta-agent's numeric enums are accepted too
    const numeric = { ...finding({ key: "k-2", addresses: ["0x02"] }) } as unknown as { finding: Record<string, unknown> };
    numeric.finding.severity = 4; // High
    numeric.finding.type = 2; // Suspicious
    const r2 = await raw(url, { path: "/v1/findings", headers: auth, body: JSON.stringify([f1, numeric, finding({ key: "k-3", severity: "Info", priority: "none" })]) });
    expect(JSON.parse(r2.body)).toMatchObject({ stored: 2, duplicates: 1 });
    const list = JSON.parse((await raw(url, { method: "GET", path: "/v1/incidents?status=open", headers: auth })).body) as { incidents: { key: string; priority: string; owner: string }[] };
    expect(list.incidents.map((i) => [i.key, i.priority, i.owner])).toEqual([
      ["INC-2", "P0", "core"],
      ["INC-1", "P0", "core"],
    ]);
    const page1 = JSON.parse((await raw(url, { method: "GET", path: "/v1/findings?limit=2", headers: auth })).body) as { findings: { id: number }[]; next: number };
    const everything = JSON.parse((await raw(url, { method: "GET", path: "/v1/findings", headers: auth })).body) as { findings: { id: number; finding: { uniqueKey: string } }[] };
    expect(everything.findings.map((f) => f.finding.uniqueKey)).toEqual(["k-3", "k-2", "k-1"]);
    expect(page1.findings.map((f) => f.id)).toEqual(everything.findings.slice(0, 2).map((f) => f.id));
    const page2 = JSON.parse((await raw(url, { method: "GET", path: `/v1/findings?limit=2&before=${page1.next}`, headers: auth })).body) as { findings: { id: number }[] };
    expect(page2.findings.map((f) => f.id)).toEqual(everything.findings.slice(2).map((f) => f.id));
    const byBot = JSON.parse((await raw(url, { method: "GET", path: "/v1/findings?bot=nobody", headers: auth })).body) as { findings: unknown[] };
    expect(byBot.findings).toEqual([]);
    const ack = await raw(url, { path: "/v1/incidents/INC-1/ack", headers: auth, body: JSON.stringify({ actor: "alice", note: "on it" }) });
    expect(JSON.parse(ack.body).incident.status).toBe("acknowledged");
    const noActor = await raw(url, { path: "/v1/incidents/INC-1/resolve", headers: auth, body: "{}" });
    expect(noActor.status).toBe(400);
    const again = await raw(url, { path: "/v1/incidents/INC-1/ack", headers: auth, body: JSON.stringify({ actor: "bob" }) });
    expect(again.status).toBe(409);
    const detail = JSON.parse((await raw(url, { method: "GET", path: "/v1/incidents/1", headers: auth })).body) as { timeline: { kind: string; actor: string; detail: string }[] };
    expect(detail.timeline.map((e) => [e.kind, e.actor])).toEqual([
      ["opened", "vigil-sink"],
      ["acknowledged", "alice"],
    ]);
  });
});
