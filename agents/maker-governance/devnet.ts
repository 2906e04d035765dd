/**
 * maker-governance's part of the devnet storyline. An ordinary spell plays early (quiet: Info
 * only); the attack scenes play at 600-630, a range of their own (every spell warps time by the
 * governance delay, which would disturb other bots' multi-scene stories), and each leaves
 * governance as it found it: a known
 * spell is the hat again, the hat's approvals are restored, the pause has its delay, authority
 * and no owner. The devnet's known spell deployer and lifter is the Maker deployer
 * (scripts/devnet/parts/maker-governance.ts); attackers use other accounts.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import type { DevnetWorld } from "../../scripts/devnet/world";
import { mined } from "../../test/chain/deploy";
import { call } from "../../test/chain/maker";
import {
  castSpell,
  delayBypassSpell,
  governanceTakeover,
  lowerHatApprovals,
  planSpell,
  restoreHatApprovals,
  restorePause,
} from "../../test/chain/maker/governance-scenarios";
import { skyOf } from "../../scripts/devnet/parts/sky";
import { skyEmergencyExtrasOf, skyGovernanceOf } from "../../scripts/devnet/parts/sky-governance";
import { dressedUpSpell, emergencyHalt, globalOsmStop, governanceRecovers, protegoDrops, runDownTo, unhaltSpbeam, whaleDelegateSwing, whaleLeaves } from "../../test/chain/sky-governance-scenarios";
import { deployContract } from "../../test/chain/deploy";

const wad = (n: string) => ethers.utils.parseEther(n);
const b32 = ethers.utils.formatBytes32String;
const rad = (n: string) => ethers.utils.parseUnits(n, 45);

/** Let the runtime process a few blocks (grace periods count blocks). */
async function mineAndSettle(world: DevnetWorld, n: number): Promise<void> {
  await world.l1.mine(n);
  await world.settle();
}

export const scenes: Scene[] = [
  {
    title: "governance casts an ordinary spell (vote, lift, plot, exec) and a supporter adds weight: Info only",
    expects: ["MAKER-GOV-HAT-CHANGED", "MAKER-PAUSE-PLOT", "MAKER-PAUSE-EXEC"],
    order: 20,
    async play(world) {
      const { maker, l1 } = world;
      const line: ethers.BigNumber = await maker.vat.Line();
      const spell = await maker.executeSpell([call(maker.vat, "file(bytes32,uint256)", b32("Line"), line.add(rad("1000000")))], { description: "devnet: raise Line" });
      const supporter = l1.signer(4);
      await mined(maker.gov.connect(maker.deployer).transfer(await supporter.getAddress(), wad("1000")));
      await mined(maker.gov.connect(supporter)["approve(address,uint256)"](maker.chief.address, ethers.constants.MaxUint256));
      await mined(maker.chief.connect(supporter).lock(wad("1000")));
      await mined(maker.chief.connect(supporter)["vote(address[])"]([spell.spell.address]));
    },
  },
  {
    title: "voters free most of their weight: the hat's approvals stay below the threshold, fall further, then recover",
    expects: ["MAKER-GOV-HAT-APPROVALS-LOW"],
    order: 600,
    async play(world) {
      const { maker } = world;
      const before: ethers.BigNumber = await maker.chief.approvals(await maker.chief.hat());
      await lowerHatApprovals(maker, "20000"); // below 40,000: opens after the 10-block grace period
      await mineAndSettle(world, 12);
      await lowerHatApprovals(maker, "5000"); // below 10,000: escalates to Critical
      await mineAndSettle(world, 3);
      await restoreHatApprovals(maker, ethers.utils.formatEther(before.sub(wad("5000")))); // back where it was: resolves
    },
  },
  {
    title: "a spell from an unknown deployer is voted in and lifted by its author, scheduled and cast; governance then lifts a known spell",
    expects: ["MAKER-GOV-HAT-UNKNOWN", "MAKER-GOV-LIFTER-UNKNOWN", "MAKER-PAUSE-PLOT-UNKNOWN", "MAKER-PAUSE-EXEC-UNKNOWN"],
    order: 610,
    async play(world) {
      const { maker, l1 } = world;
      await maker.executeSpell([], { voter: l1.signer(6), description: "devnet: spell of unknown origin" });
      await maker.executeSpell([], { description: "devnet: governance takes the hat back" });
    },
  },
  {
    title: "tokens arrive, are locked, voted and lifted in one transaction (governance takeover); governance takes the hat back",
    expects: ["MAKER-GOV-FLASH-TAKEOVER"],
    order: 620,
    async play(world) {
      const { maker, l1 } = world;
      await governanceTakeover(maker, l1.signer(7));
      await castSpell(maker, await planSpell(maker, [], { description: "devnet: governance takes the hat back" }));
    },
  },
  {
    title: "a spell removes the governance delay, makes the proxy the pause's owner and schedules a plan sooner than the delay; a second spell undoes it",
    expects: ["MAKER-PAUSE-DELAY-REDUCED", "MAKER-PAUSE-OWNER", "MAKER-PAUSE-PLOT-DELAY-BYPASS", "MAKER-PAUSE-DROP", "MAKER-PAUSE-AUTHORITY", "MAKER-PAUSE-DELAY-RAISED"],
    order: 630,
    async play(world) {
      const { maker } = world;
      const bypass = await delayBypassSpell(maker);
      await restorePause(maker, bypass);
    },
  },
  // the new Chief (MCD_ADM since 2025): governance moves there at 850, after every scene that votes
  // on the legacy chief; from then on executeSpell wins through the delegates' VoteDelegates
  {
    title: "governance moves to the new Chief (the 2025 migration spell); three delegates open VoteDelegates and vote the first spell there over two days: Info only on the new Chief",
    expects: ["SKY-GOV-DELEGATE-CREATED", "SKY-GOV-LIFT"],
    order: 850,
    async play(world) {
      const g = await skyGovernanceOf(world);
      await g.migrate();
      await g.normalSpellCycle([], { description: "devnet: first executive on the new Chief" });
    },
  },
  {
    title: "quiet stretch on the new Chief: a spell deployed, voted over days by the delegates, lifted, plotted, executed after the delay",
    expects: ["SKY-GOV-LIFT", "MAKER-PAUSE-PLOT", "MAKER-PAUSE-EXEC"],
    order: 851,
    async play(world) {
      const { maker } = world;
      const g = await skyGovernanceOf(world);
      const line: ethers.BigNumber = await maker.vat.Line();
      await g.normalSpellCycle([call(maker.vat, "file(bytes32,uint256)", b32("Line"), line.add(rad("1000000")))], { description: "devnet: raise Line on the new Chief" });
    },
  },
  {
    title: "an attacker's spell dressed up as ordinary is voted in within minutes and schedules its own action (Critical; the plan's clock opens); the clock runs down under 12 h (Critical); Protego makes a drop spell, the delegates lift it and the plan is dropped (the clock resolved); governance takes the hat back",
    expects: ["SKY-GOV-CANDIDATE-OVER-HAT", "SKY-GOV-LIFT", "MAKER-PAUSE-PLOT-UNKNOWN", "MAKER-PAUSE-PLAN-CLOCK", "SKY-GOV-PROTEGO-DEPLOY", "SKY-GOV-PROTEGO-DROP"],
    order: 860,
    async play(world) {
      const { maker, l1 } = world;
      const g = await skyGovernanceOf(world);
      const attack = await dressedUpSpell(maker, g, l1.signer(6));
      await world.settle();
      await runDownTo(maker, attack.plan.eta, 11);
      await mineAndSettle(world, 2);
      await protegoDrops(g, attack.plan, l1.signer(5));
      await governanceRecovers(maker, g, l1.signer(6), "devnet: delegates take the hat back");
    },
  },
  {
    title: "the delegates lift the SPBEAM halt emergency spell and it is scheduled: SPBEAM halted through its MOM by the hat; a spell resumes SPBEAM",
    expects: ["SKY-GOV-LIFT", "SKY-GOV-EMSP-SCHEDULED", "SKY-GOV-MOM-BY-HAT"],
    order: 861,
    async play(world) {
      const { maker, l1 } = world;
      await emergencyHalt(await skyGovernanceOf(world), l1.signer(5));
      await maker.executeSpell(unhaltSpbeam(skyOf(world)), { description: "devnet: resume SPBEAM" });
    },
  },
  {
    title: "a whale opens a VoteDelegate, moves more SKY into it than the hat holds and lifts an unvetted spell; it leaves and governance takes the hat back",
    expects: ["SKY-GOV-DELEGATE-CREATED", "SKY-GOV-DELEGATION-SWING", "SKY-GOV-CANDIDATE-OVER-HAT"],
    order: 862,
    async play(world) {
      const { maker, l1 } = world;
      const g = await skyGovernanceOf(world);
      const whale = l1.signer(8);
      const action = await deployContract(whale, "SpellAction");
      const spell = await deployContract(whale, "DssSpell", maker.pause.address, action.address, "0x", "Executive vote", (await l1.timestamp()) + 30 * 24 * 3600);
      const swing = await whaleDelegateSwing(g, whale, spell.address);
      await whaleLeaves(g, whale, swing.vd, swing.amount);
      await governanceRecovers(maker, g, null, "devnet: delegates take the hat back");
    },
  },
  {
    title: "a spell adds the legacy VoteDelegateFactory, OSM_MOM and the global OSM stop emergency spell to the ChainLog; a whale opens a VoteDelegate through the legacy factory and swings the hat; it leaves and governance takes the hat back",
    expects: ["SKY-GOV-DELEGATE-CREATED", "SKY-GOV-DELEGATION-SWING"],
    order: 863,
    async play(world) {
      const { maker, l1 } = world;
      const g = await skyGovernanceOf(world);
      const extras = await skyEmergencyExtrasOf(world);
      const whale = l1.signer(8);
      const action = await deployContract(whale, "SpellAction");
      const spell = await deployContract(whale, "DssSpell", maker.pause.address, action.address, "0x", "Executive vote", (await l1.timestamp()) + 30 * 24 * 3600);
      const swing = await whaleDelegateSwing(g, whale, spell.address, extras.legacyFactory);
      await whaleLeaves(g, whale, swing.vd, swing.amount);
      await governanceRecovers(maker, g, null, "devnet: delegates take the hat back");
    },
  },
  {
    title: "the global OSM stop emergency spell: poked while not the hat (every ilk fails, Low), then lifted and scheduled: ETH-A's OSM stops, WBTC-A's fails (High); governance takes the hat back",
    expects: ["SKY-GOV-EMSP-SCHEDULED", "SKY-GOV-EMSP-FAIL", "SKY-GOV-LIFT"],
    order: 864,
    async play(world) {
      const { maker, l1 } = world;
      const g = await skyGovernanceOf(world);
      const extras = await skyEmergencyExtrasOf(world);
      await globalOsmStop(g, extras.osmStop, l1.signer(5));
      await governanceRecovers(maker, g, null, "devnet: delegates take the hat back");
    },
  },
];
