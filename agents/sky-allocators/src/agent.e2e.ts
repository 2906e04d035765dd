/**
 * sky-allocators end to end: our dss-allocator-, SubProxy- and StarGuard-shaped contracts on anvil
 * (test/contracts/SkyAllocators.sol, test/chain/sky-allocators.ts), the bot run by our runtime.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { OPERATOR_ROLE, deploySkyAllocators, type SkyAllocatorSystem } from "../../../test/chain/sky-allocators";
import { b32, rad, wad } from "../../../test/chain/units";
import { mined } from "../../../test/chain/deploy";
import { alertsOf, runBots } from "../../../shared/testing/chain";

jest.setTimeout(10 * 60_000);

describe("sky-allocators on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  let al: SkyAllocatorSystem;
  const run = async (from: number) => runBots({ url: chain.url, bots: ["sky-allocators"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    sky = await deploySky(chain, mk);
    al = await deploySkyAllocators(chain, mk, sky);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays quiet through the Star's draws and wipes within its pacing, AutoLine raises over days included", async () => {
    const from = (await chain.blockNumber()) + 1;
    await al.draw("30000000");
    await al.wipe("5000000");
    await al.draw("20000000"); // 45M within the day, gap 50M
    await chain.increaseTime(al.params.ttl + 1);
    await al.autoLineExec();
    await al.draw("40000000");
    await al.wipe("10000000");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([]);
  });

  it("reports ilk admins, roles and role actions (an unknown grantee High), a registry File, buffer approvals (an unknown spender High), SubProxy wards; an outsider's change Critical", async () => {
    const from = (await chain.blockNumber()) + 1;
    const stranger = chain.accounts[6]!;
    const intruder = chain.signer(8);
    await mk.asPauseProxy(async (px) => {
      await mined(al.roles.connect(px).setIlkAdmin(al.ilk, stranger)); // High: a new admin
      await mined(al.roles.connect(px).setIlkAdmin(al.ilk, al.subProxy.address)); // back to the SubProxy (ChainLog-named): High still
      await mined(al.registry.connect(px).file(al.ilk, b32("buffer"), al.buffer.address));
      await mined(al.vault.connect(px).file(b32("jug"), mk.jug.address));
      await mined(al.buffer.connect(px).approve(sky.usds.address, stranger, wad("1000000"))); // High: unknown spender
      await mined(al.buffer.connect(px).approve(sky.usds.address, stranger, 0)); // Low: revoked
      await mined(al.subProxy.connect(px).rely(stranger)); // High
      await mined(al.subProxy.connect(px).deny(stranger)); // Medium
      await mined(al.roles.connect(px).rely(await intruder.getAddress()));
    });
    // the Star's own flow: payloads plotted by governance, run by its StarGuard through the SubProxy
    await al.starSpell(al.roles, "setUserRole", [al.ilk, stranger, OPERATOR_ROLE, true]); // High: unknown grantee
    await al.starSpell(al.roles, "setRoleAction", [al.ilk, OPERATOR_ROLE, al.buffer.address, "0x12345678", true]); // Medium: a ChainLog target
    await al.starSpell(al.roles, "setUserRole", [al.ilk, stranger, OPERATOR_ROLE, false]); // Low: revoked
    // a ward that is not governance
    await mined(al.roles.connect(intruder).setIlkAdmin(al.ilk, await intruder.getAddress()));
    const findings = await run(from);
    const ours = findings.filter((f) => !f.finding.alertId.startsWith("SKY-STARGUARD"));
    expect(alertsOf(ours)).toEqual([
      "SKY-ALLOCATOR-ILK-ADMIN High",
      "SKY-ALLOCATOR-ILK-ADMIN High",
      "SKY-ALLOCATOR-CONFIG High",
      "SKY-ALLOCATOR-CONFIG High",
      "SKY-ALLOCATOR-APPROVE High",
      "SKY-ALLOCATOR-APPROVE Low",
      "SKY-STAR-SUBPROXY-RIGHTS High",
      "SKY-STAR-SUBPROXY-RIGHTS Medium",
      "SKY-ALLOCATOR-ROLE High",
      "SKY-ALLOCATOR-ROLE-ACTION Medium",
      "SKY-ALLOCATOR-ROLE Low",
      "SKY-ALLOCATOR-ILK-ADMIN Critical",
    ]);
    const md = ours.map((f) => f.finding.metadata);
    expect(md[0]).toMatchObject({ contractKey: "ALLOCATOR_ROLES", ilk: "ALLOCATOR-SPARK-A", admin: stranger.toLowerCase(), previousAdmin: al.subProxy.address.toLowerCase(), adminKnown: "false", callerClass: "governance" });
    expect(md[3]).toMatchObject({ contractKey: "ALLOCATOR_SPARK_A_VAULT", what: "jug", ilk: "", data: mk.jug.address.toLowerCase() });
    expect(md[4]).toMatchObject({ contractKey: "ALLOCATOR_SPARK_A_BUFFER", spender: stranger.toLowerCase(), amount: "1000000", known: "false" });
    expect(md[8]).toMatchObject({ who: stranger.toLowerCase(), enabled: "true", known: "false", callerClass: "automation", callerModule: "SPARK_STARGUARD" });
    expect(md[11]).toMatchObject({ callerClass: "outsider" });
  });

  it("reports StarGuard plots (Medium; High when the payload's code does not match the tag), drops, maxDelay, and executions (Low when they run what was plotted)", async () => {
    await mk.asPauseProxy(async (px) => mined(al.roles.connect(px).setIlkAdmin(al.ilk, al.subProxy.address))); // undo the intruder's admin (before this run)
    const from = (await chain.blockNumber()) + 1;
    const good = await al.payload(al.roles, "setRoleAction", [al.ilk, OPERATOR_ROLE, al.vault.address, "0x12345678", false]);
    const tag = ethers.utils.keccak256(await chain.provider.getCode(good.address));
    await mk.asPauseProxy(async (px) => {
      await mined(al.starGuard.connect(px).file(b32("maxDelay"), 3 * 86400));
      await mined(al.starGuard.connect(px).plot(good.address, ethers.utils.keccak256("0x1234"))); // High: wrong tag
      await mined(al.starGuard.connect(px).plot(good.address, tag)); // Drop (Low) of the one before, Plot (Medium)
    });
    await mined(al.starGuard.connect(chain.signer(4)).exec({ gasLimit: 2_000_000 }));
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "SKY-STARGUARD-PLOT Medium",
      "SKY-STARGUARD-PLOT High",
      "SKY-STARGUARD-PLOT Low",
      "SKY-STARGUARD-PLOT Medium",
      "SKY-ALLOCATOR-ROLE-ACTION Low",
      "SKY-STARGUARD-EXEC Low",
    ]);
    expect(findings[1]!.finding.metadata).toMatchObject({ payload: good.address.toLowerCase(), mismatch: "codehash" });
    expect(findings[5]!.finding.metadata).toMatchObject({ payload: good.address.toLowerCase(), plottedTag: tag.toLowerCase(), mismatch: "" });
  });

  it("opens an episode when governance lifts the line outside the AutoLine and the Star draws faster than the pacing; resolves when it wipes", async () => {
    const from = (await chain.blockNumber()) + 1;
    const [, ilkData] = await Promise.all([0, mk.vat.ilks(al.ilk)]);
    const line = ilkData.line as ethers.BigNumber;
    await mk.asPauseProxy(async (px) => {
      await mined(mk.vat.connect(px)["file(bytes32,bytes32,uint256)"](al.ilk, b32("line"), line.add(rad("200000000"))));
      await mined(mk.vat.connect(px)["file(bytes32,uint256)"](b32("Line"), ((await mk.vat.Line()) as ethers.BigNumber).add(rad("200000000"))));
    });
    await al.draw("120000000"); // 120M within a day: more than 2 gaps of 50M
    await al.wipe("90000000"); // back to 30M of growth
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-ALLOCATOR-PACE High opened", "SKY-ALLOCATOR-PACE Info resolved"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ vaultKey: "ALLOCATOR_SPARK_A_VAULT", ilk: "ALLOCATOR-SPARK-A", growth: "120000000", allowed: "100000000", gap: "50000000", ttl: "86400" });
  });
});
