/**
 * maker-vat over today's debt sources (issue 11, item 3), on anvil with our Maker- and Sky-shaped
 * contracts behind one ChainLog: new Vat wards classified by the ChainLog and by who made them,
 * sucks tied to known debt sources, sin(vow) growth against what they explain.
 */
import type { EmittedFinding } from "../../../shared/runtime/store";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { deployVestUsds, raiseVowSin, rogueVatWard, vestPayout, type VestUsds } from "../../../test/chain/sky-debt";
import { quietActivity } from "../scenario";

jest.setTimeout(10 * 60_000);

const aboveLow = (fs: readonly EmittedFinding[]) => fs.filter((f) => !["Info", "Low"].includes(f.finding.severity));
const meta = (f: EmittedFinding) => f.finding.metadata;

describe("maker-vat: Vat wards and debt sources", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  let vest: VestUsds;
  let onboarding: EmittedFinding[];
  const env = (extra: Record<string, string> = {}) => ({ MAKER_CHAINLOG: mk.addresses.CHANGELOG!, ...extra });
  const run = async (from: number, extra: Record<string, string> = {}) => runBots({ url: chain.url, bots: ["maker-vat"], from, to: await chain.blockNumber(), env: env(extra) });
  const next = async () => (await chain.blockNumber()) + 1;

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain);
    sky = await deploySky(chain, mk);
    const from = await next();
    vest = await deployVestUsds(mk, sky);
    await chain.mine();
    onboarding = await run(from);
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("reports a spell making a ChainLog-registered module a Vat ward as Medium, by governance", () => {
    const wards = onboarding.filter((f) => f.finding.alertId === "MAKER-VAT-WARD-ADDED");
    expect(alertsOf(wards)).toEqual(["MAKER-VAT-WARD-ADDED Medium"]);
    expect(meta(wards[0]!)).toMatchObject({ usr: vest.vest.address.toLowerCase(), usrKeys: "MCD_VEST_USDS", usrKnown: "true", callerClass: "governance", contractKey: "MCD_VAT", priority: "P2" });
    expect(aboveLow(onboarding).map((f) => f.finding.alertId)).toEqual(["MAKER-VAT-WARD-ADDED"]);
  });

  it("stays at Low or below through sUSDS/stUSDS deposits, withdrawals and drips, conversions, vest payouts, flash loans and an orderly liquidation", async () => {
    const from = await next();
    const user = chain.signer(3);
    for (let day = 0; day < 3; day++) {
      await chain.increaseTime(86_400);
      await sky.deposit(user, "1000");
      await sky.withdraw(user, "400");
      await sky.stDeposit(user, "500");
      await sky.stWithdraw(user, "200");
      await sky.usdsToDai(user, "2500");
      await sky.daiToUsds(user, "2000");
      await vestPayout(mk, vest);
    }
    await quietActivity(mk, "vat-sky-quiet");
    await chain.mine();
    const findings = await run(from);
    expect(aboveLow(findings).map((f) => f.finding.description)).toEqual([]);
    expect(findings.filter((f) => f.finding.alertId.startsWith("MAKER-VAT-S"))).toEqual([]);
  });

  it("reports an unlisted ward (High), its sucks (Critical), the sin they leave unexplained (an episode) and the ward it makes on its own (Critical)", async () => {
    const from = await next();
    await chain.mine();
    const { rogue, friend } = await rogueVatWard(mk, ["50000", "50000"], "vat-e2e-rogue");
    await chain.mine(4);
    const findings = (await run(from, { VAT_SIN_UNEXPLAINED_CRITICAL: "75000", VAT_SIN_RESOLVE_BLOCKS: "3" })).filter((f) => f.finding.alertId.startsWith("MAKER-VAT-"));
    expect(alertsOf(findings)).toEqual([
      "MAKER-VAT-WARD-ADDED High",
      "MAKER-VAT-SUCK-UNKNOWN Critical",
      "MAKER-VAT-SIN-UNEXPLAINED High opened",
      "MAKER-VAT-SUCK-UNKNOWN Critical",
      "MAKER-VAT-SIN-UNEXPLAINED Critical escalated",
      "MAKER-VAT-WARD-ADDED Critical",
      "MAKER-VAT-SIN-UNEXPLAINED Info resolved",
    ]);
    const [unlisted, suck, opened, , escalated, outsider] = findings;
    expect(meta(unlisted!)).toMatchObject({ usr: rogue.toLowerCase(), usrKnown: "false", usrKeys: "", callerClass: "governance", priority: "P1" });
    expect(meta(suck!)).toMatchObject({ u: mk.vow.address.toLowerCase(), v: rogue.toLowerCase(), amountRaw: "50000" + "0".repeat(45), amount: "50000", candidate: "", callerClass: "outsider", priority: "P0" });
    expect(suck!.finding.type).toBe("Exploit");
    expect(meta(opened!)).toMatchObject({ growth: "50000", explained: "0", unexplained: "50000", unvouchedSucks: "50000", episodeTotal: "50000", priority: "P1" });
    expect(Number(meta(opened!).block)).toBe(suck!.blockNumber);
    expect(opened!.blockNumber).toBe(suck!.blockNumber + 1);
    expect(meta(escalated!)).toMatchObject({ episodeTotal: "100000", criticalAt: "75000", priority: "P0" });
    expect(meta(outsider!)).toMatchObject({ usr: friend.toLowerCase(), usrKnown: "false", callerClass: "outsider", caller: rogue.toLowerCase(), priority: "P0" });
  });

  it("reports sin(vow) growth with no Vat note at all (fault injection) as unexplained, and resolves it once blocks are explained again", async () => {
    const from = await next();
    await chain.mine(2); // anvil writes storage into the head block's state: the first block is the baseline
    await raiseVowSin(mk, "1234.5");
    await chain.mine(4);
    const findings = (await run(from, { VAT_SIN_RESOLVE_BLOCKS: "3" })).filter((f) => f.finding.alertId.startsWith("MAKER-VAT-"));
    expect(alertsOf(findings)).toEqual(["MAKER-VAT-SIN-UNEXPLAINED High opened", "MAKER-VAT-SIN-UNEXPLAINED Info resolved"]);
    expect(meta(findings[0]!)).toMatchObject({ growthRaw: "12345" + "0".repeat(44), unexplained: "1234.5", explained: "0", unvouchedSucks: "0" });
  });
});
