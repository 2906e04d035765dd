/**
 * sky-lockstake's part of the devnet storyline: ordinary staking first (quiet), then stUSDS used up
 * by Lockstake debt, SKY falling with the clipper stopped (unsafe debt nobody can liquidate),
 * liquidations switched on for two auctions (one short of its debt, one with SKY left over),
 * governance or a rogue ward breaking the engine's rules, and MKR v1 migrations (the line they
 * leave). Amounts are computed from the state
 * the earlier scenes left; each scene leaves the system sound (price back, clipper stopped).
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import { lockstakeOf } from "../../scripts/devnet/parts/lockstake";
import { skyOf } from "../../scripts/devnet/parts/sky";
import { mined } from "../../test/chain/deploy";
import { LOCKSTAKE_OLD_ILK } from "../../test/chain/lockstake";
import { LOCKSTAKE_ILK } from "../../test/chain/sky";
import type { DevnetWorld } from "../../scripts/devnet/types";

const b32 = ethers.utils.formatBytes32String;
const wad = (n: string) => ethers.utils.parseEther(n);
const RAY = ethers.BigNumber.from(10).pow(27);
const RAD = ethers.BigNumber.from(10).pow(45);
const usds = (radAmount: ethers.BigNumber) => ethers.utils.formatEther(radAmount.div(RAY));

/** Lockstake debt + Due [rad] and stUSDS assets [rad]. */
async function usage(world: DevnetWorld): Promise<{ used: ethers.BigNumber; assets: ethers.BigNumber }> {
  const ls = lockstakeOf(world);
  const sky = skyOf(world);
  const [Art, rate] = await world.maker.vat.ilks(b32(LOCKSTAKE_ILK));
  const used = Art.mul(rate).add(await ls.clip.Due());
  const assets = (await sky.stusds.totalSupply()).mul(await sky.stusds.chi());
  return { used, assets };
}

export const scenes: Scene[] = [
  {
    title: "a SKY holder opens a Lockstake urn, delegates, locks more, borrows USDS, frees some SKY and repays part (quiet)",
    expects: [],
    order: 55,
    async play(world) {
      const ls = lockstakeOf(world);
      const user = world.l1.signer(4);
      const i = await ls.open(user, "2000000");
      await ls.delegate(user, i, ls.voteDelegate.address);
      await ls.lock(user, i, "500000");
      await ls.draw(user, i, "12000");
      await ls.free(user, i, "300000");
      await ls.wipe(user, i, "4000");
    },
  },
  {
    title: "Lockstake borrowing uses up stUSDS: 96% of its deposits, then all of them, then repaid",
    expects: ["SKY-LOCKSTAKE-UTILISATION"],
    order: 860,
    async play(world) {
      const ls = lockstakeOf(world);
      const borrower = world.l1.signer(7);
      const i = await ls.open(borrower, "1500000");
      const { used, assets } = await usage(world);
      const to96 = assets.mul(96).div(100).sub(used).div(RAD).add(1);
      await ls.draw(borrower, i, to96.toString());
      const more = (await usage(world)).assets.sub((await usage(world)).used).div(RAD).add(10);
      await ls.draw(borrower, i, more.toString());
      // back to about half of the deposits
      const after = await usage(world);
      const back = after.used.sub(after.assets.div(2)).div(RAD);
      await ls.wipe(borrower, i, back.toString());
    },
  },
  {
    title: "SKY falls from 0.06 to 0.022 and 0.016 USDS while the Lockstake clipper is stopped: one urn, then two, unsafe and unliquidatable",
    expects: ["SKY-LOCKSTAKE-UNLIQUIDATABLE"],
    order: 861,
    async play(world) {
      const ls = lockstakeOf(world);
      const borrower = world.l1.signer(7);
      // the borrower's first urn keeps 20,000 USDS of debt; a second urn borrows 15,000
      const owner = await borrower.getAddress();
      const [, art] = await world.maker.vat.urns(b32(LOCKSTAKE_ILK), await ls.urnOf(owner, 0));
      const [, rate] = await world.maker.vat.ilks(b32(LOCKSTAKE_ILK));
      const debt = art.mul(rate).div(RAY).div(wad("1"));
      if (debt.gt(20000)) await ls.wipe(borrower, 0, debt.sub(20000).toString());
      if (debt.lt(20000)) await ls.draw(borrower, 0, ethers.BigNumber.from(20000).sub(debt).toString());
      if ((await ls.engine.ownerUrnsCount(owner)).lt(2)) await ls.open(borrower, "1000000");
      await ls.draw(borrower, 1, "15000");
      // urn 0 (1.5M SKY) is unsafe below 0.016 USDS; free down to 1M SKY so that it is unsafe below 0.024
      await ls.free(borrower, 0, "500000");
      await ls.setSkyPrice("0.022"); // urn 0 unsafe: 20,000 USDS (Medium)
      await ls.setSkyPrice("0.016"); // urn 1 too: 35,000 USDS (High from 25,000 in the devnet)
    },
  },
  {
    title: "governance turns liquidations on; keepers auction both urns: one sells out short of its debt far below the oracle, the other covers its tab with SKY left; liquidations off again and SKY back at 0.06",
    expects: ["SKY-LOCKSTAKE-CLIP-FILE", "SKY-LOCKSTAKE-KICK", "SKY-LOCKSTAKE-TAKE-LOW", "SKY-LOCKSTAKE-AUCTION-END"],
    order: 862,
    async play(world) {
      const ls = lockstakeOf(world);
      const sky = skyOf(world);
      const { maker, l1 } = world;
      const keeper = l1.signer(7);
      const me = await keeper.getAddress();
      const ilk = b32(LOCKSTAKE_ILK);
      await ls.setStopped(0);
      await mined(sky.usds.connect(keeper).approve(sky.usdsJoin.address, wad("30000")));
      await mined(sky.usdsJoin.connect(keeper).join(me, wad("30000")));
      await mined(maker.vat.connect(keeper).hope(ls.clip.address));
      await mined(maker.dog.connect(keeper).bark(ilk, await ls.urnOf(me, 0), me));
      const first = await ls.clip.kicks();
      await l1.increaseTime(3000); // half of tail: the price is half of top, well below the oracle
      await mined(ls.clip.connect(keeper).take(first, wad("1000000"), RAY, me, "0x"));
      await mined(maker.dog.connect(keeper).bark(ilk, await ls.urnOf(me, 1), me));
      await mined(ls.clip.connect(keeper).take(first.add(1), wad("1000000"), RAY, me, "0x"));
      await ls.setStopped(3);
      await ls.setSkyPrice("0.06");
    },
  },
  {
    title: "a rogue lsSKY ward mints and burns lsSKY with no SKY behind it; governance frees SKY with no fee, whitelists and removes a farm",
    expects: ["SKY-LOCKSTAKE-LSSKY-OUTSIDE-ENGINE", "SKY-LOCKSTAKE-CUSTODY", "SKY-LOCKSTAKE-FREE-NO-FEE", "SKY-LOCKSTAKE-ENGINE-CONFIG"],
    order: 863,
    async play(world) {
      const ls = lockstakeOf(world);
      const { maker, l1 } = world;
      const rogue = l1.signer(8);
      const rogueAddr = await rogue.getAddress();
      const farm = l1.accounts[6]!;
      await maker.asPauseProxy(async (px) => mined(ls.lssky.connect(px).rely(rogueAddr)));
      await mined(ls.lssky.connect(rogue).mint(rogueAddr, wad("1000")));
      await mined(ls.lssky.connect(rogue).burn(rogueAddr, wad("1000")));
      await maker.asPauseProxy(async (px) => {
        await mined(ls.lssky.connect(px).deny(rogueAddr));
        const holder = await l1.signer(4).getAddress();
        await mined(ls.engine.connect(px).freeNoFee(holder, 0, holder, wad("1000")));
        await mined(ls.engine.connect(px).addFarm(farm));
        await mined(ls.engine.connect(px).delFarm(farm));
      });
    },
  },
  {
    title: "two MKR v1 urns are migrated, one without debt and one with 12M USDS: the migrator's 55M-then-0 toggle leaves LSEV2-SKY-A's line at 0 (borrowing halted); governance restores it; governance gives the MKR v1 ilk a line and takes it back",
    expects: ["SKY-LOCKSTAKE-MIGRATE", "SKY-LOCKSTAKE-MIGRATOR-LINE", "SKY-LOCKSTAKE-OLD-ILK-LINE"],
    order: 864,
    async play(world) {
      const ls = lockstakeOf(world);
      const { maker, l1 } = world;
      const ilk = b32(LOCKSTAKE_ILK);
      const [, , , line] = await maker.vat.ilks(ilk);
      const [a, b] = [l1.signer(5), l1.signer(6)];
      await mined(ls.migrator.connect(a).migrate(await a.getAddress(), 0, await a.getAddress(), 0, wad("100"), 0));
      await mined(ls.migrator.connect(b).migrate(await b.getAddress(), 3, await b.getAddress(), 0, wad("20000"), wad("12000000").mul(RAY)));
      await maker.asPauseProxy(async (px) => {
        await mined(maker.vat.connect(px)["file(bytes32,bytes32,uint256)"](ilk, b32("line"), line));
        await mined(maker.vat.connect(px)["file(bytes32,bytes32,uint256)"](b32(LOCKSTAKE_OLD_ILK), b32("line"), wad("1000000").mul(RAY)));
        await mined(maker.vat.connect(px)["file(bytes32,bytes32,uint256)"](b32(LOCKSTAKE_OLD_ILK), b32("line"), 0));
      });
    },
  },
];
