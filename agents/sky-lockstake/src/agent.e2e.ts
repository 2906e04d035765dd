/**
 * sky-lockstake end to end: our Maker-, Sky- and Lockstake-shaped contracts on anvil, the bot run by
 * our runtime over the blocks of each devnet scene (agents/sky-lockstake/devnet.ts, played here
 * against a world of our own): the quiet stretch raises nothing above Low, each scene raises its
 * alerts with the calibrated severities.
 */
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { LOCKSTAKE_OLD_ILK, deployLockstake, type LockstakeSystem } from "../../../test/chain/lockstake";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { LOCKSTAKE_ILK, deploySky, type SkySystem } from "../../../test/chain/sky";
import { ethers } from "forta-agent";
import { b32, wad } from "../../../test/chain/units";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import type { RpcCall } from "../../../shared/rpc/transport";
import { createLogger } from "../../../shared/log";
import { fromRad } from "../../../shared/math";
import type { DevnetWorld } from "../../../scripts/devnet/types";
import { scenes } from "../devnet";

jest.setTimeout(10 * 60_000);

const RAY_BN = ethers.BigNumber.from(10).pow(27);
/** a rad amount as the bot prints it (exact decimal of USDS) */
const fromRadStr = (v: ethers.BigNumber) => fromRad(v.toString()).toFixed();

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

  it("reports lsSKY minted outside the engine and the custody shortfall (Critical), FreeNoFee and farms", async () => {
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
      ]),
    );
    const custody = findings.find((f) => f.finding.alertId === "SKY-LOCKSTAKE-CUSTODY")!.finding.metadata;
    expect(custody).toMatchObject({ shortfall: "1000" });
  });

  it("reports migrations (debt in RAD), the line a migration with debt leaves (High: 0 where stUSDS computes more) and the MKR v1 ilk's line as an episode", async () => {
    const from = (await chain.blockNumber()) + 1;
    const [, , , lineBefore] = await mk.vat.ilks(b32(LOCKSTAKE_ILK));
    await play(864);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "SKY-LOCKSTAKE-MIGRATE Info",
      "SKY-LOCKSTAKE-MIGRATE High",
      "SKY-LOCKSTAKE-MIGRATOR-LINE High",
      "SKY-LOCKSTAKE-OLD-ILK-LINE Medium opened",
      "SKY-LOCKSTAKE-OLD-ILK-LINE Info resolved",
    ]);
    const md = findings.map((f) => f.finding.metadata);
    expect(md[0]).toMatchObject({ debt: "0", ink: "100" });
    expect(md[1]).toMatchObject({ debt: "12000000", debtRaw: "12000000" + "0".repeat(45), ink: "20000", oldIndex: "3", newIndex: "0" });
    expect(md[2]).toMatchObject({ ilk: LOCKSTAKE_ILK, lineAfter: "0", lineBefore: fromRadStr(lineBefore) });
    expect(Number(md[2]!.stusdsLine)).toBeGreaterThan(0);
    expect(md[3]).toMatchObject({ ilk: LOCKSTAKE_OLD_ILK, line: "1000000" });
    // the scene restored the line: a migration without debt leaves it alone (nothing but its Info)
    const quietFrom = (await chain.blockNumber()) + 1;
    const someone = chain.signer(9);
    await (await ls.migrator.connect(someone).migrate(await someone.getAddress(), 1, await someone.getAddress(), 1, wad("5"), 0)).wait();
    expect(alertsOf(await run(quietFrom))).toEqual(["SKY-LOCKSTAKE-MIGRATE Info"]);
  });

  it("follows Redo and Yank: a redone auction is taken at its new price and its end reported, a yanked one leaves nothing behind (no custody or undecodable alarm)", async () => {
    const from = (await chain.blockNumber()) + 1;
    const keeper = chain.signer(7);
    const me = await keeper.getAddress();
    const ilk = b32(LOCKSTAKE_ILK);
    const a = await ls.open(keeper, "1000000");
    await ls.draw(keeper, a, "15000");
    const b = await ls.open(keeper, "1000000");
    await ls.draw(keeper, b, "15000");
    await ls.setStopped(0);
    await ls.setSkyPrice("0.016"); // both urns unsafe (1M SKY * 0.016 / 1.2 < 15,000)
    await (await sky.usds.connect(keeper).approve(sky.usdsJoin.address, wad("30000"))).wait();
    await (await sky.usdsJoin.connect(keeper).join(me, wad("30000"))).wait();
    await (await mk.vat.connect(keeper).hope(ls.clip.address)).wait();
    await (await mk.dog.connect(keeper).bark(ilk, await ls.urnOf(me, a), me)).wait();
    const first = await ls.clip.kicks();
    await chain.increaseTime(ls.params.tail); // the price reached 0: only a redo revives the auction
    await (await ls.clip.connect(keeper).redo(first, me)).wait();
    await (await ls.clip.connect(keeper).take(first, wad("1000000"), RAY_BN, me, "0x")).wait(); // at the redo's top: 1.2x the oracle
    await (await mk.dog.connect(keeper).bark(ilk, await ls.urnOf(me, b), me)).wait();
    const second = first.add(1);
    await mk.asPauseProxy(async (px) => (await ls.clip.connect(px).yank(second)).wait()); // as End would
    expect((await ls.clip.count()).toString()).toBe("0");
    await ls.setStopped(3);
    await ls.setSkyPrice("0.06");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual([
      "SKY-LOCKSTAKE-CLIP-FILE High", // stopped = 0
      "SKY-LOCKSTAKE-KICK Medium",
      "SKY-LOCKSTAKE-AUCTION-END Info", // the redone auction covered its tab
      "SKY-LOCKSTAKE-KICK Medium",
      "SKY-LOCKSTAKE-CLIP-FILE Medium", // stopped = 3
    ]);
    const end = findings.find((f) => f.finding.alertId === "SKY-LOCKSTAKE-AUCTION-END")!.finding.metadata;
    expect(end).toMatchObject({ id: first.toString(), outcome: "covered", tabLeft: "0", urn: (await ls.urnOf(me, a)).toLowerCase() });
    expect(Number(end.lotLeft)).toBeGreaterThan(0);
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

  it("asks the clipper's stopped again only after a log of the clipper, and mat and the ilks' records only after a log that can change them", async () => {
    const from = (await chain.blockNumber()) + 1;
    await chain.mine();
    await chain.mine();
    const stopped = await ls.clip.stopped();
    const filed = await mk.asPauseProxy(async (px) => (await (await ls.clip.connect(px)["file(bytes32,uint256)"](b32("stopped"), stopped)).wait()).blockNumber); // the same value
    await chain.mine();
    const calls: RpcCall[] = [];
    await runBots({ url: chain.url, bots: ["sky-lockstake"], from, to: await chain.blockNumber(), env: env(), calls });
    const blocksAsking = (c: ethers.Contract, fn: string, args: unknown[] = []) => {
      const data = c.interface.encodeFunctionData(fn, args);
      return calls.filter((x) => x.method === "eth_call" && (x.params[0] as { to: string }).to.toLowerCase() === c.address.toLowerCase() && (x.params[0] as { data: string }).data === data).map((x) => parseInt(String(x.params[1]), 16)).sort((a, b) => a - b);
    };
    expect(blocksAsking(ls.clip, "stopped")).toEqual([from, filed]);
    expect(blocksAsking(mk.spot, "ilks", [b32(LOCKSTAKE_ILK)])).toEqual([from]);
    expect(blocksAsking(mk.vat, "ilks", [b32(LOCKSTAKE_ILK)])).toEqual([from]);
    expect(blocksAsking(mk.vat, "ilks", [b32(LOCKSTAKE_OLD_ILK)])).toEqual([from]);
  });
});
