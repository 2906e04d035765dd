/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime.
 */
import { resolve } from "path";
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

const wad = (n: string) => ethers.utils.parseEther(n);

describe("maker-emergency under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 }); // the bot's package.json says chainIds [1]
    mk = await deployMaker(chain, { openVaults: false });
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives the same findings as our runtime over the same blocks", async () => {
    const from = (await chain.blockNumber()) + 1;
    const signer = chain.signer(3);
    await (await mk.gov.connect(mk.deployer).transfer(await signer.getAddress(), wad("150000"))).wait();
    await (await mk.gov.connect(signer)["approve(address,uint256)"](mk.esm.address, wad("150000"))).wait();
    await (await mk.esm.connect(signer).join(wad("80000"))).wait();
    await (await mk.esm.connect(signer).join(wad("70000"))).wait();
    await mk.asPauseProxy(async (proxy) => {
      await (await mk.end.connect(proxy).rely(chain.accounts[6]!)).wait();
    });
    await (await mk.esm.connect(signer).fire()).wait();
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["maker-emergency"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.length).toBeGreaterThanOrEqual(6);
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
