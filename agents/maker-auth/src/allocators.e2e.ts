/**
 * maker-auth over the Stars' capital perimeter (test/chain/sky-allocators.ts) found through the
 * same ChainLog: named Rely/Deny on AllocatorRoles, AllocatorRegistry, a vault, a buffer, a Star's
 * SubProxy and StarGuard; their keys are core keys (ALLOCATOR_*, *_SUBPROXY, *_STARGUARD).
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { mined } from "../../../test/chain/deploy";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky } from "../../../test/chain/sky";
import { deploySkyAllocators, type SkyAllocatorSystem } from "../../../test/chain/sky-allocators";
import { alertsOf, runBots } from "../../../shared/testing/chain";

jest.setTimeout(10 * 60_000);

describe("maker-auth over the Stars' capital perimeter", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let al: SkyAllocatorSystem;
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    al = await deploySkyAllocators(chain, mk, await deploySky(chain, mk));
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reports rights on the allocator contracts, the SubProxy and the StarGuard (governance's as governance, an outsider's as Critical) and a re-pointed ALLOCATOR_ROLES as a core key", async () => {
    const from = (await chain.blockNumber()) + 1;
    const someone = chain.signer(7);
    const who = await someone.getAddress();
    await mk.asPauseProxy(async (px) => {
      for (const c of [al.roles, al.registry, al.vault, al.buffer, al.subProxy, al.starGuard]) await mined(c.connect(px).rely(who));
      const key = ethers.utils.formatBytes32String("ALLOCATOR_ROLES");
      await mined(mk.chainlog.connect(px).setAddress(key, who)); // re-pointed, and back
      await mined(mk.chainlog.connect(px).setAddress(key, al.roles.address));
    });
    await mined(al.subProxy.connect(someone).rely(chain.accounts[8]!)); // a ward that is not governance
    const findings = await runBots({ url: chain.url, bots: ["maker-auth"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
    const rights = findings.filter((f) => f.finding.alertId.startsWith("MAKER-AUTH-RIGHTS"));
    expect(rights.map((f) => `${f.finding.metadata.contractKeys} ${f.finding.metadata.style}`)).toEqual([
      "ALLOCATOR_ROLES named",
      "ALLOCATOR_REGISTRY named",
      "ALLOCATOR_SPARK_A_VAULT named",
      "ALLOCATOR_SPARK_A_BUFFER named",
      "SPARK_SUBPROXY named",
      "SPARK_STARGUARD named",
      "SPARK_SUBPROXY named",
    ]);
    expect(alertsOf(rights).slice(-1)).toEqual(["MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE Critical"]);
    expect(alertsOf(rights.slice(0, -1)).every((a) => !a.includes("OUTSIDE"))).toBe(true);
    const keys = findings.filter((f) => f.finding.alertId.startsWith("MAKER-AUTH-CHAINLOG"));
    expect(keys.map((f) => `${f.finding.alertId} ${f.finding.metadata.key}`)).toEqual(["MAKER-AUTH-CHAINLOG-CORE ALLOCATOR_ROLES", "MAKER-AUTH-CHAINLOG-CORE ALLOCATOR_ROLES"]);
  });
});
