/**
 * Operating the runtime: /health and /metrics while it follows a chain (the numbers move as
 * blocks are processed; 503 with a reason while it waits for its node), and the example
 * Prometheus alerting rules, checked and unit-tested with promtool.
 */
import { spawnSync } from "child_process";
import { createServer } from "net";
import { existsSync } from "fs";
import { join } from "path";
import type { AnvilChain } from "../chain/anvil";
import { FakeNode } from "../rpc/fake-node";
import { ROOT, start, type Started } from "../../scripts/test/process";
import { TEST_BOTS_DIR, chainWithTraffic } from "./helpers";

const PROMTOOL = process.env.PROMTOOL ?? "/usr/bin/promtool";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

/** The value of one sample in Prometheus text (`name{labels} value`), 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const has = Object.entries(labels).every(([k, v]) => (m[2] ?? "").includes(`${k}="${v}"`));
    if (has) return Number(m[3]);
  }
  return 0;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, rt: Started, ms = 240_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms / 1000} s; runtime stderr tail:\n${rt.err().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("health and metrics", () => {
  let chain: AnvilChain;
  beforeAll(async () => {
    chain = await chainWithTraffic(4);
  });
  afterAll(() => chain.stop());

  it("answers 503 while waiting for the node, 200 once following, and its metrics move as blocks are processed", async () => {
    const port = await freePort();
    const node = new FakeNode({ upstream: chain.url });
    const rt = start(process.execPath, [
      "--import", "tsx", "scripts/run.ts",
      "--rpc", `http://127.0.0.1:${port}`, "--agents-dir", TEST_BOTS_DIR, "--bots", "counter", "--state", ":memory:",
      "--from", "1", "--confirmations", "0", "--poll", "100", "--metrics-addr", "127.0.0.1:0", "--max-lag", "2", "--format", "json",
    ]);
    try {
      await rt.waitFor(/"msg":"serving health and metrics/, 120_000);
      const base = (JSON.parse(rt.err().split("\n").find((l) => l.includes("serving health and metrics"))!) as { url: string }).url;
      const waiting = await get(`${base}/health`);
      expect(waiting.status).toBe(503);
      expect(JSON.parse(waiting.text)).toMatchObject({ status: "unhealthy", healthy: false, reason: "starting: waiting for the node" });

      await node.start(port);
      const healthy = await until("a 200 from /health", async () => {
        const h = await get(`${base}/health`);
        return h.status === 200 ? (JSON.parse(h.text) as { lastBlock: number; head: number; lagBlocks: number; reason: string }) : undefined;
      }, rt);
      expect(healthy.reason).toBe("following");
      expect(healthy.lagBlocks).toBeLessThanOrEqual(2);

      const before = (await get(`${base}/metrics`)).text;
      const blocksBefore = sample(before, "vigil_blocks_processed_total");
      expect(blocksBefore).toBeGreaterThan(0);
      expect(sample(before, "vigil_head_lag_blocks")).toBeLessThanOrEqual(2);
      expect(sample(before, "vigil_rpc_requests_total", { method: "eth_getBlockByNumber", endpoint: `http://127.0.0.1:${port}` })).toBeGreaterThan(0);
      expect(before).toMatch(/^vigil_bot_handler_seconds_count\{bot="counter",handler="handleBlock"\} \d+$/m);
      expect(before).toMatch(/^vigil_process_resident_memory_bytes /m);

      await chain.mine(6);
      const head = await chain.blockNumber();
      const after = await until("the metrics catching up with the new head", async () => {
        const m = (await get(`${base}/metrics`)).text;
        return sample(m, "vigil_last_processed_block") === head ? m : undefined;
      }, rt);
      expect(sample(after, "vigil_blocks_processed_total")).toBe(head); // blocks 1..head, each once
      expect(sample(after, "vigil_head_lag_blocks")).toBe(0);
      expect(sample(after, "vigil_head_block")).toBe(head);
      expect(sample(after, "vigil_findings_total", { bot: "counter", severity: "Info" })).toBeGreaterThan(sample(before, "vigil_findings_total", { bot: "counter", severity: "Info" }));
      const delivered = sample(after, "vigil_sink_delivered_total", { sink: "stdout" });
      await until("stdout carrying every delivered finding", async () => (rt.out().trim().split("\n").length >= delivered ? true : undefined), rt);
      expect(rt.out().trim().split("\n").length).toBe(delivered);
      expect(sample(after, "vigil_sink_queue_depth", { sink: "stdout" })).toBe(0);
      expect((await get(`${base}/nope`)).status).toBe(404);

      rt.child.kill("SIGTERM");
      expect(await rt.exited).toBe(0);
    } finally {
      if (rt.child.exitCode === null) rt.child.kill("SIGKILL");
      await node.stop().catch(() => undefined);
    }
  }, 600_000);

  it("refuses a --metrics-addr it cannot use, in one line", async () => {
    const rt = start(process.execPath, ["--import", "tsx", "scripts/run.ts", "--rpc", chain.url, "--range", "1..2", "--agents-dir", TEST_BOTS_DIR, "--bots", "counter", "--metrics-addr", "nonsense"], { LOG_LEVEL: "silent" });
    expect(await rt.exited).toBe(2);
    expect(rt.err().trim()).toBe('error: expected host:port, e.g. 127.0.0.1:9464 (got "nonsense")');
  });
});

describe("the example alerting rules", () => {
  const rules = join(ROOT, "ops", "prometheus", "vigil-alerts.yml");
  const tests = join(ROOT, "ops", "prometheus", "vigil-alerts.test.yml");
  const have = existsSync(PROMTOOL);
  if (!have && process.env.CI) throw new Error(`promtool not found at ${PROMTOOL}: .ci/run installs Debian's prometheus package`);
  (have ? it : it.skip)("pass promtool check rules, and fire as their unit tests expect", () => {
    const check = spawnSync(PROMTOOL, ["check", "rules", rules], { encoding: "utf8" });
    expect(check.stdout + check.stderr).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.status).toBe(0);
    const unit = spawnSync(PROMTOOL, ["test", "rules", tests], { encoding: "utf8" });
    expect(unit.stdout + unit.stderr).toMatch(/SUCCESS/);
    expect(unit.status).toBe(0);
  });

  it("name only metrics the runtime exports", () => {
    const { metrics } = require("../../shared/metrics") as typeof import("../../shared/metrics");
    const exported = new Set(Object.values(metrics).map((m) => (m as unknown as { name: string }).name));
    const text = require("fs").readFileSync(rules, "utf8") as string;
    const used = new Set([...text.matchAll(/\b(vigil_[a-z_]+)\b/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, "")));
    expect([...used].filter((n) => !exported.has(n))).toEqual([]);
  });
});
