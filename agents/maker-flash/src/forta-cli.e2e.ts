/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime.
 */
import { resolve } from "path";
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { call, deployMaker, flashMint, type MakerSystem } from "../../../test/chain/maker";
import { comboFlashMint, deployFlashMulticall, liftableSpell } from "../../../test/chain/maker/flash-combo";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

const wad = (n: string) => ethers.utils.parseEther(n);
const b32 = ethers.utils.formatBytes32String;

describe("maker-flash under the forta-agent CLI", () => {
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
    const combo = await deployFlashMulticall(mk);
    const spell = await liftableSpell(mk);
    const from = (await chain.blockNumber()) + 1;
    await flashMint(mk, "20000000");
    await comboFlashMint(combo, "1000", [call(mk.chief, "lift(address)", spell)]);
    await mk.asPauseProxy(async (proxy) => {
      await (await mk.flash.connect(proxy)["file(bytes32,uint256)"](b32("max"), wad("600000000"))).wait();
    });
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["maker-flash"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.map((f) => f.finding.alertId).sort()).toEqual(["MAKER-FLASH-COMBINED", "MAKER-FLASH-FILE", "MAKER-FLASH-LARGE-LOAN"]);
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
