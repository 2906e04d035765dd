/**
 * sky-stablecoin's part of the devnet storyline: ordinary USDS/sUSDS activity first (quiet),
 * then governance changes, a rogue USDS ward, broken sUSDS accounting and new MKR, each undone so
 * the later scenes find a sound system.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import { skyOf } from "../../scripts/devnet/parts/sky";
import { deployContract } from "../../test/chain/deploy";
import { deployVestSky, mkrSkyHousekeeping, overpayingSusdsDrip, rogueSkyMinter, stretchSusdsDrip, vestSkyPayout } from "../../test/chain/sky-flows";

const wad = (n: string) => ethers.utils.parseEther(n);
const b32 = ethers.utils.formatBytes32String;

export const scenes: Scene[] = [
  {
    title: "ordinary Sky activity: DAI to USDS and back, sUSDS deposits and withdrawals, MKR to SKY (quiet)",
    expects: [],
    order: 50,
    async play(world) {
      const sky = skyOf(world);
      const user = world.l1.signer(3);
      await sky.daiToUsds(user, "20000");
      await sky.deposit(user, "8000");
      await sky.withdraw(user, "3000");
      await sky.usdsToDai(user, "4000");
      await sky.mkrToSky(world.maker.deployer, "5");
      await sky.stDeposit(user, "5000");
      await sky.stWithdraw(user, "1000");
    },
  },
  {
    title: "governance upgrades sUSDS and makes a new USDS ward, who mints unbacked USDS and upgrades USDS, then burns it back",
    expects: ["SKY-UPGRADED", "SKY-STABLE-WARD-ADDED", "SKY-USDS-UNBACKED", "SKY-USDS-MINT-UNMATCHED"],
    order: 800,
    async play(world) {
      const { maker, l1 } = world;
      const sky = skyOf(world);
      const rogue = l1.signer(8);
      const rogueAddr = await rogue.getAddress();
      await maker.asPauseProxy(async (px) => {
        await (await sky.susds.connect(px).upgradeToAndCall(sky.susdsImp.address, "0x")).wait();
        await (await sky.usds.connect(px).rely(rogueAddr)).wait();
      });
      await (await sky.usds.connect(rogue).mint(rogueAddr, wad("250000"))).wait();
      await (await sky.usds.connect(rogue).upgradeToAndCall(sky.usdsImp.address, "0x")).wait();
      await (await sky.usds.connect(rogue).burn(rogueAddr, wad("250000"))).wait();
      await maker.asPauseProxy(async (px) => (await sky.usds.connect(px).deny(rogueAddr)).wait());
    },
  },
  {
    title: "sUSDS chi is written up past its reserve, then back down; MKR is minted past MKR_SKY's SKY, then burnt; a fake DAI_USDS converts nothing",
    expects: ["SKY-SAVINGS-RESERVE", "SKY-SAVINGS-CHI-DECREASED", "SKY-MKR-SKY-SHORTFALL", "SKY-CONVERSION-MISMATCH"],
    order: 801,
    async play(world) {
      const { maker, l1 } = world;
      const sky = skyOf(world);
      const chi = await sky.susds.chi();
      const slot = ethers.utils.hexZeroPad("0x04", 32); // SUsds: wards 0, totalSupply 1, balanceOf 2, allowance 3, chi 4
      await world.settle();
      await l1.send("anvil_setStorageAt", [sky.susds.address, slot, ethers.utils.hexZeroPad(chi.mul(2).toHexString(), 32)]);
      await l1.send("evm_mine");
      await world.settle();
      await l1.send("anvil_setStorageAt", [sky.susds.address, slot, ethers.utils.hexZeroPad(chi.toHexString(), 32)]);
      await l1.send("evm_mine");
      await maker.asPauseProxy(async (px) => {
        const me = await px.getAddress();
        await (await maker.gov.connect(px)["mint(address,uint256)"](me, wad("100"))).wait();
        await (await maker.gov.connect(px)["burn(address,uint256)"](me, wad("100"))).wait();
      });
      const fake = await deployContract(maker.deployer, "DaiUsdsDouble");
      await maker.asPauseProxy(async (px) => (await maker.chainlog.connect(px).setAddress(b32("DAI_USDS"), fake.address)).wait());
      await (await fake.connect(l1.signer(3)).daiToUsds(await l1.signer(3).getAddress(), wad("1000"))).wait();
      await maker.asPauseProxy(async (px) => (await maker.chainlog.connect(px).setAddress(b32("DAI_USDS"), sky.daiUsds.address)).wait());
    },
  },
  {
    title: "Lockstake bad debt: governance cuts stUSDS twice, a little and then 2% of its depositors' value",
    expects: ["SKY-STUSDS-CUT"],
    order: 804,
    async play(world) {
      const sky = skyOf(world);
      const RAD = ethers.BigNumber.from(10).pow(45);
      const assets = await sky.stusds.totalSupply();
      await world.maker.asPauseProxy(async (px) => {
        await (await sky.stusds.connect(px).cut(RAD.mul(10))).wait();
        await (await sky.stusds.connect(px).cut(assets.mul(2).div(100).mul(ethers.BigNumber.from(10).pow(27)))).wait();
      });
    },
  },
  {
    title: "a spell sets MKR_SKY's fee to 4%, collects the fees and burns them (Low); a spell onboards MCD_VEST_SKY, whose payouts mint SKY as a known minter (quiet)",
    expects: ["SKY-MKR-SKY-ADMIN"],
    order: 806,
    async play(world) {
      const sky = skyOf(world);
      await sky.mkrToSky(world.maker.deployer, "1");
      await mkrSkyHousekeeping(world.maker, sky, "0.04");
      const vest = await deployVestSky(world.maker, sky);
      await world.l1.increaseTime(86_400);
      await vestSkyPayout(world.maker, vest);
    },
  },
  {
    title: "governance makes an address a SKY ward; it mints 1M SKY to itself (no known minter: Critical), burns it, and loses the right",
    expects: ["SKY-STABLE-WARD-ADDED", "SKY-MINT-UNKNOWN"],
    order: 807,
    async play(world) {
      await rogueSkyMinter(world.maker, skyOf(world), "1000000", "devnet-sky-rogue-minter");
    },
  },
  {
    title: "a rush out of USDS: 60k USDS converted to DAI within the window (surge, a Medium episode), then converted back (resolved)",
    expects: ["SKY-USDS-TO-DAI-SURGE"],
    order: 808,
    async play(world) {
      const sky = skyOf(world);
      const user = world.l1.signer(3);
      await sky.usdsToDai(user, "60000");
      await world.l1.mine();
      await sky.daiToUsds(user, "60000");
      await world.l1.mine();
    },
  },
  {
    title: "an sUSDS drip after a two-year gap (its rho moved back by a storage write) mints a large yield in one go (Medium)",
    expects: ["SKY-SUSDS-DRIP-LARGE"],
    order: 809,
    async play(world) {
      await stretchSusdsDrip(world.maker, skyOf(world), 730 * 86_400);
      await world.l1.mine();
    },
  },
  {
    title: "faulty code behind sUSDS (anvil_setCode, standing for a bad implementation) for one drip: it mints twice the yield its rate and time explain (High), then sUSDS's own code is back",
    expects: ["SKY-SUSDS-DRIP-LARGE"],
    order: 809.5,
    async play(world) {
      await overpayingSusdsDrip(world.maker, skyOf(world), 86_400);
      await world.l1.mine();
    },
  },
];
