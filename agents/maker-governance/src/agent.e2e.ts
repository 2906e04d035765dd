/**
 * maker-governance end to end: our Maker-shaped contracts on anvil (ds-chief 1.2 shape with
 * ds-note LogNotes, and the pre-2021 chief without the flash guard), the bot run by our runtime.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { deployContract, mined } from "../../../test/chain/deploy";
import { call, deployMaker, governanceFlashLoanAttack, type MakerSystem } from "../../../test/chain/maker";
import {
  castSpell,
  delayBypassSpell,
  governanceTakeover,
  lowerHatApprovals,
  planSpell,
  restoreHatApprovals,
  restorePause,
} from "../../../test/chain/maker/governance-scenarios";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import { noteTopic } from "../../../shared/abi";
import type { EmittedFinding } from "../../../shared/runtime/store";

jest.setTimeout(10 * 60_000);

const wad = (n: string) => ethers.utils.parseEther(n);
const b32 = ethers.utils.formatBytes32String;
const rad = (n: string) => ethers.utils.parseUnits(n, 45);

function envFor(mk: MakerSystem, deployer: string): Record<string, string> {
  return { MAKER_CHAINLOG: mk.addresses.CHANGELOG!, MAKER_SPELL_DEPLOYERS: deployer, GOV_KNOWN_LIFTERS: deployer };
}

/** Give `who` governance tokens from the deployer, approve the chief, lock them and vote for `yays`. */
async function lockAndVote(mk: MakerSystem, who: ethers.Signer, amount: string, yays: string[]): Promise<void> {
  await mined(mk.gov.connect(mk.deployer).transfer(await who.getAddress(), wad(amount)));
  await mined(mk.gov.connect(who)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
  await mined(mk.iou.connect(who)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
  await mined(mk.chief.connect(who).lock(wad(amount)));
  await mined(mk.chief.connect(who)["vote(address[])"](yays));
}

const byId = (fs: EmittedFinding[], id: string) => fs.filter((f) => f.finding.alertId === id);

/**
 * Each scenario runs on two builds of the ds-note contracts (token, chief, pause): solc 0.8 (its
 * notes pad `fax` like every ABI encoder since 0.5) and solc 0.4.26 as MKR and the 2019 chief were
 * built (`fax` unpadded: a lock note carries 132 bytes of data, not 160).
 */
const BUILDS = [
  ["solc 0.8 build", { solc04DsNote: false }],
  ["solc 0.4 build, fax unpadded", { solc04DsNote: true }],
] as const;

describe.each(BUILDS)("maker-governance on anvil (ds-chief 1.2, ds-note; %s)", (_build, buildOpts) => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let deployer: string;
  const run = async (from: number) => runBots({ url: chain.url, bots: ["maker-governance"], from, to: await chain.blockNumber(), env: envFor(mk, deployer) });

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, buildOpts);
    deployer = (await mk.deployer.getAddress()).toLowerCase();
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("stays at Info through ordinary activity: pokes, votes, a spell plotted and executed", async () => {
    const from = (await chain.blockNumber()) + 1;
    await mk.setPrice("ETH-A", "2100");
    await mk.drip("ETH-A");
    const spell = await mk.executeSpell([call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("1100000000"))], { description: "raise Line" });
    await lockAndVote(mk, chain.signer(4), "1000", [spell.spell.address]); // a supporter piles on, no lift
    await mk.setPrice("WBTC-A", "61000");
    const findings = await run(from);
    expect(alertsOf(findings)).toEqual(["MAKER-GOV-HAT-CHANGED Info", "MAKER-PAUSE-PLOT Info", "MAKER-PAUSE-EXEC Info"]);
    const [hat, plot, exec] = findings.map((f) => f.finding);
    expect(hat!.metadata).toMatchObject({ previousHat: ethers.constants.AddressZero, hat: spell.spell.address.toLowerCase(), lifter: deployer, spellKnown: "true" });
    expect(plot!.metadata).toMatchObject({ usr: spell.action.toLowerCase(), caller: spell.spell.address.toLowerCase(), eta: String(spell.eta), delayInForce: String(16 * 3600), secondsUntilEta: String(16 * 3600), spellDescription: "raise Line" });
    expect(exec!.description).toContain('"raise Line"');
    expect(exec!.metadata).toMatchObject({ spellKnown: "true", plottedAtBlock: String(spell.receipts.schedule.blockNumber), faxSelector: spell.action ? expect.stringMatching(/^0x[0-9a-f]{8}$/) : "" });
  });

  it("reports a low-approval hat lasting over 100 blocks once: opened, escalated, resolved, nothing in between", async () => {
    const from = (await chain.blockNumber()) + 1;
    const lowered = await lowerHatApprovals(mk, "20000"); // below 40,000: opened (High) once it has lasted 10 blocks
    for (let i = 0; i < 5; i++) {
      await chain.mine(9);
      await lockAndVote(mk, chain.signer(5), "1", [chain.accounts[9]!]); // chief activity that leaves the hat's approvals as they are
    }
    await lowerHatApprovals(mk, "5000"); // below 10,000: escalated (Critical)
    for (let i = 0; i < 5; i++) {
      await chain.mine(9);
      await lockAndVote(mk, chain.signer(5), "1", [chain.accounts[9]!]);
    }
    const restored = await restoreHatApprovals(mk, "100000"); // resolved
    const findings = await run(from);
    expect(restored.blockNumber - from).toBeGreaterThanOrEqual(100);
    expect(alertsOf(findings)).toEqual([
      "MAKER-GOV-HAT-APPROVALS-LOW High opened",
      "MAKER-GOV-HAT-APPROVALS-LOW Critical escalated",
      "MAKER-GOV-HAT-APPROVALS-LOW Info resolved",
    ]);
    const [opened, escalated, resolved] = findings.map((f) => f.finding.metadata);
    expect(opened).toMatchObject({ approvals: "20000", minApprovals: "40000", priority: "P1", level: "low", lowSinceBlock: String(lowered.blockNumber) });
    expect(findings[0]!.blockNumber).toBe(lowered.blockNumber + 10);
    expect(escalated).toMatchObject({ approvals: "5000", level: "critical", priority: "P0" });
    expect(resolved).toMatchObject({ episodePeak: "critical", approvals: "105000" });
    expect(Number(resolved!.episodeBlocks)).toBeGreaterThanOrEqual(100);
    expect(new Set(findings.map((f) => f.finding.metadata.episodeId)).size).toBe(1);
  });

  it("reports a spell from an unknown deployer, lifted by an unknown lifter, plotted and executed; and the known hat that replaces it", async () => {
    const from = (await chain.blockNumber()) + 1;
    const rogue = await mk.executeSpell([call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("1200000000"))], { voter: chain.signer(6) });
    const mid = (await chain.blockNumber()) + 1;
    await mk.executeSpell([]);
    const findings = await run(from);
    const first = findings.filter((f) => f.blockNumber < mid);
    expect(alertsOf(first)).toEqual([
      "MAKER-GOV-HAT-CHANGED Info",
      "MAKER-GOV-LIFTER-UNKNOWN Low",
      "MAKER-GOV-HAT-UNKNOWN High opened",
      "MAKER-PAUSE-PLOT-UNKNOWN High", // its action is from the configured deployer: reviewed, so High rather than Critical
      "MAKER-PAUSE-PLAN-CLOCK High opened",
      "MAKER-PAUSE-EXEC-UNKNOWN High",
      "MAKER-PAUSE-PLAN-CLOCK Info resolved",
    ]);
    expect(byId(first, "MAKER-PAUSE-PLAN-CLOCK")[1]!.finding.metadata).toMatchObject({ resolvedBecause: "executed", episodePeak: "scheduled", plottedBy: rogue.spell.address.toLowerCase(), actionKnown: "true" });
    const rogueAddress = rogue.spell.address.toLowerCase();
    expect(byId(first, "MAKER-GOV-HAT-UNKNOWN")[0]!.finding.metadata).toMatchObject({ hat: rogueAddress, priority: "P1" });
    expect(byId(first, "MAKER-GOV-LIFTER-UNKNOWN")[0]!.finding.metadata.lifter).toBe(chain.accounts[6]!.toLowerCase());
    expect(byId(first, "MAKER-PAUSE-EXEC-UNKNOWN")[0]!.finding.metadata).toMatchObject({ plottedBy: rogueAddress, spellKnown: "false" });
    expect(alertsOf(findings.filter((f) => f.blockNumber >= mid))).toEqual([
      "MAKER-GOV-HAT-CHANGED Info",
      "MAKER-GOV-HAT-UNKNOWN Info resolved",
      "MAKER-PAUSE-PLOT Info",
      "MAKER-PAUSE-EXEC Info",
    ]);
  });

  it("reports a spell that removes the delay and schedules a plan sooner than it, and the spell that undoes it", async () => {
    const from = (await chain.blockNumber()) + 1;
    const bypass = await delayBypassSpell(mk);
    const castFindings = (await run(from)).filter((f) => f.txHash === bypass.cast.transactionHash);
    expect(alertsOf(castFindings)).toEqual([
      "MAKER-PAUSE-DELAY-REDUCED Critical",
      "MAKER-PAUSE-OWNER Critical",
      "MAKER-PAUSE-PLOT-DELAY-BYPASS Critical",
      "MAKER-PAUSE-PLAN-CLOCK Critical opened", // due within the hour: under 12 h from the start
      "MAKER-PAUSE-EXEC Info",
    ]);
    const reduced = byId(castFindings, "MAKER-PAUSE-DELAY-REDUCED")[0]!.finding.metadata;
    expect(reduced).toMatchObject({ delayBefore: "57600", delayAfter: "0", change: "reduced", caller: mk.pauseProxy.address.toLowerCase(), callerClass: "governance", callerSource: "log" });
    expect(byId(castFindings, "MAKER-PAUSE-OWNER")[0]!.finding.metadata).toMatchObject({ callerClass: "governance", callerSource: "plan" });
    const plot = byId(castFindings, "MAKER-PAUSE-PLOT-DELAY-BYPASS")[0]!.finding.metadata;
    expect(plot).toMatchObject({ usr: bypass.plan.usr.toLowerCase(), eta: String(bypass.plan.eta), delayInForce: "57600", caller: mk.pauseProxy.address.toLowerCase() });
    // the plan becomes executable sooner than the delay in force allows (about an hour, by the chain's clock)
    expect(Number(plot.secondsUntilEta)).toBeLessThanOrEqual(3600);
    expect(Number(plot.secondsUntilEta)).toBeLessThan(Number(plot.delayInForce));
    expect(byId(castFindings, "MAKER-PAUSE-OWNER")[0]!.finding.metadata.owner).toBe(mk.pauseProxy.address.toLowerCase());

    const mid = (await chain.blockNumber()) + 1;
    const restore = await restorePause(mk, bypass);
    const restoreFindings = (await run(from)).filter((f) => f.blockNumber >= Math.max(mid, restore.receipts.schedule.blockNumber + 1)); // from the bypass on: the bot saw the plan plotted
    expect(alertsOf(restoreFindings)).toEqual([
      "MAKER-PAUSE-DROP Medium",
      "MAKER-PAUSE-PLAN-CLOCK Info resolved",
      "MAKER-PAUSE-AUTHORITY Critical",
      "MAKER-PAUSE-OWNER Critical",
      "MAKER-PAUSE-DELAY-RAISED Info",
      "MAKER-PAUSE-EXEC Info",
    ]);
    expect(byId(restoreFindings, "MAKER-PAUSE-DROP")[0]!.finding.metadata).toMatchObject({ usr: bypass.plan.usr.toLowerCase(), spellKnown: "false" });
    expect(byId(restoreFindings, "MAKER-PAUSE-PLAN-CLOCK")[0]!.finding.metadata).toMatchObject({ resolvedBecause: "dropped", episodePeak: "imminent", usr: bypass.plan.usr.toLowerCase() });
    // the raise is governance's, so it stays Info (an outsider's would be Critical)
    expect(byId(restoreFindings, "MAKER-PAUSE-DELAY-RAISED")[0]!.finding.metadata).toMatchObject({ callerClass: "governance", priority: "none" });
    expect(await mk.pause.delay()).toEqual(ethers.BigNumber.from(57600));
    expect(await mk.pause.owner()).toBe(ethers.constants.AddressZero);
  });

  it("recognises tokens transferred in, locked, voted and lifted in one transaction (no flash loan needed)", async () => {
    const from = (await chain.blockNumber()) + 1;
    const attacker = chain.signer(7);
    const t = await governanceTakeover(mk, attacker);
    // governance takes the hat back: the episode about the attacker's hat resolves
    const back = await planSpell(mk, []);
    await castSpell(mk, back);
    const all = await run(from);
    const findings = all.filter((f) => f.txHash === t.receipt.transactionHash);
    expect(alertsOf(findings)).toEqual([
      "MAKER-GOV-HAT-CHANGED Info",
      "MAKER-GOV-LIFTER-UNKNOWN Low",
      "MAKER-GOV-FLASH-TAKEOVER Critical",
      "MAKER-GOV-HAT-UNKNOWN High opened",
    ]);
    const md = byId(findings, "MAKER-GOV-FLASH-TAKEOVER")[0]!.finding.metadata;
    expect(md).toMatchObject({
      hat: t.spell.address.toLowerCase(),
      accounts: t.takeover.address.toLowerCase(),
      sources: chain.accounts[7]!.toLowerCase(),
      voted: "true",
      repaidInTx: "false",
      priority: "P0",
    });
    expect(md.receivedWad).toBe(md.lockedWad);
    expect(alertsOf(all.filter((f) => f.blockNumber > t.receipt.blockNumber))).toEqual([
      "MAKER-GOV-HAT-CHANGED Info",
      "MAKER-GOV-HAT-UNKNOWN Info resolved",
      "MAKER-PAUSE-PLOT Info",
      "MAKER-PAUSE-EXEC Info",
    ]);
  });
});

describe("maker-governance follows the ChainLog", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("watches the new pause once governance points MCD_PAUSE at it, without a restart", async () => {
    const deployer = (await mk.deployer.getAddress()).toLowerCase();
    const from = (await chain.blockNumber()) + 1;
    const owner = chain.signer(3);
    const newPause = await deployContract(mk.deployer, "DSPause", 3600, await owner.getAddress(), mk.chief.address);
    const move = await mk.executeSpell([call(mk.chainlog, "setAddress", b32("MCD_PAUSE"), newPause.address)]);
    // the new pause's owner schedules a plan itself
    const action = await deployContract(mk.deployer, "SpellAction");
    const tag = ethers.utils.keccak256(await chain.provider.getCode(action.address));
    const fax = action.interface.encodeFunctionData("execute", [[], []]);
    const plot = await mined(newPause.connect(owner).plot(action.address, tag, fax, (await chain.timestamp()) + 7200));
    // and a plot on the old pause is no longer its business
    const old = await planSpell(mk, []);
    const findings = await runBots({ url: chain.url, bots: ["maker-governance"], from, to: await chain.blockNumber(), env: envFor(mk, deployer) });
    expect(alertsOf(findings.filter((f) => f.txHash === move.receipts.cast.transactionHash))).toEqual(["MAKER-PAUSE-EXEC Info"]); // seen on the old pause
    const onNew = findings.filter((f) => f.txHash === plot.transactionHash);
    expect(alertsOf(onNew)).toEqual(["MAKER-PAUSE-PLOT-UNKNOWN High", "MAKER-PAUSE-PLAN-CLOCK Critical opened"]); // a reviewed action (configured deployer), due in 2 h: under 12 h from the start
    expect(onNew[0]!.finding.metadata).toMatchObject({ pause: newPause.address.toLowerCase(), caller: chain.accounts[3]!.toLowerCase() });
    expect(findings.filter((f) => f.txHash === old.receipts.schedule.transactionHash)).toEqual([]);
  });
});

describe.each(BUILDS)("maker-governance: the October 2020 flash loan on a chief without the flash guard (%s)", (_build, buildOpts) => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { ...buildOpts, chiefWithoutFlashGuard: true, openVaults: false });
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("recognises borrow, lock, vote, lift, free and repay in one transaction from its logs alone", async () => {
    const deployer = (await mk.deployer.getAddress()).toLowerCase();
    const from = (await chain.blockNumber()) + 1;
    const attack = await governanceFlashLoanAttack(mk);
    // the build under test writes notes as its compiler does: lock(uint256) is 132 bytes unpadded, 160 padded
    const lockNote = attack.receipt.logs.find((l) => l.address === mk.chief.address && l.topics[0] === noteTopic("lock(uint256)"))!;
    expect((lockNote.data.length - 2) / 2).toBe(buildOpts.solc04DsNote ? 132 : 160);
    await chain.mine(12);
    const all = await runBots({ url: chain.url, bots: ["maker-governance"], from, to: await chain.blockNumber(), env: envFor(mk, deployer) });
    const findings = all.filter((f) => f.txHash === attack.receipt.transactionHash);
    expect(alertsOf(findings)).toEqual([
      "MAKER-GOV-HAT-CHANGED Info",
      "MAKER-GOV-LIFTER-UNKNOWN Low",
      "MAKER-GOV-FLASH-TAKEOVER Critical",
      "MAKER-GOV-HAT-UNKNOWN High opened",
    ]);
    // the borrowed weight left with the repayment: the attacker's hat has no approvals at all, and
    // once the grace period (10 blocks) has passed that opens the low-approvals episode
    const low = byId(all, "MAKER-GOV-HAT-APPROVALS-LOW");
    expect(alertsOf(low)).toEqual(["MAKER-GOV-HAT-APPROVALS-LOW Critical opened"]);
    expect(low[0]!.blockNumber).toBe(attack.receipt.blockNumber + 10);
    expect(low[0]!.finding.metadata).toMatchObject({ approvals: "0", lowSinceBlock: String(attack.receipt.blockNumber) });
    const md = byId(findings, "MAKER-GOV-FLASH-TAKEOVER")[0]!.finding.metadata;
    expect(md).toMatchObject({
      hat: attack.spell.address.toLowerCase(),
      accounts: attack.attacker.address.toLowerCase(),
      sources: attack.lender.address.toLowerCase(),
      repaidInTx: "true",
      voted: "true",
    });
    expect(md.freedWad).toBe(md.lockedWad);
    expect(md.returnedWad).toBe(md.receivedWad);
    expect(await mk.chief.hat()).toBe(attack.spell.address);
  });
});

describe("maker-governance: the hat episodes across hat and chief changes", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let deployer: string;
  const run = async (from: number, env: Record<string, string> = {}) =>
    runBots({ url: chain.url, bots: ["maker-governance"], from, to: await chain.blockNumber(), env: { ...envFor(mk, deployer), ...env } });
  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    deployer = (await mk.deployer.getAddress()).toLowerCase();
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("gives a newly lifted low hat the whole approvals grace period, not what was left of its predecessor's", async () => {
    const from = (await chain.blockNumber()) + 1;
    await mk.executeSpell([]); // a known spell is the hat, with the deployer's whole weight
    const lowered = await lowerHatApprovals(mk, "20000"); // the hat is low: its grace period starts
    await chain.mine(15);
    // a known spell backed by 20,001 tokens (still low) is lifted over it, within the old hat's grace period
    const next = await planSpell(mk, [], { voter: chain.signer(5), deployer: mk.deployer, lifter: mk.deployer });
    const lift = next.receipts.lift.blockNumber;
    expect(lift - lowered.blockNumber).toBeLessThan(30);
    await chain.mine(40);
    const findings = await run(from, { GOV_HAT_APPROVALS_GRACE_BLOCKS: "30" });
    expect(findings.filter((f) => f.finding.severity !== "Info").map((f) => `${f.finding.alertId} ${f.finding.severity}`)).toEqual(["MAKER-GOV-HAT-APPROVALS-LOW High"]);
    const low = byId(findings, "MAKER-GOV-HAT-APPROVALS-LOW");
    expect(alertsOf(low)).toEqual(["MAKER-GOV-HAT-APPROVALS-LOW High opened"]);
    expect(low[0]!.blockNumber).toBe(lift + 30);
    expect(low[0]!.finding.metadata).toMatchObject({ hat: next.spell.address.toLowerCase(), approvals: "20001", lowSinceBlock: String(lift) });
  });

  it("resolves the open hat episodes of a chief the ChainLog replaces (Info, saying why) instead of dropping them", async () => {
    const from = (await chain.blockNumber()) + 1;
    const rogue = await mk.executeSpell([], { voter: chain.signer(6) }); // an unknown spell is the hat, with few approvals
    await chain.mine(12); // past the grace period: the low-approvals episode is open too
    const oldChief = mk.chief.address.toLowerCase();
    const newChief = await deployContract(mk.deployer, "DSChief", mk.gov.address, mk.iou.address, 5);
    const move = await mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).setAddress(b32("MCD_ADM"), newChief.address)));
    const findings = await run(from);
    const before = findings.filter((f) => f.blockNumber < move.blockNumber);
    expect(alertsOf(byId(before, "MAKER-GOV-HAT-UNKNOWN"))).toEqual(["MAKER-GOV-HAT-UNKNOWN High opened"]);
    expect(alertsOf(byId(before, "MAKER-GOV-HAT-APPROVALS-LOW"))).toEqual(["MAKER-GOV-HAT-APPROVALS-LOW High opened"]);
    const atMove = findings.filter((f) => f.txHash === move.transactionHash);
    expect(alertsOf(atMove)).toEqual(["MAKER-GOV-HAT-UNKNOWN Info resolved", "MAKER-GOV-HAT-APPROVALS-LOW Info resolved"]);
    for (const f of atMove) {
      expect(f.finding.metadata).toMatchObject({ chief: oldChief, resolvedBecause: "chief-replaced-in-chainlog", replacedBy: newChief.address.toLowerCase() });
      expect(f.finding.description).toContain(`MCD_ADM now points to ${newChief.address.toLowerCase()}`);
    }
    expect(atMove[0]!.finding.metadata).toMatchObject({ hat: rogue.spell.address.toLowerCase(), episodeId: byId(before, "MAKER-GOV-HAT-UNKNOWN")[0]!.finding.metadata.episodeId });
    expect(atMove[1]!.finding.metadata.episodeId).toBe(byId(before, "MAKER-GOV-HAT-APPROVALS-LOW")[0]!.finding.metadata.episodeId);
  });

  it("takes a SKY chief's approvals in MKR: 300M SKY behind the hat is 12,500 MKR, below the 40,000 MKR default", async () => {
    const from = (await chain.blockNumber()) + 1;
    const sky = await deployContract(mk.deployer, "DSToken", "SKY");
    const iou = await deployContract(mk.deployer, "DSToken", "IOU");
    const skyChief = await deployContract(mk.deployer, "DSChief", sky.address, iou.address, 5);
    await mined(iou.setOwner(skyChief.address));
    await mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).setAddress(b32("MCD_ADM"), skyChief.address)));
    const voter = chain.signer(7);
    const hat = chain.accounts[8]!;
    await mined(sky["mint(address,uint256)"](await voter.getAddress(), wad("300000000")));
    await mined(sky.connect(voter)["approve(address,uint256)"](skyChief.address, ethers.constants.MaxUint256));
    await mined(skyChief.connect(voter).lock(wad("300000000")));
    await mined(skyChief.connect(voter)["vote(address[])"]([hat]));
    const lift = await mined(skyChief.connect(voter).lift(hat));
    await chain.mine(12); // past the grace period
    const low = byId(await run(from), "MAKER-GOV-HAT-APPROVALS-LOW");
    expect(alertsOf(low)).toEqual(["MAKER-GOV-HAT-APPROVALS-LOW High opened"]);
    expect(low[0]!.blockNumber).toBe(lift.blockNumber + 10);
    expect(low[0]!.finding.metadata).toMatchObject({
      chief: skyChief.address.toLowerCase(),
      hat: hat.toLowerCase(),
      approvals: "300000000",
      approvalsMkr: "12500",
      token: "SKY",
      tokensPerMkr: "24000",
      minApprovals: "40000",
    });
    expect(low[0]!.finding.description).toContain("300,000,000.00 SKY (12,500.00 MKR) of approvals, below 960,000,000.00 SKY (40,000.00 MKR)");
    await mk.asPauseProxy((p) => mined(mk.chainlog.connect(p).setAddress(b32("MCD_ADM"), mk.chief.address)));
  });
});
