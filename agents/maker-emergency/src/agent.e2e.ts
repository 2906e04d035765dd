/**
 * maker-emergency end to end: our Maker-shaped contracts on anvil, the bot run by our runtime.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { call, deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { alertsOf, runBots } from "../../../shared/testing/chain";

const wad = (n: string) => ethers.utils.parseEther(n);
const b32 = ethers.utils.formatBytes32String;

describe("maker-emergency on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  const env = () => ({ MAKER_CHAINLOG: mk.addresses.CHANGELOG! });
  const run = async (from: number) => runBots({ url: chain.url, bots: ["maker-emergency"], from, to: await chain.blockNumber(), env: env() });

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
  });
  afterAll(async () => {
    await chain.stop();
  });

  async function join(amount: string, who = 3) {
    const signer = chain.signer(who);
    await (await mk.gov.connect(mk.deployer).transfer(await signer.getAddress(), wad(amount))).wait();
    await (await mk.gov.connect(signer)["approve(address,uint256)"](mk.esm.address, wad(amount))).wait();
    await (await mk.esm.connect(signer).join(wad(amount))).wait();
  }

  it("reports admin-rights and parameter changes on the ESM and End, whoever makes them", async () => {
    const from = (await chain.blockNumber()) + 1;
    const someone = chain.accounts[5]!;
    await mk.asPauseProxy(async (proxy) => {
      await (await mk.esm.connect(proxy).rely(someone)).wait();
      await (await mk.end.connect(proxy).deny(someone)).wait();
      await (await mk.end.connect(proxy)["file(bytes32,uint256)"](b32("wait"), 3600)).wait();
    });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-EMERGENCY-RIGHTS High", "MAKER-EMERGENCY-RIGHTS High", "MAKER-EMERGENCY-FILE Medium"]);
    expect(findings[2]!.finding.metadata).toMatchObject({ what: "wait", value: "3600" });
    for (const f of findings) expect(f.finding.metadata).toMatchObject({ callerClass: "governance", caller: mk.pauseProxy.address.toLowerCase() });
  });

  it("reports a ward outside governance changing End's wait as Critical (P0)", async () => {
    const snap = await chain.snapshot();
    try {
      const who = chain.accounts[6]!.toLowerCase();
      await mk.asPauseProxy(async (proxy) => (await mk.end.connect(proxy).rely(who)).wait());
      const from = (await chain.blockNumber()) + 1;
      await (await mk.end.connect(chain.signer(6))["file(bytes32,uint256)"](b32("wait"), 1)).wait();
      const findings = await run(from);
      expect(alertsOf(findings)).toEqual(["MAKER-EMERGENCY-FILE Critical"]);
      expect(findings[0]!.finding.metadata).toMatchObject({ what: "wait", callerClass: "outsider", caller: who, callerSource: "tx-from", priority: "P0" });
    } finally {
      await chain.revert(snap);
    }
  });
  it("stays quiet for a small join and reports the running total as one episode, then Fire and Cage", async () => {
    const start = (await chain.blockNumber()) + 1;
    await join("1"); // below ESM_JOIN_MIN (2): no finding
    await join("5"); // a reportable join
    let findings = await run(start);
    expect(alertsOf(findings)).toEqual(["MAKER-ESM-JOIN Medium"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ wad: "5", wadRaw: "5000000000000000000", priority: "P2" });

    const mid = (await chain.blockNumber()) + 1;
    await join("74994"); // Sum = 75,000 = 50% of min: the episode opens
    await join("1000"); // still approaching: nothing new
    await join("74000"); // Sum = 150,000 = min: escalates
    await join("10"); // nothing new
    await (await mk.esm.connect(chain.signer(3)).fire()).wait();
    await (await mk.end.connect(chain.signer(3))["cage(bytes32)"](b32("ETH-A"))).wait();
    findings = await run(mid);
    expect(alertsOf(findings)).toEqual([
      "MAKER-ESM-JOIN Medium",
      "MAKER-ESM-THRESHOLD High opened",
      "MAKER-ESM-JOIN Medium",
      "MAKER-ESM-JOIN Medium",
      "MAKER-ESM-THRESHOLD Critical escalated",
      "MAKER-ESM-JOIN Medium",
      "MAKER-ESM-FIRE Critical",
      "MAKER-END-CAGE Critical",
      "MAKER-END-CAGE-ILK Info",
    ]);
    const fire = findings.find((f) => f.finding.alertId === "MAKER-ESM-FIRE")!;
    expect(fire.finding.metadata.priority).toBe("P0");
  });

});

describe("maker-emergency: min changed by a spell", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("re-evaluates the threshold when governance lowers min, through the full spell path", async () => {
    const from = (await chain.blockNumber()) + 1;
    const signer = chain.signer(3);
    await (await mk.gov.connect(mk.deployer).transfer(await signer.getAddress(), wad("60000"))).wait();
    await (await mk.gov.connect(signer)["approve(address,uint256)"](mk.esm.address, wad("60000"))).wait();
    await (await mk.esm.connect(signer).join(wad("60000"))).wait(); // 40% of 150,000: quiet
    await mk.executeSpell([call(mk.esm, "file(bytes32,uint256)", b32("min"), wad("100000"))]); // now 60%
    const findings = await runBots({ url: chain.url, bots: ["maker-emergency"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
    expect(alertsOf(findings)).toEqual(["MAKER-ESM-JOIN Medium", "MAKER-EMERGENCY-FILE Medium", "MAKER-ESM-THRESHOLD High opened"]);
    expect(findings[1]!.finding.description).toMatch(/min set to 100,000.00 tokens/);
  });

  it("resolves the threshold episode of an ESM the ChainLog stops naming, instead of leaving it open", async () => {
    // the ESM holds 60% of min (previous test): the episode is open from the bot's first block
    const from = (await chain.blockNumber()) + 1;
    await mk.asPauseProxy(async (p) => (await mk.chainlog.connect(p).removeAddress(b32("MCD_ESM"))).wait());
    const findings = await runBots({ url: chain.url, bots: ["maker-emergency"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
    expect(alertsOf(findings)).toEqual(["MAKER-ESM-THRESHOLD High opened", "MAKER-ESM-THRESHOLD Info resolved"]);
    expect(findings[1]!.finding.metadata).toMatchObject({ esm: mk.esm.address.toLowerCase(), resolvedBecause: "esm-replaced-in-chainlog", episodeId: findings[0]!.finding.metadata.episodeId });
    await mk.asPauseProxy(async (p) => (await mk.chainlog.connect(p).setAddress(b32("MCD_ESM"), mk.esm.address)).wait());
  });
});
