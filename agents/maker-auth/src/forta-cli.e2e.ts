/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime. (No ChainLog edits in the range:
 * under the CLI the address book is loaded at "latest", so it already holds them.)
 */
import { resolve } from "path";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { mined } from "../../../test/chain/deploy";
import { call, deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

jest.setTimeout(10 * 60_000);

describe("maker-auth under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 });
    mk = await deployMaker(chain, { openVaults: false });
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives the same findings as our runtime over the same blocks", async () => {
    const from = (await chain.blockNumber()) + 1;
    const ward = chain.accounts[9]!;
    await mk.executeSpell([call(mk.vat, "rely", ward), call(mk.jug, "rely", ward), call(mk.dog, "rely", ward)]);
    await mined(mk.vat.connect(chain.signer(9)).rely(chain.accounts[7]!));
    await mined(mk.jug.connect(chain.signer(9)).rely(chain.accounts[7]!));
    await mk.executeSpell([call(mk.vat, "deny", ward)], { voter: chain.signer(6) });
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, MAKER_SPELL_DEPLOYERS: (await mk.deployer.getAddress()).toLowerCase() };

    const ours = await runBots({ url: chain.url, bots: ["maker-auth"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.map((f) => f.finding.alertId)).toEqual([
      "MAKER-AUTH-RIGHTS-GOVERNANCE",
      "MAKER-AUTH-RIGHTS-GOVERNANCE",
      "MAKER-AUTH-RIGHTS-GOVERNANCE",
      "MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE",
      "MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE",
      "MAKER-AUTH-RIGHTS-UNKNOWN-SPELL",
    ]);
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
