/**
 * `npm run bench -- --quick` runs every phase (workload on anvil, fixture, live, replay, calls by
 * bot, the forta-agent CLI sample) and ends with one JSON line of the documented shape. Only
 * the shape is checked: speed belongs to the benchmark, not to tests.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

it("bench --quick ends with one JSON line carrying every documented figure", () => {
  const cache = mkdtempSync(join(tmpdir(), "vigil-bench-"));
  try {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench.ts", "--quick", "--cache-dir", cache], {
      cwd: resolve(__dirname, "..", ".."),
      env: { ...process.env, LOG_LEVEL: "silent" },
      encoding: "utf8",
      timeout: 900_000,
      maxBuffer: 64 * 2 ** 20,
    });
    expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr.slice(-2000) }).toEqual({ status: 0, stderr: "" });
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^vigil bench \(QUICK/);
    const report = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    for (const k of ["blocksPerSecond", "liveBlocksPerSecond", "rpcRequestsPerBlock", "rpcCallsPerBlock", "p50BlockMs", "p99BlockMs", "peakRssMb", "startupMs", "blocks"]) {
      expect({ [k]: typeof report[k] }).toEqual({ [k]: "number" });
    }
    expect(report.speedupVsFortaCli === null || typeof report.speedupVsFortaCli === "number").toBe(true);
    expect(typeof report.machine).toBe("string");
    // the CLI sample timed inside one run per bot (the "fetching block" lines), anvil's own peak
    const cli = report.fortaCli as { msPerBlockByBot: Record<string, unknown>; blocksPerBot: unknown };
    expect({ maker: typeof cli.msPerBlockByBot["maker-vat"], blocks: typeof cli.blocksPerBot }).toEqual({ maker: "number", blocks: "number" });
    expect(report.anvilPeakRssMb === null || typeof report.anvilPeakRssMb === "number").toBe(true);
    // where a live block's CPU goes: the bots' process, anvil and the counting proxy (its own process)
    expect(typeof report.liveCpuMsPerBlock).toBe("number");
    for (const k of ["liveAnvilCpuMsPerBlock", "liveProxyCpuMsPerBlock"]) expect({ [k]: report[k] === null || typeof report[k] === "number" }).toEqual({ [k]: true });
    expect(report.rpcRequestsPerBlock as number).toBeGreaterThan(0); // counted by the proxy's process over IPC
    expect(report.blocks as number).toBeGreaterThan(24);
    expect(Object.keys(report.rpcCallsPerBlockByMethod as object)).toEqual(expect.arrayContaining(["eth_getBlockByNumber", "eth_getBlockReceipts", "eth_call"]));
    expect(Object.keys(report.rpcCallsPerBlockByBot as object)).toEqual(expect.arrayContaining(["maker-vat", "maker-oracles", "sky-bridges", "sky-burn-engine"]));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}, 900_000);
