/**
 * `vigil run --forta-external`: TechOps running the suite on their own nodes publish its findings
 * to the Forta network as an external bot. The runtime delivers to a loopback server speaking
 * Forta's sendAlerts API (the sink's own contract is in shared/forta/external-sink.spec.ts); bad
 * configuration is one line and exit 2, before the node is asked anything.
 */
import { spawn, spawnSync } from "child_process";
import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { join } from "path";
import { chainWithTraffic, TEST_BOTS_DIR } from "../runtime/helpers";
import type { AnvilChain } from "../chain/anvil";

const ROOT = join(__dirname, "..", "..");
const BOT_ID = `0x${"ab".repeat(32)}`;
const KEY = "forta-test-key-5f1c9e";

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/run.ts", ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "error", ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (err += String(d)));
    // "close": every byte of stdout and stderr is in by then ("exit" can come first)
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("vigil run --forta-external", () => {
  let chain: AnvilChain;
  let server: Server;
  let url = "";
  const received: { auth?: string; alerts: { botId: string; finding: { alertId: string; uniqueKey: string } }[] }[] = [];

  beforeAll(async () => {
    chain = await chainWithTraffic(6);
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += String(d)));
      req.on("end", () => {
        const { variables } = JSON.parse(body) as { variables: { alerts: { botId: string; finding: { alertId: string; uniqueKey: string } }[] } };
        received.push({ auth: req.headers.authorization, alerts: variables.alerts });
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ data: { sendAlerts: { alerts: variables.alerts.map((_, i) => ({ alertHash: `0x${i.toString(16).padStart(64, "0")}`, error: null })) } } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await chain.stop();
  });

  it("sends every finding the range produced to Forta's API as the external bot's, with the key as a bearer token", async () => {
    const r = await run(["--rpc", chain.url, "--range", "1..6", "--agents-dir", TEST_BOTS_DIR, "--bots", "counter", "--format", "json", "--no-sink", "--forta-external"], {
      FORTA_BOT_ID: BOT_ID,
      FORTA_API_KEY: KEY,
      FORTA_API_URL: url,
    });
    expect(r.err).not.toContain(KEY);
    expect(r.code).toBe(0);
    const printed = r.out.trim().split("\n").map((l) => (JSON.parse(l) as { finding: { uniqueKey: string } }).finding.uniqueKey);
    expect(printed.length).toBeGreaterThan(0);
    const sent = received.flatMap((b) => b.alerts);
    expect(received.every((b) => b.auth === `Bearer ${KEY}`)).toBe(true);
    expect(sent.every((a) => a.botId === BOT_ID)).toBe(true);
    expect(sent.map((a) => a.finding.uniqueKey).sort()).toEqual([...printed].sort());
  });

  it("refuses a bad bot id or a missing key in one line, exit 2, before asking the node", () => {
    const bad = spawnSync(process.execPath, ["--import", "tsx", "scripts/run.ts", "--rpc", "http://127.0.0.1:9", "--range", "1..2", "--forta-external"], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "silent", FORTA_BOT_ID: "0x12", FORTA_API_KEY: KEY },
      encoding: "utf8",
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('error: FORTA_BOT_ID "0x12" is not a bot id (0x and 64 hex digits); use the id the Forta App shows for the external bot');
    const noKey = spawnSync(process.execPath, ["--import", "tsx", "scripts/run.ts", "--rpc", "http://127.0.0.1:9", "--range", "1..2", "--forta-external"], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "silent", FORTA_BOT_ID: BOT_ID, FORTA_API_KEY: "" },
      encoding: "utf8",
    });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr.trim()).toBe("error: FORTA_API_KEY is empty; create an API key in the Forta App and set it");
  });
});
