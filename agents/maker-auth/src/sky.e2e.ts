/**
 * maker-auth over the Sky contracts (test/chain/sky.ts) found through the same ChainLog: named
 * Rely/Deny on USDS, sUSDS, SPBEAM, the stUSDS rate setter, and the Sky MOMs' SetOwner/SetAuthority.
 */
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { deploySkyGovernance } from "../../../test/chain/sky-governance";
import { deploySkyBurn, type SkyBurnSystem } from "../../../test/chain/sky-burn";
import { deploySkyBridges, type SkyBridgeSystem } from "../../../test/chain/sky-bridges";
import { alertsOf, runBots } from "../../../shared/testing/chain";

jest.setTimeout(10 * 60_000);

describe("maker-auth over the Sky contracts", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    sky = await deploySky(chain, mk);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reports rights on USDS, sUSDS, SPBEAM, the stUSDS rate setter and both MOMs: governance's as governance, an outsider's as Critical", async () => {
    const from = (await chain.blockNumber()) + 1;
    const someone = chain.accounts[7]!;
    await mk.asPauseProxy(async (px) => {
      await (await sky.usds.connect(px).rely(someone)).wait();
      await (await sky.susds.connect(px).rely(someone)).wait();
      await (await sky.spbeam.connect(px).deny(someone)).wait();
      await (await sky.rateSetter.connect(px).rely(someone)).wait();
      await (await sky.spbeamMom.connect(px).setAuthority(mk.chief.address)).wait();
      await (await sky.stusdsMom.connect(px).setOwner(someone)).wait();
    });
    // the new MOM owner is not governance
    await (await sky.stusdsMom.connect(chain.signer(7)).setAuthority(someone)).wait();
    const findings = await runBots({ url: chain.url, bots: ["maker-auth"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, MAKER_SPELL_DEPLOYERS: (await mk.deployer.getAddress()).toLowerCase() } });
    const rights = findings.filter((f) => f.finding.alertId.startsWith("MAKER-AUTH-RIGHTS"));
    expect(alertsOf(rights).slice(-1)).toEqual(["MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical"]);
    expect(rights.map((f) => f.finding.metadata.style)).toEqual(["named", "named", "named", "named", "mom-auth", "mom-auth", "mom-auth"]);
    expect(rights.map((f) => f.finding.metadata.contractKeys)).toEqual(["USDS", "SUSDS", "MCD_SPBEAM", "STUSDS_RATE_SETTER", "SPBEAM_MOM", "STUSDS_MOM", "STUSDS_MOM"]);
  });

  it("the 2025 migration to the new Chief, by a spell: the pause's and the Sky MOMs' authority (governance), the new Chief, Protego, the VoteDelegateFactory and the EMSP in the ChainLog as core keys (High); the new contracts hold no rights of their own", async () => {
    await (await sky.stusdsMom.connect(chain.signer(7)).setOwner(mk.pauseProxy.address)).wait(); // the first test gave STUSDS_MOM away
    const g = await deploySkyGovernance(chain, mk, sky);
    const from = (await chain.blockNumber()) + 1;
    await g.migrate();
    const findings = await runBots({ url: chain.url, bots: ["maker-auth"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, MAKER_SPELL_DEPLOYERS: (await mk.deployer.getAddress()).toLowerCase() } });
    expect(findings.filter((f) => f.finding.alertId.includes("OUTSIDE"))).toEqual([]);
    const rights = findings.filter((f) => f.finding.alertId.startsWith("MAKER-AUTH-RIGHTS"));
    expect(rights.map((f) => `${f.finding.metadata.contractKeys} ${f.finding.metadata.action}`)).toEqual(["MCD_PAUSE setAuthority", "SPBEAM_MOM setAuthority", "STUSDS_MOM setAuthority"]);
    const keys = findings.filter((f) => f.finding.alertId.startsWith("MAKER-AUTH-CHAINLOG")).map((f) => `${f.finding.alertId} ${f.finding.metadata.key}`);
    expect(keys).toEqual([
      "MAKER-AUTH-CHAINLOG-CORE MCD_ADM",
      "MAKER-AUTH-CHAINLOG-KEY MCD_ADM_LEGACY",
      "MAKER-AUTH-CHAINLOG-CORE MCD_PROTEGO",
      "MAKER-AUTH-CHAINLOG-CORE VOTE_DELEGATE_FACTORY",
      "MAKER-AUTH-CHAINLOG-CORE EMSP_SPBEAM_HALT",
    ]);
  });
});

describe("maker-auth over the LayerZero bridges", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let br: SkyBridgeSystem;
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    br = await deploySkyBridges(chain, mk, await deploySky(chain, mk));
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reports owner changes of the OApps (OZ Ownable) and rights on the relay and OFT_PAUSER; the outsider owner's hand-back is Critical", async () => {
    const from = (await chain.blockNumber()) + 1;
    const rogue = chain.signer(7);
    await mk.asPauseProxy(async (px) => {
      await (await br.govRelay.connect(px).rely(chain.accounts[6]!)).wait();
      await (await br.pauser.connect(px).deny(chain.accounts[6]!)).wait();
      await (await br.usdsOft.connect(px).transferOwnership(await rogue.getAddress())).wait();
    });
    await (await br.usdsOft.connect(rogue).transferOwnership(mk.pauseProxy.address)).wait();
    const findings = await runBots({ url: chain.url, bots: ["maker-auth"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, MAKER_SPELL_DEPLOYERS: (await mk.deployer.getAddress()).toLowerCase() } });
    const rights = findings.filter((f) => f.finding.alertId.startsWith("MAKER-AUTH-RIGHTS"));
    expect(rights.map((f) => `${f.finding.metadata.contractKeys} ${f.finding.metadata.style}`)).toEqual(["LZ_GOV_RELAY named", "OFT_PAUSER named", "USDS_OFT ownable", "USDS_OFT ownable"]);
    expect(alertsOf(rights).slice(-1)).toEqual(["MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical"]);
  });
});

describe("maker-auth over the Smart Burn Engine", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let burn: SkyBurnSystem;
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    burn = await deploySkyBurn(chain, mk, await deploySky(chain, mk));
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reports rights on the Kicker, the Splitter, the flapper and SplitterMom; an outsider's rely on the Kicker is Critical", async () => {
    const from = (await chain.blockNumber()) + 1;
    const someone = chain.accounts[7]!;
    await mk.asPauseProxy(async (px) => {
      await (await burn.splitter.connect(px).rely(someone)).wait();
      await (await burn.flapper.connect(px).deny(someone)).wait();
      await (await burn.splitterMom.connect(px).setAuthority(mk.chief.address)).wait();
      await (await burn.kicker.connect(px).rely(someone)).wait();
      await (await burn.oracle.connect(px).rely(someone)).wait(); // Chronicle's AuthGranted, the caller logged
    });
    // the new Kicker ward is not governance: what it makes a ward of the Kicker is Critical
    await (await burn.kicker.connect(chain.signer(7)).rely(chain.accounts[8]!)).wait();
    const findings = await runBots({ url: chain.url, bots: ["maker-auth"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, MAKER_SPELL_DEPLOYERS: (await mk.deployer.getAddress()).toLowerCase() } });
    const rights = findings.filter((f) => f.finding.alertId.startsWith("MAKER-AUTH-RIGHTS"));
    expect(rights.map((f) => f.finding.metadata.contractKeys)).toEqual(["MCD_SPLIT", "MCD_FLAP", "SPLITTER_MOM", "MCD_KICK", "FLAP_SKY_ORACLE", "MCD_KICK"]);
    expect(rights[4]!.finding.metadata).toMatchObject({ style: "chronicle-auth" });
    expect(rights[4]!.finding.alertId).toBe("MAKER-AUTH-RIGHTS-GOVERNANCE");
    expect(alertsOf(rights).slice(-1)).toEqual(["MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical"]);
  });
});
