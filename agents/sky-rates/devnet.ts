/**
 * sky-rates' part of the devnet storyline: SPBEAM's bud moving rates within bounds (Low), then
 * governance reconfiguring SPBEAM and its MOM halting it, a spell and an intruder moving rates.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import { skyOf } from "../../scripts/devnet/parts/sky";
import { inOneBlock } from "../../test/chain/deploy";

const b32 = ethers.utils.formatBytes32String;
const GAS = { gasLimit: 1_000_000 };
const RAY = ethers.BigNumber.from(10).pow(27);

export const scenes: Scene[] = [
  {
    title: "SPBEAM's operator moves the SSR, the DSR and the ETH-A fee within their bounds",
    expects: ["SKY-RATE-SETTER-SET"],
    order: 51,
    async play(world) {
      const sky = skyOf(world);
      await sky.spbeamSet([["SSR", 650], ["DSR", 300]]);
      await sky.spbeamSet([["ETH-A", 350]]);
      await sky.rateSetterSet(700, 600, "2000000", "800000000");
    },
  },
  {
    title: "governance adds an SPBEAM bud, widens the SSR bounds, changes tau and wards; the MOM halts SPBEAM; governance resumes it",
    expects: ["SKY-RATE-SETTER-BUD", "SKY-RATE-SETTER-BOUNDS", "SKY-RATE-SETTER-CONFIG", "SKY-RATE-SETTER-RIGHTS", "SKY-RATE-SETTER-HALT"],
    order: 802,
    async play(world) {
      const { maker, l1 } = world;
      const sky = skyOf(world);
      const someone = l1.accounts[7]!;
      await maker.asPauseProxy(async (px) => {
        const sp = sky.spbeam.connect(px);
        await (await sp.kiss(someone)).wait();
        await (await sp["file(bytes32,bytes32,uint256)"](b32("SSR"), b32("max"), 4000)).wait();
        await (await sp["file(bytes32,uint256)"](b32("tau"), 0)).wait();
        await (await sp.rely(someone)).wait();
        await (await sky.spbeamMom.connect(px).halt(sky.spbeam.address)).wait();
        await (await sp["file(bytes32,uint256)"](b32("bad"), 0)).wait();
        await (await sp.deny(someone)).wait();
        await (await sp.diss(someone)).wait();
      });
    },
  },
  {
    title: "a spell sets the DSR; an intruder who got a Jug ward sets the ETH-A fee",
    expects: ["SKY-RATE-SPELL", "SKY-RATE-UNEXPLAINED"],
    order: 803,
    async play(world) {
      const { maker, l1 } = world;
      const intruder = l1.signer(8);
      const who = await intruder.getAddress();
      const [duty] = (await maker.jug.ilks(b32("ETH-A"))) as [ethers.BigNumber];
      await maker.asPauseProxy(async (px) => {
        await inOneBlock(l1, [() => maker.pot.connect(px).drip(GAS), () => maker.pot.connect(px)["file(bytes32,uint256)"](b32("dsr"), RAY.add(1_000_000_000), GAS)]);
        await (await maker.jug.connect(px).rely(who)).wait();
      });
      await inOneBlock(l1, [() => maker.jug.connect(intruder).drip(b32("ETH-A"), GAS), () => maker.jug.connect(intruder)["file(bytes32,bytes32,uint256)"](b32("ETH-A"), b32("duty"), duty.add(1), GAS)]);
      await maker.asPauseProxy(async (px) => (await maker.jug.connect(px).deny(who)).wait());
    },
  },
  {
    title: "the stUSDS MOM zeroes the stUSDS cap and halts its rate setter; governance restores both",
    expects: ["SKY-STUSDS-MOM-ZERO", "SKY-RATE-SETTER-HALT", "SKY-RATE-SETTER-BOUNDS", "SKY-RATE-SETTER-CONFIG"],
    order: 805,
    async play(world) {
      const { maker } = world;
      const sky = skyOf(world);
      await maker.asPauseProxy(async (px) => {
        await (await sky.stusdsMom.connect(px).zeroCap(sky.rateSetter.address)).wait();
        await (await sky.stusdsMom.connect(px).haltRateSetter(sky.rateSetter.address)).wait();
        await (await sky.rateSetter.connect(px)["file(bytes32,uint256)"](b32("maxCap"), ethers.utils.parseEther("1000000000"))).wait();
        await (await sky.stusds.connect(px)["file(bytes32,uint256)"](b32("cap"), ethers.utils.parseEther("1000000000"))).wait();
        await (await sky.rateSetter.connect(px)["file(bytes32,uint256)"](b32("bad"), 0)).wait();
      });
    },
  },
];
