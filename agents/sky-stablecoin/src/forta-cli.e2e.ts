/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime.
 */
import { resolve } from "path";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { mkrSkyHousekeeping, rogueSkyMinter, stretchSusdsDrip } from "../../../test/chain/sky-flows";
import { b32, wad } from "../../../test/chain/units";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

jest.setTimeout(10 * 60_000);

describe("sky-stablecoin under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 }); // the bot's package.json says chainIds [1]
    mk = await deployMaker(chain);
    sky = await deploySky(chain, mk);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives the same findings as our runtime over the same blocks", async () => {
    const from = (await chain.blockNumber()) + 1;
    const rogue = chain.signer(6);
    await sky.daiToUsds(chain.signer(3), "1000");
    await sky.spbeamSet([["SSR", 650]]);
    await sky.rateSetterSet(700, 600, "1000000", "1000000");
    await mk.asPauseProxy(async (px) => {
      await (await sky.usds.connect(px).rely(await rogue.getAddress())).wait();
      await (await sky.spbeam.connect(px)["file(bytes32,bytes32,uint256)"](b32("SSR"), b32("max"), 4000)).wait();
      await (await sky.spbeamMom.connect(px).halt(sky.spbeam.address)).wait();
      await (await sky.stusdsMom.connect(px).zeroCap(sky.rateSetter.address)).wait();
      await (await sky.stusds.connect(px).cut(wad("5").mul(10 ** 9).mul(10 ** 9).mul(10 ** 9))).wait(); // 5 USDS [rad]
    });
    await (await sky.usds.connect(rogue).mint(await rogue.getAddress(), wad("10"))).wait();
    // the flows: a surge judged a block later, a long drip, MKR_SKY's admin table, a rogue SKY mint
    await sky.usdsToDai(chain.signer(3), "3000");
    await chain.mine();
    await stretchSusdsDrip(mk, sky, 365 * 86_400);
    await mkrSkyHousekeeping(mk, sky, "0.04");
    await rogueSkyMinter(mk, sky, "1000", "sky-cli-rogue");
    await chain.mine();
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, SKY_USDS_TO_DAI_SURGE: "1500", SUSDS_DRIP_LARGE: "1000" };

    const ours = await runBots({ url: chain.url, bots: ["sky-stablecoin"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.length).toBeGreaterThanOrEqual(3);
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
    const ids = new Set(ours.map((f) => f.finding.alertId));
    for (const id of ["SKY-USDS-TO-DAI-SURGE", "SKY-SUSDS-DRIP-LARGE", "SKY-MKR-SKY-ADMIN", "SKY-MINT-UNKNOWN"]) expect(ids.has(id)).toBe(true);
  });
});
