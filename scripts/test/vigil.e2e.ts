/**
 * The `vigil` command and the runtime's process behaviour as a user meets them: the compiled
 * command (no TypeScript loader), exit codes that tell the truth, refused option mixes and log
 * settings, and signals that stop everything the command started.
 */
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { startAnvil, type AnvilChain } from "../../test/chain/anvil";
import { RuntimeStore } from "../../shared/runtime/store";
import { buildVigil } from "../build";
import { COMMANDS } from "../vigil";
import { ROOT, allGone, descendants, runTs, start } from "./process";

const BOTS = ["--agents-dir", "test/runtime/bots"];

describe("the vigil command", () => {
  let bundle: string;
  let dir: string;
  beforeAll(async () => {
    mkdirSync(join(ROOT, "dist"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "dist", "test-"));
    bundle = await buildVigil(join(dir, "vigil.js"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const node = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [bundle, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", JSON_RPC_URL: "", ...env }, encoding: "utf8", timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it("is plain JavaScript: no TypeScript loader inside or needed", () => {
    const text = readFileSync(bundle, "utf8");
    expect(text.startsWith("#!/usr/bin/env node")).toBe(true);
    expect(text).not.toMatch(/require\("tsx|from "tsx/);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.bin.vigil).toBe("dist/vigil.js");
    expect(pkg.scripts.prepare).toMatch(/scripts\/build\.ts/); // npm ci runs "prepare": the command exists after install
  });

  it("lists its commands, explains each with --help, and refuses an unknown one with exit 2", () => {
    const help = node(["--help"]);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.out).toContain(`  ${c.name}`);
    for (const c of COMMANDS) {
      const r = node([c.name, "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: vigil ${c.name} \\[options\\]`));
      expect(r.out).toMatch(/Example/);
    }
    const unknown = node(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err.split("\n")[0]).toBe(`error: unknown command "frobnicate"; the commands are: ${COMMANDS.map((c) => c.name).join(", ")}`);
    expect(node([]).code).toBe(2);
    const badOption = node(["run", "--no-such-option"]);
    expect(badOption.code).toBe(2);
    expect(badOption.err.trim()).toBe("error: unknown option '--no-such-option'");
  });

  describe("on a chain", () => {
    let chain: AnvilChain;
    beforeAll(async () => {
      chain = await startAnvil();
      const [from, to] = chain.accounts;
      for (let i = 0; i < 3; i++) await chain.transact({ from, to, value: "0x10" });
      await chain.mine(3);
    });
    afterAll(() => chain.stop());

    it("runs the bots compiled into it; its stdout is findings only (pipeable JSON lines)", () => {
      const r = node(["run", "--rpc", chain.url, "--range", "1..6", "--bots", "maker-emergency,maker-auth", "--format", "json"], { LOG_LEVEL: "silent" });
      // no Maker on this chain: the bots cannot start, which the runtime reports as findings, and exit 4
      expect(r.err.trim()).toMatch(/^error: none of the 2 requested bot\(s\) could start/);
      expect(r.code).toBe(4);
      const lines = r.out.trim().split("\n").map((l) => JSON.parse(l) as { finding: { alertId: string }; bot: string });
      expect(lines.map((l) => l.finding.alertId)).toEqual(["VIGIL-BOT-INIT-FAILED", "VIGIL-BOT-INIT-FAILED"]);
    });

    it("exits 3 when findings cannot be delivered (--out /dev/full), naming the sink and what became of them", () => {
      const r = runTs("scripts/run.ts", ["--rpc", chain.url, "--range", "1..6", ...BOTS, "--bots", "counter", "--out", "/dev/full", "--format", "json"], { LOG_LEVEL: "silent" });
      expect(r.code).toBe(3);
      expect(r.err.trim().split("\n")).toEqual([expect.stringMatching(/^error: findings could not be delivered: \d+ to file:\/dev\/full \(ENOSPC[^)]*\); they are lost \(no --state file\)$/)]);
      expect(r.out.trim().split("\n").length).toBeGreaterThan(0); // stdout still got them
    });

    it("exits 4 when no requested bot could start, and 0 when one of them runs", () => {
      const none = runTs("scripts/run.ts", ["--rpc", chain.url, "--range", "1..3", ...BOTS, "--bots", "broken-init", "--format", "json"], { LOG_LEVEL: "silent" });
      expect(none.code).toBe(4);
      expect(none.err.trim()).toBe("error: none of the 1 requested bot(s) could start (1 failed to initialize; see the VIGIL-BOT-INIT-FAILED findings and the log)");
      const some = runTs("scripts/run.ts", ["--rpc", chain.url, "--range", "1..3", ...BOTS, "--bots", "broken-init,counter", "--format", "json"], { LOG_LEVEL: "silent" });
      expect(some.code).toBe(0);
    });

    it("--tx: the summary counts the findings it printed", async () => {
      const block = await chain.provider.getBlockWithTransactions(2);
      const hash = block.transactions[0]!.hash;
      const r = runTs("scripts/run.ts", ["--rpc", chain.url, "--tx", hash, ...BOTS, "--bots", "counter", "--format", "json"], { LOG_LEVEL: "info" });
      expect(r.code).toBe(0);
      const printed = r.out.trim().split("\n").filter(Boolean).length;
      expect(printed).toBeGreaterThan(0);
      const summary = r.err.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { msg: string; findings?: number }).find((l) => l.msg === "runtime stopped");
      expect(summary?.findings).toBe(printed);
    });

    it("refuses options of different modes together with one line and exit 2", () => {
      const hash = `0x${"ab".repeat(32)}`;
      const cases: [string[], RegExp][] = [
        [["--range", "1..2", "--block", "3"], /^error: option '--range <A\.\.B>' cannot be used with option '--block <N>'$/],
        [["--range", "1..2", "--tx", hash], /^error: option '--range <A\.\.B>' cannot be used with option '--tx <hash>'$/],
        [["--block", "2", "--tx", hash], /^error: option '--block <N>' cannot be used with option '--tx <hash>'$/],
        [["--range", "1..2", "--from", "1"], /^error: option '--range <A\.\.B>' cannot be used with option '--from <N>'$/],
        [["--block", "1", "--confirmations", "3"], /^error: option '--block <N>' cannot be used with option '--confirmations <n>'$/],
        [["--devnet"], /^error: option '--devnet' cannot be used with option '--rpc <urls>'$/],
        [["--once"], /^error: --once is for the embedded devnet, but a node is configured \(--rpc or JSON_RPC_URL\): add --devnet, or leave --once out$/],
      ];
      for (const [args, message] of cases) {
        const r = runTs("scripts/run.ts", ["--rpc", chain.url, ...args], { LOG_LEVEL: "silent" });
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(r.err.trim().split("\n")).toEqual([expect.stringMatching(message)]);
      }
    });

    it("checks LOG_LEVEL and LOG_FORMAT like every other key: one line, exit 2, no stack trace", () => {
      const args = ["run", "--rpc", chain.url, "--range", "1..2", ...BOTS, "--bots", "counter"];
      const level = node(args, { LOG_LEVEL: "verbose" });
      expect(level.code).toBe(2);
      expect(level.err.trim()).toBe('error: configuration LOG_LEVEL="verbose" is invalid: use one of fatal, error, warn, info, debug, trace, silent');
      const format = node(args, { LOG_FORMAT: "xml" });
      expect(format.code).toBe(2);
      expect(format.err.trim()).toBe('error: configuration LOG_FORMAT="xml" is invalid: use json or pretty, or leave it unset (pretty on a terminal, json otherwise)');
      const viaNpmScript = runTs("scripts/run.ts", args.slice(1), { LOG_LEVEL: "verbose" });
      expect(viaNpmScript.code).toBe(2);
      expect(viaNpmScript.err).not.toMatch(/\n\s+at /);
      // upper case and surrounding spaces are accepted as the same level
      expect(runTs("scripts/run.ts", args.slice(1), { LOG_LEVEL: " WARN " }).code).toBe(0);
    });

    it.each(["SIGTERM", "SIGINT"] as const)("%s to `npm start` stops the runtime and every process it started; the cursor is saved", async (signal) => {
      const state = join(mkdtempSync(join(tmpdir(), "vigil-signal-")), "state.sqlite");
      const npm = start("npm", ["start", "--", "--rpc", chain.url, ...BOTS, "--bots", "counter", "--state", state, "--from", "1", "--confirmations", "0", "--poll", "100", "--format", "json"]);
      try {
        await npm.waitFor(/"msg":"following the chain"/);
        const tree = descendants(npm.child.pid!);
        expect(tree.some((p) => /scripts\/run\.ts/.test(p.args))).toBe(true);
        npm.child.kill(signal);
        await npm.exited;
        await allGone(tree);
        // graceful: the blocks it processed are committed and their findings were printed
        const store = new RuntimeStore(state); // also proves the lock was released
        try {
          const next = store.cursor()!;
          expect(next).toBeGreaterThan(1);
          // (npm prints its banner on stdout first: the reason the README pipes `npx vigil`, not npm start)
          const printed = new Set(npm.out().trim().split("\n").filter((l) => l.startsWith("{")).map((l) => (JSON.parse(l) as { finding: { uniqueKey: string } }).finding.uniqueKey));
          expect(store.allFindings().map((f) => f.finding.uniqueKey).filter((k) => !printed.has(k))).toEqual([]);
        } finally {
          store.close();
        }
        expect(npm.err()).toMatch(/"msg":"stopping after the block in hand/);
      } finally {
        if (npm.child.exitCode === null) npm.child.kill("SIGKILL");
      }
    });
  });

  it("SIGTERM to the compiled `vigil run` on the devnet stops it and every process it started; it prints where /health is, and the metrics move as blocks are processed", async () => {
    const vigil = start(process.execPath, [bundle, "run", "--bots", "maker-emergency", "--format", "json"]);
    try {
      await vigil.waitFor(/"msg":"scene: /);
      const served = /devnet: serving health and metrics at (http:\/\/127\.0\.0\.1:\d+) /.exec(vigil.err());
      expect(served).not.toBeNull();
      // health and metrics while the devnet runs: the numbers move as its blocks are processed
      const blocks = async (): Promise<number> => {
        const res = await fetch(`${served![1]}/metrics`);
        expect(res.status).toBe(200);
        const m = /^vigil_blocks_processed_total (\d+)$/m.exec(await res.text());
        return m ? Number(m[1]) : 0;
      };
      const first = await blocks();
      const health = await fetch(`${served![1]}/health`);
      expect([200, 503]).toContain(health.status); // 503 while catching up is allowed; the body says why
      expect(typeof (JSON.parse(await health.text()) as { reason?: unknown }).reason).toBe("string");
      for (let i = 0; (await blocks()) <= first; i++) {
        if (i > 1500) throw new Error(`vigil_blocks_processed_total stayed at ${first} while the devnet played its scenes`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const tree = descendants(vigil.child.pid!);
      expect(tree.filter((p) => /\/anvil /.test(p.args)).length).toBeGreaterThan(0);
      expect(tree.some((p) => /tsx/.test(p.args))).toBe(false);
      vigil.child.kill("SIGTERM");
      expect(await vigil.exited).toBe(0);
      await allGone(tree);
    } finally {
      if (vigil.child.exitCode === null) vigil.child.kill("SIGKILL");
    }
  });

  it("on a platform without an anvil package, `npm start` says in one line how to point Vigil at a node", () => {
    const preload = join(dir, "no-anvil-platform.js");
    writeFileSync(preload, 'Object.defineProperty(process, "arch", { value: "ia32" });\n');
    const r = spawnSync(process.execPath, ["--require", preload, "--import", "tsx", "scripts/run.ts", "--bots", "maker-emergency"], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "silent", JSON_RPC_URL: "" },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      `error: the embedded devnet needs anvil, and none is installed for ${process.platform}/ia32 (@foundry-rs/anvil-${process.platform}-ia32: no anvil build for ${process.platform}/ia32); point Vigil at a node instead: JSON_RPC_URL=https://your-node npx vigil run (or --rpc URL)`,
    ]);
  });

  it("SIGTERM to `npm start` on the devnet stops it and its chains, beacon simulators and node processes", async () => {
    const npm = start("npm", ["start", "--", "--bots", "maker-emergency", "--format", "json"]);
    try {
      await npm.waitFor(/"msg":"scene: /);
      const tree = descendants(npm.child.pid!);
      expect(tree.filter((p) => /\/anvil /.test(p.args)).length).toBeGreaterThan(0);
      npm.child.kill("SIGTERM");
      await npm.exited;
      await allGone(tree);
    } finally {
      if (npm.child.exitCode === null) npm.child.kill("SIGKILL");
    }
  });
});
