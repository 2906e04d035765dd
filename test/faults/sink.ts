/**
 * The fuzz part's sink intake: `vigil sink serve` started as a user starts it (its own process,
 * a store in a temporary folder, SINK_TOKENS), then a seeded barrage of malformed POST
 * /v1/findings requests, one at a time: missing, wrong or malformed tokens, wrong content types,
 * bodies that are not JSON, truncated JSON, wrong types and missing fields, arrays with one bad
 * element, deep nesting, invalid UTF-8, duplicate keys, bodies over the limit (declared or
 * chunked), bodies cut off mid-request. Every answered case must be the expected 4xx with a
 * clear one-line JSON error; any 5xx, other status, unclear error, hang (no answer within a
 * generous timeout) or exit of the process is a mismatch. After the barrage, valid findings are
 * still accepted, and the store holds exactly those (no part of a refused request was kept).
 */
import { spawn } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { request } from "http";
import { connect } from "net";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..", "..");
const TOKEN = "fuzz-token-7f3a9c2e51";
const MAX_BODY = 262_144;
/** no answer within this is a hang (generous: the machine is loaded) */
const ANSWER_TIMEOUT_MS = 60_000;

export interface SinkFuzzReport {
  /** malformed cases sent, by kind */
  cases: Record<string, number>;
  /** valid findings accepted after the barrage */
  accepted: number;
  mismatches: string[];
}

type Json = Record<string, unknown>;

interface Case {
  kind: string;
  what: string;
  headers: Record<string, string>;
  body: Buffer;
  /** statuses that are right for this case; empty: no answer expected (a body cut off) */
  expect: number[];
  /** send without content-length (chunked) */
  chunked?: boolean;
  /** declare this content-length, send `body`, then hang up */
  cutAt?: number;
}

function validFinding(key: string, i: number): Json {
  return {
    bot: "maker-emergency",
    chainId: 1,
    blockNumber: 100 + i,
    blockHash: `0x${"ab".repeat(32)}`,
    finding: {
      name: "fuzz finding",
      description: `finding ${key}`,
      alertId: "MAKER-ESM-FIRE",
      protocol: "ethereum",
      severity: "Critical",
      type: "Exploit",
      metadata: { n: String(i) },
      addresses: [],
      uniqueKey: key,
    },
  };
}

const JSON_HEADERS = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const buf = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v));

/** Wrong values per field (each one refused by the intake), and the required fields. */
const WRONG: Record<string, unknown[]> = {
  bot: [12, [], {}, true, null, "b".repeat(300)],
  chainId: ["1", -1, 1.5, null, [], {}, 1e300, true, "0x1"],
  blockNumber: ["100", -5, 2.5, null, [1], 2 ** 60],
  blockHash: [5, null, [], "h".repeat(200)],
  txHash: [5, [], {}, "t".repeat(200)],
  finding: [null, "finding", 5, [], true],
  "finding.name": [5, null, [], "n".repeat(600)],
  "finding.description": [5, null, {}],
  "finding.alertId": [5, null, [], false],
  "finding.severity": ["Huge", 99, null, [], "critical!", -1],
  "finding.type": ["Nope", 42, [], {}],
  "finding.metadata": [[], "x", 5, { k: {} }, { k: [] }, { k: null }],
  "finding.addresses": ["0xabc", [1], {}, [null], 5],
  "finding.uniqueKey": ["", 5, null, [], "u".repeat(400)],
  "finding.timestamp": ["yesterday", 5, [], "2026-13-45"],
  "finding.protocol": [5, [], {}],
};
const REQUIRED = ["bot", "chainId", "blockNumber", "blockHash", "finding", "finding.name", "finding.description", "finding.alertId", "finding.severity", "finding.uniqueKey"];

function setPath(o: Json, path: string, v: unknown, remove = false): Json {
  const copy = JSON.parse(JSON.stringify(o)) as Json;
  const parts = path.split(".");
  let at = copy;
  for (const p of parts.slice(0, -1)) at = at[p] as Json;
  if (remove) delete at[parts[parts.length - 1]!];
  else at[parts[parts.length - 1]!] = v;
  return copy;
}

/** The seeded generator: `n` malformed cases, kinds in turn, details drawn. */
export function malformedCases(rand: () => number, n: number): Case[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  let serial = 0;
  const bad = () => validFinding(`bad-${serial++}`, serial);
  const wrongType = (): { f: Json; what: string } => {
    const field = pick(Object.keys(WRONG));
    const v = pick(WRONG[field]!);
    const shown = JSON.stringify(v);
    return { f: setPath(bad(), field, v), what: `${field}=${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}` };
  };
  const gens: Record<string, () => Omit<Case, "kind">> = {
    "missing token": () => ({ what: "no Authorization", headers: { "content-type": "application/json" }, body: buf(bad()), expect: [401] }),
    "wrong token": () => {
      const t = pick(["fuzz-token-0000000000", `${TOKEN}x`, TOKEN.slice(0, -1), "second-token-000", TOKEN.toUpperCase()]);
      return { what: "another token", headers: { ...JSON_HEADERS, authorization: `Bearer ${t}` }, body: buf(bad()), expect: [401] };
    },
    "malformed Authorization": () => {
      const h = pick([`Basic ${Buffer.from(`u:${TOKEN}`).toString("base64")}`, "Bearer", "Bearer ", `Token ${TOKEN}`, `Bearer ${TOKEN} ${TOKEN}`, `${TOKEN}`, "Bearer \u00e9\u00e9"]);
      return { what: JSON.stringify(h.replace(TOKEN, "<token>")), headers: { ...JSON_HEADERS, authorization: h }, body: buf(bad()), expect: [401] };
    },
    "wrong content-type": () => {
      const ct = pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/xml", "json", "text/json"]);
      const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
      if (ct) headers["content-type"] = ct;
      return { what: ct || "none", headers, body: buf(bad()), expect: [415] };
    },
    "not JSON": () => {
      const b = pick([
        "<finding><bot>x</bot></finding>",
        "a=1&b=2",
        "",
        "undefined",
        "{'bot': 'x'}",
        "NaN",
        "{bot: 1}",
        Array.from({ length: int(1, 200) }, () => String.fromCharCode(int(33, 126))).join("") + "{",
      ]);
      return { what: JSON.stringify(b.slice(0, 30)), headers: JSON_HEADERS, body: buf(b), expect: [400] };
    },
    "truncated JSON": () => {
      const text = JSON.stringify(rand() < 0.5 ? bad() : [bad(), bad()]);
      const at = int(1, text.length - 1);
      return { what: `cut at ${at}/${text.length}`, headers: JSON_HEADERS, body: buf(text.slice(0, at)), expect: [400] };
    },
    "wrong types": () => {
      const { f, what } = wrongType();
      return { what, headers: JSON_HEADERS, body: buf(f), expect: [400] };
    },
    "missing field": () => {
      const field = pick(REQUIRED);
      return { what: field, headers: JSON_HEADERS, body: buf(setPath(bad(), field, undefined, true)), expect: [400] };
    },
    "not a finding": () => {
      const b = pick(["null", "5", '"finding"', "true", "[]", "[[]]", "[null]", "{}", "[1,2,3]"]);
      return { what: b, headers: JSON_HEADERS, body: buf(b), expect: [400] };
    },
    "array with one bad element": () => {
      const n = int(2, 6);
      const at = int(0, n - 1);
      const { f, what } = wrongType();
      const arr = Array.from({ length: n }, (_, i) => (i === at ? f : bad()));
      return { what: `[${at}] of ${n}: ${what}`, headers: JSON_HEADERS, body: buf(arr), expect: [400] };
    },
    "deep nesting": () => {
      const depth = int(500, 40_000);
      const shape = pick(["array", "object", "in metadata", "as chainId"]);
      const deep = (d: number) => (shape === "object" || shape === "in metadata" ? `${'{"a":'.repeat(d)}1${"}".repeat(d)}` : `${"[".repeat(d)}${"]".repeat(d)}`);
      let text = deep(depth);
      if (shape === "in metadata") text = JSON.stringify(bad()).replace('"metadata":{', `"metadata":{"deep":${deep(depth)},`);
      if (shape === "as chainId") text = JSON.stringify(bad()).replace('"chainId":1', `"chainId":${deep(depth)}`);
      return { what: `${shape}, depth ${depth}`, headers: JSON_HEADERS, body: buf(text), expect: [400] };
    },
    "invalid UTF-8": () => {
      const seq = pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]]);
      const text = JSON.stringify(bad());
      const at = text.indexOf("finding bad-") + 3;
      const body = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(seq), Buffer.from(text.slice(at))]);
      return { what: seq.map((b) => b.toString(16)).join(" "), headers: JSON_HEADERS, body, expect: [400] };
    },
    "duplicate keys": () => {
      const text = JSON.stringify(bad());
      const where = pick(["top", "finding", "metadata", "in an array"]);
      const body =
        where === "top"
          ? text.replace("{", '{"bot":"someone-else",')
          : where === "finding"
            ? text.replace('"finding":{', '"finding":{"severity":"Info",')
            : where === "metadata"
              ? text.replace('"metadata":{"n":', '"metadata":{"n":"0","n":')
              : `[${JSON.stringify(bad())},${text.replace('"finding":{', '"finding":{"uniqueKey":"other",')}]`;
      return { what: where, headers: JSON_HEADERS, body: buf(body), expect: [400] };
    },
    "huge body": () => {
      const how = pick(["declared", "chunked", "declared only"]);
      if (how === "declared only") {
        // a content-length far over the limit: refused before any byte of body is read
        return { what: "content-length 10 GB, 100 bytes sent", headers: JSON_HEADERS, body: Buffer.alloc(100, 0x20), expect: [413], cutAt: 10 * 1024 ** 3 };
      }
      const size = int(MAX_BODY + 1, MAX_BODY * 2);
      const one = JSON.stringify(bad());
      const text = `[${Array.from({ length: Math.ceil(size / one.length) }, () => one).join(",")}]`;
      return { what: `${how}, ${text.length} bytes`, headers: JSON_HEADERS, body: buf(text), expect: [413], chunked: how === "chunked" };
    },
    "body cut off": () => {
      const text = JSON.stringify(bad());
      const at = int(1, text.length - 1);
      return { what: `content-length ${text.length + 1000}, ${at} bytes sent, hung up`, headers: JSON_HEADERS, body: buf(text.slice(0, at)), expect: [], cutAt: text.length + 1000 };
    },
  };
  const kinds = Object.keys(gens);
  return Array.from({ length: n }, (_, i) => {
    const kind = i < kinds.length ? kinds[i]! : pick(kinds); // every kind at least once
    return { kind, ...gens[kind]!() };
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, c: Case): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const u = new URL("/v1/findings", url);
    const headers = { ...c.headers, ...(c.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(c.body.length) }) };
    const req = request(u, { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolveAnswer({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)));
    // the server may answer (413) and close before the whole body is written: the answer counts
    req.on("error", reject);
    if (c.chunked) {
      for (let i = 0; i < c.body.length; i += 16_384) req.write(c.body.subarray(i, i + 16_384));
      req.end();
    } else req.end(c.body);
  });
}

/** Announce `cutAt` bytes, send the case's body, hang up; resolves with whatever came back. */
function sendCut(url: string, c: Case): Promise<string> {
  const u = new URL(url);
  return new Promise((done) => {
    let got = "";
    const s = connect(Number(u.port), u.hostname, () => {
      const head = Object.entries(c.headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      s.write(`POST /v1/findings HTTP/1.1\r\nhost: ${u.host}\r\n${head}content-length: ${c.cutAt}\r\n\r\n`);
      s.write(c.body);
      // a case that expects an answer (a declared size over the limit) waits for it; else hang up
      if (!c.expect.length) s.end();
    });
    s.setTimeout(ANSWER_TIMEOUT_MS, () => s.destroy());
    s.on("data", (d: Buffer) => {
      got += d.toString("utf8");
      if (/\r\n\r\n/.test(got)) s.destroy();
    });
    s.on("close", () => done(got));
    s.on("error", () => undefined);
  });
}

/** What is wrong with an answer to a malformed case, if anything. */
function judge(c: Case, a: Answer): string | undefined {
  if (a.status >= 500) return `answered ${a.status}: ${a.body.slice(0, 200)}`;
  if (!c.expect.includes(a.status)) return `answered ${a.status} (expected ${c.expect.join(" or ")}): ${a.body.slice(0, 200)}`;
  if (!String(a.headers["content-type"] ?? "").startsWith("application/json")) return `the ${a.status} is not JSON (content-type ${String(a.headers["content-type"])})`;
  let error: unknown;
  try {
    error = (JSON.parse(a.body) as { error?: unknown }).error;
  } catch {
    return `the ${a.status} body is not JSON: ${a.body.slice(0, 200)}`;
  }
  if (typeof error !== "string" || error.trim().length < 10) return `the ${a.status} has no clear error: ${a.body.slice(0, 200)}`;
  if (error.includes("\n") || /\bat .+:\d+:\d+/.test(error)) return `the ${a.status}'s error spans several lines or carries a stack trace: ${error.slice(0, 200)}`;
  if (error.length > 600) return `the ${a.status}'s error is ${error.length} characters long (an echo of the input?): ${error.slice(0, 100)}...`;
  if (error.includes(TOKEN)) return `the ${a.status}'s error shows the token`;
  return undefined;
}

/** The barrage against a `vigil sink serve` of its own. */
export async function fuzzSinkIntake(rand: () => number, n: number, say?: (l: string) => void): Promise<SinkFuzzReport> {
  const dir = mkdtempSync(join(tmpdir(), "vigil-sink-fuzz-"));
  const env = { ...process.env, LOG_LEVEL: "error", SINK_TOKENS: `${TOKEN},second-token-0000`, SINK_RULES: "", SINK_DATABASE_URL: "" };
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "sink", "cli", "main.ts"), "serve", "--store", join(dir, "sink.sqlite"), "--port", "0", "--max-body", String(MAX_BODY)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let exit: string | undefined;
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", (code, signal) => ((exit = `exit ${code ?? signal}`), r())));
  const mismatches: string[] = [];
  const cases: Record<string, number> = {};
  let accepted = 0;
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening (\S+)/.exec(out);
        if (m) resolveUrl(m[1]!);
      });
      void exited.then(() => reject(new Error(`vigil sink serve ended before listening (${exit}): ${stderr.slice(-500)}`)));
    });
    for (const c of malformedCases(rand, n)) {
      cases[c.kind] = (cases[c.kind] ?? 0) + 1;
      const what = `fuzz sink: ${c.kind} (${c.what})`;
      if (c.cutAt !== undefined) {
        const got = await sendCut(url, c);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? 0);
        if (c.expect.length && !c.expect.includes(status)) mismatches.push(`${what}: answered ${status || "nothing"} (expected ${c.expect.join(" or ")}): ${JSON.stringify(got.slice(0, 300))}`);
      } else {
        try {
          const m = judge(c, await send(url, c));
          if (m) mismatches.push(`${what}: ${m}`);
        } catch (err) {
          mismatches.push(`${what}: no answer (${(err as Error).message})`);
        }
      }
      if (exit) {
        mismatches.push(`${what}: the sink process died (${exit}): ${stderr.slice(-300)}`);
        break;
      }
    }
    if (!exit) {
      // still alive: valid findings are accepted, and only they are stored
      const good = Array.from({ length: 6 }, (_, i) => validFinding(`good-${i}`, i));
      for (const body of [good[0], good[1], good.slice(2)]) {
        const a = await send(url, { kind: "valid", what: "", headers: JSON_HEADERS, body: buf(body), expect: [200] }).catch((err: Error) => ({ status: 0, headers: {}, body: err.message }));
        if (a.status !== 200) mismatches.push(`fuzz sink: a valid finding after the barrage was answered ${a.status}: ${a.body.slice(0, 200)}`);
        else accepted += (JSON.parse(a.body) as { stored: number }).stored;
      }
      const list = await fetch(`${url}/v1/findings?limit=1000`, { headers: { authorization: "Bearer second-token-0000" } });
      const stored = ((await list.json()) as { findings: { uniqueKey?: string; finding?: { uniqueKey?: string } }[] }).findings;
      const keys = stored.map((f) => f.uniqueKey ?? f.finding?.uniqueKey ?? "?").sort();
      const want = good.map((f) => (f.finding as Json).uniqueKey as string).sort();
      if (JSON.stringify(keys) !== JSON.stringify(want)) mismatches.push(`fuzz sink: the store holds ${JSON.stringify(keys.slice(0, 12))}, expected exactly the valid findings ${JSON.stringify(want)}`);
      if ((await fetch(`${url}/healthz`)).status !== 200) mismatches.push("fuzz sink: /healthz is not 200 after the barrage");
    }
    const failed = stderr.split("\n").filter((l) => l.includes("request failed"));
    if (failed.length) mismatches.push(`fuzz sink: ${failed.length} request(s) failed inside the sink (logged as errors): ${failed[0]!.slice(0, 300)}`);
    say?.(`  sink intake: ${n} malformed requests, ${accepted} valid findings accepted after them, sink process ${exit ?? "alive"}`);
    return { cases, accepted, mismatches };
  } finally {
    if (!exit) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
