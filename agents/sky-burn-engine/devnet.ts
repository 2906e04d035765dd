/**
 * sky-burn-engine's part of the devnet storyline: burns as usual first (quiet), then governance
 * retuning the engine and its MOM stopping it, a flap sandwiched near the flapper's band and an
 * oracle jump, a loss that brings the Vow to the Kicker's threshold (recapitalised after), and at
 * the very end (orders 1100-1101: a cage cannot be undone, and the oracle goes stale only after a
 * week's warp) the Splitter's cage and a stale flap oracle.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import { DEVNET_FLAP_ORACLE_MAX_AGE, skyBurnOf } from "../../scripts/devnet/parts/sky-burn";
import { flapThreshold } from "../../test/chain/sky-burn";

const b32 = ethers.utils.formatBytes32String;
const wad = (n: string) => ethers.utils.parseEther(n);
const rad = (n: string) => ethers.utils.parseUnits(n, 45);

export const scenes: Scene[] = [
  {
    title: "the Smart Burn Engine burns: a keeper flaps, the oracle follows the market, traders trade (quiet)",
    expects: [],
    order: 52,
    async play(world) {
      const burn = skyBurnOf(world);
      await burn.flap();
      await burn.flap();
      await burn.trade("sellSky", "2000000");
      await burn.poke(await burn.poolPrice());
      await burn.flap();
    },
  },
  {
    title: "governance raises kbump and lowers the flapper's want, then restores them; SplitterMom stops the burns; governance resumes them",
    expects: ["SKY-BURN-PARAM", "SKY-BURN-HALTED"],
    order: 806,
    async play(world) {
      const burn = skyBurnOf(world);
      await world.maker.asPauseProxy(async (px) => {
        await (await burn.kicker.connect(px)["file(bytes32,uint256)"](b32("kbump"), rad("10000"))).wait();
        await (await burn.flapper.connect(px)["file(bytes32,uint256)"](b32("want"), wad("0.95"))).wait();
        await (await burn.splitterMom.connect(px).stop()).wait();
        await (await burn.splitter.connect(px)["file(bytes32,uint256)"](b32("hop"), burn.params.hop)).wait();
        await (await burn.kicker.connect(px)["file(bytes32,uint256)"](b32("kbump"), rad(burn.params.kbump))).wait();
        await (await burn.flapper.connect(px)["file(bytes32,uint256)"](b32("want"), wad(burn.params.want))).wait();
      });
    },
  },
  {
    title: "someone buys SKY just ahead of a flap (it realises ~98.2% of the oracle price); the oracle jumps 20% and back",
    expects: ["SKY-FLAP-NEAR-BAND", "SKY-FLAP-ORACLE-JUMP"],
    order: 807,
    async play(world) {
      const burn = skyBurnOf(world);
      await burn.poke(await burn.poolPrice());
      await burn.pushPrice(1.0146);
      await burn.flap();
      await burn.trade("sellSky", "5000000");
      const p = Number(await burn.poolPrice());
      await burn.poke((p * 1.2).toFixed(6));
      await burn.poke(p.toFixed(6));
    },
  },
  {
    title: "a loss brings the Vow near the Kicker's threshold, then below it (burns stop); the loss is covered",
    expects: ["SKY-BURN-HEADROOM"],
    order: 808,
    async play(world) {
      const { maker } = world;
      const burn = skyBurnOf(world);
      const threshold = flapThreshold(burn.params);
      const lossTo = async (target: ethers.BigNumber) => {
        const net = await burn.netPosition();
        await maker.asPauseProxy(async (px) => (await maker.vat.connect(px).suck(maker.vow.address, maker.pauseProxy.address, net.sub(target))).wait());
      };
      const before = await burn.netPosition();
      await lossTo(threshold.add(rad("5000000")));
      await burn.flap();
      await lossTo(threshold.sub(rad("1")));
      const back = before.sub(await burn.netPosition());
      await maker.asPauseProxy(async (px) => (await maker.vat.connect(px).suck(maker.pauseProxy.address, maker.vow.address, back)).wait());
    },
  },
  {
    title: "governance cages the Splitter",
    expects: ["SKY-BURN-CAGED"],
    order: 1100,
    async play(world) {
      const burn = skyBurnOf(world);
      await world.maker.asPauseProxy(async (px) => (await burn.splitter.connect(px).cage(0)).wait());
    },
  },
  {
    title: "a week passes with no poke of the flap oracle (the devnet's SKY_FLAP_ORACLE_MAX_AGE)",
    expects: ["SKY-FLAP-ORACLE-STALE"],
    order: 1101,
    async play(world) {
      await world.l1.increaseTime(DEVNET_FLAP_ORACLE_MAX_AGE + 60);
      await world.l1.mine();
    },
  },
];
