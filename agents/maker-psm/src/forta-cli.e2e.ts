/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime (episodes included: the CLI keeps
 * the bot's state in memory across the range).
 */
import { resolve } from "path";
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { mined } from "../../../test/chain/deploy";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { buyGem } from "../../../test/chain/maker/psm-helpers";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

const wad = (n: string) => ethers.utils.parseEther(n);
const b32 = ethers.utils.formatBytes32String;

describe("maker-psm under the forta-agent CLI", () => {
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
    await mk.sellGem("psm", chain.signer(5), "40000000");
    await chain.increaseTime(7200);
    await chain.mine();
    const from = (await chain.blockNumber()) + 1;
    await buyGem(mk, "psm", chain.signer(5), "12000000"); // 30%: a run
    await mk.asPauseProxy(async (proxy) => {
      await mined(mk.litePsm.connect(proxy)["file(bytes32,uint256)"](b32("tout"), wad("0.0002")));
      await mined(mk.litePsm.connect(proxy).kiss(chain.accounts[6]!));
    });
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["maker-psm"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.map((f) => f.finding.alertId).sort()).toEqual(["MAKER-PSM-FILE", "MAKER-PSM-LARGE-SWAP", "MAKER-PSM-RUN", "MAKER-PSM-WHITELIST"]);
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
