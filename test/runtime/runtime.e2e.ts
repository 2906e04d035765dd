/**
 * The runtime against a real chain (anvil): error isolation, receipts fallback, node failures,
 * reorgs while following.
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { startAnvil, type AnvilChain } from "../chain/anvil";
import type { EmittedFinding } from "../../shared/runtime/store";
import { FakeNode } from "../rpc/fake-node";
import { loadBots } from "../../shared/runtime/discovery";
import { Runtime } from "../../shared/runtime/runtime";
import { MemorySink } from "../../shared/runtime/sinks";
import { RuntimeStore } from "../../shared/runtime/store";
import { TEST_BOTS_DIR, chainWithTraffic, quietLog, rpcFor, runRange, summary } from "./helpers";

/**
 * The handler time limit where a test makes a bot or the node hang for good. Those hangs never
 * end, so the limit only sets how long the test waits; it is not tight, so that a healthy
 * handler on a loaded machine is never taken for a hung one.
 */
const HANG_LIMIT_MS = 3_000;

describe("runtime on anvil", () => {
  let chain: AnvilChain;
  beforeAll(async () => {
    chain = await chainWithTraffic(20);
  });
  afterAll(async () => {
    await chain.stop();
  });
  /** Run `fn` with a fault-injecting proxy in front of the chain, stopped afterwards. */
  async function throughProxy<T>(fn: (proxy: FakeNode) => Promise<T>): Promise<T> {
    const proxy = await new FakeNode({ upstream: chain.url }).start();
    try {
      return await fn(proxy);
    } finally {
      await proxy.stop();
    }
  }

  it("processes a range: block and transaction findings, state carried from block to block", async () => {
    const { findings } = await runRange(chain.url, ["counter"], 1, 20);
    const s = summary(findings);
    expect(s.filter((l) => l.includes("TEST-EVERY-3"))).toHaveLength(6);
    expect(s.filter((l) => l.includes("TEST-TX"))).toHaveLength(10);
    expect(s).toContain("18 TEST-EVERY-3 block 18: 18 blocks and 8 txs seen, balance 10000000000000000000090");
    // the window episode opens at 4, 14 and resolves at 7, 17: never once per block
    expect(s.filter((l) => l.includes("TEST-WINDOW"))).toEqual([
      "4 TEST-WINDOW window opened",
      "7 TEST-WINDOW window resolved",
      "14 TEST-WINDOW window opened",
      "17 TEST-WINDOW window resolved",
    ]);
  });

  it("isolates a bot that throws or hangs: a finding of its own, and the other bots go on", async () => {
    const { findings } = await runRange(chain.url, ["counter", "faulty"], 1, 9, { handlerTimeoutMs: HANG_LIMIT_MS });
    const runtime = findings.filter((f) => f.bot === "vigil-runtime").map((f) => `${f.blockNumber} ${f.finding.alertId} ${f.finding.metadata.bot} ${f.finding.metadata.episode}`);
    // each failure opens an episode, resolved at the next block the bot handles without failing
    expect(runtime).toEqual([
      "4 VIGIL-BOT-ERROR faulty opened",
      "5 VIGIL-BOT-ERROR faulty resolved",
      "6 VIGIL-BOT-TIMEOUT faulty opened",
      "7 VIGIL-BOT-TIMEOUT faulty resolved",
      "8 VIGIL-BOT-ERROR faulty opened",
      "9 VIGIL-BOT-ERROR faulty resolved",
    ]);
    expect(findings.filter((f) => f.bot === "counter")).toHaveLength(3 + 4 + 2); // every-3 x3, tx x4, window open+resolve
  });

  it("a bot that keeps failing is one episode: opened once, escalated once after FAILURE_ESCALATE seconds of chain time, resolved when it succeeds again; a restart resumes it (issue 8)", async () => {
    // 12 s blocks; faulty throws at every block from 3 to 15
    const c = await startAnvil({ timestamp: 1_700_000_000 });
    const dir = mkdtempSync(join(tmpdir(), "vigil-failures-"));
    try {
      for (let i = 1; i <= 20; i++) {
        await c.setNextBlockTimestamp(1_700_000_000 + 12 * i);
        await c.mine(1);
      }
      const opts = { env: { FAULTY_FAIL_FROM: "3", FAULTY_FAIL_TO: "15" }, failureEscalateSeconds: 60 };
      const whole = await runRange(c.url, ["counter", "faulty"], 1, 20, opts);
      const runtime = (fs: EmittedFinding[]) =>
        fs.filter((f) => f.bot === "vigil-runtime").map((f) => `${f.blockNumber} ${f.finding.alertId} ${f.finding.severity} ${f.finding.metadata.episode} ${f.finding.metadata.failures}`);
      expect(runtime(whole.findings)).toEqual([
        "3 VIGIL-BOT-ERROR High opened 1",
        "8 VIGIL-BOT-ERROR Critical escalated 6", // 60 s after block 3
        "16 VIGIL-BOT-ERROR Info resolved 13",
      ]);
      const [opened, escalated, resolved] = whole.findings.filter((f) => f.bot === "vigil-runtime").map((f) => f.finding);
      expect(opened!.description).toMatch(/^faulty: handleBlock threw at block 3: deliberate lasting failure at 3 \(reported once while it keeps failing; resolved when it succeeds again\)$/);
      expect(escalated!.description).toMatch(/^faulty: handleBlock has kept failing for 1 min since block 3 \(6 failures; the bot is blind there\); last: threw at block 8/);
      expect(resolved!.description).toBe("faulty: handleBlock succeeds again at block 16, after 13 failures since block 3 (last: deliberate lasting failure at 15)");
      expect(new Set([opened, escalated, resolved].map((f) => f!.metadata.episodeId)).size).toBe(1);
      // the other bot is untouched
      expect(summary(whole.findings.filter((f) => f.bot === "counter"))).toEqual(summary((await runRange(c.url, ["counter"], 1, 20)).findings));

      // stopped at block 5 (episode open) and 11 (escalated), restarted from the state file: the same findings, the same keys
      const path = join(dir, "state.sqlite");
      const parts = [
        await runRange(c.url, ["counter", "faulty"], 1, 5, { ...opts, store: new RuntimeStore(path) }),
        await runRange(c.url, ["counter", "faulty"], 1, 11, { ...opts, store: new RuntimeStore(path) }),
        await runRange(c.url, ["counter", "faulty"], 1, 20, { ...opts, store: new RuntimeStore(path) }),
      ];
      const resumed = parts.flatMap((p) => p.findings);
      expect(resumed.filter((f) => f.bot === "vigil-runtime").map((f) => f.finding.uniqueKey)).toEqual(whole.findings.filter((f) => f.bot === "vigil-runtime").map((f) => f.finding.uniqueKey));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await c.stop();
    }
  });

  it("does not stall every bot when one bot's own second node is down: that bot's failures are reported, the block goes on", async () => {
    const { findings } = await runRange(chain.url, ["counter", "other-node"], 1, 12);
    const errors = findings.filter((f) => f.finding.alertId === "VIGIL-BOT-ERROR").map((f) => `${f.blockNumber} ${f.finding.metadata.bot} ${f.finding.metadata.episode}`);
    expect(errors).toEqual(["5 other-node opened", "6 other-node resolved", "10 other-node opened", "11 other-node resolved"]);
    expect(findings.filter((f) => f.bot === "counter").length).toBeGreaterThan(5);
  });

  it("a bot whose state cannot be saved gets an error finding and goes on from its last saved state; the other bots' findings and state are committed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-state-"));
    try {
      const clean = await runRange(chain.url, ["counter"], 1, 9);
      const path = join(dir, "state.sqlite");
      // bad-state puts a bigint into its persistent state at block 5
      const { findings } = await runRange(chain.url, ["counter", "bad-state"], 1, 9, { store: new RuntimeStore(path) });
      expect(summary(findings.filter((f) => f.bot === "counter"))).toEqual(summary(clean.findings));
      const errors = findings.filter((f) => f.bot === "vigil-runtime");
      expect(errors.map((f) => `${f.blockNumber} ${f.finding.alertId} ${f.finding.metadata.bot} ${f.finding.metadata.handler} ${f.finding.metadata.episode}`)).toEqual([
        "5 VIGIL-BOT-ERROR bad-state persistent state opened",
        "6 VIGIL-BOT-ERROR bad-state persistent state resolved", // saved again from block 6 on
      ]);
      expect(errors[0]!.finding.description).toMatch(/^bad-state: persistent state could not be saved at block 5: .*holds a bigint; store decimal strings.*goes on from its last saved state/);
      // its finding of block 5 is kept; from block 6 on it counts from its state saved after block 4
      const counts = findings.filter((f) => f.bot === "bad-state").map((f) => f.finding.description);
      expect(counts.slice(3)).toEqual(["block 4: 4 blocks counted", "block 5: 5 blocks counted", "block 6: 5 blocks counted", "block 7: 6 blocks counted", "block 8: 7 blocks counted", "block 9: 8 blocks counted"]);
      // the state file holds what the run went on with: a restart continues from it
      const resumed = await runRange(chain.url, ["counter", "bad-state"], 10, 10, { store: new RuntimeStore(path) });
      expect(resumed.findings.filter((f) => f.bot === "bad-state").map((f) => f.finding.description)).toEqual(["block 10: 9 blocks counted"]);
      // a Map is refused the same way
      const withMap = await runRange(chain.url, ["bad-state"], 1, 3, { env: { BAD_STATE_AT: "2", BAD_STATE_KIND: "map" } });
      expect(withMap.findings.filter((f) => f.bot === "vigil-runtime" && f.finding.metadata.episode === "opened").map((f) => `${f.blockNumber} ${f.finding.metadata.error}`)).toEqual([
        expect.stringMatching(/^2 bot bad-state: persistent state holds a Map\/Set; use plain objects\/arrays/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the same findings from a node without eth_getBlockReceipts (per-transaction receipts)", async () => {
    await throughProxy(async (proxy) => {
      proxy.methodFaults.set("eth_getBlockReceipts", { code: -32601, message: "the method eth_getBlockReceipts does not exist/is not available" });
      const direct = await runRange(chain.url, ["counter"], 1, 20);
      const viaProxy = await runRange(proxy.url, ["counter"], 1, 20);
      expect(summary(viaProxy.findings)).toEqual(summary(direct.findings));
      expect(proxy.calls("eth_getTransactionReceipt").length).toBe(10);
    });
  });

  it("retries through node failures without losing a block or a finding", async () => {
    await throughProxy(async (proxy) => {
      const clean = await runRange(chain.url, ["counter"], 1, 20);
      // every third HTTP request fails in some way for a while
      const kinds = [{ kind: "status", status: 503 }, { kind: "none" }, { kind: "garbage" }, { kind: "none" }, { kind: "status", status: 429, retryAfter: "0" }, { kind: "hang" }] as const;
      for (let i = 0; i < 40; i++) proxy.faults.push(kinds[i % kinds.length]!);
      // the hangs never end, so only the transport's limit ends them: a short one here (a slow answer it cuts is retried too)
      const flaky = await runRange(proxy.url, ["counter"], 1, 20, { rpc: rpcFor(proxy.url, 2_000) });
      expect(summary(flaky.findings)).toEqual(summary(clean.findings));
    });
  });

  it("in a range, gives up on a block whose bot calls keep failing, naming the block and the error, instead of retrying forever", async () => {
    await throughProxy(async (proxy) => {
      proxy.methodFaults.set("eth_getBalance", { code: -32000, message: "header not found" });
      const run = runRange(proxy.url, ["counter"], 1, 20, { maxBlockAttempts: 2 });
      await expect(run).rejects.toThrow(/block 1 could not be processed: the node failed a bot 2 times: .*header not found/);
    });
  });

  describe("the runtime's own node stalling or failing a handler costs no finding", () => {
    const balanceAt = (block: number) => (c: { method: string; params: unknown[] }) => c.method === "eth_getBalance" && c.params[1] === `0x${block.toString(16)}`;

    it("a read the node leaves unanswered past the handler's time limit: the block is retried once the node answers, not blamed on the bot", async () => {
      await throughProxy(async (proxy) => {
        const clean = await runRange(chain.url, ["counter"], 1, 6);
        proxy.callFaults.push({ match: balanceAt(3), fault: { kind: "hang" }, times: 1 });
        // the hung read ends only at the transport's limit: a short one here, so the test does not wait 30 s for it
        const stalled = await runRange(proxy.url, ["counter"], 1, 6, { handlerTimeoutMs: HANG_LIMIT_MS, rpc: rpcFor(proxy.url, 5_000) });
        expect(summary(stalled.findings)).toEqual(summary(clean.findings));
        expect(stalled.runtime.stats.blockRetries).toBeGreaterThanOrEqual(1);
      });
    });

    it("a node that keeps stalling: a range gives up naming the block, the bot and what it was waiting for", async () => {
      await throughProxy(async (proxy) => {
        proxy.callFaults.push({ match: balanceAt(3), fault: { kind: "hang" }, times: Infinity });
        const run = runRange(proxy.url, ["counter"], 1, 6, { handlerTimeoutMs: HANG_LIMIT_MS, maxBlockAttempts: 2 });
        await expect(run).rejects.toThrow(
          new RegExp(`^block 3 could not be processed: the node failed a bot 2 times: (bot counter: handleBlock did not finish within ${HANG_LIMIT_MS} ms while waiting on the node for eth_getBalance|eth_getBalance failed after)`),
        );
      });
    });

    it("a bot that turns the node's failure into an error of its own: the block is retried, not reported as the bot's error", async () => {
      await throughProxy(async (proxy) => {
        const clean = await runRange(chain.url, ["rethrow"], 1, 4);
        expect(summary(clean.findings)).toHaveLength(4);
        // every attempt the transport makes at block 2's read fails: the bot sees AllEndpointsFailedError and throws its own
        proxy.callFaults.push({ match: balanceAt(2), fault: { kind: "status", status: 503 }, times: 4 });
        const failed = await runRange(proxy.url, ["rethrow"], 1, 4);
        expect(summary(failed.findings)).toEqual(summary(clean.findings));
        expect(failed.runtime.stats.blockRetries).toBeGreaterThanOrEqual(1);
      });
    });
  });

  it("detects a reorg while following, processes the new branch and retracts the orphaned findings, the runtime's own included", async () => {
    const c = await chainWithTraffic(8);
    const sink = new MemorySink();
    // faulty times out at 6 and throws at 8: the runtime's findings on blocks the reorg orphans
    const runtime = new Runtime({ rpc: rpcFor(c.url), bots: loadBots(["counter", "faulty"], TEST_BOTS_DIR), env: {}, sinks: [sink], log: quietLog(), pollIntervalMs: 20, handlerTimeoutMs: HANG_LIMIT_MS });
    try {
      await runtime.open();
      let reorged = false;
      let phase2Target = 0;
      const following = runtime.follow({
        from: 1,
        until: (next) => {
          if (!reorged && next > 8) {
            reorged = true;
            // replace the last 3 blocks (6, 7, 8) with a branch carrying other transfers
            void (async () => {
              const [from, to] = c.accounts;
              await c.reorg(3, [
                { block: 0, tx: { from, to, value: "0x99" } },
                { block: 1, tx: { from, to, value: "0x88" } },
                { block: 2, tx: { from, to, value: "0x77" } },
              ]);
              await c.mine(2);
              phase2Target = await c.blockNumber();
            })();
          }
          return phase2Target > 0 && next > phase2Target;
        },
      });
      await following;
      const all = sink.findings;
      const retraction = all.find((f) => f.finding.alertId === "VIGIL-REORG-RETRACTION");
      expect(retraction).toBeDefined();
      expect(retraction!.finding.metadata.depth).toBe("3");
      expect(retraction!.finding.metadata.ancestorNumber).toBe("5");
      const retracted = JSON.parse(retraction!.finding.metadata.retractedKeys!) as string[];
      // what block 6..8 of the old branch said is retracted: the transfers of 6 and 8, every-3 at 6, the window's resolve at 7,
      // and the runtime's findings about faulty there (its timeout at 6, its error at 8)
      const orphaned = all.filter((f) => f.seq < retraction!.seq && f.blockNumber >= 6);
      expect(orphaned.map((f) => f.finding.uniqueKey).sort()).toEqual([...retracted].sort());
      expect(orphaned.filter((f) => f.bot === "counter").length).toBe(4);
      const runtimeFindings = (fs: typeof all) => fs.filter((f) => f.bot === "vigil-runtime" && f.blockNumber >= 6).map((f) => `${f.blockNumber} ${f.finding.alertId} ${f.finding.metadata.bot} ${f.finding.metadata.episode}`);
      // the failure episodes of the orphaned blocks go with them (their state is rewound too)
      expect(runtimeFindings(orphaned)).toEqual(["6 VIGIL-BOT-TIMEOUT faulty opened", "7 VIGIL-BOT-TIMEOUT faulty resolved", "8 VIGIL-BOT-ERROR faulty opened"]);
      // the new branch was processed: its transfers are reported, and faulty's failures on its blocks
      const after = all.filter((f) => f.seq > retraction!.seq);
      expect(after.map((f) => f.finding.description)).toEqual(expect.arrayContaining([expect.stringMatching(/moved 153 wei/), expect.stringMatching(/moved 119 wei/)]));
      expect(runtimeFindings(after).slice(0, 3)).toEqual(["6 VIGIL-BOT-TIMEOUT faulty opened", "7 VIGIL-BOT-TIMEOUT faulty resolved", "8 VIGIL-BOT-ERROR faulty opened"]);
      // the store keeps no finding of an orphaned block (a new sink would not get them)
      const orphanedHashes = JSON.parse(retraction!.finding.metadata.orphanedBlocks!) as string[];
      expect(orphanedHashes).toHaveLength(3);
      expect(runtime.findings().filter((f) => orphanedHashes.includes(f.blockHash))).toEqual([]);
      // and state was rewound: the count at block 9 is as if the old branch never existed
      // (2 transfers before the fork + 3 on the new branch; 7 if the orphaned 2 were still counted)
      expect(after.find((f) => f.blockNumber === 9 && f.finding.alertId === "TEST-EVERY-3")?.finding.description).toMatch(/^block 9: 9 blocks and 5 txs seen/);
    } finally {
      await runtime.close();
      await c.stop();
    }
  });
});
