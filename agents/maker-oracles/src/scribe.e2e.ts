/**
 * maker-oracles end to end over Chronicle oracles (test/contracts/Chronicle.sol): ETH's OSM moved
 * onto a ScribeOptimistic as the 2025-03-20 spell did for PIP_ETH, a quiet stretch of regular and
 * optimistic pokes nobody challenges, the Scribe's controls, a successful challenge, a Scribe
 * nobody pokes, and the capped LOCKSTAKE_ORACLE. The OSM checks over a Scribe: agent.e2e.ts.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { mined } from "../../../test/chain/deploy";
import { b32 } from "../../../test/chain/units";
import { challengeScribe, deployCappedOracle, opPokeScribe, pokeScribe, scribeValue, useScribeSource } from "../../../test/chain/maker/chronicle";
import { moveChainlogKey, movePrice, osmFeeds, passTime } from "../../../test/chain/maker/oracle-helpers";
import { alertsOf, runBots } from "../../../shared/testing/chain";

const BOT = "maker-oracles";
const wad = (n: string) => ethers.utils.parseEther(n);
const RANK: Record<string, number> = { Info: 0, Low: 1, Medium: 2, High: 3, Critical: 4 };

describe("maker-oracles on anvil: Chronicle Scribes and the capped LOCKSTAKE_ORACLE", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let scribe: ethers.Contract;
  const run = async (from: number) => runBots({ url: chain.url, bots: [BOT], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });
  const next = async () => (await chain.blockNumber()) + 1;
  const gov = <T>(fn: (p: ethers.providers.JsonRpcSigner) => Promise<T>) => mk.asPauseProxy(fn);

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    await movePrice(mk, "ETH-A", "2000");
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("recognises the ScribeOptimistic a spell puts behind the OSM, never as a Median", async () => {
    const from = await next();
    scribe = await useScribeSource(mk, "ETH-A", { optimistic: true });
    await passTime(mk, 2 * 3600); // keepers relay prices to the Scribe and poke the OSM
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-OSM-SOURCE High"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ to: scribe.address.toLowerCase(), newSourceIsMedian: "false", newSourceKind: "scribe-optimistic", newSourcePrice: "2000", byGovernance: "true" });
    expect(findings[0]!.finding.description).toContain("a Chronicle ScribeOptimistic, not a Median");
  });

  it("stays at Low or below through a quiet stretch: regular pokes, optimistic pokes nobody challenges", async () => {
    const feed = chain.signer(3);
    await gov((p) => mined(scribe.connect(p).lift(chain.accounts[3]!))); // a feed that also pokes optimistically
    const from = await next();
    for (let i = 0; i < 4; i++) {
      await passTime(mk, 3600);
      await opPokeScribe(mk, scribe, await scribeValue(mk, scribe), feed); // nobody challenges: final after 20 min
    }
    await passTime(mk, 2 * 3600);
    const findings = await run(from);
    expect(findings.filter((f) => RANK[f.finding.severity]! > RANK.Low!).map((f) => f.finding.description)).toEqual([]);
    expect((await chain.blockNumber()) - from).toBeGreaterThan(10);
  });

  it("reports the Scribe's feeds, bar, challenge period, wards and readers, and a successful challenge (Critical)", async () => {
    const from = await next();
    const stranger = chain.accounts[9]!;
    await gov((p) => mined(scribe.connect(p).lift(stranger)));
    await gov((p) => mined(scribe.connect(p).drop(stranger)));
    await gov((p) => mined(scribe.connect(p).setBar(1)));
    await gov((p) => mined(scribe.connect(p).setBar(2)));
    await gov((p) => mined(scribe.connect(p).setOpChallengePeriod(600)));
    await gov((p) => mined(scribe.connect(p).rely(stranger)));
    await mined(scribe.connect(chain.signer(9)).kiss(chain.accounts[8]!)); // a ward outside governance
    await gov((p) => mined(scribe.connect(p).deny(stranger)));
    // feed 3 posts a price the quorum never signed; a challenger proves it invalid
    await passTime(mk, 3600);
    await opPokeScribe(mk, scribe, wad("1000"), chain.signer(3), false);
    await challengeScribe(scribe, chain.signer(8));
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "MAKER-SCRIBE-FEEDS Medium",
      "MAKER-SCRIBE-FEEDS Medium",
      "MAKER-SCRIBE-BAR High",
      "MAKER-SCRIBE-BAR Medium",
      "MAKER-SCRIBE-BAR High",
      "MAKER-ORACLE-RIGHTS Medium",
      "MAKER-ORACLE-WHITELIST High",
      "MAKER-ORACLE-RIGHTS Medium",
      "MAKER-SCRIBE-FEEDS Medium",
      "MAKER-SCRIBE-CHALLENGE Critical",
    ]);
    const s = scribe.address.toLowerCase();
    expect(findings[0]!.finding.metadata).toMatchObject({ scribe: s, keys: "PIP_ETH", action: "lift", feed: stranger.toLowerCase(), byGovernance: "true" });
    expect(findings[2]!.finding.metadata).toMatchObject({ barBefore: "2", bar: "1" });
    expect(findings[6]!.finding.metadata).toMatchObject({ contract: "Scribe", action: "kiss", byGovernance: "false", caller: stranger.toLowerCase() });
    expect(findings[8]!.finding.metadata).toMatchObject({ action: "drop", feed: chain.accounts[3]!.toLowerCase(), byChallenge: "true" });
    expect(findings[9]!.finding.metadata).toMatchObject({ challenger: chain.accounts[8]!.toLowerCase(), keys: "PIP_ETH", priority: "P0" });
  });

  it("reports a Scribe nobody pokes as one episode, resolved by the next poke", async () => {
    const from = await next();
    await passTime(mk, 7 * 3600, { keep: ["WBTC-A"], blockSeconds: 1800 });
    await pokeScribe(mk, scribe, await scribeValue(mk, scribe), chain.signer(5));
    await passTime(mk, 2 * 3600);
    const findings = (await run(from)).filter((f) => f.finding.alertId === "MAKER-SCRIBE-STALE");
    expect(alertsOf(findings)).toEqual(["MAKER-SCRIBE-STALE Medium opened", "MAKER-SCRIBE-STALE High escalated", "MAKER-SCRIBE-STALE Info resolved"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ scribe: scribe.address.toLowerCase(), keys: "PIP_ETH", sourceKind: "scribe-optimistic", readFrom: "tryReadWithAge", staleAfterSeconds: "10800" });
    expect(new Set(findings.map((f) => f.finding.metadata.episodeId)).size).toBe(1);
  });

  it("watches the capped LOCKSTAKE_ORACLE: its cap, readers and wards", async () => {
    const capped = await deployCappedOracle(mk, mk.ilks["ETH-A"].pip, "2500");
    const from = await next();
    await moveChainlogKey(mk, "LOCKSTAKE_ORACLE", capped.address);
    await gov((p) => mined(capped.connect(p).file(b32("cap"), wad("3000"))));
    await gov((p) => mined(capped.connect(p).file(b32("cap"), wad("2000.5"))));
    await gov((p) => mined(capped.connect(p).kiss(chain.accounts[7]!)));
    await gov((p) => mined(capped.connect(p).rely(chain.accounts[7]!)));
    const all = await run(from);
    // a cut to 2000.5 under the (drifted) ETH price makes the cap bind from that block (capped.e2e.ts tests the episode)
    const { cur, nxt } = await osmFeeds(mk, mk.ilks["ETH-A"].pip.address);
    const binds = cur.gte(wad("2000.5")) || nxt.gte(wad("2000.5"));
    expect(all.filter((f) => f.finding.alertId === "MAKER-ORACLE-CAP-BINDING").map((f) => f.finding.metadata.episode)).toEqual(binds ? ["opened"] : []);
    const findings = all.filter((f) => f.finding.alertId !== "MAKER-ORACLE-CAP-BINDING");
    expect(findings.map((f) => f.finding.alertId)).toEqual(["MAKER-ORACLE-WATCH", "MAKER-ORACLE-CAP", "MAKER-ORACLE-CAP", "MAKER-ORACLE-WHITELIST", "MAKER-ORACLE-RIGHTS"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ key: "LOCKSTAKE_ORACLE", kind: "capped" });
    expect(findings[1]!.finding.metadata).toMatchObject({ what: "cap", capBefore: "2500", cap: "3000", capRaw: wad("3000").toString() });
    expect(findings[2]!.finding.metadata).toMatchObject({ capBefore: "3000", cap: "2000.5" });
    expect(RANK[findings[1]!.finding.severity]!).toBeGreaterThan(RANK[findings[2]!.finding.severity]!); // a raise weighs more than a cut
  });
});
