/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime.
 */
import { resolve } from "path";
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky } from "../../../test/chain/sky";
import { EID, deploySkyBridges, type SkyBridgeSystem } from "../../../test/chain/sky-bridges";
import { wad } from "../../../test/chain/units";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

jest.setTimeout(10 * 60_000);

describe("sky-bridges under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let br: SkyBridgeSystem;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 }); // the bot's package.json says chainIds [1]
    mk = await deployMaker(chain);
    br = await deploySkyBridges(chain, mk, await deploySky(chain, mk));
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives the same findings as our runtime over the same blocks", async () => {
    const from = (await chain.blockNumber()) + 1;
    const other = chain.accounts[6]!;
    await br.bridgeOut(chain.signer(3), "usds", "1000");
    await mk.asPauseProxy(async (px) => {
      await (await br.usdsOft.connect(px).setPeer(30110, ethers.utils.hexZeroPad(other, 32))).wait();
      await (await br.pauser.connect(px).pause(br.usdsOft.address)).wait();
      await (await br.usdsOft.connect(px).unpause()).wait();
      await (await br.endpoint.connect(px).setConfig(br.usdsOft.address, br.uln.address, [br.ulnConfig(EID.solana, [other])])).wait();
    });
    await br.seedLocked("4500000");
    await br.bridgeIn("usds", chain.accounts[5]!, "4500000");
    await mk.asPauseProxy(async (px) => (await br.usdsOft.connect(px).setRateLimits([{ eid: EID.solana, window: 86400, limit: wad("10000000") }], [])).wait());
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["sky-bridges"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.map((f) => f.finding.alertId)).toEqual(expect.arrayContaining(["SKY-LZ-PEER", "SKY-LZ-PAUSE", "SKY-LZ-CONFIG", "SKY-LZ-INBOUND-NEAR-LIMIT", "SKY-LZ-RATE-LIMIT"]));
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
