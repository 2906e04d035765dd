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
];
