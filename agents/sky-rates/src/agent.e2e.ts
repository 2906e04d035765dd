/**
 * sky-rates end to end: our Maker- and Sky-shaped contracts on anvil, the bot run by our runtime.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { inOneBlock } from "../../../test/chain/deploy";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { b32 } from "../../../test/chain/units";
import { alertsOf, runBots } from "../../../shared/testing/chain";

jest.setTimeout(10 * 60_000);
const GAS = { gasLimit: 1_000_000 };

describe("sky-rates on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  const run = async (from: number) => runBots({ url: chain.url, bots: ["sky-rates"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    sky = await deploySky(chain, mk);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reports ordinary rate sets within bounds at Low, and a second whole-step move one way at Medium", async () => {
    const from = (await chain.blockNumber()) + 1;
    await sky.spbeamSet([["SSR", 650], ["DSR", 300], ["ETH-A", 400]]);
    await sky.spbeamSet([["SSR", 1050]]);
    await sky.spbeamSet([["SSR", 1450]]);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-RATE-SETTER-SET Low", "SKY-RATE-SETTER-SET Low", "SKY-RATE-SETTER-SET Low", "SKY-RATE-SETTER-SET Low", "SKY-RATE-SETTER-SET Medium"]);
    expect(findings[4]!.finding.metadata).toMatchObject({ id: "SSR", bps: "1450", previousBps: "1050", repeatedMaxStep: "true", rateMatches: "true" });
  });

  it("reports buds, bounds, settings, rights and a MOM halt, attributed to governance", async () => {
    const from = (await chain.blockNumber()) + 1;
    const someone = chain.accounts[7]!;
    await mk.asPauseProxy(async (px) => {
      const sp = sky.spbeam.connect(px);
      await (await sp.kiss(someone)).wait();
      await (await sp["file(bytes32,bytes32,uint256)"](b32("SSR"), b32("max"), 5000)).wait(); // wider
      await (await sp["file(bytes32,bytes32,uint256)"](b32("SSR"), b32("min"), 300)).wait(); // narrower
      await (await sp["file(bytes32,uint256)"](b32("tau"), 3600)).wait();
      await (await sp.rely(someone)).wait();
      await (await sky.spbeamMom.connect(px).halt(sky.spbeam.address)).wait();
      await (await sp["file(bytes32,uint256)"](b32("bad"), 0)).wait();
      await (await sp.diss(someone)).wait();
      await (await sky.spbeamMom.connect(px).setAuthority(mk.chief.address)).wait();
    });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "SKY-RATE-SETTER-BUD High",
      "SKY-RATE-SETTER-BOUNDS High",
      "SKY-RATE-SETTER-BOUNDS Medium",
      "SKY-RATE-SETTER-CONFIG Medium",
      "SKY-RATE-SETTER-RIGHTS High",
      "SKY-RATE-SETTER-HALT High",
      "SKY-RATE-SETTER-CONFIG Medium",
      "SKY-RATE-SETTER-BUD Medium",
      "SKY-RATE-SETTER-RIGHTS High",
    ]);
    expect(findings[1]!.finding.metadata).toMatchObject({ id: "SSR", what: "max", before: "3000", after: "5000", loosens: "true", callerClass: "governance" });
    expect(findings[5]!.finding.metadata).toMatchObject({ haltedByMom: "true", mom: sky.spbeamMom.address.toLowerCase() });
  });

  it("reports a DSR set by a spell at Low and a duty set by an unknown ward as Critical", async () => {
    const from = (await chain.blockNumber()) + 1;
    const intruder = chain.signer(8);
    await mk.asPauseProxy(async (px) => {
      await inOneBlock(chain, [() => mk.pot.connect(px).drip(GAS), () => mk.pot.connect(px)["file(bytes32,uint256)"](b32("dsr"), ethers.BigNumber.from(10).pow(27).add(1000), GAS)]);
      await (await mk.jug.connect(px).rely(await intruder.getAddress())).wait();
    });
    await inOneBlock(chain, [
      () => mk.jug.connect(intruder).drip(b32("ETH-A"), GAS),
      () => mk.jug.connect(intruder)["file(bytes32,bytes32,uint256)"](b32("ETH-A"), b32("duty"), ethers.BigNumber.from(10).pow(27).add(5_000_000_000), GAS),
    ]);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-RATE-SPELL Low", "SKY-RATE-UNEXPLAINED Critical"]);
    expect(findings[1]!.finding.metadata).toMatchObject({ contractKey: "MCD_JUG", id: "ETH-A", callerClass: "outsider", caller: (await intruder.getAddress()).toLowerCase() });
  });

  it("covers the stUSDS rate setter and its MOM the same way: sets, buds, bounds, zeroed line, halt, a spell's str", async () => {
    const from = (await chain.blockNumber()) + 1;
    const someone = chain.accounts[7]!;
    await sky.rateSetterSet(900, 800, "1000000", "500000000");
    await mk.asPauseProxy(async (px) => {
      const rs = sky.rateSetter.connect(px);
      await (await rs.kiss(someone)).wait();
      await (await rs["file(bytes32,bytes32,uint256)"](b32("STR"), b32("max"), 6000)).wait();
      await (await rs["file(bytes32,uint256)"](b32("maxCap"), ethers.utils.parseEther("2000000000"))).wait();
      await (await sky.stusdsMom.connect(px).zeroLine(sky.rateSetter.address)).wait();
      await (await sky.stusdsMom.connect(px).haltRateSetter(sky.rateSetter.address)).wait();
      await (await sky.stusdsMom.connect(px).dissRateSetterBud(sky.rateSetter.address, someone)).wait();
      await inOneBlock(chain, [() => sky.stusds.connect(px).drip(GAS), () => sky.stusds.connect(px)["file(bytes32,uint256)"](b32("str"), ethers.BigNumber.from(10).pow(27).add(2_000_000_000), GAS)]);
    });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "SKY-RATE-SETTER-SET Low",
      "SKY-RATE-SETTER-BUD High",
      "SKY-RATE-SETTER-BOUNDS High",
      "SKY-RATE-SETTER-BOUNDS High",
      "SKY-RATE-SETTER-BOUNDS Medium",
      "SKY-STUSDS-MOM-ZERO High",
      "SKY-RATE-SETTER-HALT High",
      "SKY-RATE-SETTER-BUD Medium",
      "SKY-RATE-SPELL Low",
    ]);
    expect(findings[0]!.finding.metadata).toMatchObject({ setterKey: "STUSDS_RATE_SETTER", bps: "900", dutyBps: "800", line: "1000000", cap: "500000000" });
    expect(findings[6]!.finding.metadata).toMatchObject({ haltedByMom: "true", setterKey: "STUSDS_RATE_SETTER" });
    expect(findings[8]!.finding.metadata).toMatchObject({ contractKey: "STUSDS", id: "STR", callerClass: "governance" });
  });
});
