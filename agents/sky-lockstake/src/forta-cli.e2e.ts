/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime.
 */
import { resolve } from "path";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { mined } from "../../../test/chain/deploy";
import { deployLockstake, type LockstakeSystem } from "../../../test/chain/lockstake";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { LOCKSTAKE_ILK, deploySky } from "../../../test/chain/sky";
import { b32, rad, wad } from "../../../test/chain/units";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

jest.setTimeout(10 * 60_000);

describe("sky-lockstake under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let ls: LockstakeSystem;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 }); // the bot's package.json says chainIds [1]
    mk = await deployMaker(chain);
    ls = await deployLockstake(chain, mk, await deploySky(chain, mk));
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives the same findings as our runtime over the same blocks", async () => {
    const from = (await chain.blockNumber()) + 1;
    const user = chain.signer(4);
    const me = await user.getAddress();
    await ls.open(user, "1000000");
    await ls.draw(user, 0, "20000");
    await ls.setSkyPrice("0.02"); // unsafe while stopped
    await ls.setStopped(0);
    await mined(mk.dog.connect(user).bark(b32(LOCKSTAKE_ILK), await ls.urnOf(me, 0), me));
    await mk.asPauseProxy(async (px) => {
      await mined(ls.migrator.connect(px).migrate(me, 0, me, 1, wad("1000"), rad("10000"))); // debt [rad]: the line toggle too
      await mined(mk.vat.connect(px)["file(bytes32,bytes32,uint256)"](b32(LOCKSTAKE_ILK), b32("line"), rad("10000000")));
      await mined(ls.engine.connect(px).addFarm(chain.accounts[6]!));
    });
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["sky-lockstake"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.length).toBeGreaterThanOrEqual(5);
    expect(alertsOf(ours)).toContain("SKY-LOCKSTAKE-MIGRATOR-LINE High");
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
