/**
 * maker-auth over Lockstake and the LitePSM's MOM (test/chain/lockstake.ts) found through the same
 * ChainLog: named Rely/Deny on LOCKSTAKE_ENGINE, LOCKSTAKE_SKY (a new minter), LOCKSTAKE_CLIP,
 * LOCKSTAKE_MIGRATOR and LOCKSTAKE_ORACLE, LITE_PSM_MOM's SetOwner/SetAuthority, and a Lockstake
 * key re-pointed in the ChainLog (a core key: High).
 */
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployLockstake, type LockstakeSystem } from "../../../test/chain/lockstake";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky } from "../../../test/chain/sky";
import { b32 } from "../../../test/chain/units";
import { alertsOf, runBots } from "../../../shared/testing/chain";

jest.setTimeout(10 * 60_000);

describe("maker-auth over Lockstake and LITE_PSM_MOM", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let ls: LockstakeSystem;
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    ls = await deployLockstake(chain, mk, await deploySky(chain, mk));
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reports rights on every Lockstake contract and the LitePSM MOM: governance's as governance, an outsider's as Critical; a re-pointed LOCKSTAKE_ENGINE as a core key", async () => {
    const from = (await chain.blockNumber()) + 1;
    const someone = chain.accounts[7]!;
    await mk.asPauseProxy(async (px) => {
      for (const c of [ls.engine, ls.lssky, ls.clip, ls.migrator, ls.oracle]) await (await c.connect(px).rely(someone)).wait();
      await (await ls.litePsmMom.connect(px).setOwner(someone)).wait();
      await (await mk.chainlog.connect(px).setAddress(b32("LOCKSTAKE_ENGINE"), ls.engine.address.toLowerCase().replace(/.$/, "0"))).wait();
      await (await mk.chainlog.connect(px).setAddress(b32("LOCKSTAKE_ENGINE"), ls.engine.address)).wait();
    });
    // the new lsSKY ward (not governance) makes another minter
    await (await ls.lssky.connect(chain.signer(7)).rely(chain.accounts[8]!)).wait();
    const env = { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, MAKER_SPELL_DEPLOYERS: (await mk.deployer.getAddress()).toLowerCase() };
    const findings = await runBots({ url: chain.url, bots: ["maker-auth"], from, to: await chain.blockNumber(), env });
    const rights = findings.filter((f) => f.finding.alertId.startsWith("MAKER-AUTH-RIGHTS"));
    expect(rights.map((f) => f.finding.metadata.contractKeys)).toEqual(["LOCKSTAKE_ENGINE", "LOCKSTAKE_SKY", "LOCKSTAKE_CLIP", "LOCKSTAKE_MIGRATOR", "LOCKSTAKE_ORACLE", "LITE_PSM_MOM", "LOCKSTAKE_SKY"]);
    expect(rights.map((f) => f.finding.metadata.style)).toEqual(["named", "named", "named", "named", "named", "mom-auth", "named"]);
    expect(alertsOf(rights).slice(-1)).toEqual(["MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical"]);
    const chainlog = findings.filter((f) => f.finding.alertId.startsWith("MAKER-AUTH-CHAINLOG") && f.finding.metadata.key === "LOCKSTAKE_ENGINE");
    expect(alertsOf(chainlog)).toEqual(["MAKER-AUTH-CHAINLOG-CORE High", "MAKER-AUTH-CHAINLOG-CORE High"]);
  });
});
