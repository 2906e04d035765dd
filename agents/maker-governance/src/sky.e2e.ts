/**
 * maker-governance on the new Chief (MCD_ADM since 2025), end to end on anvil: the Maker + Sky
 * deployment migrated to the 2025 Chief (test/chain/sky-governance.ts), the bot run by our runtime
 * with NO configuration beyond the ChainLog (the spell deployer and lifter lists keep their stale
 * 2021-22 mainnet defaults), as a user pointing Vigil at today's mainnet would run it.
 */
import { ethers } from "forta-agent";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { call, deployMaker, type MakerSystem } from "../../../test/chain/maker";
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import { deploySkyGovernance, type SkyGovernance } from "../../../test/chain/sky-governance";
import { deployEmergencyExtras, dressedUpSpell, emergencyHalt, globalOsmStop, governanceRecovers, protegoDrops, runDownTo, unhaltSpbeam, whaleDelegateSwing, whaleLeaves } from "../../../test/chain/sky-governance-scenarios";
import { alertsOf, runBots } from "../../../shared/testing/chain";
import type { EmittedFinding } from "../../../shared/runtime/store";

jest.setTimeout(600_000);

const b32 = ethers.utils.formatBytes32String;
const rad = (n: string) => ethers.utils.parseUnits(n, 45);
const SEVERITY_RANK: Record<string, number> = { Unknown: 0, Info: 1, Low: 2, Medium: 3, High: 4, Critical: 5 };
const above = (fs: EmittedFinding[], level: string) => fs.filter((f) => SEVERITY_RANK[f.finding.severity]! > SEVERITY_RANK[level]!);
const ids = (fs: EmittedFinding[]) => [...new Set(alertsOf(fs))].sort();

describe("maker-governance on the new Chief (anvil, no configuration)", () => {
  let chain: AnvilChain;
  let mk: MakerSystem;
  let sky: SkySystem;
  let g: SkyGovernance;
  const run = async (from: number) => runBots({ url: chain.url, bots: ["maker-governance"], from, to: await chain.blockNumber(), env: { MAKER_CHAINLOG: mk.addresses.CHANGELOG! } });

  beforeAll(async () => {
    chain = await startAnvil();
    mk = await deployMaker(chain, { openVaults: false });
    sky = await deploySky(chain, mk);
    g = await deploySkyGovernance(chain, mk, sky);
    await g.migrate();
    // the delegates' first spell on the new Chief
    await g.normalSpellCycle([], { description: "first executive on the new Chief" });
  });
  afterAll(async () => {
    await chain.stop();
  });

  it("a normal spell cycle (deployed, voted over days by three delegates, lifted, plotted, executed after the delay) stays at Low or below", async () => {
    const from = (await chain.blockNumber()) + 1;
    const cycle = await g.normalSpellCycle([call(mk.vat, "file(bytes32,uint256)", b32("Line"), rad("1100000000"))], { description: "Executive vote - raise Line" });
    const findings = await run(from);
    expect(above(findings, "Low").map((f) => `${f.finding.alertId} ${f.finding.severity}: ${f.finding.description}`)).toEqual([]);
    const lift = findings.find((f) => f.finding.alertId === "SKY-GOV-LIFT")!;
    expect(lift.finding.severity).toBe("Info");
    expect(lift.finding.metadata).toMatchObject({ class: "normal", vetted: "true", hat: cycle.spell.address.toLowerCase(), supporters: "3", delegateSupporters: "3", campaignObserved: "true", campaignHours: "48.0" });
    expect(ids(findings)).toEqual(expect.arrayContaining(["SKY-GOV-LIFT Info", "MAKER-GOV-HAT-CHANGED Info", "MAKER-PAUSE-PLOT Info", "MAKER-PAUSE-EXEC Info"]));
  });

  it("a spell dressed up as an ordinary one but won in minutes by one fresh account is not vetted: over the hat (Critical), lifted (High), its plot and the hat reported", async () => {
    const from = (await chain.blockNumber()) + 1;
    const attacker = chain.signer(6);
    const attack = await dressedUpSpell(mk, g, attacker);
    const findings = await run(from);
    const lift = findings.find((f) => f.finding.alertId === "SKY-GOV-LIFT")!;
    expect(lift.finding.severity).toBe("High");
    expect(lift.finding.metadata).toMatchObject({ class: "suspicious", vetted: "false", supporters: "1", delegateSupporters: "0" });
    expect(String(lift.finding.metadata.reasons)).toMatch(/won 0\.0 h after its first vote/);
    expect(ids(findings)).toEqual(
      expect.arrayContaining(["SKY-GOV-CANDIDATE-OVER-HAT Critical opened", "SKY-GOV-CANDIDATE-OVER-HAT Info resolved", "MAKER-GOV-HAT-UNKNOWN High opened", "MAKER-PAUSE-PLOT-UNKNOWN Critical"]),
    );
    // the plan's action is the attacker's own (not reviewed): Critical; its clock opens (High)
    const plot = findings.find((f) => f.finding.alertId === "MAKER-PAUSE-PLOT-UNKNOWN")!;
    expect(plot.finding.severity).toBe("Critical");
    expect(plot.finding.metadata).toMatchObject({ actionKnown: "false", usr: attack.plan.usr.toLowerCase() });
    const clock = findings.filter((f) => f.finding.alertId === "MAKER-PAUSE-PLAN-CLOCK");
    expect(alertsOf(clock)).toEqual(["MAKER-PAUSE-PLAN-CLOCK High opened"]);
    expect(clock[0]!.finding.metadata).toMatchObject({ plottedBy: attack.spell.address.toLowerCase(), eta: attack.plan.eta.toString(), secondsUntilEta: String(Number(attack.plan.eta) - (await chain.provider.getBlock(clock[0]!.blockNumber)).timestamp) });
    // the clock runs down: the first block with less than 12 h left escalates (Critical), once
    const from1 = (await chain.blockNumber()) + 1;
    await runDownTo(mk, attack.plan.eta, 11);
    await chain.mine(3);
    expect(alertsOf((await run(from)).filter((f) => f.blockNumber >= from1))).toEqual(["MAKER-PAUSE-PLAN-CLOCK Critical escalated"]);
    // defence: Protego makes a drop spell for the plan, the delegates lift it, anyone schedules it
    const from2 = (await chain.blockNumber()) + 1;
    await protegoDrops(g, attack.plan, chain.signer(5));
    const defence = (await run(from)).filter((f) => f.blockNumber >= from2); // from the attack on: the bot saw the plan plotted
    expect(alertsOf(defence.filter((f) => f.finding.alertId.startsWith("SKY-GOV")))).toEqual(["SKY-GOV-PROTEGO-DEPLOY Low", "SKY-GOV-LIFT Medium", "SKY-GOV-PROTEGO-DROP Medium"]);
    const resolved = defence.filter((f) => f.finding.alertId === "MAKER-PAUSE-PLAN-CLOCK");
    expect(alertsOf(resolved)).toEqual(["MAKER-PAUSE-PLAN-CLOCK Info resolved"]);
    expect(resolved[0]!.finding.metadata).toMatchObject({ resolvedBecause: "dropped", episodePeak: "imminent" });
    expect(defence.find((f) => f.finding.alertId === "SKY-GOV-LIFT")!.finding.metadata.class).toBe("drop-spell");
    expect(defence.find((f) => f.finding.alertId === "SKY-GOV-PROTEGO-DROP")!.finding.metadata.plottedBy).toBe(attack.spell.address.toLowerCase());
    await governanceRecovers(mk, g, attacker, "delegates take the hat back");
  });

  it("Protego lifted to hat: High; anyone drops a plan through it (Medium)", async () => {
    const attacker = chain.signer(7);
    const attack = await dressedUpSpell(mk, g, attacker);
    const from = (await chain.blockNumber()) + 1;
    await protegoDrops(g, attack.plan, chain.signer(5), { liftProtego: true });
    const findings = await run(from);
    expect(alertsOf(findings.filter((f) => f.finding.alertId.startsWith("SKY-GOV-")))).toEqual(["SKY-GOV-LIFT High", "SKY-GOV-PROTEGO-DROP Medium"]);
    expect(findings.find((f) => f.finding.alertId === "SKY-GOV-LIFT")!.finding.metadata.class).toBe("protego");
    await governanceRecovers(mk, g, attacker, "delegates take the hat back");
  });

  it("an emergency spell lifted and scheduled: lift High naming its breaker, the hat calling the MOM directly (High), the breaker tripped (High)", async () => {
    const from = (await chain.blockNumber()) + 1;
    await emergencyHalt(g, chain.signer(5));
    expect((await sky.spbeam.bad()).toString()).toBe("1");
    const findings = await run(from);
    const sky_ = findings.filter((f) => f.finding.alertId.startsWith("SKY-GOV"));
    expect(alertsOf(sky_)).toEqual(["SKY-GOV-LIFT High", "SKY-GOV-EMSP-SCHEDULED High", "SKY-GOV-MOM-BY-HAT High"]);
    expect(sky_[0]!.finding.metadata).toMatchObject({ class: "emsp", breaker: "EMSP_SPBEAM_HALT" });
    expect(sky_[2]!.finding.metadata).toMatchObject({ momKey: "SPBEAM_MOM", event: "Halt(address)", hatEmsp: "EMSP_SPBEAM_HALT" });
    await mk.executeSpell(unhaltSpbeam(sky), { description: "un-halt SPBEAM" });
  });

  it("a whale's new VoteDelegate takes in more than the hat's approvals and lifts an unvetted spell: created (Info), swing (High), over the hat (Critical)", async () => {
    const whale = chain.signer(8);
    const action = await (await import("../../../test/chain/deploy")).deployContract(whale, "SpellAction");
    const spell = await (await import("../../../test/chain/deploy")).deployContract(whale, "DssSpell", mk.pause.address, action.address, "0x", "Executive vote", (await chain.timestamp()) + 30 * 24 * 3600);
    const from = (await chain.blockNumber()) + 1;
    const swing = await whaleDelegateSwing(g, whale, spell.address);
    const findings = await run(from);
    expect(ids(findings.filter((f) => f.finding.alertId.startsWith("SKY-GOV")))).toEqual(
      ["SKY-GOV-CANDIDATE-OVER-HAT Critical opened", "SKY-GOV-CANDIDATE-OVER-HAT Info resolved", "SKY-GOV-DELEGATE-CREATED Info", "SKY-GOV-DELEGATION-SWING High", "SKY-GOV-LIFT High"].sort(),
    );
    const s = findings.find((f) => f.finding.alertId === "SKY-GOV-DELEGATION-SWING")!;
    expect(s.finding.metadata).toMatchObject({ voteDelegate: swing.vd.address.toLowerCase(), lockedWad: swing.amount.toString(), unvetted: spell.address.toLowerCase() });
    await whaleLeaves(g, whale, swing.vd, swing.amount);
    await governanceRecovers(mk, g, null, "delegates take the hat back");
  });

  it("the legacy VoteDelegateFactory's delegates are watched like the new one's; a global emergency spell's Fail is reported (Low while not the hat, High as the hat)", async () => {
    const from = (await chain.blockNumber()) + 1;
    const extras = await deployEmergencyExtras(mk, g);
    // a whale's VoteDelegate made by the legacy factory swings the hat
    const whale = chain.signer(9);
    const deploy = await import("../../../test/chain/deploy");
    const action = await deploy.deployContract(whale, "SpellAction");
    const spell = await deploy.deployContract(whale, "DssSpell", mk.pause.address, action.address, "0x", "Executive vote", (await chain.timestamp()) + 30 * 24 * 3600);
    const swing = await whaleDelegateSwing(g, whale, spell.address, extras.legacyFactory);
    await whaleLeaves(g, whale, swing.vd, swing.amount);
    await governanceRecovers(mk, g, null, "delegates take the hat back");
    const legacy = (await run(from)).filter((f) => f.finding.alertId.startsWith("SKY-GOV-DELEGA"));
    expect(alertsOf(legacy)).toEqual(["SKY-GOV-DELEGATE-CREATED Info", "SKY-GOV-DELEGATION-SWING High"]);
    expect(legacy[0]!.finding.metadata).toMatchObject({ factoryKey: "VOTE_DELEGATE_FACTORY_LEGACY", factory: extras.legacyFactory.address.toLowerCase(), voteDelegate: swing.vd.address.toLowerCase() });
    expect(legacy[1]!.finding.metadata).toMatchObject({ voteDelegate: swing.vd.address.toLowerCase(), unvetted: spell.address.toLowerCase() });

    // the global OSM stop: poked while not the hat (both ilks fail: Low), then lifted and scheduled (WBTC-A fails: High)
    const from2 = (await chain.blockNumber()) + 1;
    const stop = await globalOsmStop(g, extras.osmStop, chain.signer(5));
    expect((await extras.osms[0]!.stopped()).toString()).toBe("1");
    expect((await extras.osms[1]!.stopped()).toString()).toBe("0");
    const findings = (await run(from)).filter((f) => f.blockNumber >= from2);
    const inTx = (hash: string) => alertsOf(findings.filter((f) => f.finding.metadata.txHash === hash && f.finding.alertId.startsWith("SKY-GOV")));
    expect(inTx(stop.early.transactionHash)).toEqual(["SKY-GOV-EMSP-SCHEDULED Low", "SKY-GOV-EMSP-FAIL Low", "SKY-GOV-EMSP-FAIL Low"]);
    expect(inTx(stop.schedule.transactionHash)).toEqual(["SKY-GOV-EMSP-SCHEDULED High", "SKY-GOV-EMSP-FAIL High"]);
    const fail = findings.find((f) => f.finding.alertId === "SKY-GOV-EMSP-FAIL" && f.finding.severity === "High")!;
    expect(fail.finding.metadata).toMatchObject({ breaker: "EMSP_GLOBAL_OSM_STOP", ilk: "WBTC-A", target: extras.osms[1]!.address.toLowerCase(), reason: "OSM/not-authorized", spellIsHat: "true" });
    expect(findings.find((f) => f.finding.alertId === "SKY-GOV-LIFT")!.finding.metadata).toMatchObject({ class: "emsp", breaker: "EMSP_GLOBAL_OSM_STOP" });
    await governanceRecovers(mk, g, null, "delegates take the hat back");
  });
});
