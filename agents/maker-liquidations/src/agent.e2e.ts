/**
 * maker-liquidations end to end: our Maker-shaped contracts on anvil (Dog, Clipper, LinearDecrease,
 * Cat + Flipper, OSMs), the bot run by our runtime over the blocks each scenario mined.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { call, deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { actor, openVaultAtSafety, osmPrice, scalePrice } from "../../../test/chain/maker/risk-helpers";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import type { EmittedFinding } from "../../../shared/runtime/store";
import { quietActivity } from "../../../test/chain/maker/quiet-days";
import { catBite, cascade, fileClip, quietLiquidation, stalledAuctions, takeAll, zeroBid } from "../scenario";
import { orderlyLiquidation } from "../../../test/chain/maker/risk-helpers";
import { mined } from "../../../test/chain/deploy";
import { b32, rad, ray } from "../../../test/chain/units";

const ofAlert = (fs: readonly EmittedFinding[], id: string) => fs.filter((f) => f.finding.alertId === id).map((f) => f.finding);

describe("maker-liquidations on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  const env = () => ({ MAKER_CHAINLOG: mk.addresses.CHANGELOG! });
  const run = async (from: number, bots = ["maker-liquidations"]) => runBots({ url: chain.url, bots, from, to: await chain.blockNumber(), env: env() });
  const next = async () => (await chain.blockNumber()) + 1;

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("finds nothing above Low, from this bot or maker-vat, in a quiet stretch: vault frobs, small flash loans and PSM swaps, orderly liquidations", async () => {
    const from = await next();
    await quietActivity(mk, "liq-e2e-quiet");
    await quietLiquidation(mk);
    const findings = await run(from, ["maker-liquidations", "maker-vat"]);
    expect(findings.filter((f) => !["Info", "Low"].includes(f.finding.severity)).map((f) => `${f.bot}: ${f.finding.description}`)).toEqual([]);
    // only the AutoLine's execs (sanctioned automation, Info) are reported
    expect(findings.filter((f) => f.finding.metadata.callerClass !== "automation").map((f) => `${f.bot}: ${f.finding.description}`)).toEqual([]);
  });

  it("reports a ward outside governance setting Dog.Hole as Critical (P0), and the same change by governance as Info", async () => {
    const snap = await chain.snapshot();
    try {
      const intruder = await actor(mk, "liq-intruder");
      const who = (await intruder.getAddress()).toLowerCase();
      await mk.asPauseProxy((p) => mined(mk.dog.connect(p).rely(who)));
      const from = await next();
      await mined(mk.dog.connect(intruder)["file(bytes32,uint256)"](b32("Hole"), rad("1")));
      await mk.executeSpell([call(mk.dog, "file(bytes32,uint256)", b32("Hole"), rad("140000000"))]);
      const findings = ofAlert(await run(from), "MAKER-LIQ-PARAM-CHANGED");
      expect(findings.map((f) => `${f.severity} ${f.metadata.what} ${f.metadata.callerClass}`)).toEqual(["Critical Hole outsider", "Info Hole governance"]);
      expect(findings[0]!.metadata).toMatchObject({ caller: who, callerSource: "tx-from", priority: "P0" });
      expect(findings[0]!.type).toBe("Exploit");
      expect(findings[1]!.metadata).toMatchObject({ caller: mk.pauseProxy.address.toLowerCase(), callerSource: "plan", priority: "none" });
    } finally {
      await chain.revert(snap);
    }
  });

  it("follows a cascade, stalled auctions, an outsized incentive, a take at 12% of the oracle price and the breaker", async () => {
    const from = await next();
    const c = await cascade(mk);
    await stalledAuctions(mk, c);
    await zeroBid(mk, c);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      // three 10M DAI barks within minutes
      "MAKER-LIQ-LARGE-BARK High",
      "MAKER-LIQ-CASCADE High opened",
      "MAKER-LIQ-ILK-CASCADE High opened",
      "MAKER-LIQ-LARGE-BARK High",
      "MAKER-LIQ-LARGE-BARK High",
      "MAKER-LIQ-ILK-CASCADE Critical escalated",
      "MAKER-LIQ-ILK-DIRT Medium opened",
      // governance tightens Hole to 90% of Dirt; the first auction is taken; Hole restored
      "MAKER-LIQ-PARAM-CHANGED Info",
      "MAKER-LIQ-DIRT Medium opened",
      "MAKER-LIQ-DIRT Info resolved",
      "MAKER-LIQ-ILK-DIRT Info resolved",
      "MAKER-LIQ-PARAM-CHANGED Info",
      // past tail + grace: the window has moved on, two auctions wait for a redo
      "MAKER-LIQ-CASCADE Info resolved",
      "MAKER-LIQ-ILK-CASCADE Info resolved",
      "MAKER-LIQ-REDO-OVERDUE High opened",
      "MAKER-LIQ-REDO-OVERDUE High opened",
      // chip 10% by mistake: the redo pays 1.13M DAI; chip restored; the other redone normally
      "MAKER-LIQ-PARAM-CHANGED Info",
      "MAKER-LIQ-REDO-OVERDUE Info resolved",
      "MAKER-LIQ-KEEPER-INCENTIVE Medium",
      "MAKER-LIQ-PARAM-CHANGED Info",
      "MAKER-LIQ-REDO-OVERDUE Info resolved",
      // cusp 0.05 and tail 3 days: a lone bidder at 12%; parameters restored; breaker 2 then 0
      "MAKER-LIQ-PARAM-CHANGED Info",
      "MAKER-LIQ-PARAM-CHANGED Info",
      "MAKER-LIQ-TAKE-BELOW-ORACLE Critical",
      "MAKER-LIQ-PARAM-CHANGED Info",
      "MAKER-LIQ-PARAM-CHANGED Info",
      "MAKER-LIQ-BREAKER High",
      "MAKER-LIQ-BREAKER Info",
    ]);

    const [bark] = ofAlert(findings, "MAKER-LIQ-LARGE-BARK");
    expect(bark!.metadata).toMatchObject({ ilk: "ETH-A", id: String(c.ids[0]), clip: mk.ilks["ETH-A"].clip.address.toLowerCase(), priority: "P1" });
    expect(Number(bark!.metadata.due)).toBeGreaterThanOrEqual(10_000_000);
    const critical = ofAlert(findings, "MAKER-LIQ-ILK-CASCADE")[1]!;
    expect(critical.metadata).toMatchObject({ ilk: "ETH-A", liquidations: "3", level: "critical", priority: "P0" });
    expect(ofAlert(findings, "MAKER-LIQ-ILK-DIRT")[0]!.metadata.share).toBe("0.847500");
    expect(ofAlert(findings, "MAKER-LIQ-DIRT")[0]!.metadata.share).toMatch(/^0\.(899999|900000)/);

    const [overdue] = ofAlert(findings, "MAKER-LIQ-REDO-OVERDUE");
    expect(overdue!.metadata).toMatchObject({ id: String(c.ids[1]), graceSeconds: "1800" });
    const incentive = ofAlert(findings, "MAKER-LIQ-KEEPER-INCENTIVE")[0]!;
    expect(incentive.metadata).toMatchObject({ event: "Redo", id: String(c.ids[1]), share: "0.100022", reasons: "amount,share of tab" });
    // coin = tip 250 + 10% of the tab (the tab is 10M DAI * 1.13 plus the wei of rounding the vault's art up)
    expect(BigInt(incentive.metadata.coinRaw!)).toBe(250n * 10n ** 45n + BigInt(incentive.metadata.tabRaw!) / 10n);
    expect(Number(incentive.metadata.tab)).toBeCloseTo(11_300_000, 6);

    const take = ofAlert(findings, "MAKER-LIQ-TAKE-BELOW-ORACLE")[0]!;
    expect(take.metadata).toMatchObject({ id: String(c.ids[2]), oracleSource: "peek() as the Clipper", oraclePrice: scalePrice(c.price, "0.96").replace(/\.0$/, ""), floor: "0.5", priority: "P0" });
    expect(Number(take.metadata.ratio)).toBeGreaterThan(0.11);
    expect(Number(take.metadata.ratio)).toBeLessThan(0.121);
    const [trip, lift] = ofAlert(findings, "MAKER-LIQ-BREAKER");
    expect(trip!.metadata).toMatchObject({ before: "0", level: "2" });
    expect(lift!.metadata).toMatchObject({ before: "2", level: "0" });
  });

  it("reports a bite through the legacy Cat and the Cat's parameter changes", async () => {
    const from = await next();
    await catBite(mk);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-LIQ-PARAM-CHANGED Info", "MAKER-LIQ-PARAM-CHANGED Info", "MAKER-LIQ-PARAM-CHANGED Info", "MAKER-LIQ-CAT-BITE Medium"]);
    expect(findings.slice(0, 3).map((f) => f.finding.metadata.what)).toEqual(["flip", "chop", "dunk"]);
    // the Cat's note names its caller: the pause proxy (the scenario acts as governance)
    for (const f of findings.slice(0, 3)) expect(f.finding.metadata).toMatchObject({ callerClass: "governance", callerSource: "log", caller: mk.pauseProxy.address.toLowerCase() });
    expect(findings[3]!.finding.metadata).toMatchObject({ cat: mk.cat.address.toLowerCase(), ilk: "WBTC-A", priority: "P2" });
    // the debt is 40,000 DAI plus under a unit of rate (the vault's art is rounded up), so it
    // depends on the rate dripped so far: compare with what the Cat itself logged
    const [bite] = await mk.cat.queryFilter(mk.cat.filters.Bite(), from);
    expect(findings[3]!.finding.metadata.dueRaw).toBe((bite!.args!.tab as ethers.BigNumber).toString());
    expect(Number(findings[3]!.finding.metadata.due)).toBeCloseTo(40000, 6);
  });

  it("picks up auctions already running when it starts, and reports the one left needing a redo", async () => {
    const price = await osmPrice(mk, "ETH-A");
    const owner = await actor(mk, "liq-e2e-late");
    const { urn } = await openVaultAtSafety(mk, "ETH-A", owner, { debt: "50000", safety: "1.03" });
    await mk.setPrice("ETH-A", scalePrice(price, "0.96"));
    const { id } = await mk.bark("ETH-A", urn, await actor(mk, "liq-e2e-late-keeper"));
    await mk.setPrice("ETH-A", price);
    // the bot starts only now; the auction is older than tail + grace by the next block
    const from = await next();
    await chain.increaseTime(Number(await mk.ilks["ETH-A"].clip.tail()) + 1800);
    await chain.mine(2);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-LIQ-REDO-OVERDUE High opened"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ id: String(id), usr: urn.toLowerCase(), ilk: "ETH-A" });
    const kicked = (await mk.ilks["ETH-A"].clip.sales(id)) as ethers.utils.Result;
    expect(Number(findings[0]!.finding.metadata.needsRedoSince)).toBe(Number(kicked.tic) + Number(await mk.ilks["ETH-A"].clip.tail()) + 1);
    // finish it: reset and bought
    const keeper = await actor(mk, "liq-e2e-late-keeper");
    await mined(mk.ilks["ETH-A"].clip.connect(keeper).redo(id, await keeper.getAddress()));
    await takeAll(mk, id, "liq-e2e-late-taker");
  });

  it("reports a 2M DAI liquidation as Medium, and nothing else for an orderly one of that size", async () => {
    const from = await next();
    await orderlyLiquidation(mk, { debt: "2000000", label: "liq-e2e-medium" });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-LIQ-LARGE-BARK Medium"]);
    expect(Number(findings[0]!.finding.metadata.due)).toBeCloseTo(2_000_000, 0);
  });

  it("falls back to the OSM's cur in storage when the pip no longer answers the Clipper", async () => {
    const clip = mk.ilks["ETH-A"].clip;
    const pip = mk.ilks["ETH-A"].pip;
    const price = await osmPrice(mk, "ETH-A");
    const owner = await actor(mk, "liq-e2e-fallback");
    const { urn } = await openVaultAtSafety(mk, "ETH-A", owner, { debt: "100000", safety: "1.03" });
    await mk.setPrice("ETH-A", scalePrice(price, "0.96"));
    const from = await next();
    const { id } = await mk.bark("ETH-A", urn, await actor(mk, "liq-e2e-fallback-keeper"));
    const [cusp, tail] = (await Promise.all([clip.cusp(), clip.tail()])) as [ethers.BigNumber, ethers.BigNumber];
    await fileClip(mk, "cusp", ray("0.05"));
    await fileClip(mk, "tail", 3 * 24 * 3600);
    await mk.asPauseProxy((p) => mined(pip.connect(p)["diss(address)"](clip.address)));
    const [, , , , tic] = (await clip.sales(id)) as ethers.BigNumber[];
    await chain.setNextBlockTimestamp(Number(tic) + Math.floor((Number(await mk.ilks["ETH-A"].calc.tau()) * 8) / 10));
    await chain.mine();
    await takeAll(mk, id, "liq-e2e-fallback-taker");
    await mk.asPauseProxy((p) => mined(pip.connect(p)["kiss(address)"](clip.address)));
    await fileClip(mk, "cusp", cusp);
    await fileClip(mk, "tail", tail);
    await mk.setPrice("ETH-A", price);
    const take = ofAlert(await run(from), "MAKER-LIQ-TAKE-BELOW-ORACLE");
    expect(take).toHaveLength(1);
    expect(take[0]!.metadata).toMatchObject({ oracleSource: "OSM cur (storage slot 3)", oraclePrice: scalePrice(price, "0.96").replace(/\.0$/, "") });
    expect(Number(take[0]!.metadata.ratio)).toBeCloseTo(0.24, 2);
  });
});

describe("maker-liquidations: a description never contradicts its severity (issue 8.8)", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("calls a bark of 9,999,999.996 DAI, Medium below the 10M threshold, 9,999,999.99 DAI and not 10,000,000.00", async () => {
    const from = (await chain.blockNumber()) + 1;
    await orderlyLiquidation(mk, { debt: "9999999.996", label: "liq-e2e-just-below" });
    const findings = await runBots({ url: chain.url, bots: ["maker-liquidations"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
    // (the ilk-cascade episode over the same liquidation has its own, lower, threshold)
    expect(alertsOf(findings.filter((f) => f.finding.alertId === "MAKER-LIQ-LARGE-BARK"))).toEqual(["MAKER-LIQ-LARGE-BARK Medium"]);
    const [bark] = ofAlert(findings, "MAKER-LIQ-LARGE-BARK");
    expect(bark!.metadata.due).toMatch(/^9999999\.99[5-9]/);
    expect(bark!.metadata.highAt).toBe("10000000");
    expect(bark!.description).toContain("liquidated: 9,999,999.99 DAI of debt");
    expect(bark!.description).not.toContain("10,000,000");
  });
});
