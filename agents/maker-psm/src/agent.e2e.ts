/**
 * maker-psm end to end: the classic PSM (MCD_PSM_USDC_A) and the lite PSM (MCD_LITE_PSM_USDC_A)
 * of our Maker-shaped deployment on anvil, USDC with 6 decimals, the bot run by our runtime.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployContract, mined } from "../../../test/chain/deploy";
import { call, deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { buyGem, psmReserve } from "../../../test/chain/maker/psm-helpers";
import { alertsOf, runBots } from "../../../shared/testing/chain";

const wad = (n: string) => ethers.utils.parseEther(n);
const rad = (n: string) => wad(n).mul(ethers.BigNumber.from(10).pow(27));
const usdc = (n: string) => ethers.utils.parseUnits(n, 6);
const b32 = ethers.utils.formatBytes32String;
const HALTED = ethers.constants.MaxUint256;

describe("maker-psm on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  const run = async (from: number) => runBots({ url: chain.url, bots: ["maker-psm"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
  const next = async () => (await chain.blockNumber()) + 1;
  const whale = () => chain.signer(5);

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays quiet for ordinary swaps on both PSMs", async () => {
    const from = await next();
    await mk.sellGem("psm", chain.signer(4), "250000");
    await mk.sellGem("lite", chain.signer(4), "400000.123456");
    await buyGem(mk, "psm", chain.signer(4), "100000");
    await buyGem(mk, "lite", chain.signer(4), "399999.999999");
    expect(await run(from)).toEqual([]);
  });

  it("reports large swaps with exact 6-decimal amounts: Info from 10M, Low from 50M", async () => {
    const from = await next();
    await mk.sellGem("lite", whale(), "9999999.999999"); // one raw unit under Info
    await mk.sellGem("lite", whale(), "12000000.5");
    await mk.sellGem("psm", whale(), "60000000");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-PSM-LARGE-SWAP Info", "MAKER-PSM-LARGE-SWAP Low"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ key: "MCD_LITE_PSM_USDC_A", ilk: "LITE-PSM-USDC-A", event: "SellGem", valueRaw: "12000000500000", value: "12000000.5", gemDecimals: "6" });
    expect(findings[1]!.finding.metadata).toMatchObject({ key: "MCD_PSM_USDC_A", event: "SellGem", value: "60000000", level: "low", priority: "P2" });
  });

  it("opens a run episode when the reserve's net outflow passes 20% within the hour, escalates at 50%, resolves as the window slides", async () => {
    await chain.increaseTime(2 * 3600); // the sells above leave the window
    await chain.mine();
    const reserve = await psmReserve(mk, "psm");
    expect(reserve.toString()).toBe(usdc("61150000").toString()); // 1M at deploy, 250k - 100k above, 60M
    const from = await next();
    await buyGem(mk, "psm", whale(), "12000000"); // 19.6%: not yet
    await buyGem(mk, "psm", whale(), "1000000"); // 21.3%: a run (High)
    await buyGem(mk, "psm", whale(), "18000000"); // 50.7%: a run on the peg (Critical)
    await mk.sellGem("psm", chain.signer(4), "100"); // still Critical: nothing new
    await chain.increaseTime(3601);
    await chain.mine(); // the window is past: resolved
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-PSM-LARGE-SWAP Info",
      "MAKER-PSM-RUN High opened",
      "MAKER-PSM-LARGE-SWAP Info",
      "MAKER-PSM-RUN Critical escalated",
      "MAKER-PSM-RUN Info resolved",
    ]);
    const opened = findings[1]!.finding;
    expect(opened.metadata).toMatchObject({
      key: "MCD_PSM_USDC_A",
      netOutflowRaw: usdc("13000000").toString(),
      netOutflow: "13000000",
      reserveAtWindowStartRaw: usdc("61150000").toString(),
      reserveAtWindowStart: "61150000",
      share: "0.212591",
      windowSeconds: "3600",
      priority: "P1",
    });
    expect(opened.addresses).toEqual(expect.arrayContaining([mk.psm.address.toLowerCase(), mk.psmJoin.address.toLowerCase(), mk.usdc.address.toLowerCase()]));
    expect(findings[3]!.finding.metadata).toMatchObject({ netOutflow: "31000000", level: "severe", priority: "P0" });
    expect(findings[4]!.finding.metadata).toMatchObject({ episode: "resolved", episodePeak: "severe", episodeId: opened.metadata.episodeId });
  });

  it("counts the lite PSM's reserve in its pocket", async () => {
    await chain.increaseTime(2 * 3600);
    await chain.mine();
    const reserve = await psmReserve(mk, "lite");
    const from = await next();
    const out = ethers.utils.formatUnits(reserve.mul(30).div(100), 6); // 30% of the pocket
    await buyGem(mk, "lite", whale(), out);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-PSM-RUN High opened"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ key: "MCD_LITE_PSM_USDC_A", reserveHolder: mk.litePsmPocket.address.toLowerCase(), reserveAtWindowStartRaw: reserve.toString() });
    expect(findings[0]!.finding.metadata.share).toMatch(/^0\.(3|299999)/);
  });

  it("reports fee changes (HALTED spelled out), other parameters and the lite PSM's fee-free whitelist", async () => {
    const from = await next();
    const someone = chain.accounts[7]!;
    await mk.asPauseProxy(async (proxy) => {
      await mined(mk.psm.connect(proxy)["file(bytes32,uint256)"](b32("tout"), wad("0.001")));
      await mined(mk.litePsm.connect(proxy)["file(bytes32,uint256)"](b32("tin"), HALTED));
      await mined(mk.litePsm.connect(proxy)["file(bytes32,uint256)"](b32("buf"), wad("60000000")));
      await mined(mk.litePsm.connect(proxy).kiss(someone));
      await mined(mk.litePsm.connect(proxy).diss(someone));
      await mined(mk.litePsm.connect(proxy)["file(bytes32,uint256)"](b32("tin"), 0));
      await mined(mk.psm.connect(proxy)["file(bytes32,uint256)"](b32("tout"), 0));
      await mined(mk.litePsm.connect(proxy).rely(someone)); // admin rights are maker-auth's
    });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-PSM-FILE Medium",
      "MAKER-PSM-FILE Medium",
      "MAKER-PSM-FILE Medium",
      "MAKER-PSM-WHITELIST Medium",
      "MAKER-PSM-WHITELIST Medium",
      "MAKER-PSM-FILE Medium",
      "MAKER-PSM-FILE Medium",
    ]);
    expect(findings[0]!.finding.metadata).toMatchObject({ key: "MCD_PSM_USDC_A", what: "tout", valueHuman: "0.1000% fee", previousHuman: "0.0000% fee" });
    expect(findings[1]!.finding.metadata).toMatchObject({ key: "MCD_LITE_PSM_USDC_A", what: "tin", value: HALTED.toString(), valueHuman: "HALTED (this direction of swaps is stopped)" });
    expect(findings[2]!.finding.metadata).toMatchObject({ what: "buf", valueHuman: "60,000,000.00 DAI", previousHuman: "50,000,000.00 DAI" });
    expect(findings[3]!.finding.metadata).toMatchObject({ action: "kiss", usr: someone.toLowerCase() });
    expect(findings[5]!.finding.metadata).toMatchObject({ what: "tin", previousHuman: "HALTED (this direction of swaps is stopped)", valueHuman: "0.0000% fee" });
    for (const f of findings) expect(f.finding.metadata).toMatchObject({ callerClass: "governance", caller: mk.pauseProxy.address.toLowerCase() });
  });

  it("reports a ward outside governance setting a PSM fee to 50% as Critical (P0), with the caller named", async () => {
    const snap = await chain.snapshot();
    try {
      const intruder = chain.signer(8);
      const who = chain.accounts[8]!.toLowerCase();
      await mk.asPauseProxy((p) => mined(mk.litePsm.connect(p).rely(who)));
      const from = await next();
      await mined(mk.litePsm.connect(intruder)["file(bytes32,uint256)"](b32("tout"), wad("0.5")));
      await mined(mk.litePsm.connect(intruder).kiss(who));
      const findings = await run(from);
      expect(alertsOf(findings)).toEqual(["MAKER-PSM-FILE Critical", "MAKER-PSM-WHITELIST Critical"]);
      expect(findings[0]!.finding.metadata).toMatchObject({ what: "tout", valueHuman: "50.0000% fee", callerClass: "outsider", caller: who, callerSource: "tx-from", priority: "P0" });
      expect(findings[0]!.finding.type).toBe("Exploit");
      expect(findings[1]!.finding.metadata).toMatchObject({ callerClass: "outsider", caller: who });
    } finally {
      await chain.revert(snap);
    }
  });

  it("names the value each File replaced when a spell halts and reopens a PSM in one transaction", async () => {
    const from = await next();
    const tin = (await mk.litePsm.tin()) as ethers.BigNumber;
    await mk.executeSpell(
      [call(mk.litePsm, "file(bytes32,uint256)", b32("tin"), HALTED), call(mk.litePsm, "file(bytes32,uint256)", b32("tin"), tin)],
      { description: "halt gem sales to the lite PSM, then reopen them" },
    );
    const files = (await run(from)).filter((f) => f.finding.alertId === "MAKER-PSM-FILE").map((f) => f.finding.metadata);
    expect(files.map((m) => [m.what, m.previous, m.value])).toEqual([
      ["tin", tin.toString(), HALTED.toString()],
      ["tin", HALTED.toString(), tin.toString()],
    ]);
    for (const m of files) expect(m).toMatchObject({ callerClass: "governance", callerSource: "plan" });
  });

  it("tracks each PSM's ilk against its line: a spell lowering the lite PSM's line, swaps filling the classic PSM's", async () => {
    const liteIlk = b32("LITE-PSM-USDC-A");
    const [liteArt] = await mk.vat.ilks(liteIlk);
    const liteDai = Number(ethers.utils.formatEther(liteArt)); // pre-minted DAI (rate is 1)
    const psmIlk = b32("PSM-USDC-A");
    const [psmArt] = await mk.vat.ilks(psmIlk);
    const psmDai = Number(ethers.utils.formatEther(psmArt));
    const psmLine = Math.ceil(psmDai / 0.85);
    const from = await next();
    await mk.asPauseProxy(async (proxy) => {
      await mined(mk.vat.connect(proxy)["file(bytes32,bytes32,uint256)"](liteIlk, b32("line"), rad(String(Math.ceil(liteDai / 0.95))))); // 95%: near
      await mined(mk.vat.connect(proxy)["file(bytes32,bytes32,uint256)"](liteIlk, b32("line"), rad(String(Math.ceil(liteDai / 0.995))))); // 99.5%: full
      await mined(mk.vat.connect(proxy)["file(bytes32,bytes32,uint256)"](liteIlk, b32("line"), rad("500000000"))); // restored
      await mined(mk.vat.connect(proxy)["file(bytes32,bytes32,uint256)"](psmIlk, b32("line"), rad(String(psmLine)))); // 85%: quiet
    });
    await mk.sellGem("psm", chain.signer(4), String(Math.ceil(psmLine * 0.1))); // 95%: near
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-PSM-LINE Medium opened",
      "MAKER-PSM-LINE High escalated",
      "MAKER-PSM-LINE Info resolved",
      "MAKER-PSM-LINE Medium opened",
    ]);
    expect(findings[0]!.finding.metadata).toMatchObject({ key: "MCD_LITE_PSM_USDC_A", ilk: "LITE-PSM-USDC-A", debt: String(liteDai) });
    expect(findings[1]!.finding.description).toMatch(/at its debt ceiling.*cannot pre-mint more DAI/);
    expect(findings[3]!.finding.metadata).toMatchObject({ key: "MCD_PSM_USDC_A", ilk: "PSM-USDC-A" });
    await mk.asPauseProxy((proxy) => mined(mk.vat.connect(proxy)["file(bytes32,bytes32,uint256)"](psmIlk, b32("line"), rad("500000000"))));
  });

  it("reports the lite PSM insolvent while USDC is out of its pocket (Critical episode), and a fill nobody makes for two hours (Medium episode)", async () => {
    const from = await next();
    const rogue = chain.signer(8);
    const me = await rogue.getAddress();
    await mk.asPauseProxy(async (px) => mined(mk.litePsmPocket.connect(px).hope(mk.usdc.address, me)));
    await mined(mk.usdc.connect(rogue).transferFrom(mk.litePsmPocket.address, me, usdc("1000000")));
    await mined(mk.usdc.connect(rogue).transfer(mk.litePsmPocket.address, usdc("1000000")));
    await mk.sellGem("lite", whale(), "25000000");
    await chain.send("evm_increaseTime", [2 * 3600 + 1]);
    await chain.send("evm_mine");
    await mined(mk.litePsm.fill());
    const findings = (await run(from)).filter((f) => f.finding.alertId.startsWith("MAKER-PSM-LITE-"));
    expect(alertsOf(findings)).toEqual([
      "MAKER-PSM-LITE-INSOLVENT Critical opened",
      "MAKER-PSM-LITE-INSOLVENT Info resolved",
      "MAKER-PSM-LITE-FILL-LAGGING Medium opened",
      "MAKER-PSM-LITE-FILL-LAGGING Info resolved",
    ]);
    expect(findings[0]!.finding.metadata).toMatchObject({ shortfall: "1000000", key: "MCD_LITE_PSM_USDC_A" });
    expect(Number(findings[2]!.finding.metadata.rush)).toBeGreaterThanOrEqual(25000000);
  });

  it("resolves a PSM's open episode when the ChainLog stops naming it, instead of leaving the incident open", async () => {
    const liteIlk = b32("LITE-PSM-USDC-A");
    const [liteArt] = await mk.vat.ilks(liteIlk);
    const liteDai = Number(ethers.utils.formatEther(liteArt));
    const from = await next();
    await mk.asPauseProxy(async (proxy) => {
      await mined(mk.vat.connect(proxy)["file(bytes32,bytes32,uint256)"](liteIlk, b32("line"), rad(String(Math.ceil(liteDai / 0.95))))); // near
      await mined(mk.chainlog.connect(proxy).removeAddress(b32("MCD_LITE_PSM_USDC_A")));
    });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-PSM-LINE Medium opened", "MAKER-PSM-LINE Info resolved"]);
    expect(findings[1]!.finding.metadata).toMatchObject({ psm: mk.litePsm.address.toLowerCase(), key: "MCD_LITE_PSM_USDC_A", resolvedBecause: "psm-removed-from-chainlog" });
    expect(findings[1]!.finding.metadata.episodeId).toBe(findings[0]!.finding.metadata.episodeId);
    await mk.asPauseProxy(async (proxy) => {
      await mined(mk.chainlog.connect(proxy).setAddress(b32("MCD_LITE_PSM_USDC_A"), mk.litePsm.address));
      await mined(mk.vat.connect(proxy)["file(bytes32,bytes32,uint256)"](liteIlk, b32("line"), rad("500000000")));
    });
  });

  it("follows the ChainLog: a PSM added under a new key is watched from that block on", async () => {
    const second = await deployContract(mk.deployer, "DssPsm", mk.psmJoin.address, mk.daiJoin.address, mk.vow.address);
    const from = await next();
    await mk.asPauseProxy(async (proxy) => {
      await mined(mk.psmJoin.connect(proxy).rely(second.address));
      await mined(mk.chainlog.connect(proxy).setAddress(b32("MCD_PSM_USDC_B"), second.address));
    });
    const seller = whale();
    await mined(mk.usdc.connect(mk.deployer).mint(await seller.getAddress(), usdc("11000000")));
    await mined(mk.usdc.connect(seller).approve(mk.psmJoin.address, usdc("11000000")));
    await mined(second.connect(seller).sellGem(await seller.getAddress(), usdc("11000000")));
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-PSM-LARGE-SWAP Info"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ key: "MCD_PSM_USDC_B", psm: second.address.toLowerCase(), value: "11000000", ilk: "PSM-USDC-A" });
  });
});
