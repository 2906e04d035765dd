/**
 * sky-lockstake end to end: our Maker-, Sky- and Lockstake-shaped contracts on anvil, the bot run by
 * our runtime over the blocks of each devnet scene (agents/sky-lockstake/devnet.ts, played here
 * against a world of our own): the quiet stretch raises nothing above Low, each scene raises its
 * alerts with the calibrated severities.
 */
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployLockstake, type LockstakeSystem } from "../../../test/chain/lockstake";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { b32 } from "../../../test/chain/units";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import { createLogger } from "../../../shared/log";
import type { DevnetWorld } from "../../../scripts/devnet/types";
import { scenes } from "../devnet";

jest.setTimeout(10 * 60_000);

describe("sky-lockstake on anvil", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  let ls: LockstakeSystem;
  let world: DevnetWorld;
  const env = () => ({ MAKER_CHAINLOG: mk.addresses.CHANGELOG!, LOCKSTAKE_UNSAFE_HIGH_DEBT: "25000" });
  const run = async (from: number) => runBots({ url: chain.url, bots: ["sky-lockstake"], from, to: await chain.blockNumber(), env: env() });
  const play = async (order: number) => scenes.find((s) => s.order === order)!.play(world);
  const sorted = (xs: string[]) => [...xs].sort();

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    sky = await deploySky(chain, mk);
    ls = await deployLockstake(chain, mk, sky);
    world = { l1: chain, maker: mk, env: env(), log: createLogger({ level: "silent" }), settle: async () => {}, cleanups: [], parts: { sky, lockstake: ls } };
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays quiet while a holder stakes, delegates, borrows, frees and repays (and during USDS/stUSDS activity)", async () => {
    const from = (await chain.blockNumber()) + 1;
    await sky.stDeposit(chain.signer(3), "2000");
    await play(55);
    await sky.stWithdraw(chain.signer(3), "500");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([]);
    // the custody invariant holds with SKY staked in a vote delegate
    expect((await ls.voteDelegate.stake(ls.engine.address)).toString()).toBe("2200000000000000000000000");
  });

  it("opens a Medium utilisation episode at 96% of stUSDS, escalates it to High at 100% and resolves it on repayment", async () => {
    const from = (await chain.blockNumber()) + 1;
    await play(860);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-LOCKSTAKE-UTILISATION Medium opened", "SKY-LOCKSTAKE-UTILISATION High escalated", "SKY-LOCKSTAKE-UTILISATION Info resolved"]);
    expect(Number(findings[0]!.finding.metadata.utilisation)).toBeGreaterThanOrEqual(0.96);
  });

  it("reports unsafe debt while the clipper is stopped as an episode that grows (Medium, High) and resolves when liquidations are on; the auctions against the capped oracle; the clipper's files", async () => {
    const from = (await chain.blockNumber()) + 1;
    await play(861);
    await play(862);
    const findings = await run(from);
    expect(sorted(alertsOf(findings))).toEqual(
      sorted([
        "SKY-LOCKSTAKE-UNLIQUIDATABLE Medium opened",
        "SKY-LOCKSTAKE-UNLIQUIDATABLE High escalated",
        "SKY-LOCKSTAKE-CLIP-FILE High", // stopped = 0
        "SKY-LOCKSTAKE-UNLIQUIDATABLE Info resolved",
        "SKY-LOCKSTAKE-KICK Medium",
        "SKY-LOCKSTAKE-TAKE-LOW Medium",
        "SKY-LOCKSTAKE-AUCTION-END High", // sold out short: stUSDS pays
        "SKY-LOCKSTAKE-KICK Medium",
        "SKY-LOCKSTAKE-AUCTION-END Info", // covered, SKY left for the urn
        "SKY-LOCKSTAKE-CLIP-FILE Medium", // stopped = 3
      ]),
    );
    const md = (id: string, sev: string) => findings.find((f) => f.finding.alertId === id && String(f.finding.severity) === sev)!.finding.metadata;
    expect(md("SKY-LOCKSTAKE-UNLIQUIDATABLE", "Medium")).toMatchObject({ unsafeUrns: "1", unsafeDebt: expect.stringMatching(/^20000(\.|$)/) });
    expect(md("SKY-LOCKSTAKE-UNLIQUIDATABLE", "High")).toMatchObject({ unsafeUrns: "2" });
    expect(md("SKY-LOCKSTAKE-TAKE-LOW", "Medium")).toMatchObject({ oraclePrice: "0.016" });
    expect(md("SKY-LOCKSTAKE-AUCTION-END", "High")).toMatchObject({ outcome: "short", lotLeft: "0" });
    expect(md("SKY-LOCKSTAKE-CLIP-FILE", "High")).toMatchObject({ what: "stopped", value: "0", callerClass: "governance" });
  });

  it("reports lsSKY minted outside the engine and the custody shortfall (Critical), FreeNoFee, farms and migrations", async () => {
    const from = (await chain.blockNumber()) + 1;
    await play(863);
    const findings = await run(from);
    expect(sorted(alertsOf(findings))).toEqual(
      sorted([
        "SKY-LOCKSTAKE-LSSKY-OUTSIDE-ENGINE Critical",
        "SKY-LOCKSTAKE-CUSTODY Critical opened",
        "SKY-LOCKSTAKE-LSSKY-OUTSIDE-ENGINE Critical",
        "SKY-LOCKSTAKE-CUSTODY Info resolved",
        "SKY-LOCKSTAKE-FREE-NO-FEE Critical",
        "SKY-LOCKSTAKE-ENGINE-CONFIG Medium",
        "SKY-LOCKSTAKE-ENGINE-CONFIG Medium",
        "SKY-LOCKSTAKE-MIGRATE Info",
        "SKY-LOCKSTAKE-MIGRATE High",
      ]),
    );
    const custody = findings.find((f) => f.finding.alertId === "SKY-LOCKSTAKE-CUSTODY")!.finding.metadata;
    expect(custody).toMatchObject({ shortfall: "1000" });
    const migrate = findings.find((f) => f.finding.alertId === "SKY-LOCKSTAKE-MIGRATE" && f.finding.metadata.debt === "12000000");
    expect(migrate?.finding.metadata).toMatchObject({ ink: "480000000", newIndex: "0", oldIndex: "3" });
  });

  it("treats an outsider's clipper change as Critical", async () => {
    const from = (await chain.blockNumber()) + 1;
    const stranger = chain.signer(6);
    await mk.asPauseProxy(async (px) => (await ls.clip.connect(px).rely(await stranger.getAddress())).wait());
    await (await ls.clip.connect(stranger)["file(bytes32,address)"](b32("cuttee"), await stranger.getAddress())).wait();
    const findings = (await run(from)).filter((f) => f.finding.alertId === "SKY-LOCKSTAKE-CLIP-FILE");
    expect(alertsOf(findings)).toEqual(["SKY-LOCKSTAKE-CLIP-FILE Critical"]);
    expect(findings[0]!.finding.metadata).toMatchObject({ what: "cuttee", callerClass: "outsider" });
  });
});
