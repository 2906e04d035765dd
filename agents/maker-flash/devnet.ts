/**
 * maker-flash's part of the devnet storyline: ordinary flash mints first (quiet), then large ones,
 * flash mints combined with a chief lift, an OSM poke, a Clipper take and an ESM join, and finally
 * governance changing DssFlash's parameters (restored afterwards).
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import type { DevnetWorld } from "../../scripts/devnet/world";
import { call, flashMint, fundVatDai, vatDaiFlashLoan } from "../../test/chain/maker";
import { comboExecute, comboFlashMint, comboVatDaiFlash, deployFlashMulticall, liftableSpell, startAuction } from "../../test/chain/maker/flash-combo";

const wad = (n: string) => ethers.utils.parseEther(n);
const rad = (n: string) => wad(n).mul(ethers.BigNumber.from(10).pow(27));
const b32 = ethers.utils.formatBytes32String;

let comboCache: { world: DevnetWorld; combo: ethers.Contract } | undefined;
async function comboOf(world: DevnetWorld): Promise<ethers.Contract> {
  if (comboCache?.world !== world) comboCache = { world, combo: await deployFlashMulticall(world.maker, world.l1.signer(8)) };
  return comboCache.combo;
}

export const scenes: Scene[] = [
  {
    title: "arbitrageurs flash-mint small amounts of DAI and internal dai (nothing to report)",
    expects: [],
    order: 20,
    async play(world) {
      await flashMint(world.maker, "250000");
      await vatDaiFlashLoan(world.maker, rad("1000000"));
    },
  },
  {
    title: "a 25M DAI flash mint (Info) and a 150M internal-dai flash loan (Low)",
    expects: ["MAKER-FLASH-LARGE-LOAN"],
    order: 300,
    async play(world) {
      await flashMint(world.maker, "25000000");
      await vatDaiFlashLoan(world.maker, rad("150000000"));
    },
  },
  {
    title: "a flash mint lifts a spell in the chief within the same transaction (governance flash-loan shape)",
    expects: ["MAKER-FLASH-COMBINED"],
    order: 310,
    async play(world) {
      const combo = await comboOf(world);
      const spell = await liftableSpell(world.maker);
      await comboFlashMint(combo, "5000000", [call(world.maker.chief, "lift(address)", spell)]);
    },
  },
  {
    title: "a flash mint pokes the ETH OSM, another joins the ESM, an internal-dai loan pays for a Clipper take",
    expects: ["MAKER-FLASH-COMBINED"],
    order: 320,
    async play(world) {
      const { maker, l1 } = world;
      const combo = await comboOf(world);
      const pip = maker.ilks["ETH-A"].pip;
      await l1.setNextBlockTimestamp(Math.max(Number(await pip.zzz()) + Number(await pip.hop()), (await l1.timestamp()) + 1));
      await comboFlashMint(combo, "3000000", [call(pip, "poke()")]);

      await (await maker.gov.connect(maker.deployer).transfer(combo.address, wad("1"))).wait();
      await comboExecute(combo, [call(maker.gov, "approve(address,uint256)", maker.esm.address, wad("1"))]);
      await comboFlashMint(combo, "1000", [call(maker.esm, "join(uint256)", wad("1"))]);

      const { id, clip, restorePrice } = await startAuction(maker, l1.signer(4));
      const funder = l1.signer(5);
      await fundVatDai(maker, funder, "30000");
      await (await maker.vat.connect(funder).move(await funder.getAddress(), combo.address, rad("25000"))).wait();
      await comboExecute(combo, [call(maker.vat, "hope(address)", clip.address)]);
      const status = await clip.getStatus(id);
      await comboVatDaiFlash(combo, "1000", [call(clip, "take(uint256,uint256,uint256,address,bytes)", id, status.lot, status.price, combo.address, "0x")]);
      await maker.setPrice("ETH-A", restorePrice);
    },
  },
  {
    title: "governance raises DssFlash's max and sets a toll, then restores both",
    expects: ["MAKER-FLASH-FILE"],
    order: 330,
    async play(world) {
      const { maker } = world;
      const max = await maker.flash.max();
      await maker.asPauseProxy(async (proxy) => {
        const flash = maker.flash.connect(proxy);
        await (await flash["file(bytes32,uint256)"](b32("max"), wad("1000000000"))).wait();
        await (await flash["file(bytes32,uint256)"](b32("toll"), wad("0.0001"))).wait();
        await (await flash["file(bytes32,uint256)"](b32("toll"), 0)).wait();
        await (await flash["file(bytes32,uint256)"](b32("max"), max)).wait();
      });
    },
  },
];
