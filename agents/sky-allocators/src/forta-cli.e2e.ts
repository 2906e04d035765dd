/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime.
 */
import { resolve } from "path";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { OPERATOR_ROLE, deploySkyAllocators, type SkyAllocatorSystem } from "../../../test/chain/sky-allocators";
import { mined } from "../../../test/chain/deploy";
import { rad, wad } from "../../../test/chain/units";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";
import { ethers } from "forta-agent";

jest.setTimeout(10 * 60_000);

describe("sky-allocators under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  let al: SkyAllocatorSystem;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 }); // the bot's package.json says chainIds [1]
    mk = await deployMaker(chain);
    sky = await deploySky(chain, mk);
    al = await deploySkyAllocators(chain, mk, sky);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives the same findings as our runtime over the same blocks", async () => {
    const from = (await chain.blockNumber()) + 1;
    const other = chain.accounts[6]!;
    await al.draw("10000000");
    await mk.asPauseProxy(async (px) => {
      await mined(al.buffer.connect(px).approve(sky.usds.address, other, wad("5")));
      await mined(al.subProxy.connect(px).rely(other));
      const il = await mk.vat.ilks(al.ilk);
      await mined(mk.vat.connect(px)["file(bytes32,bytes32,uint256)"](al.ilk, ethers.utils.formatBytes32String("line"), (il.line as ethers.BigNumber).add(rad("100000000"))));
      await mined(mk.vat.connect(px)["file(bytes32,uint256)"](ethers.utils.formatBytes32String("Line"), ((await mk.vat.Line()) as ethers.BigNumber).add(rad("100000000"))));
    });
    await al.starSpell(al.roles, "setUserRole", [al.ilk, other, OPERATOR_ROLE, true]);
    await al.draw("120000000"); // more than 2 gaps of 50M within the day
    await al.wipe("120000000");
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["sky-allocators"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.map((f) => f.finding.alertId)).toEqual(expect.arrayContaining(["SKY-ALLOCATOR-APPROVE", "SKY-STAR-SUBPROXY-RIGHTS", "SKY-ALLOCATOR-ROLE", "SKY-STARGUARD-PLOT", "SKY-STARGUARD-EXEC", "SKY-ALLOCATOR-PACE"]));
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
