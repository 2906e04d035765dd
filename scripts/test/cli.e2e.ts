/**
 * The command-line entry points as a user runs them: every command answers --help, bad input
 * ends with one clear line and exit code 2, and `npm start` with JSON_RPC_URL and MAKER_CHAINLOG
 * set monitors that chain instead of starting the devnet.
 */
import { spawn, spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../test/chain/maker";
import { FakeNode } from "../../test/rpc/fake-node";
import { createServer } from "net";
import { exitedWithOutput } from "./process";

const ROOT = resolve(__dirname, "../..");

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", ...env },
    encoding: "utf8",
    timeout: 300_000, // only ends a hang: a loaded machine can make a run slow
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** a loopback port nothing listens on (yet) */
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

describe("command-line entry points", () => {
  it.each(["run", "record", "replay", "build-bots", "bench"])("%s --help explains itself and shows an example", (script) => {
    const r = run(script, ["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage:/);
    expect(r.out).toMatch(/Example/);
  });

  it("refuses bad input with one line naming the problem", () => {
    const range = run("run", ["--rpc", "http://127.0.0.1:59999", "--range", "20..10"]);
    expect(range.code).toBe(2);
    expect(range.err).toMatch(/the range 20\.\.10 ends before it starts/);
    for (const option of ["--handler-timeout", "--poll"]) {
      const zero = run("run", ["--rpc", "http://127.0.0.1:59999", option, "0"]);
      expect(zero.code).toBe(2);
      expect(zero.err.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^error: option '${option} <ms>' argument '0' is invalid\\. expected a whole number of milliseconds above 0, e\\.g\\. \\d+$`))]);
    }
    const noNode = run("record", ["--range", "1..2", "--out", "/tmp/never-written.json.gz"], { JSON_RPC_URL: "", LOG_LEVEL: "silent" });
    expect(noNode.code).toBe(2);
    expect(noNode.err.trim().split("\n")).toEqual(["error: no node to record from: pass --rpc URL or set JSON_RPC_URL"]);
    const url = run("run", ["--rpc", "ftp://x"]);
    expect(url.err).toMatch(/every RPC URL must be http\(s\)/);
    const bot = run("run", ["--rpc", "http://127.0.0.1:59999", "--bots", "no-such-bot", "--block", "1"]);
    expect(bot.code).toBe(2);
    expect(bot.err).toMatch(/unknown bot\(s\) no-such-bot; the bots are: .*maker-emergency/);
    const fixture = run("replay", ["--fixture", "/nonexistent.json.gz"]);
    expect(fixture.code).toBe(2);
    expect(fixture.err).toMatch(/is not a usable Vigil fixture: cannot read it/);
  });

  describe("a node that is down at start-up", () => {
    const KEY = "SECRETKEY0123456789abcdef";
    let chain: AnvilChain;
    let dir: string;
    beforeAll(async () => {
      chain = await startAnvil();
      await chain.mine(3);
      dir = mkdtempSync(join(tmpdir(), "vigil-cli-wait-"));
    });
    afterAll(async () => {
      await chain.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("--range fails at once with one line naming the node (masked)", () => {
      const r = run("run", ["--rpc", `http://127.0.0.1:59999/v2/${KEY}`, "--range", "1..2", "--agents-dir", "test/runtime/bots", "--bots", "counter"], { LOG_LEVEL: "silent" });
      expect(r.code).toBe(2);
      expect(r.err.trim().split("\n")).toEqual([expect.stringMatching(/^error: eth_chainId failed after \d+ attempts .*cannot reach http:\/\/127\.0\.0\.1:59999\/…/)]);
      expect(r.err).not.toContain(KEY);
    });

    it("follow mode waits for it (a warning naming it, masked) and starts when it answers", async () => {
      const port = await freePort();
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "scripts/run.ts", "--rpc", `http://127.0.0.1:${port}/v2/${KEY}`, "--agents-dir", "test/runtime/bots", "--bots", "counter", "--state", join(dir, "state.sqlite"), "--confirmations", "0", "--poll", "100", "--format", "json"],
        { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "info", LOG_FORMAT: "json", JSON_RPC_URL: "" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let err = "";
      child.stderr.on("data", (d) => (err += String(d)));
      const exited = exitedWithOutput(child);
      const node = new FakeNode({ upstream: chain.url });
      try {
        for (let i = 0; i < 3000 && !/waiting for it before starting/.test(err) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
        expect(err).toMatch(/waiting for it before starting/);
        expect(child.exitCode).toBeNull();
        const warning = JSON.parse(err.split("\n").find((l) => l.includes("waiting for it before starting"))!) as { rpc: string; level: string };
        expect(warning).toMatchObject({ level: "warn", rpc: `http://127.0.0.1:${port}/…` });
        await node.start(port);
        for (let i = 0; i < 3000 && !/following the chain/.test(err) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
        expect(err).toMatch(/following the chain/);
        child.kill("SIGINT");
        expect(await exited).toBe(0);
        expect(err).not.toContain(KEY);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
        await node.stop().catch(() => undefined);
      }
    });
  });

  describe("with JSON_RPC_URL and MAKER_CHAINLOG set", () => {
    let chain: AnvilChain;
    let mk: MakerSystem;
    beforeAll(async () => {
      chain = await startAnvil({ chainId: 1 });
      mk = await deployMaker(chain, { openVaults: false });
    });
    afterAll(async () => {
      await chain.stop();
    });

    it("monitors that chain instead of the devnet, and a bad MAKER_CHAINLOG stops start-up naming the key", async () => {
      const from = (await chain.blockNumber()) + 1;
      const signer = chain.signer(3);
      await (await mk.gov.connect(mk.deployer).transfer(await signer.getAddress(), ethers.utils.parseEther("10"))).wait();
      await (await mk.gov.connect(signer)["approve(address,uint256)"](mk.esm.address, ethers.utils.parseEther("10"))).wait();
      await (await mk.esm.connect(signer).join(ethers.utils.parseEther("10"))).wait();
      const to = await chain.blockNumber();
      const r = run("run", ["--range", `${from}..${to}`, "--bots", "maker-emergency", "--format", "json"], { JSON_RPC_URL: chain.url, MAKER_CHAINLOG: mk.addresses.CHANGELOG! });
      expect(r.code).toBe(0);
      const lines = r.out.trim().split("\n").map((l) => JSON.parse(l) as { bot: string; finding: { alertId: string } });
      expect(lines.map((l) => `${l.bot} ${l.finding.alertId}`)).toEqual(["maker-emergency MAKER-ESM-JOIN"]);

      const bad = run("run", ["--range", `${from}..${to}`, "--bots", "maker-emergency"], { JSON_RPC_URL: chain.url, MAKER_CHAINLOG: "0x1234" });
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/configuration MAKER_CHAINLOG="0x1234" is invalid/);

      // one block, and one transaction, give the same finding
      const receipt = (await chain.provider.getBlockWithTransactions(to)).transactions[0]!;
      const env = { JSON_RPC_URL: chain.url, MAKER_CHAINLOG: mk.addresses.CHANGELOG! };
      const block = run("run", ["--block", String(to), "--bots", "maker-emergency", "--format", "json"], env);
      const tx = run("run", ["--tx", receipt.hash, "--bots", "maker-emergency", "--format", "json"], env);
      expect(block.code).toBe(0);
      expect(tx.code).toBe(0);
      const keyOf = (out: string) => out.trim().split("\n").map((l) => (JSON.parse(l) as { finding: { uniqueKey: string } }).finding.uniqueKey);
      expect(keyOf(tx.out)).toEqual(keyOf(block.out));
      expect(keyOf(tx.out)).toHaveLength(1);
    });

    it("records a range with npm run record and replays it with npm run replay after the node is gone", async () => {
      const dir = mkdtempSync(join(tmpdir(), "vigil-cli-"));
      try {
        const from = (await chain.blockNumber()) + 1;
        await mk.asPauseProxy(async (proxy) => {
          await (await mk.esm.connect(proxy).rely(chain.accounts[7]!)).wait();
        });
        const to = await chain.blockNumber();
        const fixture = join(dir, "f.json.gz");
        const expected = join(dir, "f.expected.json");
        const rec = run("record", ["--rpc", chain.url, "--range", `${from}..${to}`, "--bots", "maker-emergency", "--out", fixture, "--expected", expected, "--quiet"], {
          MAKER_CHAINLOG: mk.addresses.CHANGELOG!,
        });
        expect(rec.code).toBe(0);
        await chain.stop();
        const rep = run("replay", ["--fixture", fixture, "--expected", expected, "--format", "json"]);
        expect(rep.code).toBe(0);
        expect(rep.out).toMatch(/MAKER-EMERGENCY-RIGHTS/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it("npm start with no configuration plays the devnet storyline, keeps following, and stops cleanly on Ctrl-C", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/run.ts", "--bots", "maker-emergency", "--format", "json"], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "info", LOG_FORMAT: "json", JSON_RPC_URL: "", VIGIL_DASHBOARD_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (err += String(d)));
    const exited = exitedWithOutput(child);
    for (let i = 0; i < 5400 && !/storyline played; following the devnet until Ctrl-C/.test(err); i++) await new Promise((r) => setTimeout(r, 100));
    expect(err).toMatch(/storyline played/);
    // the dashboard's address is printed, and the storyline's incidents and observations are there
    const dashboard = /"msg":"dashboard: (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1];
    expect(dashboard).toBeDefined();
    const p0 = (await (await fetch(`${dashboard}/ui/api/incidents?priority=P0`)).json()) as { incidents: { alertId: string }[] };
    expect(p0.incidents.map((x) => x.alertId)).toContain("MAKER-ESM-THRESHOLD");
    const vitals = (await (await fetch(`${dashboard}/ui/api/vitals`)).json()) as { series: { name: string; points: unknown[] }[] };
    expect(vitals.series.find((s) => s.name === "maker.esm_sum")?.points.length).toBeGreaterThan(1);
    expect(await (await fetch(`${dashboard}/ui/vitals`)).text()).toMatch(/<script src="\/ui\/assets\/app.js">/);
    await new Promise((r) => setTimeout(r, 500)); // still following
    expect(child.exitCode).toBeNull();
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out).toMatch(/MAKER-ESM-FIRE/);
    expect(err).toMatch(/devnet: every expected alert fired/);
  }, 600_000);
});
