/**
 * maker-oracles end to end, part 1: prices and time. Our Maker-shaped contracts on anvil, the
 * bot run by our runtime over the blocks each test mines. Keepers (test/chain/maker/oracle-helpers)
 * poke the Medians and OSMs every hop from rotating accounts, as on mainnet.
 *
 * Every scenario runs twice: with ETH's OSM over a Median (mainnet until 2025) and over a Chronicle
 * ScribeOptimistic (PIP_ETH since the 2025-03-20 spell; test/chain/maker/chronicle.ts), with the
 * same assertions: the OSM checks do not depend on the kind of source. Over a Scribe, the Scribe's
 * own age is watched too (MAKER-SCRIBE-STALE), asserted apart from the OSM's findings.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { call, deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { mined } from "../../../test/chain/deploy";
import { b32, rad } from "../../../test/chain/units";
import { castSpellWithKeepers, movePrice, passPokes, passTime, relayMedianPrice } from "../../../test/chain/maker/oracle-helpers";
import { useScribeSource } from "../../../test/chain/maker/chronicle";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import type { RpcCall } from "../../../shared/rpc/transport";
import { MEDIAN_SLOTS, OSM_SLOTS } from "../../../shared/abi";

const BOT = "maker-oracles";
const wad = (n: string) => ethers.utils.parseEther(n);

type Found = Awaited<ReturnType<typeof runBots>>;
/** The OSM's findings: without the Scribe's own (MAKER-SCRIBE-*), so both kinds of source assert the same. */
const osmOnly = (findings: Found) => findings.filter((f) => !f.finding.alertId.startsWith("MAKER-SCRIBE-"));

describe.each(["Median", "Chronicle ScribeOptimistic"] as const)("maker-oracles on anvil: prices and time, ETH's OSM over a %s", (source) => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  const run = async (from: number, env: Record<string, string> = {}) =>
    runBots({ url: chain.url, bots: [BOT], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, ...env } });
  const next = async () => (await chain.blockNumber()) + 1;

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    if (source !== "Median") await useScribeSource(mk, "ETH-A", { optimistic: true });
    await movePrice(mk, "ETH-A", "2000"); // cur = nxt = 2000 for ETH, WBTC kept fresh
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays quiet through ordinary activity: keepers' pokes, votes, a vault, a spell plotted and cast through the pause", async () => {
    const from = await next();
    await passTime(mk, 3 * 3600); // keepers poke both oracles every hop, prices drift 0.4%
    // a governance voter locks and votes
    const voter = chain.signer(8);
    await mined(mk.gov.connect(mk.deployer).transfer(await voter.getAddress(), wad("1000")));
    await mined(mk.gov.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
    await mined(mk.iou.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
    await mined(mk.chief.connect(voter).lock(wad("1000")));
    await mined(mk.chief.connect(voter)["vote(address[])"]([await mk.chief.hat()]));
    // a vault, the Spotter reading the OSMs
    await mk.openVault("ETH-A", { owner: chain.signer(9), ink: "10", art: "8000" });
    await mined(mk.spot.poke(b32("ETH-A")));
    await mined(mk.spot.poke(b32("WBTC-A")));
    // a spell through the chief and the pause (16 h delay, keepers poking throughout): a debt
    // ceiling and a new whitelisted reader on the ETH OSM (Info)
    await castSpellWithKeepers(mk, [
      call(mk.vat, "file(bytes32,bytes32,uint256)", b32("ETH-A"), b32("line"), rad("200000000")),
      call(mk.ilks["ETH-A"].pip, "kiss(address)", chain.accounts[9]!),
    ]);
    await passTime(mk, 2 * 3600);
    const findings = await run(from);
    expect(findings.filter((f) => f.finding.severity !== "Info").map((f) => f.finding.description)).toEqual([]);
    expect(alertsOf(findings)).toEqual(["MAKER-ORACLE-WHITELIST Info"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ action: "kiss", byGovernance: "true", readers: chain.accounts[9]!.toLowerCase() });
    expect((await chain.blockNumber()) - from).toBeGreaterThan(60); // a long stretch: ~21 hours, ~90 pokes
  });

  it("reports a queued price jump sized by the move, and the Median running ahead of the OSM as an episode", async () => {
    await movePrice(mk, "ETH-A", "2000");
    const from = await next();
    const eth = mk.ilks["ETH-A"];
    await relayMedianPrice(mk, eth.median, wad("1760"), chain.signer(5)); // -12% against cur 2000
    await passPokes(mk, "ETH-A", 1, { hold: ["ETH-A"] }); // cur 2000, nxt 1760: queued
    await passPokes(mk, "ETH-A", 1, { hold: ["ETH-A"] }); // cur 1760: Median and OSM agree again
    await relayMedianPrice(mk, eth.median, wad("2400"), chain.signer(6)); // +36.4%
    await passPokes(mk, "ETH-A", 2, { hold: ["ETH-A"] });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-ORACLE-DIVERGENCE Medium opened",
      "MAKER-OSM-PRICE-JUMP High",
      "MAKER-ORACLE-DIVERGENCE Info resolved",
      "MAKER-ORACLE-DIVERGENCE High opened",
      "MAKER-OSM-PRICE-JUMP Critical",
      "MAKER-ORACLE-DIVERGENCE Info resolved",
    ]);
    const [div, jump] = findings;
    expect(div!.finding.metadata).toMatchObject({ osm: eth.pip.address.toLowerCase(), median: eth.median.address.toLowerCase(), keys: "PIP_ETH", medianPrice: "1760", osmCurPrice: "2000", gap: "-0.120000", priority: "P2" });
    expect(jump!.finding.metadata).toMatchObject({ curPrice: "2000", nxtPrice: "1760", change: "-0.120000", direction: "down", threshold: "0.06", priority: "P1" });
    expect(jump!.finding.addresses).toEqual([eth.pip.address.toLowerCase()]);
    expect(findings[4]!.finding.metadata).toMatchObject({ curPrice: "1760", nxtPrice: "2400", direction: "up", priority: "P0" });

    // thresholds per asset: the same blocks with ETH allowed 50% moves give nothing
    const relaxed = await run(from, { ORACLE_JUMP_THRESHOLDS: "ETH=0.5", ORACLE_DIVERGENCE_THRESHOLDS: "ETH=0.5" });
    expect(alertsOf(relaxed)).toEqual([]);
  });

  it("reports a stale OSM lasting over 100 blocks as one episode (opened, escalations, resolved) whoever pokes, nothing in between", async () => {
    const from = await next();
    const eth = mk.ilks["ETH-A"];
    const zzz = Number(await eth.pip.zzz());
    // nobody pokes ETH's OSM for 5.5 hours past its due time; WBTC's keepers carry on; a block every 3 minutes
    await passTime(mk, zzz + 3600 + 5.5 * 3600 - (await chain.timestamp()), { keep: ["WBTC-A"], blockSeconds: 180 });
    // finally a newcomer pokes it, last in a block with other transactions
    const newcomer = chain.signer(3);
    await chain.send("evm_setAutomine", [false]);
    const txs = [
      await mk.spot.connect(chain.signer(2)).poke(b32("WBTC-A"), { gasLimit: 500_000 }),
      await eth.pip.connect(newcomer).poke({ gasLimit: 500_000 }),
    ];
    await chain.send("evm_mine");
    await chain.send("evm_setAutomine", [true]);
    const receipts = await Promise.all(txs.map((t) => t.wait()));
    expect(receipts[0]!.blockNumber).toBe(receipts[1]!.blockNumber);

    const all = await run(from);
    const findings = osmOnly(all);
    // over a Scribe nobody pokes for 6.5 hours, the Scribe's own episode: Medium at 3 h, High at 6 h
    expect(alertsOf(all.filter((f) => !findings.includes(f)))).toEqual(source === "Median" ? [] : ["MAKER-SCRIBE-STALE Medium opened", "MAKER-SCRIBE-STALE High escalated"]);
    expect(alertsOf(findings)).toEqual([
      "MAKER-OSM-STALE Medium opened",
      "MAKER-OSM-STALE High escalated",
      "MAKER-OSM-STALE Critical escalated",
      "MAKER-OSM-STALE Info resolved",
    ]);
    const [opened, high, critical, resolved] = findings;
    expect(findings.every((f) => f.finding.metadata.osm === eth.pip.address.toLowerCase())).toBe(true);
    expect(Number(opened!.finding.metadata.lateSeconds)).toBeGreaterThanOrEqual(900);
    expect(Number(opened!.finding.metadata.lateSeconds)).toBeLessThan(900 + 180 + 60);
    expect(Number(high!.finding.metadata.lateSeconds)).toBeGreaterThanOrEqual(900 + 3600);
    expect(Number(critical!.finding.metadata.lateSeconds)).toBeGreaterThanOrEqual(900 + 3 * 3600);
    expect(resolved!.blockNumber).toBe(receipts[1]!.blockNumber);
    expect(Number(resolved!.finding.metadata.episodeBlocks)).toBeGreaterThanOrEqual(100);
    // one episode: the same id from open to resolve
    expect(new Set(findings.map((f) => f.finding.metadata.episodeId)).size).toBe(1);
    expect(critical!.finding.metadata.priority).toBe("P0");
  });
  it("asks an OSM's stopped word and a Median's value again only in a block with a log of that contract", async () => {
    const from = await next();
    await chain.mine();
    await chain.mine();
    const poked = (await mk.pokeMedian("WBTC-A", "60000")).blockNumber;
    await chain.mine();
    const calls: RpcCall[] = [];
    await runBots({ url: chain.url, bots: [BOT], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! }, calls });
    const blocksReading = (address: string, slot: number) =>
      calls
        .filter((c) => c.method === "eth_getStorageAt" && String(c.params[0]).toLowerCase() === address.toLowerCase() && BigInt(String(c.params[1])) === BigInt(slot))
        .map((c) => parseInt(String(c.params[2]), 16))
        .filter((b) => b >= from) // before: the start-up's look at each PIP (probePip)
        .sort((a, b) => a - b);
    for (const ilk of ["ETH-A", "WBTC-A"] as const) expect(blocksReading(mk.ilks[ilk].pip.address, OSM_SLOTS.stopped)).toEqual([from]);
    expect(blocksReading(mk.ilks["WBTC-A"].median.address, MEDIAN_SLOTS.valAge)).toEqual([from, poked]);
    expect(blocksReading(mk.ilks["WBTC-A"].pip.address, OSM_SLOTS.srcHopZzz)).toHaveLength(await chain.blockNumber() - from + 1); // hop may change without a log: every block
  });
});
