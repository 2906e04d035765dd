/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime (state findings from handleBlock,
 * notes from handleTransaction, episodes carried in memory across the range), the capped
 * LOCKSTAKE_ORACLE's reads as the Spotter included.
 */
import { resolve } from "path";
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { mined } from "../../../test/chain/deploy";
import { deployCappedOracle } from "../../../test/chain/maker/chronicle";
import { b32 } from "../../../test/chain/units";
import { deployRogueMedian, moveChainlogKey, movePrice, passPokes, passTime, relayMedianPrice } from "../../../test/chain/maker/oracle-helpers";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

const wad = (n: string) => ethers.utils.parseEther(n);

describe("maker-oracles under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 }); // the bot's package.json says chainIds [1]
    mk = await deployMaker(chain, { openVaults: false });
    await movePrice(mk, "ETH-A", "2000");
    // a capped wrapper over ETH's OSM as LOCKSTAKE_ORACLE, read by the Spotter: its cap (1800) binds at 2000
    const capped = await deployCappedOracle(mk, mk.ilks["ETH-A"].pip, "1800");
    await moveChainlogKey(mk, "LOCKSTAKE_ORACLE", capped.address);
    await mk.asPauseProxy(async (p) => {
      await mined(capped.connect(p).kiss(mk.spot.address));
      await mined(mk.spot.connect(p)["file(bytes32,bytes32,address)"](b32("LSEV2-SKY-A"), b32("pip"), capped.address));
    });
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives the same findings as our runtime over the same blocks", async () => {
    const from = (await chain.blockNumber()) + 1;
    const eth = mk.ilks["ETH-A"];
    await relayMedianPrice(mk, eth.median, wad("1700"), chain.signer(5)); // -15%: divergence, then a High jump
    await passPokes(mk, "ETH-A", 2, { hold: ["ETH-A"] });
    const rogue = chain.signer(7);
    await mk.asPauseProxy((p) => mined(eth.pip.connect(p).rely(chain.accounts[7]!)));
    const { median: bad } = await deployRogueMedian(mk, "ETHUSD", [eth.pip.address], rogue);
    await mined(eth.pip.connect(rogue).change(bad.address));
    await mk.asPauseProxy(async (p) => {
      await mined(eth.pip.connect(p).change(eth.median.address));
      await mined(eth.pip.connect(p).deny(chain.accounts[7]!));
    });
    await passTime(mk, 2 * 3600, { keep: ["ETH-A"] }); // WBTC goes stale
    await passTime(mk, 600); // and is poked again
    await mk.asPauseProxy((p) => mined(mk.spot.connect(p)["file(bytes32,bytes32,address)"](b32("LSEV2-SKY-A"), b32("pip"), eth.pip.address))); // the cap is gone
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["maker-oracles"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env, timeoutMs: 480_000 });

    expect(ours.map((f) => f.finding.alertId)).toEqual(
      expect.arrayContaining(["MAKER-ORACLE-DIVERGENCE", "MAKER-OSM-PRICE-JUMP", "MAKER-OSM-SOURCE", "MAKER-ORACLE-RIGHTS", "MAKER-OSM-STALE", "MAKER-ORACLE-CAP-BINDING", "MAKER-ORACLE-CAPPED-PIP"]),
    );
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
