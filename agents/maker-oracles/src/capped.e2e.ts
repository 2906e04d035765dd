/**
 * maker-oracles end to end over the capped LOCKSTAKE_ORACLE (test/contracts/Chronicle.sol's
 * LockstakeCappedOsmWrapper over ETH's OSM, standing for PIP_SKY): the cap binding as an episode
 * (queued, then current, then resolved), and the Spotter's pip of the Lockstake ilk moved away from
 * the wrapper (Critical to an uncapped oracle or by an outsider, High to a capped wrapper the
 * ChainLog does not name, nothing when a spell moves the ChainLog and the Spotter together).
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { call, deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { mined } from "../../../test/chain/deploy";
import { b32 } from "../../../test/chain/units";
import { deployCappedOracle } from "../../../test/chain/maker/chronicle";
import { moveChainlogKey, movePrice } from "../../../test/chain/maker/oracle-helpers";
import { alertsOf, runBots } from "../../../shared/testing/chain";

const BOT = "maker-oracles";
const ILK = "LSEV2-SKY-A";
const MINE = /^MAKER-ORACLE-(CAP-BINDING|CAPPED-PIP)$/;

describe("maker-oracles on anvil: the capped LOCKSTAKE_ORACLE's cap binding and the Spotter's pip", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let capped: ethers.Contract;
  const run = async (from: number) =>
    (await runBots({ url: chain.url, bots: [BOT], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } })).filter((f) => MINE.test(f.finding.alertId));
  const next = async () => (await chain.blockNumber()) + 1;
  const gov = <T>(fn: (p: ethers.providers.JsonRpcSigner) => Promise<T>) => mk.asPauseProxy(fn);
  const filePip = (who: ethers.Signer, pip: string) => mined(mk.spot.connect(who)["file(bytes32,bytes32,address)"](b32(ILK), b32("pip"), pip));

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    await movePrice(mk, "ETH-A", "2000");
    capped = await deployCappedOracle(mk, mk.ilks["ETH-A"].pip, "2500");
    await moveChainlogKey(mk, "LOCKSTAKE_ORACLE", capped.address);
    await gov((p) => mined(capped.connect(p).kiss(mk.spot.address)));
    await gov((p) => filePip(p, capped.address));
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reports the cap binding as one episode: Low while only the queued price is above it, Medium once the current one is, resolved when both are under it", async () => {
    const from = await next();
    await movePrice(mk, "ETH-A", "2600");
    await movePrice(mk, "ETH-A", "2000");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-ORACLE-CAP-BINDING Low opened", "MAKER-ORACLE-CAP-BINDING Medium escalated", "MAKER-ORACLE-CAP-BINDING Info resolved"]);
    const [queued, current, resolved] = findings.map((f) => f.finding.metadata);
    const osm = mk.ilks["ETH-A"].pip.address.toLowerCase();
    expect(queued).toMatchObject({ osm: capped.address.toLowerCase(), keys: "LOCKSTAKE_ORACLE", cap: "2500", cur: "2000", nxt: "2500", readAs: "spotter", source: osm, sourceNxt: "2600", level: "queued" });
    expect(current).toMatchObject({ cur: "2500", nxt: "2500", sourceCur: "2600", sourceNxt: "2600", level: "current", priority: "P2" });
    expect(resolved).toMatchObject({ cur: "2000", episodePeak: "current" });
    expect(new Set(findings.map((f) => f.finding.metadata.episodeId)).size).toBe(1);
  });

  it("reports the Spotter's Lockstake pip moved away from LOCKSTAKE_ORACLE: Critical to an uncapped oracle, High to a capped wrapper the ChainLog does not name; nothing when a spell moves both", async () => {
    const from = await next();
    const raw = mk.ilks["ETH-A"].pip.address;
    await gov((p) => filePip(p, raw)); // the raw OSM: the cap is gone
    await gov((p) => filePip(p, capped.address)); // back: nothing
    const other = await deployCappedOracle(mk, mk.ilks["ETH-A"].pip, "2400");
    await gov((p) => filePip(p, other.address)); // another capped wrapper, not the ChainLog's
    // a spell repoints the Spotter first, then the ChainLog, in one transaction: consistent, nothing
    const third = await deployCappedOracle(mk, mk.ilks["ETH-A"].pip, "2300");
    await mk.executeSpell([call(mk.spot, "file(bytes32,bytes32,address)", b32(ILK), b32("pip"), third.address), call(mk.chainlog, "setAddress(bytes32,address)", b32("LOCKSTAKE_ORACLE"), third.address)], {
      description: "move LOCKSTAKE_ORACLE to a new capped wrapper",
    });
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-ORACLE-CAPPED-PIP Critical", "MAKER-ORACLE-CAPPED-PIP High"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ ilk: ILK, pip: raw.toLowerCase(), pipKind: "osm", pipIsCapped: "false", pipBefore: capped.address.toLowerCase(), expected: capped.address.toLowerCase(), byGovernance: "true", priority: "P0" });
    expect(findings[1]!.finding.metadata).toMatchObject({ pip: other.address.toLowerCase(), pipKind: "capped", pipIsCapped: "true", byGovernance: "true", priority: "P1" });
  });

  it("reports a Spotter ward outside governance moving the pip as Critical, even to a capped wrapper", async () => {
    const outsider = chain.signer(8);
    const other = await deployCappedOracle(mk, mk.ilks["ETH-A"].pip, "2400");
    await gov((p) => mined(mk.spot.connect(p).rely(chain.accounts[8]!)));
    const from = await next();
    await filePip(outsider, other.address);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-ORACLE-CAPPED-PIP Critical"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ pipIsCapped: "true", byGovernance: "false", callerClass: "outsider", caller: chain.accounts[8]!.toLowerCase() });
  });
});
