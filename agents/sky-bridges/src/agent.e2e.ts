/**
 * sky-bridges end to end: our Maker-, Sky- and LayerZero-shaped contracts on anvil
 * (test/contracts/SkyBridges.sol, test/chain/sky-bridges.ts), the bot run by our runtime.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky } from "../../../test/chain/sky";
import { EID, deploySkyBridges, type SkyBridgeSystem } from "../../../test/chain/sky-bridges";
import { wad } from "../../../test/chain/units";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import type { RpcCall } from "../../../shared/rpc/transport";

jest.setTimeout(10 * 60_000);

describe("sky-bridges on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let br: SkyBridgeSystem;
  const run = async (from: number) => runBots({ url: chain.url, bots: ["sky-bridges"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    br = await deploySkyBridges(chain, mk, await deploySky(chain, mk));
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays quiet through bridge transfers within the limits, both ways, on both OFTs", async () => {
    const from = (await chain.blockNumber()) + 1;
    const user = chain.signer(3);
    await br.bridgeOut(user, "usds", "20000");
    await br.bridgeIn("usds", chain.accounts[5]!, "15000");
    await br.bridgeOut(user, "susds", "5000");
    await br.bridgeIn("susds", chain.accounts[5]!, "2000");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([]);
  });

  it("reports governance's peers, limits (raised, lowered, reset, accounting type), pausers, DVNs, libraries, targets and calls, a pause by OFT_PAUSER, a migration; an outsider owner's peer as Critical", async () => {
    const from = (await chain.blockNumber()) + 1;
    const intruder = chain.signer(8);
    const target = ethers.utils.keccak256(ethers.utils.toUtf8Bytes("solana governance receiver"));
    const dvn = chain.accounts[6]!;
    await mk.asPauseProxy(async (px) => {
      await (await br.usdsOft.connect(px).setPeer(30110, ethers.utils.hexZeroPad(dvn, 32))).wait(); // a new remote
      await (await br.usdsOft.connect(px).setRateLimits([{ eid: EID.solana, window: 86400, limit: wad("8000000") }], [])).wait(); // raised
      await (await br.usdsOft.connect(px).setRateLimits([], [{ eid: EID.solana, window: 86400, limit: wad("4000000") }])).wait(); // lowered
      await (await br.usdsOft.connect(px).setRateLimitAccountingType(1)).wait(); // Gross
      await (await br.usdsOft.connect(px).resetRateLimits([EID.solana], [])).wait(); // in flight back to 0
      await (await br.usdsOft.connect(px).setPauser(dvn, true)).wait();
      await (await br.pauser.connect(px).pause(br.usdsOft.address)).wait();
      await (await br.usdsOft.connect(px).unpause()).wait();
      await (await br.endpoint.connect(px).setConfig(br.usdsOft.address, br.uln.address, [br.ulnConfig(EID.solana, [dvn])])).wait();
      await (await br.endpoint.connect(px).setSendLibrary(br.usdsOft.address, EID.solana, br.uln.address)).wait();
      await (await br.govSender.connect(px).setCanCallTarget(dvn, EID.solana, target, true)).wait();
      await (await br.govRelay.connect(px).relayRaw(EID.solana, target, "0x1234")).wait();
      await (await br.susdsOft.connect(px).migrateLockedTokens(mk.pauseProxy.address)).wait();
      await (await br.susdsOft.connect(px).transferOwnership(await intruder.getAddress())).wait();
    });
    await (await br.susdsOft.connect(intruder).setPeer(EID.avalanche, ethers.utils.hexZeroPad(await intruder.getAddress(), 32))).wait();
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "SKY-LZ-PEER High",
      "SKY-LZ-RATE-LIMIT High",
      "SKY-LZ-RATE-LIMIT Medium",
      "SKY-LZ-RATE-LIMIT Medium",
      "SKY-LZ-RATE-LIMIT High",
      "SKY-LZ-PAUSER High",
      "SKY-LZ-PAUSE High",
      "SKY-LZ-PAUSE Medium",
      "SKY-LZ-CONFIG High",
      "SKY-LZ-CONFIG High",
      "SKY-LZ-GOV-TARGET High",
      "SKY-LZ-GOV-CALL Low",
      "SKY-LZ-MIGRATED High",
      "SKY-LZ-OWNER High",
      "SKY-LZ-PEER Critical",
    ]);
    const md = findings.map((f) => f.finding.metadata);
    expect(md[1]).toMatchObject({ contractKey: "USDS_OFT", eid: String(EID.solana), direction: "inbound", limitBefore: "5000000", windowBefore: "86400", limit: "8000000", raised: "true", callerClass: "governance" });
    expect(md[2]).toMatchObject({ direction: "outbound", limitBefore: "5000000", limit: "4000000", raised: "false" });
    expect(md[3]).toMatchObject({ event: "RateLimitAccountingTypeSet", accounting: "Gross" });
    expect(md[4]).toMatchObject({ event: "RateLimitsReset", eid: String(EID.solana), direction: "inbound", reset: "true" });
    expect(md[6]).toMatchObject({ byPauser: "true" });
    expect(md[8]).toMatchObject({ contractKey: "USDS_OFT", event: "UlnConfigSet", requiredDVNs: dvn.toLowerCase(), library: br.uln.address.toLowerCase() });
    expect(md[14]).toMatchObject({ contractKey: "SUSDS_OFT", callerClass: "outsider" });
  });

  it("opens an episode when inbound volume nears the inbound limit, and resolves it when governance raises the limit", async () => {
    const from = (await chain.blockNumber()) + 1;
    await br.seedLocked("7000000");
    await br.bridgeIn("usds", chain.accounts[5]!, "6500000"); // of the 8,000,000 inbound limit set above
    await mk.asPauseProxy(async (px) => (await br.usdsOft.connect(px).setRateLimits([{ eid: EID.solana, window: 86400, limit: wad("20000000") }], [])).wait());
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-LZ-INBOUND-NEAR-LIMIT High opened", "SKY-LZ-INBOUND-NEAR-LIMIT Info resolved", "SKY-LZ-RATE-LIMIT High"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ oftKey: "USDS_OFT", eid: String(EID.solana), limit: "8000000" });
  });

  it("gives each eid of one RateLimitsChanged its own finding and uniqueKey", async () => {
    const from = (await chain.blockNumber()) + 1;
    await mk.asPauseProxy(async (px) =>
      (await br.usdsOft.connect(px).setRateLimits([], [{ eid: EID.solana, window: 86400, limit: wad("3000000") }, { eid: EID.avalanche, window: 3600, limit: wad("1000") }])).wait(),
    );
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-LZ-RATE-LIMIT Medium", "SKY-LZ-RATE-LIMIT High"]); // solana lowered; avalanche had none: raised
    expect(findings.map((f) => f.finding.metadata.eid)).toEqual([String(EID.solana), String(EID.avalanche)]);
    expect(new Set(findings.map((f) => f.finding.uniqueKey)).size).toBe(2);
  });

  it("asks an OFT's inbound limits, and an amount in flight of 0, again only in a block with a log of that OFT", async () => {
    const from = (await chain.blockNumber()) + 1;
    await chain.mine();
    await chain.mine();
    const bridged = (await br.bridgeIn("usds", chain.accounts[5]!, "1000")).blockNumber;
    await chain.mine();
    const to = await chain.blockNumber();
    const calls: RpcCall[] = [];
    expect(alertsOf(await runBots({ url: chain.url, bots: ["sky-bridges"], from, to, env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! }, calls }))).toEqual([]);
    const blocksAsking = (oft: ethers.Contract, fn: string, eid: number) => {
      const data = oft.interface.encodeFunctionData(fn, [eid]);
      const at = calls.filter((c) => c.method === "eth_call" && (c.params[0] as { to: string; data: string }).to.toLowerCase() === oft.address.toLowerCase() && (c.params[0] as { data: string }).data === data);
      return at.map((c) => parseInt(String(c.params[1]), 16)).sort((a, b) => a - b);
    };
    const every = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(blocksAsking(br.usdsOft, "inboundRateLimits", EID.solana)).toEqual([from, bridged]);
    expect(blocksAsking(br.usdsOft, "getAmountCanBeReceived", EID.solana)).toEqual(every); // above 0: it decays block by block
    expect(blocksAsking(br.usdsOft, "getAmountCanBeReceived", EID.avalanche)).toEqual([from, bridged]); // 0 (no peer)
    expect(blocksAsking(br.susdsOft, "inboundRateLimits", EID.solana)).toEqual([from]);
    expect(blocksAsking(br.susdsOft, "getAmountCanBeReceived", EID.solana)).toEqual([from]);
  });
});
