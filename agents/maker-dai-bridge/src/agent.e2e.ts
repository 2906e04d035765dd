/**
 * maker-dai-bridge end to end: two anvil chains with distinct chain ids, an L1 (our Maker-shaped
 * deployment with its OPTIMISM_ESCROW) and an L2 (chain id 10, our L2 DAI), the bot run by our
 * runtime. The L2 is read at its head when an L1 block is processed, so each phase processes the
 * L1 blocks mined so far, with the runtime's state kept in a SQLite file between phases (as a
 * restarted `npm start` would).
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { mined } from "../../../test/chain/deploy";
import { bridgeDeposit, deployL2Dai, deployMaker, mintUnbacked, type L2Dai, type MakerSystem } from "../../../test/chain/maker";
import { createLogger } from "../../../shared/log";
import { RpcClient } from "../../../shared/rpc/client";
import { HttpTransport } from "../../../shared/rpc/transport";
import { loadBots } from "../../../shared/runtime/discovery";
import { Runtime } from "../../../shared/runtime/runtime";
import { MemorySink } from "../../../shared/runtime/sinks";
import { RuntimeStore, type EmittedFinding } from "../../../shared/runtime/store";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import { runFortaCli } from "../../../shared/testing/forta-cli";
import { JsonRpcProxy } from "../../../shared/testing/rpc-tape";

const wad = (n: string) => ethers.utils.parseEther(n);

describe("maker-dai-bridge on two anvil chains", () => {
  let l1: AnvilChain;
  let l2chain: AnvilChain;
  let mk: MakerSystem;
  let l2: L2Dai;
  let proxy: JsonRpcProxy;
  let dir: string;
  let first: number;
  const user = () => l1.signer(3); // holds DAI from selling USDC to the PSMs (deployMaker)

  const env = (extra: Record<string, string> = {}) => ({
    MAKER_CHAINLOG: mk.addresses.CHANGELOG!,
    DAI_BRIDGE_DOMAINS: "optimism",
    DAI_BRIDGE_OPTIMISM_RPC_URL: proxy.url,
    DAI_BRIDGE_OPTIMISM_L2_ASSET: l2.dai.address,
    DAI_BRIDGE_CHECK_INTERVAL: "1", // every block: each phase starts with a check
    DAI_BRIDGE_CONFIRM_BLOCKS: "3",
    ...extra,
  });

  /** Process every L1 block mined since the last phase, resuming from the stored cursor. */
  async function phase(): Promise<EmittedFinding[]> {
    const sink = new MemorySink();
    const runtime = new Runtime({
      rpc: new RpcClient(new HttpTransport({ urls: [l1.url], timeoutMs: 60_000, retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 50 } })),
      handlerTimeoutMs: 180_000, // nothing hangs here: only a stuck handler may fail the test
      bots: loadBots(["maker-dai-bridge"]),
      env: env(),
      store: new RuntimeStore(join(dir, "state.sqlite")),
      sinks: [sink],
      maxBlockAttempts: 3,
      log: createLogger({ level: process.env.LOG_LEVEL ?? "silent" }),
    });
    await runtime.open();
    try {
      await runtime.runRange(first, await l1.blockNumber());
    } finally {
      await runtime.close();
    }
    return sink.findings.map(({ seq: _s, ...f }) => f);
  }

  beforeAll(async () => {
    [l1, l2chain] = await Promise.all([startAnvil(), startAnvil({ chainId: 10 })]);
    mk = await deployMaker(l1);
    l2 = await deployL2Dai(l2chain);
    proxy = await JsonRpcProxy.start(l2chain.url);
    dir = mkdtempSync(join(tmpdir(), "vigil-bridge-"));
    await bridgeDeposit(mk, l2, user(), "1000000");
    first = (await l1.blockNumber()) + 1;
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([l1.stop(), l2chain.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("is off without a domain, and stops start-up with the key to set when a domain has no URL", async () => {
    const base = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };
    const to = await l1.blockNumber();
    expect(await runBots({ url: l1.url, bots: ["maker-dai-bridge"], from: to, to, env: base })).toEqual([]);
    await expect(runBots({ url: l1.url, bots: ["maker-dai-bridge"], from: to, to, env: { ...base, DAI_BRIDGE_DOMAINS: "optimism" } })).rejects.toThrow(
      /DAI_BRIDGE_OPTIMISM_RPC_URL.*set DAI_BRIDGE_OPTIMISM_RPC_URL to the JSON-RPC URL of that L2/,
    );
  });

  it("stays quiet while deposits and withdrawals keep the escrow covering the L2 supply", async () => {
    await l1.mine(2);
    await bridgeDeposit(mk, l2, user(), "250000");
    // a withdrawal: burned on the L2 first, paid out of the escrow on L1 later
    await mined(l2.dai.connect(l2.bridge).burn(await user().getAddress(), wad("100000")));
    await mk.asPauseProxy((p) => mined(mk.escrow.connect(p).approve(mk.dai.address, l1.accounts[9]!, wad("100000"))));
    await mined(mk.dai.connect(l1.signer(9)).transferFrom(mk.escrow.address, await user().getAddress(), wad("100000")));
    await l1.mine(12);
    expect(await phase()).toEqual([]);
  });

  it("does not open for a deposit in flight: a shortfall that clears before its confirmation", async () => {
    // minted on the L2 before the L1 block with the transfer that backs it is processed
    await mined(l2.dai.mint(await user().getAddress(), wad("300000")));
    await l1.mine(1); // checked: 300k more on the L2 than in the escrow; confirmation due 3 blocks later
    await mined(mk.dai.connect(user()).transfer(mk.escrow.address, wad("300000")));
    await l1.mine(5);
    expect(await phase()).toEqual([]);
  });

  it("opens High for unbacked L2 DAI after confirming it, escalates to Critical past the large gap, resolves when covered", async () => {
    await mintUnbacked(l2, l2chain.accounts[5]!, "50000");
    await l1.mine(12);
    const opened = await phase();
    await mintUnbacked(l2, l2chain.accounts[5]!, "2000000");
    await l1.mine(12);
    const escalated = await phase();
    await mined(l2.dai.connect(l2.bridge).burn(l2chain.accounts[5]!, wad("2050000")));
    await l1.mine(12);
    const resolved = await phase();

    expect(alertsOf(opened)).toEqual(["MAKER-DAI-BRIDGE-SHORTFALL High opened"]);
    const md = opened[0]!.finding.metadata;
    expect(md).toMatchObject({
      domain: "optimism",
      escrow: mk.escrow.address.toLowerCase(),
      l1Token: mk.dai.address.toLowerCase(),
      l2Token: l2.dai.address.toLowerCase(),
      l2ChainId: "10",
      escrowBalance: "1450000",
      l2Supply: "1500000",
      gap: "50000",
      gapWad: wad("50000").toString(),
      tolerance: "10000",
      trigger: "schedule",
      priority: "P1",
    });
    expect(Number(md.firstSeenAtBlock)).toBe(Number(md.l1Block) - 3);
    expect(opened[0]!.finding.description).toMatch(/^optimism: L2 DAI is not covered by its L1 escrow, short by 50,000.00 DAI/);
    expect(JSON.stringify(opened)).not.toContain(proxy.url); // no endpoint in findings

    expect(alertsOf(escalated)).toEqual(["MAKER-DAI-BRIDGE-SUPPLY-JUMP Info", "MAKER-DAI-BRIDGE-SHORTFALL Critical escalated"]);
    expect(escalated[0]!.finding.metadata).toMatchObject({ delta: "2000000", previousSupplyWad: wad("1500000").toString(), l2Supply: "3500000" });
    expect(escalated[1]!.finding.metadata).toMatchObject({ gap: "2050000", level: "critical", priority: "P0", episodeId: md.episodeId });

    expect(alertsOf(resolved)).toEqual(["MAKER-DAI-BRIDGE-SUPPLY-JUMP Info", "MAKER-DAI-BRIDGE-SHORTFALL Info resolved"]);
    expect(resolved[0]!.finding.metadata.delta).toBe("-2050000");
    expect(resolved[1]!.finding.metadata).toMatchObject({ episode: "resolved", episodePeak: "critical", gap: "0" });
  });

  it("reports an L2 it cannot read as one Low episode, and its recovery", async () => {
    proxy.available = false;
    await l1.mine(2);
    const down = await phase();
    await l1.mine(2);
    const still = await phase();
    proxy.available = true;
    await l1.mine(2);
    const up = await phase();
    expect(alertsOf(down)).toEqual(["MAKER-DAI-BRIDGE-L2-UNAVAILABLE Low opened"]);
    expect(down[0]!.finding.metadata.error).toMatch(/HTTP 503 from the L2 RPC/);
    expect(down[0]!.finding.description).not.toContain("127.0.0.1");
    expect(still).toEqual([]);
    expect(alertsOf(up)).toEqual(["MAKER-DAI-BRIDGE-L2-UNAVAILABLE Info resolved"]);
  });

  it("checks at once when DAI leaves the escrow on L1: a drain is seen in its block and confirmed", async () => {
    const thief = l1.signer(8);
    const from = (await l1.blockNumber()) + 1;
    await l1.mine(1); // the first check (covered); the next scheduled one is 1000 blocks away
    await mk.asPauseProxy((p) => mined(mk.escrow.connect(p).approve(mk.dai.address, l1.accounts[8]!, ethers.constants.MaxUint256)));
    const drained = await mined(mk.dai.connect(thief).transferFrom(mk.escrow.address, l1.accounts[8]!, wad("400000")));
    await l1.mine(2);
    const findings = await runBots({ url: l1.url, bots: ["maker-dai-bridge"], from, to: await l1.blockNumber(), env: env({ DAI_BRIDGE_CHECK_INTERVAL: "1000", DAI_BRIDGE_CONFIRM_BLOCKS: "2" }) });
    expect(alertsOf(findings)).toEqual(["MAKER-DAI-BRIDGE-SHORTFALL High opened"]);
    expect(findings[0]!.blockNumber).toBe(drained.blockNumber + 2);
    expect(findings[0]!.finding.metadata).toMatchObject({ gap: "400000", firstSeenAtBlock: String(drained.blockNumber) });
    await mined(mk.dai.connect(thief).transfer(mk.escrow.address, wad("400000")));
  });

  it("refuses an RPC URL that answers for another chain (the L1 given as the L2)", async () => {
    const to = await l1.blockNumber();
    const findings = await runBots({ url: l1.url, bots: ["maker-dai-bridge"], from: to, to, env: env({ DAI_BRIDGE_OPTIMISM_RPC_URL: l1.url }) });
    expect(alertsOf(findings)).toEqual(["MAKER-DAI-BRIDGE-L2-UNAVAILABLE Low opened"]);
    expect(findings[0]!.finding.metadata.error).toBe(
      "the RPC of optimism answers for chain id 31337, not 10: check DAI_BRIDGE_OPTIMISM_RPC_URL (or set DAI_BRIDGE_OPTIMISM_CHAIN_ID)",
    );
  });

  it("gives the same findings under the forta-agent CLI as under our runtime", async () => {
    await mintUnbacked(l2, l2chain.accounts[6]!, "70000");
    const from = (await l1.blockNumber()) + 1;
    await l1.mine(5);
    const to = await l1.blockNumber();
    const e = env();
    const ours = await runBots({ url: l1.url, bots: ["maker-dai-bridge"], from, to, env: e });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: l1.url, from, to, env: e });
    const shape = (f: { alertId: string; severity: string; uniqueKey: string; description: string; metadata: Record<string, string> }) =>
      `${f.alertId} ${f.severity} ${f.uniqueKey} ${f.description} ${JSON.stringify(f.metadata)}`;
    expect(alertsOf(ours)).toEqual(["MAKER-DAI-BRIDGE-SHORTFALL High opened"]);
    expect(cli.findings.map((f) => shape(f.finding)).sort()).toEqual(ours.map((f) => shape(f.finding)).sort());
    await mined(l2.dai.connect(l2.bridge).burn(l2chain.accounts[6]!, wad("70000")));
  });
});
