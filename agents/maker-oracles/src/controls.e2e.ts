/**
 * maker-oracles end to end, part 2: who controls the oracles. OSM stop/start/void/change/step,
 * rights and whitelists, Median feeds and quorum, the fixed-price PIP_USDC, and the watch list
 * following the ChainLog; by governance (the pause proxy) and by an outsider holding rights.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, feedSigners, type MakerSystem } from "../../../test/chain/maker";
import { deployContract, mined } from "../../../test/chain/deploy";
import {
  deployReplacementOsm,
  deployRogueMedian,
  moveChainlogKey,
  movePrice,
  passPokes,
  passTime,
  relayMedianPrice,
} from "../../../test/chain/maker/oracle-helpers";
import { alertsOf, runBots } from "../../../shared/testing/chain";

const BOT = "maker-oracles";
const wad = (n: string) => ethers.utils.parseEther(n);
const word = (n: ethers.BigNumber) => ethers.utils.hexZeroPad(n.toHexString(), 32);

describe("maker-oracles on anvil: oracle controls", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  const run = async (from: number) => runBots({ url: chain.url, bots: [BOT], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
  const next = async () => (await chain.blockNumber()) + 1;

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    await movePrice(mk, "ETH-A", "2000");
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("rates governance's OSM controls: stop, start, hop (seen in state: step writes no note), rights, whitelist", async () => {
    await passPokes(mk, "ETH-A", 1);
    const from = await next();
    const pip = mk.ilks["ETH-A"].pip;
    const someone = chain.accounts[8]!;
    await mk.asPauseProxy(async (p) => {
      const osm = pip.connect(p);
      await mined(osm.stop());
      await mined(osm.start());
      await mined(osm.step(1800));
      await mined(osm.step(3600));
      await mined(osm.rely(someone));
      await mined(osm.deny(someone));
      await mined(osm["kiss(address[])"]([someone, chain.accounts[9]!]));
      await mined(osm["diss(address)"](someone));
    });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-OSM-STOP High",
      "MAKER-OSM-START Low",
      "MAKER-OSM-HOP High",
      "MAKER-OSM-HOP Medium",
      "MAKER-ORACLE-RIGHTS Medium",
      "MAKER-ORACLE-RIGHTS Medium",
      "MAKER-ORACLE-WHITELIST Info",
      "MAKER-ORACLE-WHITELIST Low",
    ]);
    const proxy = mk.pauseProxy.address.toLowerCase();
    expect(findings[0]!.finding.metadata).toMatchObject({ osm: pip.address.toLowerCase(), keys: "PIP_ETH", caller: proxy, byGovernance: "true", action: "stop" });
    expect(findings[2]!.finding.metadata).toMatchObject({ hopBefore: "3600", hop: "1800" });
    expect(findings[4]!.finding.metadata).toMatchObject({ action: "rely", usr: someone.toLowerCase() });
    expect(findings[6]!.finding.metadata.readers).toBe(`${someone},${chain.accounts[9]!}`.toLowerCase());
  });

  it("makes a source swap by an outsider Critical, with the divergence and the jump it queues, until governance undoes it", async () => {
    await movePrice(mk, "ETH-A", "2000");
    const from = await next();
    const eth = mk.ilks["ETH-A"];
    const rogue = chain.signer(7);
    await mk.asPauseProxy((p) => mined(eth.pip.connect(p).rely(chain.accounts[7]!))); // a ward too many
    const { median: bad, feed } = await deployRogueMedian(mk, "ETHUSD", [eth.pip.address], rogue);
    await relayMedianPrice(mk, bad, wad("1000"), rogue, [feed]);
    await mined(eth.pip.connect(rogue).change(bad.address)); // the rogue ward swaps the source
    await passPokes(mk, "ETH-A", 1, { hold: ["ETH-A"] }); // a keeper pokes: 1000 is queued
    await mined(bad.connect(rogue).lift([ethers.Wallet.createRandom().address])); // feeds of the source now matter
    await mined(eth.pip.connect(rogue).stop());
    await mk.asPauseProxy(async (p) => {
      await mined(eth.pip.connect(p).void()); // governance clears the queued price
      await mined(eth.pip.connect(p).change(eth.median.address));
      await mined(eth.pip.connect(p).deny(chain.accounts[7]!));
      await mined(eth.pip.connect(p).start());
    });
    await passPokes(mk, "ETH-A", 2);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-ORACLE-RIGHTS Medium",
      "MAKER-ORACLE-DIVERGENCE Critical opened",
      "MAKER-OSM-SOURCE Critical",
      "MAKER-OSM-PRICE-JUMP Critical",
      "MAKER-MEDIAN-FEEDS Critical",
      "MAKER-OSM-STOP Critical",
      "MAKER-OSM-VOID High",
      "MAKER-OSM-NO-PRICE High opened", // the void cleared cur and nxt
      "MAKER-ORACLE-DIVERGENCE Info resolved",
      "MAKER-OSM-SOURCE High",
      "MAKER-ORACLE-RIGHTS Medium",
      "MAKER-OSM-START Low",
      "MAKER-OSM-NO-PRICE Info resolved", // the second poke after start
    ]);
    const source = findings[2]!.finding;
    expect(source.metadata).toMatchObject({
      from: eth.median.address.toLowerCase(),
      to: bad.address.toLowerCase(),
      caller: chain.accounts[7]!.toLowerCase(),
      byGovernance: "false",
      newSourceIsMedian: "true",
      newSourcePrice: "1000",
      newSourceGap: "-0.500000",
      priority: "P0",
    });
    expect(source.addresses).toEqual(expect.arrayContaining([eth.pip.address.toLowerCase(), bad.address.toLowerCase(), chain.accounts[7]!.toLowerCase()]));
    expect(findings[3]!.finding.metadata).toMatchObject({ curPrice: "2000", nxtPrice: "1000" });
    expect(findings[4]!.finding.metadata).toMatchObject({ median: bad.address.toLowerCase(), action: "lift", feedCount: "1" });
  });

  it("reports Median feeds (from the note, or from the feed set when five or more do not fit in it), quorum, rights and whitelist", async () => {
    const from = await next();
    const { median } = mk.ilks["ETH-A"];
    const used = new Set(mk.feeds.map((f) => f.address.slice(2, 4).toLowerCase()));
    const extra = feedSigners(40, "vigil-extra").filter((w) => !used.has(w.address.slice(2, 4).toLowerCase())).slice(0, 5).map((w) => w.address);
    await mk.asPauseProxy(async (p) => {
      const m = median.connect(p);
      await mined(m.lift([extra[0]!]));
      await mined(m.drop([extra[0]!]));
      await mined(m.lift(extra));
      await mined(m.drop(extra));
      await mined(m.setBar(11));
      await mined(m.setBar(13));
      await mined(m.rely(chain.accounts[8]!));
      await mined(m.deny(chain.accounts[8]!));
      await mined(m["kiss(address)"](chain.accounts[8]!));
      await mined(m["diss(address)"](chain.accounts[8]!));
    });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-MEDIAN-FEEDS Medium",
      "MAKER-MEDIAN-FEEDS Medium",
      "MAKER-MEDIAN-FEEDS Medium",
      "MAKER-MEDIAN-FEEDS Medium",
      "MAKER-MEDIAN-BAR High",
      "MAKER-MEDIAN-BAR Medium",
      "MAKER-ORACLE-RIGHTS Medium",
      "MAKER-ORACLE-RIGHTS Medium",
      "MAKER-ORACLE-WHITELIST Info",
      "MAKER-ORACLE-WHITELIST Low",
    ]);
    const lower = (a: string[]) => a.map((x) => x.toLowerCase()).join(",");
    expect(findings[0]!.finding.metadata).toMatchObject({ action: "lift", feeds: lower([extra[0]!]), fromNote: "true", osm: mk.ilks["ETH-A"].pip.address.toLowerCase() });
    const sorted = (s: string) => s.split(",").sort().join(",");
    expect(sorted(findings[2]!.finding.metadata.feeds!)).toBe(sorted(lower(extra)));
    expect(findings[2]!.finding.metadata).toMatchObject({ fromNote: "false", feedCount: "5", feedsAfter: "18" });
    expect(sorted(findings[3]!.finding.metadata.feeds!)).toBe(sorted(lower(extra)));
    expect(findings[4]!.finding.metadata).toMatchObject({ barBefore: "13", bar: "11", priority: "P1" });
    expect(findings[6]!.finding.metadata).toMatchObject({ contract: "Median", usr: chain.accounts[8]!.toLowerCase() });
  });

  it("reports changes of the fixed-price PIP_USDC: price, void, owner; a new owner outside governance setting the price is Critical", async () => {
    const from = await next();
    const pip = mk.usdcPip;
    const newOwner = chain.signer(6);
    await mk.asPauseProxy(async (p) => {
      await mined(pip.connect(p).poke(word(wad("0.99"))));
      await mined(pip.connect(p).void());
      await mined(pip.connect(p).poke(word(wad("1"))));
      await mined(pip.connect(p).setOwner(chain.accounts[6]!));
    });
    await mined(pip.connect(newOwner).poke(word(wad("1.25"))));
    await mined(pip.connect(newOwner).setOwner(mk.pauseProxy.address));
    await mk.asPauseProxy((p) => mined(pip.connect(p).poke(word(wad("1")))));
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-PIP-VALUE Medium",
      "MAKER-PIP-VALUE High",
      "MAKER-PIP-VALUE Medium",
      "MAKER-ORACLE-RIGHTS High",
      "MAKER-PIP-VALUE Critical",
      "MAKER-ORACLE-RIGHTS Critical",
      "MAKER-PIP-VALUE Medium",
    ]);
    expect(findings[0]!.finding.metadata).toMatchObject({ oracle: pip.address.toLowerCase(), keys: "PIP_USDC", value: "0.99", change: "-0.010000", byGovernance: "true" });
    expect(findings[4]!.finding.metadata).toMatchObject({ value: "1.25", caller: chain.accounts[6]!.toLowerCase(), byGovernance: "false", priority: "P0" });
    expect(findings[3]!.finding.metadata).toMatchObject({ action: "setOwner", usr: chain.accounts[6]!.toLowerCase(), callerClass: "governance" });
    // ds-auth does not log the caller: the owner that is not governance is found as the transaction's sender
    expect(findings[5]!.finding.metadata).toMatchObject({ action: "setOwner", callerClass: "outsider", caller: chain.accounts[6]!.toLowerCase(), callerSource: "tx-from", priority: "P0" });
  });

  it("watches an OSM-like LP-token oracle (other storage layout) for staleness and hop changes through its getters", async () => {
    const lp = await deployContract(mk.deployer, "LpOracleDouble", mk.dai.address);
    await mined(lp.setQuote(wad("2.5")));
    await mined(lp.poke());
    const from = await next();
    await moveChainlogKey(mk, "PIP_LPDOUBLE", lp.address);
    await passTime(mk, 3600 + 900 + 3600 + 60); // the keepers poke ETH and WBTC, nobody pokes the LP oracle
    await mined(lp.step(1800));
    await chain.mine();
    await mined(lp.poke());
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-ORACLE-WATCH Info",
      "MAKER-OSM-STALE Medium opened",
      "MAKER-OSM-STALE High escalated",
      "MAKER-OSM-HOP High",
      "MAKER-OSM-STALE Critical escalated", // with hop halved the same wait is 3 missed hops
      "MAKER-OSM-STALE Info resolved",
    ]);
    expect(findings[0]!.finding.metadata).toMatchObject({ key: "PIP_LPDOUBLE", kind: "osm-like" });
    expect(findings[1]!.finding.metadata).toMatchObject({ osm: lp.address.toLowerCase(), keys: "PIP_LPDOUBLE", hop: "3600" });
    expect(findings[3]!.finding.metadata).toMatchObject({ hopBefore: "3600", hop: "1800" });
    await mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).removeAddress(ethers.utils.formatBytes32String("PIP_LPDOUBLE"))));
  });

  it("checks an LP oracle's queued price at each poke (its Value event) and reports its controls made by a ward that is not governance as Critical (caller found from the transaction)", async () => {
    const lp = await deployContract(mk.deployer, "LpOracleDouble", mk.dai.address);
    await mined(lp.setQuote(wad("2.5")));
    await mined(lp.poke()); // cur unset, nxt 2.5
    const from = await next();
    await moveChainlogKey(mk, "PIP_LPJUMP", lp.address);
    await passTime(mk, 3600); // the keepers poke ETH and WBTC; the LP oracle may be poked again
    await mined(lp.setQuote(wad("2")));
    const poke = await mined(lp.poke()); // cur 2.5, nxt 2.0: -20% queued
    const reader = chain.accounts[8]!;
    const orb = chain.accounts[9]!;
    await mined(lp.kiss(reader));
    await mined(lp.diss(reader));
    await mined(lp.link(0, orb));
    await mined(lp.rely(reader));
    await mined(lp.deny(reader));
    await mined(lp.stop());
    await mined(lp.start());
    const findings = await run(from);
    await mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).removeAddress(ethers.utils.formatBytes32String("PIP_LPJUMP"))));
    expect(alertsOf(findings)).toEqual([
      "MAKER-ORACLE-WATCH Info",
      "MAKER-OSM-PRICE-JUMP High",
      "MAKER-ORACLE-WHITELIST Critical",
      "MAKER-ORACLE-WHITELIST Critical",
      "MAKER-OSM-SOURCE Critical",
      "MAKER-ORACLE-RIGHTS Critical",
      "MAKER-ORACLE-RIGHTS Critical",
      "MAKER-OSM-STOP Critical",
      "MAKER-OSM-START Critical",
    ]);
    const a = lp.address.toLowerCase();
    expect(findings[1]!.txHash).toBe(poke.transactionHash);
    expect(findings[1]!.finding.metadata).toMatchObject({ osm: a, keys: "PIP_LPJUMP", curPrice: "2.5", nxtPrice: "2", change: "-0.200000", direction: "down", seenIn: "Value event", priority: "P1" });
    expect(findings[2]!.finding.metadata).toMatchObject({ osm: a, action: "kiss", readers: reader.toLowerCase(), callerLogged: "false", byGovernance: "false", callerClass: "outsider", callerSource: "tx-from", caller: chain.accounts[0]!.toLowerCase() });
    expect(findings[4]!.finding.metadata).toMatchObject({ action: "link", to: orb.toLowerCase(), orbId: "0" });
    expect(findings[5]!.finding.metadata).toMatchObject({ action: "rely", usr: reader.toLowerCase(), contract: "OSM-like" });
    expect(findings[7]!.finding.description).toMatch(/caller is not logged/);
  });

  it("counts OSM_MOM as governance while the ChainLog lists it, and says a removed one no longer counts", async () => {
    await passPokes(mk, "ETH-A", 1);
    const pip = mk.ilks["ETH-A"].pip;
    const mom = chain.accounts[8]!.toLowerCase(); // stands for the OsmMom
    await mk.asPauseProxy((p) => mined(pip.connect(p).rely(mom)));
    const from = await next();
    await moveChainlogKey(mk, "OSM_MOM", mom);
    await mined(pip.connect(chain.signer(8)).stop());
    await mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).removeAddress(ethers.utils.formatBytes32String("OSM_MOM"))));
    await mined(pip.connect(chain.signer(8)).start());
    await mk.asPauseProxy((p) => mined(pip.connect(p).deny(mom)));
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-ORACLE-WATCH Info", "MAKER-OSM-STOP High", "MAKER-ORACLE-WATCH Info", "MAKER-OSM-START Critical", "MAKER-ORACLE-RIGHTS Medium"]);
    expect(findings[0]!.finding.description).toBe(`The ChainLog added OSM_MOM: ${mom}: oracle controls made by ${mom} now count as governance's`);
    expect(findings[1]!.finding.metadata).toMatchObject({ caller: mom, byGovernance: "true" });
    expect(findings[2]!.finding.description).toBe(
      `The ChainLog removed OSM_MOM (was ${mom}): oracle controls made by ${mom} no longer count as governance's: they are reported as made outside governance`,
    );
    expect(findings[3]!.finding.metadata).toMatchObject({ caller: mom, byGovernance: "false" });
  });

  it("watches a PIP that had no code when first seen, once a contract is deployed there", async () => {
    const builder = chain.signer(2);
    const builderAddress = await builder.getAddress();
    const future = ethers.utils.getContractAddress({ from: builderAddress, nonce: await chain.provider.getTransactionCount(builderAddress) }).toLowerCase();
    const from = await next();
    await moveChainlogKey(mk, "PIP_LATER", future);
    await chain.mine(2);
    const osm = await deployContract(builder, "OSM", mk.ilks["ETH-A"].median.address);
    expect(osm.address.toLowerCase()).toBe(future);
    await chain.mine();
    await mined(osm.connect(builder).stop()); // its deployer is a ward, not governance
    await mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).removeAddress(ethers.utils.formatBytes32String("PIP_LATER"))));
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-ORACLE-WATCH Info", // points to an address without code
      "MAKER-ORACLE-WATCH Info", // code appeared: an OSM, watched from now on
      "MAKER-ORACLE-WATCH Info", // never poked: not checked for staleness until poked
      "MAKER-OSM-STOP Critical",
      "MAKER-ORACLE-WATCH Info", // removed
    ]);
    expect(findings[0]!.finding.metadata).toMatchObject({ key: "PIP_LATER", to: future, kind: "none" });
    expect(findings[1]!.finding.metadata).toMatchObject({ pip: future, keys: "PIP_LATER", kind: "osm", reason: "code-appeared" });
    // the deploy's receipt: the transaction object ethers returned may predate its mining (blockNumber null)
    expect(findings[1]!.blockNumber).toBe((await osm.deployTransaction.wait()).blockNumber);
    expect(findings[2]!.finding.metadata).toMatchObject({ pip: future, reason: "never-poked" });
    expect(findings[3]!.finding.metadata).toMatchObject({ osm: future, caller: builderAddress.toLowerCase(), byGovernance: "false" });
  });

  it("names every OSM reading a shared Median in the Median's findings", async () => {
    const eth = mk.ilks["ETH-A"];
    const second = await deployReplacementOsm(mk, "ETH-A", { poke: false }); // a second OSM on ETH's Median
    const bar = Number(await eth.median.bar());
    const from = await next();
    await moveChainlogKey(mk, "PIP_ETHB", second.address);
    await mk.asPauseProxy(async (p) => {
      await mined(eth.median.connect(p).setBar(bar - 2));
      await mined(eth.median.connect(p).setBar(bar));
    });
    await mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).removeAddress(ethers.utils.formatBytes32String("PIP_ETHB"))));
    const findings = await run(from);
    const bars = findings.filter((f) => f.finding.alertId === "MAKER-MEDIAN-BAR");
    expect(alertsOf(bars)).toEqual(["MAKER-MEDIAN-BAR High", "MAKER-MEDIAN-BAR Medium"]);
    const both = `${eth.pip.address},${second.address}`.toLowerCase();
    for (const f of bars) {
      expect(f.finding.metadata).toMatchObject({ median: eth.median.address.toLowerCase(), osm: both, keys: "PIP_ETH,PIP_ETHB" });
      expect(f.finding.addresses).toEqual(expect.arrayContaining([eth.pip.address.toLowerCase(), second.address.toLowerCase()]));
      expect(f.finding.description).toContain(`behind PIP_ETH (OSM ${eth.pip.address.toLowerCase()}) and PIP_ETHB (OSM ${second.address.toLowerCase()})`);
    }
  });

  it("follows the ChainLog: PIP_ETH moved to a new OSM is watched at once, the old one forgotten; unusable PIPs are said once; a malformed note is reported", async () => {
    const eth = mk.ilks["ETH-A"];
    const oldOsm = eth.pip;
    const newOsm = await deployReplacementOsm(mk, "ETH-A");
    await passTime(mk, 60); // keepers catch up after the replacement's own pokes moved time
    await passPokes(mk, "ETH-A", 1);
    const from = await next();
    let oddAddress = "";
    eth.pip = newOsm; // from here the keepers poke the new OSM only
    try {
      await passTime(mk, 3600 + 1200); // the old OSM misses its poke
      await moveChainlogKey(mk, "PIP_ETH", newOsm.address);
      await passTime(mk, 3 * 3600); // the old OSM is not watched any more: no escalation
      await mk.asPauseProxy(async (p) => {
        await mined(oldOsm.connect(p).stop()); // not watched: nothing
        await mined(newOsm.connect(p).stop());
        await mined(newOsm.connect(p).start());
      });
      await moveChainlogKey(mk, "PIP_BOGUS", mk.vat.address);
      const odd = await deployContract(mk.deployer, "MalformedNoteOsm", eth.median.address);
      oddAddress = odd.address.toLowerCase();
      await moveChainlogKey(mk, "PIP_ODD", odd.address);
      await mined(odd.garble());
    } finally {
      eth.pip = oldOsm;
      await mk.asPauseProxy((p) => mined(oldOsm.connect(p).start()));
      await moveChainlogKey(mk, "PIP_ETH", oldOsm.address);
    }
    const findings = await run(from);
    const upToOdd = findings.filter((f) => f.finding.metadata.key !== "PIP_ETH" || f.finding.metadata.to === newOsm.address.toLowerCase());
    expect(alertsOf(upToOdd).slice(0, 9)).toEqual([
      "MAKER-OSM-STALE Medium opened",
      "MAKER-ORACLE-WATCH Info",
      "MAKER-OSM-STALE Info resolved",
      "MAKER-OSM-STOP High",
      "MAKER-OSM-START Low",
      "MAKER-ORACLE-WATCH Info",
      "MAKER-ORACLE-WATCH Info",
      "MAKER-ORACLE-WATCH Info",
      "VIGIL-UNDECODABLE-LOG Low",
    ]);
    expect(upToOdd[0]!.finding.metadata.osm).toBe(oldOsm.address.toLowerCase());
    expect(upToOdd[1]!.finding.metadata).toMatchObject({ key: "PIP_ETH", from: oldOsm.address.toLowerCase(), to: newOsm.address.toLowerCase(), kind: "osm" });
    expect(upToOdd[2]!.finding.description).toMatch(/no longer watched/);
    expect(upToOdd[3]!.finding.metadata.osm).toBe(newOsm.address.toLowerCase());
    expect(upToOdd[5]!.finding.metadata).toMatchObject({ key: "PIP_BOGUS", kind: "unknown" });
    expect(upToOdd[6]!.finding.metadata).toMatchObject({ key: "PIP_ODD", kind: "osm" });
    expect(upToOdd[7]!.finding.metadata).toMatchObject({ pip: oddAddress, reason: "never-poked" });
    expect(upToOdd[8]!.finding.metadata).toMatchObject({ event: "OSM note stop()" });
  });
});

describe("maker-oracles on anvil: a source that is not a Median (issue 8.5)", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  const run = async (from: number) => runBots({ url: chain.url, bots: [BOT], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
  const next = async () => (await chain.blockNumber()) + 1;

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    await movePrice(mk, "ETH-A", "2000");
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reads the new source's price through peek() as the OSM would, and its gap to the current price, whatever the source", async () => {
    const eth = mk.ilks["ETH-A"];
    const priced = await deployContract(mk.deployer, "DSValue");
    await mined(priced.poke(word(wad("1900"))));
    const empty = await deployContract(mk.deployer, "DSValue"); // never poked: peek() says has = false
    const from = await next();
    await mk.asPauseProxy(async (p) => {
      await mined(eth.pip.connect(p).change(priced.address));
      await mined(eth.pip.connect(p).change(empty.address));
      await mined(eth.pip.connect(p).change(eth.median.address));
    });
    const findings = (await run(from)).filter((f) => f.finding.alertId === "MAKER-OSM-SOURCE").map((f) => f.finding);
    expect(findings.map((f) => f.severity)).toEqual(["High", "High", "High"]);
    const [toPriced, toEmpty, back] = findings;
    expect(toPriced!.metadata).toMatchObject({
      to: priced.address.toLowerCase(),
      newSourceIsMedian: "false",
      newSourcePrice: "1900",
      newSourcePriceRaw: wad("1900").toString(),
      newSourceGap: "-0.050000",
      newSourcePriceValid: "true",
    });
    expect(toPriced!.description).toContain("reads 1,900.0000 (-5.00% from the OSM's current price)");
    expect(toEmpty!.metadata).toMatchObject({ newSourceIsMedian: "false", newSourcePrice: "", newSourceGap: "", newSourcePriceValid: "false", newSourceReadError: "" });
    expect(toEmpty!.description).toContain("reports no valid price");
    expect(back!.metadata).toMatchObject({ newSourceIsMedian: "true", newSourcePrice: "2000", newSourceGap: "0.000000" });
  });

  it("reads the notes of a DSValue built with solc 0.4 (fax unpadded, as the old PIPs were) like any other (issue 8.1)", async () => {
    const old = await deployContract(mk.deployer, "solc-0.4:DSValue");
    await mined(old.poke(word(wad("1"))));
    await moveChainlogKey(mk, "PIP_OLDUSD", old.address);
    const from = await next();
    const poke = await mined(old.poke(word(wad("0.98"))));
    expect((poke.logs[0]!.data.length - 2) / 2).toBe(132); // wad | offset | length | 36 bytes of fax, unpadded
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-PIP-VALUE Critical"]); // its owner is the deployer, not governance
    expect(findings[0]!.finding.metadata).toMatchObject({ oracle: old.address.toLowerCase(), keys: "PIP_OLDUSD", value: "0.98" });
  });
});

describe("maker-oracles on anvil: an OSM without a valid current price (issue 8.6)", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  const run = async (from: number) => runBots({ url: chain.url, bots: [BOT], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
  const next = async () => (await chain.blockNumber()) + 1;

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    await movePrice(mk, "ETH-A", "2000");
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("is one episode from the void until the second poke after start, a hop later: opened once, resolved once", async () => {
    const eth = mk.ilks["ETH-A"];
    const from = await next();
    const voided = await mk.asPauseProxy((p) => mined(eth.pip.connect(p).void()));
    await passTime(mk, 600);
    const started = await mk.asPauseProxy((p) => mined(eth.pip.connect(p).start()));
    await passPokes(mk, "ETH-A", 1); // cur = the cleared nxt: still no valid price
    const firstPoke = await chain.blockNumber();
    await passPokes(mk, "ETH-A", 1); // cur = the price queued by the first poke
    const findings = await run(from);
    const ours = findings.filter((f) => ["MAKER-OSM-NO-PRICE", "MAKER-OSM-VOID", "MAKER-OSM-START"].includes(f.finding.alertId));
    expect(alertsOf(ours)).toEqual(["MAKER-OSM-NO-PRICE High opened", "MAKER-OSM-VOID High", "MAKER-OSM-START Low", "MAKER-OSM-NO-PRICE Info resolved"]);
    const [opened, resolved] = ours.filter((f) => f.finding.alertId === "MAKER-OSM-NO-PRICE");
    expect(opened!.blockNumber).toBe(voided.blockNumber);
    expect(opened!.finding.metadata).toMatchObject({ osm: eth.pip.address.toLowerCase(), keys: "PIP_ETH", stopped: "true", nxtValid: "false", priority: "P1" });
    expect(opened!.finding.description).toContain("has no valid current price");
    expect(resolved!.blockNumber).toBeGreaterThan(firstPoke);
    expect(resolved!.blockNumber).toBeGreaterThan(started.blockNumber);
    expect(resolved!.finding.metadata.episodeId).toBe(opened!.finding.metadata.episodeId);
    expect(findings.every((f) => !(f.finding.alertId === "MAKER-OSM-NO-PRICE" && f.finding.metadata.episode === "escalated"))).toBe(true);
  });
});
