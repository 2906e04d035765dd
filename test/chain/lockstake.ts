/**
 * Sky's Lockstake and the LitePSM's MOM over a deployed Maker + Sky system (test/chain/maker.ts,
 * test/chain/sky.ts), wired like mainnet (../shared/reference/sky.md sections 8 and 11):
 * LockstakeEngine (a Vat ward; lsSKY's minter), LockstakeSky, LockstakeClipper (a Vat ward, a
 * ward of stUSDS for `cut`, kicked by the Dog; installed STOPPED at 3 as on mainnet),
 * LockstakeCappedOsmWrapper over a SKY price (DSValue standing in for PIP_SKY; the Spotter and
 * the clipper its buds), LockstakeMigrator (a Vat ward: it toggles the ilk's line; the old MKR ilk
 * LSE-MKR-A is initialised in the Vat with line 0), a VoteDelegate and DssLitePsmMom (a ward
 * of the lite PSM, owner the pause proxy, authority the chief). The pause proxy ends up the only
 * ward; the ChainLog gets LOCKSTAKE_ENGINE, LOCKSTAKE_SKY, LOCKSTAKE_CLIP, LOCKSTAKE_MIGRATOR,
 * LOCKSTAKE_ORACLE and LITE_PSM_MOM.
 *
 *   const ls = await deployLockstake(chain, mk, sky);
 *   const urn = await ls.open(chain.signer(4), "1000000");   // opens an urn, locks 1M SKY
 *   await ls.draw(chain.signer(4), 0, "30000");
 *   await ls.setSkyPrice("0.045");                           // the source price, then a Spotter poke
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "./anvil";
import { deployContract, mined } from "./deploy";
import type { MakerSystem } from "./maker";
import { LOCKSTAKE_ILK, type SkySystem } from "./sky";
import { b32, rad, ray, wad } from "./units";

/** the MKR v1 Lockstake ilk (LOCKSTAKE_ENGINE_OLD_V1's), whose line must stay 0 */
export const LOCKSTAKE_OLD_ILK = "LSE-MKR-A";

export interface LockstakeParams {
  /** SKY price of the source oracle and the cap of LOCKSTAKE_ORACLE [USDS] */
  skyPrice: string;
  cap: string;
  /** Spotter mat (mainnet 1.2), Dog chop (1.13) and hole [USDS], clipper buf (1.2) and tail [s] */
  mat: string;
  chop: string;
  hole: string;
  buf: string;
  tail: number;
  /** the ilk's Vat line [USDS] and stUSDS's own line */
  line: string;
  /** the clipper's `stopped` at install (mainnet: 3, liquidations off) */
  stopped: number;
}

export const DEFAULT_LOCKSTAKE_PARAMS: LockstakeParams = {
  skyPrice: "0.06",
  cap: "0.08",
  mat: "1.2",
  chop: "1.13",
  hole: "250000",
  buf: "1.2",
  tail: 6000,
  line: "10000000",
  stopped: 3,
};

export interface LockstakeSystem {
  engine: ethers.Contract;
  lssky: ethers.Contract;
  clip: ethers.Contract;
  oracle: ethers.Contract;
  pipSky: ethers.Contract;
  migrator: ethers.Contract;
  voteDelegate: ethers.Contract;
  litePsmMom: ethers.Contract;
  addresses: Record<string, string>;
  params: LockstakeParams;
  /** SKY minted (by the pause proxy, a ward of SKY) to `who` */
  giveSky(who: string, amount: string): Promise<void>;
  /** open the signer's next urn and lock `sky` SKY (given to it first); the urn's index */
  open(who: ethers.Signer, sky: string): Promise<number>;
  lock(who: ethers.Signer, index: number, sky: string): Promise<ethers.ContractReceipt>;
  free(who: ethers.Signer, index: number, sky: string): Promise<ethers.ContractReceipt>;
  draw(who: ethers.Signer, index: number, usds: string): Promise<ethers.ContractReceipt>;
  wipe(who: ethers.Signer, index: number, usds: string): Promise<ethers.ContractReceipt>;
  delegate(who: ethers.Signer, index: number, voteDelegate: string): Promise<ethers.ContractReceipt>;
  urnOf(owner: string, index: number): Promise<string>;
  /** the source price [USDS per SKY], then the Spotter's poke of the ilk */
  setSkyPrice(price: string): Promise<void>;
  /** the clipper's `stopped`, by governance */
  setStopped(level: number): Promise<void>;
}

export async function deployLockstake(chain: AnvilChain, mk: MakerSystem, sky: SkySystem, params: Partial<LockstakeParams> = {}): Promise<LockstakeSystem> {
  const p: LockstakeParams = { ...DEFAULT_LOCKSTAKE_PARAMS, ...params };
  const deployer = mk.deployer;
  const me = await deployer.getAddress();
  const d = (name: string, ...args: unknown[]) => deployContract(deployer, name, ...args);
  const proxy = mk.pauseProxy.address;
  const ilk = b32(LOCKSTAKE_ILK);

  const lssky = await d("LockstakeSky");
  const engine = await d("LockstakeEngine", mk.vat.address, sky.usdsJoin.address, sky.usds.address, ilk, sky.sky.address, lssky.address, 0);
  const pipSky = await d("DSValue");
  const oracle = await d("LockstakeCappedValueWrapper", pipSky.address, wad(p.cap));
  const clip = await d("LockstakeClipper", mk.vat.address, mk.spot.address, mk.dog.address, engine.address, ilk);
  const migrator = await d("LockstakeMigrator", mk.vat.address, b32(LOCKSTAKE_OLD_ILK), ilk);
  const voteDelegate = await d("LockstakeVoteDelegate", sky.sky.address);
  const litePsmMom = await d("DssLitePsmMom");

  await mined(pipSky.poke(ethers.utils.hexZeroPad(wad(p.skyPrice).toHexString(), 32)));
  await mined(lssky.rely(engine.address));
  await mined(engine.rely(clip.address));
  await mined(oracle.kiss(mk.spot.address));
  await mined(oracle.kiss(clip.address));
  await mined(clip["file(bytes32,address)"](b32("vow"), mk.vow.address));
  await mined(clip["file(bytes32,address)"](b32("cuttee"), sky.stusds.address));
  await mined(clip["file(bytes32,address)"](b32("pip"), oracle.address));
  await mined(clip["file(bytes32,uint256)"](b32("buf"), ray(p.buf)));
  await mined(clip["file(bytes32,uint256)"](b32("tail"), p.tail));
  await mined(clip["file(bytes32,uint256)"](b32("cusp"), ray("0.4")));
  await mined(clip["file(bytes32,uint256)"](b32("stopped"), p.stopped));
  await mined(clip.rely(mk.dog.address));
  await mined(litePsmMom.setAuthority(mk.chief.address));
  await mined(litePsmMom.setOwner(proxy));

  const addresses: Record<string, string> = {
    LOCKSTAKE_ENGINE: engine.address,
    LOCKSTAKE_SKY: lssky.address,
    LOCKSTAKE_CLIP: clip.address,
    LOCKSTAKE_MIGRATOR: migrator.address,
    LOCKSTAKE_ORACLE: oracle.address,
    LITE_PSM_MOM: litePsmMom.address,
  };
  await mk.asPauseProxy(async (px) => {
    for (const c of [engine, clip, migrator]) await mined(mk.vat.connect(px).rely(c.address));
    // the MKR v1 ilk the migrator moves urns out of: line 0 since the migration (sky.md §8)
    await mined(mk.vat.connect(px).init(b32(LOCKSTAKE_OLD_ILK)));
    await mined(mk.vat.connect(px)["file(bytes32,bytes32,uint256)"](ilk, b32("line"), rad(p.line)));
    await mined(sky.stusds.connect(px)["file(bytes32,uint256)"](b32("line"), rad(p.line)));
    await mined(sky.stusds.connect(px).rely(clip.address));
    await mined(mk.spot.connect(px)["file(bytes32,bytes32,address)"](ilk, b32("pip"), oracle.address));
    await mined(mk.spot.connect(px)["file(bytes32,bytes32,uint256)"](ilk, b32("mat"), ray(p.mat)));
    await mined(mk.dog.connect(px)["file(bytes32,bytes32,address)"](ilk, b32("clip"), clip.address));
    await mined(mk.dog.connect(px)["file(bytes32,bytes32,uint256)"](ilk, b32("chop"), wad(p.chop)));
    await mined(mk.dog.connect(px)["file(bytes32,bytes32,uint256)"](ilk, b32("hole"), rad(p.hole)));
    await mined(mk.dog.connect(px).rely(clip.address));
    await mined(mk.litePsm.connect(px).rely(litePsmMom.address));
    for (const [key, addr] of Object.entries(addresses)) await mined(mk.chainlog.connect(px).setAddress(b32(key), addr));
  });
  await mined(mk.spot.poke(ilk));
  for (const c of [engine, lssky, clip, oracle, migrator]) {
    await mined(c.rely(proxy));
    await mined(c.deny(me));
  }
  await mined(pipSky.setOwner(proxy));
  Object.assign(mk.addresses, addresses);

  const sys: LockstakeSystem = {
    engine, lssky, clip, oracle, pipSky, migrator, voteDelegate, litePsmMom, addresses, params: p,
    async giveSky(who, amount) {
      await mk.asPauseProxy(async (px) => mined(sky.sky.connect(px).mint(who, wad(amount))));
    },
    async open(who, amount) {
      const owner = await who.getAddress();
      const index = (await engine.ownerUrnsCount(owner)).toNumber();
      await mined(engine.connect(who).open(index));
      await sys.lock(who, index, amount);
      return index;
    },
    async lock(who, index, amount) {
      const owner = await who.getAddress();
      await sys.giveSky(owner, amount);
      await mined(sky.sky.connect(who).approve(engine.address, wad(amount)));
      return mined(engine.connect(who).lock(owner, index, wad(amount), 0));
    },
    async free(who, index, amount) {
      const owner = await who.getAddress();
      return mined(engine.connect(who).free(owner, index, owner, wad(amount)));
    },
    async draw(who, index, amount) {
      const owner = await who.getAddress();
      return mined(engine.connect(who).draw(owner, index, owner, wad(amount)));
    },
    async wipe(who, index, amount) {
      const owner = await who.getAddress();
      await mined(sky.usds.connect(who).approve(engine.address, wad(amount)));
      return mined(engine.connect(who).wipe(owner, index, wad(amount)));
    },
    async delegate(who, index, vd) {
      return mined(engine.connect(who).selectVoteDelegate(await who.getAddress(), index, vd));
    },
    async urnOf(owner, index) {
      return (await engine.ownerUrns(owner, index)) as string;
    },
    async setSkyPrice(price) {
      await mk.asPauseProxy(async (px) => mined(pipSky.connect(px).poke(ethers.utils.hexZeroPad(wad(price).toHexString(), 32))));
      await mined(mk.spot.poke(ilk));
    },
    async setStopped(level) {
      await mk.asPauseProxy(async (px) => mined(clip.connect(px)["file(bytes32,uint256)"](b32("stopped"), level)));
    },
  };
  void chain;
  return sys;
}
