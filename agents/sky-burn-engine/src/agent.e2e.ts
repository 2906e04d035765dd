/**
 * sky-burn-engine end to end: our Maker-, Sky- and Smart-Burn-Engine-shaped contracts on anvil
 * (test/chain/sky-burn.ts), the bot run by our runtime.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { deploySkyBurn, flapThreshold, type SkyBurnSystem } from "../../../test/chain/sky-burn";
import { b32, rad, wad } from "../../../test/chain/units";
import { deployContract } from "../../../test/chain/deploy";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import type { RpcCall } from "../../../shared/rpc/transport";

jest.setTimeout(10 * 60_000);

describe("sky-burn-engine on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  let burn: SkyBurnSystem;
  const run = async (from: number, env: Record<string, string> = {}) =>
    runBots({ url: chain.url, bots: ["sky-burn-engine"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, ...env } });

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    sky = await deploySky(chain, mk);
    burn = await deploySkyBurn(chain, mk, sky);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays quiet through ordinary burns: flaps, oracle pokes following the market, trades", async () => {
    const from = (await chain.blockNumber()) + 1;
    const receiver = mk.pauseProxy.address;
    const skyBefore = (await sky.sky.balanceOf(receiver)) as ethers.BigNumber;
    for (let i = 0; i < 4; i++) await burn.flap();
    await burn.poke(await burn.poolPrice());
    await burn.trade("sellSky", "1000000");
    await burn.flap();
    await burn.poke("0.0605");
    await burn.flap();
    expect(((await sky.sky.balanceOf(receiver)) as ethers.BigNumber).gt(skyBefore)).toBe(true);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([]);
  });

  it("reports governance's parameter changes (High when they widen exposure), a SplitterMom stop, a resume, and an outsider's khump as Critical", async () => {
    const from = (await chain.blockNumber()) + 1;
    const intruder = chain.signer(8);
    const other = chain.accounts[7]!;
    await mk.asPauseProxy(async (px) => {
      await (await burn.kicker.connect(px)["file(bytes32,uint256)"](b32("kbump"), rad("10000"))).wait(); // widens
      await (await burn.kicker.connect(px)["file(bytes32,int256)"](b32("khump"), rad("-100000000"))).wait(); // narrows
      await (await burn.flapper.connect(px)["file(bytes32,uint256)"](b32("want"), wad("0.95"))).wait(); // widens
      await (await burn.splitter.connect(px)["file(bytes32,uint256)"](b32("burn"), wad("0.5"))).wait(); // neither
      await (await burn.splitter.connect(px)["file(bytes32,address)"](b32("farm"), other)).wait(); // re-pointed
      await (await burn.splitterMom.connect(px).stop()).wait();
      await (await burn.splitter.connect(px)["file(bytes32,uint256)"](b32("hop"), 0)).wait(); // resumed
      await (await burn.splitter.connect(px)["file(bytes32,address)"](b32("farm"), burn.farm.address)).wait();
      await (await burn.kicker.connect(px).rely(await intruder.getAddress())).wait();
    });
    await (await burn.kicker.connect(intruder)["file(bytes32,int256)"](b32("khump"), rad("-900000000"))).wait();
    await mk.asPauseProxy(async (px) => {
      await (await burn.kicker.connect(px).deny(await intruder.getAddress())).wait();
      await (await burn.kicker.connect(px)["file(bytes32,uint256)"](b32("kbump"), rad("6000"))).wait();
      await (await burn.kicker.connect(px)["file(bytes32,int256)"](b32("khump"), rad("-200000000"))).wait();
      await (await burn.flapper.connect(px)["file(bytes32,uint256)"](b32("want"), wad("0.98"))).wait();
      await (await burn.splitter.connect(px)["file(bytes32,uint256)"](b32("burn"), wad("1"))).wait();
      await (await burn.splitterMom.connect(px).setOwner(other)).wait();
    });
    // the MOM's own caller (here its owner; on mainnet the chief's hat or an emergency spell) stops the splitter
    await (await burn.splitterMom.connect(chain.signer(7)).stop()).wait();
    await (await burn.splitterMom.connect(chain.signer(7)).setOwner(mk.pauseProxy.address)).wait();
    await mk.asPauseProxy(async (px) => (await burn.splitter.connect(px)["file(bytes32,uint256)"](b32("hop"), 0)).wait());
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "SKY-BURN-PARAM High",
      "SKY-BURN-PARAM Medium",
      "SKY-BURN-PARAM High",
      "SKY-BURN-PARAM Medium",
      "SKY-BURN-PARAM High",
      "SKY-BURN-HALTED High",
      "SKY-BURN-PARAM Medium",
      "SKY-BURN-PARAM High",
      "SKY-BURN-PARAM Critical",
      "SKY-BURN-PARAM Medium",
      "SKY-BURN-PARAM Medium",
      "SKY-BURN-PARAM Medium",
      "SKY-BURN-PARAM Medium",
      "SKY-BURN-HALTED High",
      "SKY-BURN-PARAM Medium",
    ]);
    const md = findings.map((f) => f.finding.metadata);
    expect(md[0]).toMatchObject({ contractKey: "MCD_KICK", what: "kbump", beforeHuman: "6,000.00 USDS", afterHuman: "10,000.00 USDS", widens: "true", callerClass: "governance" });
    expect(md[2]).toMatchObject({ contractKey: "MCD_FLAP", what: "want", afterHuman: "95.00%", widens: "true" });
    expect(md[5]).toMatchObject({ contractKey: "MCD_SPLIT", what: "hop", afterHuman: "never", byMom: "true", callerClass: "governance" });
    expect(md[13]).toMatchObject({ contractKey: "MCD_SPLIT", what: "hop", afterHuman: "never", byMom: "true", callerClass: "automation", callerModule: "SPLITTER_MOM" });
    expect(md[6]).toMatchObject({ contractKey: "MCD_SPLIT", what: "hop", beforeHuman: "never", afterHuman: "0 s", widens: "false" });
    expect(md[8]).toMatchObject({ contractKey: "MCD_KICK", what: "khump", afterHuman: "-900,000,000.00 USDS", callerClass: "outsider", caller: (await intruder.getAddress()).toLowerCase() });
  });

  it("reports a flap pushed close to the flapper's band (Medium), an oracle jump (Medium) and a stale oracle as an episode", async () => {
    const from = (await chain.blockNumber()) + 1;
    await burn.poke(await burn.poolPrice());
    await burn.flap(); // ordinary
    await burn.pushPrice(1.0146); // someone buys SKY ahead of the flap
    await burn.flap(); // realises ~98.2% of the oracle price: within 0.5 point of want (98%)
    await burn.trade("sellSky", "5000000");
    const p = Number(await burn.poolPrice());
    await burn.poke((p * 1.2).toFixed(6)); // +20% in one poke
    await burn.poke(p.toFixed(6)); // -16.6% back
    await chain.increaseTime(7200);
    await chain.mine();
    await burn.poke(p.toFixed(6));
    const findings = await run(from, { SKY_FLAP_ORACLE_MAX_AGE: "3600" });
    expect(alertsOf(findings)).toEqual(["SKY-FLAP-NEAR-BAND Medium", "SKY-FLAP-ORACLE-JUMP Medium", "SKY-FLAP-ORACLE-JUMP Medium", "SKY-FLAP-ORACLE-STALE Medium opened", "SKY-FLAP-ORACLE-STALE Info resolved"]);
    const band = findings[0]!.finding.metadata;
    expect(Number(band.ratio)).toBeGreaterThanOrEqual(0.98);
    expect(Number(band.ratio)).toBeLessThan(0.985);
    expect(band).toMatchObject({ want: "0.98", bandMargin: "0.005" });
    expect(findings[3]!.finding.metadata).toMatchObject({ episode: "opened", maxAgeSeconds: "3600" });
  });

  it("opens an episode when a loss brings the Vow near the Kicker's threshold, escalates when burns stop, resolves when recapitalised", async () => {
    const from = (await chain.blockNumber()) + 1;
    const threshold = flapThreshold(burn.params);
    const loss = async (target: ethers.BigNumber) => {
      const net = await burn.netPosition();
      await mk.asPauseProxy(async (px) => (await mk.vat.connect(px).suck(mk.vow.address, mk.pauseProxy.address, net.sub(target))).wait());
    };
    await loss(threshold.add(rad("5000000"))); // 5M USDS of headroom left: near (5% of 199,994,000)
    await burn.flap(); // still burns
    await loss(threshold.sub(rad("1"))); // below: burns stop
    await expect(burn.kicker.connect(chain.signer(4)).callStatic.flap()).rejects.toThrow(/threshold-not-reached/);
    await mk.asPauseProxy(async (px) => (await mk.vat.connect(px).suck(mk.pauseProxy.address, mk.vow.address, threshold.mul(-1).add(rad("1000000")))).wait());
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-BURN-HEADROOM Medium opened", "SKY-BURN-HEADROOM High escalated", "SKY-BURN-HEADROOM Info resolved"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ episode: "opened", level: "near", threshold: "-199994000", headroom: "5000000" });
    expect(findings[1]!.finding.metadata).toMatchObject({ episode: "escalated", level: "reached", headroom: "-1" });
  });

  it("follows the flapper's new pip in the block it is filed (the pip is otherwise carried from block to block)", async () => {
    await burn.poke(await burn.poolPrice());
    const from = (await chain.blockNumber()) + 1;
    // ordinary blocks first, so the bot carries the pip over, then a new oracle with an old price
    await chain.mine();
    await burn.trade("sellSky", "1000");
    const fresh = await deployContract(mk.deployer, "FlapSkyOracle");
    await (await fresh.poke(wad("0.06"), (await chain.timestamp()) - 7200)).wait();
    await (await fresh.kiss(burn.flapper.address)).wait();
    await mk.asPauseProxy(async (px) => (await burn.flapper.connect(px)["file(bytes32,address)"](b32("pip"), fresh.address)).wait());
    const findings = await run(from, { SKY_FLAP_ORACLE_MAX_AGE: "3600" });
    expect(alertsOf(findings)).toEqual(["SKY-FLAP-ORACLE-STALE Medium opened", "SKY-BURN-PARAM High"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ oracle: fresh.address.toLowerCase() });
    expect(findings[1]!.blockNumber).toBe(findings[0]!.blockNumber);
    await mk.asPauseProxy(async (px) => (await burn.flapper.connect(px)["file(bytes32,address)"](b32("pip"), burn.oracle.address)).wait());
  });

  it("asks the Kicker's kbump and khump and the oracle's poke once, then again only after a File or a poke", async () => {
    const from = (await chain.blockNumber()) + 1;
    await chain.mine();
    await chain.mine();
    const poked = (await burn.poke(await burn.poolPrice())).blockNumber;
    await chain.mine();
    const filed = (await mk.asPauseProxy(async (px) => (await burn.kicker.connect(px)["file(bytes32,uint256)"](b32("kbump"), rad("6000"))).wait())).blockNumber; // the same value
    await chain.mine();
    const calls: RpcCall[] = [];
    const findings = await runBots({ url: chain.url, bots: ["sky-burn-engine"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! }, calls });
    expect(alertsOf(findings)).toEqual(["SKY-BURN-PARAM Medium"]);
    const kicker = burn.kicker.address.toLowerCase();
    const blocksOf = (pick: (c: RpcCall) => boolean) => [...new Set(calls.filter(pick).map((c) => parseInt(String((c.params as unknown[])[c.method === "eth_call" ? 1 : 2]), 16)))].sort((a, b) => a - b);
    const asks = (fn: string) => (c: RpcCall) => c.method === "eth_call" && String((c.params[0] as { to: string }).to).toLowerCase() === kicker && String((c.params[0] as { data: string }).data).startsWith(burn.kicker.interface.getSighash(fn));
    // the first block; the File's block (the position read again) and its parent (the value before, for the finding)
    expect(blocksOf(asks("kbump"))).toEqual([from, filed - 1, filed]);
    expect(blocksOf(asks("khump"))).toEqual([from, filed]);
    const oracle = burn.oracle.address.toLowerCase();
    // the first block; the poke's block and its parent (the previous price, for the jump check); the File's block (a log of the Kicker drops all it carries)
    expect(blocksOf((c) => c.method === "eth_getStorageAt" && String(c.params[0]).toLowerCase() === oracle)).toEqual([from, poked - 1, poked, filed]);
  });

  it("reports a cage of the Splitter", async () => {
    const from = (await chain.blockNumber()) + 1;
    await mk.asPauseProxy(async (px) => (await burn.splitter.connect(px).cage(0)).wait());
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-BURN-CAGED High"]);
  });
});
