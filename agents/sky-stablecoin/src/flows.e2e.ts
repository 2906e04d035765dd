/**
 * sky-stablecoin's flow checks end to end (issue 11, item 2 leftovers), on anvil with our Maker- and
 * Sky-shaped contracts: the net USDS -> DAI surge (an episode), big sUSDS drips, MKR_SKY's
 * fee/collect/burn, SKY mints by known minters (MCD_VEST_SKY) and by anyone else.
 */
import type { EmittedFinding } from "../../../shared/runtime/store";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { deployVestSky, mkrSkyHousekeeping, overpayingSusdsDrip, rogueSkyMinter, stretchSusdsDrip, vestSkyPayout, type VestSky } from "../../../test/chain/sky-flows";

jest.setTimeout(10 * 60_000);

const NEW = /^SKY-(USDS-TO-DAI-SURGE|SUSDS-DRIP-LARGE|MKR-SKY-ADMIN|MINT-UNKNOWN|STABLE-WARD-ADDED|MKR-SKY-SHORTFALL)/;
const aboveLow = (fs: readonly EmittedFinding[]) => fs.filter((f) => !["Info", "Low"].includes(f.finding.severity));
const meta = (f: EmittedFinding) => f.finding.metadata;

describe("sky-stablecoin: flows, MKR_SKY admin, SKY minters", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  let vest: VestSky;
  const env = { SKY_USDS_TO_DAI_SURGE: "60000", SKY_CONVERSION_WINDOW: "3600", SUSDS_DRIP_LARGE: "2000" };
  const run = async (from: number) =>
    (await runBots({ url: chain.url, bots: ["sky-stablecoin"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, ...env } })).filter((f) => NEW.test(f.finding.alertId));
  const next = async () => (await chain.blockNumber()) + 1;

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    sky = await deploySky(chain, mk);
    vest = await deployVestSky(mk, sky);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays at Low or below through conversions both ways under the surge threshold, drips, deposits and MCD_VEST_SKY payouts", async () => {
    const from = await next();
    const user = chain.signer(3);
    for (let i = 0; i < 3; i++) {
      await chain.increaseTime(86_400);
      await sky.usdsToDai(user, "30000");
      await sky.daiToUsds(user, "25000");
      await sky.deposit(user, "1000");
      await vestSkyPayout(mk, vest);
    }
    await chain.mine();
    const all = await runBots({ url: chain.url, bots: ["sky-stablecoin"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, ...env } });
    expect(aboveLow(all).map((f) => f.finding.description)).toEqual([]);
  });

  it("opens a surge episode when net USDS -> DAI crosses the threshold within the window, and resolves it when it falls back", async () => {
    const from = await next();
    const user = chain.signer(3);
    await chain.mine();
    await sky.usdsToDai(user, "40000");
    await sky.usdsToDai(user, "30000");
    await sky.daiToUsds(user, "70000");
    await chain.mine();
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-USDS-TO-DAI-SURGE Medium opened", "SKY-USDS-TO-DAI-SURGE Info resolved"]);
    expect(meta(findings[0]!)).toMatchObject({ netUsdsToDai: "70000", netUsdsToDaiRaw: "70000" + "0".repeat(18), threshold: "60000", windowSeconds: "3600", priority: "P2" });
  });

  it("reports one sUSDS drip covering a long gap as a large drip its rate still explains (Medium)", async () => {
    const from = await next();
    await stretchSusdsDrip(mk, sky, 365 * 86_400);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-SUSDS-DRIP-LARGE Medium"]);
    const m = meta(findings[0]!);
    expect(m.excess).toBe("false");
    expect(m.diffRaw).toBe(m.expectedRaw); // our contract's rpow truncates like the bot's: exact
    expect(Number(m.diff)).toBeGreaterThan(2000);
  });

  it("reports a drip minting more than its rate and time explain as High (faulty code behind sUSDS for one drip)", async () => {
    const from = await next();
    const chiBefore = (await sky.susds.chi()).toString();
    await overpayingSusdsDrip(mk, sky, 86_400);
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-SUSDS-DRIP-LARGE High"]);
    const m = meta(findings[0]!);
    expect(m).toMatchObject({ excess: "true", chiBefore, priority: "P1" });
    // twice the elapsed time at the same rate: a little more than twice the expected yield
    const ratio = Number(BigInt(m.diffRaw!) * 1000n / BigInt(m.expectedRaw!)) / 1000;
    expect(ratio).toBeGreaterThan(1.99);
    expect(ratio).toBeLessThan(2.1);
    // SUSDS's own code is back: the next drip is explained again (nothing above Low)
    const after = await next();
    await chain.increaseTime(3_600);
    await sky.deposit(chain.signer(3), "10");
    expect(await run(after)).toEqual([]);
  });

  it("reports MKR_SKY's fee change, collect and burn by governance at Low", async () => {
    const from = await next();
    await sky.mkrToSky(mk.deployer, "2");
    const take = await mkrSkyHousekeeping(mk, sky, "0.04");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-MKR-SKY-ADMIN Low", "SKY-MKR-SKY-ADMIN Low", "SKY-MKR-SKY-ADMIN Low"]);
    expect(findings.map((f) => meta(f).event)).toEqual(["File", "Collect", "Burn"]);
    expect(meta(findings[0]!)).toMatchObject({ what: "fee", fee: "0.04", callerClass: "governance" });
    expect(meta(findings[1]!)).toMatchObject({ to: mk.pauseProxy.address.toLowerCase(), takeRaw: take.toString() });
    expect(meta(findings[2]!).skyAmtRaw).toBe(take.toString());
  });

  it("reports SKY minted by a ward that is not a known minter as Critical", async () => {
    const from = await next();
    const rogue = await rogueSkyMinter(mk, sky, "1000000");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["SKY-STABLE-WARD-ADDED High", "SKY-MINT-UNKNOWN Critical"]);
    expect(meta(findings[1]!)).toMatchObject({ to: rogue.toLowerCase(), amount: "1000000", voucher: "", callerClass: "outsider", priority: "P0" });
  });
});
