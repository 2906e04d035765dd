/**
 * The bot runs unchanged under the real forta-agent CLI: `forta-agent run --range A..B` against
 * the same anvil chain gives the same findings as our runtime.
 */
import { resolve } from "path";
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { call, deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { governanceTakeover } from "../../../test/chain/maker/governance-scenarios";
import { deploySky } from "../../../test/chain/sky";
import { deploySkyGovernance } from "../../../test/chain/sky-governance";
import { mined } from "../../../test/chain/deploy";
import { deployEmergencyExtras, dressedUpSpell, emergencyHalt, globalOsmStop, protegoDrops, runDownTo } from "../../../test/chain/sky-governance-scenarios";
import { runBots } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

jest.setTimeout(10 * 60_000);

describe("maker-governance under the forta-agent CLI", () => {
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
    const deployer = (await mk.deployer.getAddress()).toLowerCase();
    await mk.executeSpell([call(mk.vat, "file(bytes32,uint256)", ethers.utils.formatBytes32String("Line"), ethers.utils.parseUnits("1100000000", 45))]);
    await mk.executeSpell([], { voter: chain.signer(6) });
    await governanceTakeover(mk, chain.signer(7));
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, MAKER_SPELL_DEPLOYERS: deployer, GOV_KNOWN_LIFTERS: deployer };

    const ours = await runBots({ url: chain.url, bots: ["maker-governance"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.map((f) => f.finding.alertId)).toEqual(expect.arrayContaining(["MAKER-PAUSE-EXEC", "MAKER-PAUSE-EXEC-UNKNOWN", "MAKER-GOV-FLASH-TAKEOVER", "MAKER-GOV-HAT-UNKNOWN"]));
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });

  it("gives the same findings on the new Chief (no configuration): a normal cycle, a dressed-up spell, its clock running down and its drop, emergency spells (one failing), the legacy VoteDelegateFactory", async () => {
    const sky = await deploySky(chain, mk);
    const g = await deploySkyGovernance(chain, mk, sky);
    await g.migrate();
    await g.normalSpellCycle([], { description: "first executive on the new Chief" });
    const from = (await chain.blockNumber()) + 1;
    await g.normalSpellCycle([], { description: "Executive vote" });
    const attack = await dressedUpSpell(mk, g, chain.signer(6));
    await runDownTo(mk, attack.plan.eta, 11); // the block handler escalates the plan's clock
    await protegoDrops(g, attack.plan, chain.signer(5));
    await emergencyHalt(g, chain.signer(5));
    const extras = await deployEmergencyExtras(mk, g);
    await mined(extras.legacyFactory.connect(chain.signer(8)).create());
    await globalOsmStop(g, extras.osmStop, chain.signer(5));
    const to = await chain.blockNumber();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG! };

    const ours = await runBots({ url: chain.url, bots: ["maker-governance"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(ours.map((f) => f.finding.alertId)).toEqual(expect.arrayContaining(["SKY-GOV-LIFT", "SKY-GOV-CANDIDATE-OVER-HAT", "SKY-GOV-PROTEGO-DROP", "SKY-GOV-EMSP-SCHEDULED", "SKY-GOV-MOM-BY-HAT", "MAKER-PAUSE-PLAN-CLOCK", "SKY-GOV-EMSP-FAIL", "SKY-GOV-DELEGATE-CREATED"]));
    // the attack's plan (the ChainLog spell, rushed through the delegates with no campaign, has a clock of its own)
    const clock = ours.filter((f) => f.finding.alertId === "MAKER-PAUSE-PLAN-CLOCK" && f.finding.metadata.usr === attack.plan.usr.toLowerCase());
    expect(clock.map((f) => f.finding.metadata.episode)).toEqual(["opened", "escalated", "resolved"]);
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
  });
});
