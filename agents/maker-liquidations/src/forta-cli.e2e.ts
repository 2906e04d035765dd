/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against the
 * same anvil chain gives the same findings as our runtime.
 */
import { resolve } from "path";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";
import { cascade, stalledAuctions, zeroBid } from "../scenario";

describe("maker-liquidations under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 }); // the bot's package.json says chainIds [1]
    mk = await deployMaker(chain);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives the same findings as our runtime over the same blocks", async () => {
    const from = (await chain.blockNumber()) + 1;
    const c = await cascade(mk);
    await stalledAuctions(mk, c);
    await zeroBid(mk, c);
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["maker-liquidations"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env, timeoutMs: 480_000 });

    expect(ours.length).toBeGreaterThanOrEqual(25);
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
