/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime.
 */
import { resolve } from "path";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky } from "../../../test/chain/sky";
import { deploySkyBurn, flapThreshold, type SkyBurnSystem } from "../../../test/chain/sky-burn";
import { b32, rad, wad } from "../../../test/chain/units";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

jest.setTimeout(10 * 60_000);

describe("sky-burn-engine under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let burn: SkyBurnSystem;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 }); // the bot's package.json says chainIds [1]
    mk = await deployMaker(chain);
    burn = await deploySkyBurn(chain, mk, await deploySky(chain, mk));
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives the same findings as our runtime over the same blocks", async () => {
    const from = (await chain.blockNumber()) + 1;
    await burn.flap();
    await mk.asPauseProxy(async (px) => {
      await (await burn.flapper.connect(px)["file(bytes32,uint256)"](b32("want"), wad("0.95"))).wait();
      await (await burn.splitterMom.connect(px).stop()).wait();
      await (await burn.splitter.connect(px)["file(bytes32,uint256)"](b32("hop"), 0)).wait();
      await (await burn.flapper.connect(px)["file(bytes32,uint256)"](b32("want"), wad("0.98"))).wait();
    });
    await burn.pushPrice(1.0146);
    await burn.flap();
    await burn.poke("0.09");
    const net = await burn.netPosition();
    await mk.asPauseProxy(async (px) => (await mk.vat.connect(px).suck(mk.vow.address, mk.pauseProxy.address, net.sub(flapThreshold(burn.params)).add(rad("-1")))).wait());
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["sky-burn-engine"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.map((f) => f.finding.alertId)).toEqual(expect.arrayContaining(["SKY-BURN-PARAM", "SKY-BURN-HALTED", "SKY-FLAP-NEAR-BAND", "SKY-FLAP-ORACLE-JUMP", "SKY-BURN-HEADROOM"]));
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
