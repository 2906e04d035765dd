/**
 * The Sky layer over a deployed Maker-shaped system (test/chain/maker.ts), wired like mainnet
 * (../shared/reference/sky.md): USDS + UsdsJoin (a ward of USDS), the DAI/USDS and MKR/SKY
 * converters, SKY, sUSDS (a Vat ward: its drip sucks), SPBEAM (a ward of the Jug, the Pot and
 * sUSDS) with its MOM (owner the pause proxy, authority the chief). The pause proxy ends up the
 * only ward everywhere; every contract is registered in the same ChainLog under its mainnet key
 * (USDS, USDS_IMP, USDS_JOIN, DAI_USDS, SKY, MKR, MKR_SKY, SUSDS, SUSDS_IMP, MCD_SPBEAM, SPBEAM_MOM,
 * STUSDS, STUSDS_IMP, STUSDS_RATE_SETTER, STUSDS_MOM). stUSDS (a Vat ward) has its rate setter (a ward of
 * stUSDS and of the Jug, setting the LSEV2-SKY-A duty) and MOM (owner the pause proxy, authority the chief).
 *
 *   const mk = await deployMaker(chain);
 *   const sky = await deploySky(chain, mk);
 *   await sky.daiToUsds(chain.signer(3), "1000");
 *   await sky.spbeamSet([["SSR", 500]]);
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "./anvil";
import { deployContract, inOneBlock, mined } from "./deploy";
import type { MakerSystem } from "./maker";
import { b32, rad, wad } from "./units";

export interface SkyParams {
  /** MKR -> SKY rate (mainnet 24,000) and fee (3% = "0.03") */
  mkrSkyRate: number;
  mkrSkyFee: string;
  /** initial SSR [bps] */
  ssrBps: number;
  /** SPBEAM tau [s] (mainnet 57,600; 0 here so that scenes need no time warp between sets) */
  spbeamTau: number;
  /** SPBEAM bounds [bps]: id -> [min, max, step] */
  spbeamCfgs: Record<string, [number, number, number]>;
  /** DAI the seeding account (3) converts to USDS, and how much of it goes into sUSDS */
  seedUsds: string;
  seedSusds: string;
  /** stUSDS: initial str [bps], the rate setter's bounds (STR and the Lockstake ilk), maxLine/maxCap [USDS], seed deposit */
  strBps: number;
  rateSetterCfgs: Record<string, [number, number, number]>;
  maxLine: string;
  maxCap: string;
  seedStusds: string;
}

export const DEFAULT_SKY_PARAMS: SkyParams = {
  mkrSkyRate: 24_000,
  mkrSkyFee: "0.03",
  ssrBps: 450,
  spbeamTau: 0,
  spbeamCfgs: { SSR: [200, 3000, 400], DSR: [0, 3000, 400], "ETH-A": [200, 3000, 400] },
  seedUsds: "300000",
  seedSusds: "100000",
  strBps: 500,
  rateSetterCfgs: { STR: [200, 5000, 1500], "LSEV2-SKY-A": [210, 5000, 1500] },
  maxLine: "1000000000",
  maxCap: "1000000000",
  seedStusds: "50000",
};

/** the Lockstake ilk whose duty the stUSDS rate setter sets (initialised in the Vat and the Jug, line 0) */
export const LOCKSTAKE_ILK = "LSEV2-SKY-A";

export interface SkySystem {
  usds: ethers.Contract;
  usdsImp: ethers.Contract;
  usdsJoin: ethers.Contract;
  daiUsds: ethers.Contract;
  sky: ethers.Contract;
  mkrSky: ethers.Contract;
  susds: ethers.Contract;
  susdsImp: ethers.Contract;
  conv: ethers.Contract;
  spbeam: ethers.Contract;
  spbeamMom: ethers.Contract;
  stusds: ethers.Contract;
  stusdsImp: ethers.Contract;
  rateSetter: ethers.Contract;
  stusdsMom: ethers.Contract;
  /** the SPBEAM operator (bud), also the stUSDS rate setter's */
  bud: ethers.providers.JsonRpcSigner;
  /** ChainLog key -> address of the Sky contracts */
  addresses: Record<string, string>;
  params: SkyParams;
  /** DAI -> USDS through DAI_USDS (the signer must hold the DAI) */
  daiToUsds(who: ethers.Signer, amount: string): Promise<ethers.ContractReceipt>;
  usdsToDai(who: ethers.Signer, amount: string): Promise<ethers.ContractReceipt>;
  /** USDS -> sUSDS deposit; sUSDS -> USDS withdraw (assets) */
  deposit(who: ethers.Signer, amount: string): Promise<ethers.ContractReceipt>;
  withdraw(who: ethers.Signer, amount: string): Promise<ethers.ContractReceipt>;
  /** MKR -> SKY through MKR_SKY (approves the MKR it burns) */
  mkrToSky(who: ethers.Signer, amount: string): Promise<ethers.ContractReceipt>;
  stDeposit(who: ethers.Signer, amount: string): Promise<ethers.ContractReceipt>;
  stWithdraw(who: ethers.Signer, amount: string): Promise<ethers.ContractReceipt>;
  /** the bud's stUSDS rate setter set (line and cap in USDS) */
  rateSetterSet(strBps: number, dutyBps: number, line: string, cap: string, from?: ethers.Signer): Promise<ethers.ContractReceipt>;
  /** the bud's SPBEAM set, ids in any order (sorted here as SPBEAM requires) */
  spbeamSet(changes: [string, number][], from?: ethers.Signer): Promise<ethers.ContractReceipt>;
}

export async function deploySky(chain: AnvilChain, mk: MakerSystem, params: Partial<SkyParams> = {}): Promise<SkySystem> {
  const p: SkyParams = { ...DEFAULT_SKY_PARAMS, ...params };
  const deployer = mk.deployer;
  const me = await deployer.getAddress();
  const d = (name: string, ...args: unknown[]) => deployContract(deployer, name, ...args);
  const proxy = mk.pauseProxy.address;

  const usds = await d("Usds");
  const usdsImp = await d("Usds");
  const usdsJoin = await d("UsdsJoin", mk.vat.address, usds.address);
  const daiUsds = await d("DaiUsds", mk.daiJoin.address, usdsJoin.address, mk.dai.address, usds.address, mk.vat.address);
  const sky = await d("SkyGov");
  const mkrSky = await d("MkrSky", mk.gov.address, sky.address, p.mkrSkyRate);
  const mkrAuthority = await d("MkrBurnAuthority", mkrSky.address);
  const susds = await d("SUsds", mk.vat.address, usdsJoin.address, usds.address, mk.vow.address);
  const susdsImp = await d("SUsds", mk.vat.address, usdsJoin.address, usds.address, mk.vow.address);
  const conv = await d("Conv");
  const spbeam = await d("SPBEAM", mk.jug.address, mk.pot.address, susds.address, conv.address);
  const spbeamMom = await d("SPBEAMMom");
  const bud = chain.signer(9);
  const stusds = await d("StUsds", mk.vat.address, usdsJoin.address, usds.address, mk.vow.address);
  const stusdsImp = await d("StUsds", mk.vat.address, usdsJoin.address, usds.address, mk.vow.address);
  const rateSetter = await d("StUsdsRateSetter", stusds.address, mk.jug.address, conv.address, b32(LOCKSTAKE_ILK));
  const stusdsMom = await d("StUsdsMom", stusds.address);

  await mined(usds.rely(usdsJoin.address));
  await mined(usds.upgradeToAndCall(usdsImp.address, "0x"));
  await mined(susds.upgradeToAndCall(susdsImp.address, "0x"));
  await mined(sky.mint(mkrSky.address, (await mk.gov.totalSupply()).mul(p.mkrSkyRate)));
  await mined(mkrSky["file(bytes32,uint256)"](b32("fee"), wad(p.mkrSkyFee)));
  await inOneBlock(chain, [
    () => susds.drip({ gasLimit: 1_000_000 }),
    async () => susds["file(bytes32,uint256)"](b32("ssr"), await conv.btor(p.ssrBps), { gasLimit: 1_000_000 }),
  ]);
  await mined(spbeam["file(bytes32,uint256)"](b32("tau"), p.spbeamTau));
  for (const [id, [min, max, step]] of Object.entries(p.spbeamCfgs)) {
    await mined(spbeam["file(bytes32,bytes32,uint256)"](b32(id), b32("max"), max));
    await mined(spbeam["file(bytes32,bytes32,uint256)"](b32(id), b32("min"), min));
    await mined(spbeam["file(bytes32,bytes32,uint256)"](b32(id), b32("step"), step));
  }
  await mined(spbeam.kiss(await bud.getAddress()));
  // stUSDS, its rate setter and MOM
  await mined(stusds.upgradeToAndCall(stusdsImp.address, "0x"));
  await inOneBlock(chain, [
    () => stusds.drip({ gasLimit: 1_000_000 }),
    async () => stusds["file(bytes32,uint256)"](b32("str"), await conv.btor(p.strBps), { gasLimit: 1_000_000 }),
  ]);
  await mined(stusds["file(bytes32,uint256)"](b32("cap"), wad(p.maxCap)));
  for (const [id, [min, max, step]] of Object.entries(p.rateSetterCfgs)) {
    await mined(rateSetter["file(bytes32,bytes32,uint256)"](b32(id), b32("max"), max));
    await mined(rateSetter["file(bytes32,bytes32,uint256)"](b32(id), b32("min"), min));
    await mined(rateSetter["file(bytes32,bytes32,uint256)"](b32(id), b32("step"), step));
  }
  await mined(rateSetter["file(bytes32,uint256)"](b32("maxLine"), rad(p.maxLine)));
  await mined(rateSetter["file(bytes32,uint256)"](b32("maxCap"), wad(p.maxCap)));
  await mined(rateSetter.kiss(await bud.getAddress()));
  await mined(stusds.rely(rateSetter.address));
  await mined(stusds.rely(stusdsMom.address));
  await mined(rateSetter.rely(stusdsMom.address));
  await mined(stusdsMom.setAuthority(mk.chief.address));
  await mined(stusdsMom.setOwner(proxy));
  await mined(susds.rely(spbeam.address));
  await mined(spbeam.rely(spbeamMom.address));
  await mined(spbeamMom.setAuthority(mk.chief.address));
  await mined(spbeamMom.setOwner(proxy));

  const addresses: Record<string, string> = {
    USDS: usds.address,
    USDS_IMP: usdsImp.address,
    USDS_JOIN: usdsJoin.address,
    DAI_USDS: daiUsds.address,
    SKY: sky.address,
    MKR: mk.gov.address,
    MKR_SKY: mkrSky.address,
    SUSDS: susds.address,
    SUSDS_IMP: susdsImp.address,
    MCD_SPBEAM: spbeam.address,
    SPBEAM_MOM: spbeamMom.address,
    STUSDS: stusds.address,
    STUSDS_IMP: stusdsImp.address,
    STUSDS_RATE_SETTER: rateSetter.address,
    STUSDS_MOM: stusdsMom.address,
  };
  // what only the pause proxy may do now: Vat/Jug/Pot rights, the MKR burn authority, the ChainLog
  await mk.asPauseProxy(async (px) => {
    await mined(mk.vat.connect(px).rely(susds.address));
    await mined(mk.vat.connect(px).rely(stusds.address));
    await mined(mk.vat.connect(px).init(b32(LOCKSTAKE_ILK)));
    await mined(mk.jug.connect(px).init(b32(LOCKSTAKE_ILK)));
    await mined(mk.jug.connect(px).rely(rateSetter.address));
    await mined(mk.jug.connect(px).rely(spbeam.address));
    await mined(mk.pot.connect(px).rely(spbeam.address));
    await mined(mk.gov.connect(px).setAuthority(mkrAuthority.address));
    for (const [key, addr] of Object.entries(addresses)) await mined(mk.chainlog.connect(px).setAddress(b32(key), addr));
  });
  for (const c of [usds, sky, mkrSky, susds, spbeam, stusds, rateSetter]) {
    await mined(c.rely(proxy));
    await mined(c.deny(me));
  }
  Object.assign(mk.addresses, addresses);

  const sys: SkySystem = {
    usds, usdsImp, usdsJoin, daiUsds, sky, mkrSky, susds, susdsImp, conv, spbeam, spbeamMom, stusds, stusdsImp, rateSetter, stusdsMom, bud, addresses, params: p,
    async daiToUsds(who, amount) {
      await mined(mk.dai.connect(who).approve(daiUsds.address, wad(amount)));
      return mined(daiUsds.connect(who).daiToUsds(await who.getAddress(), wad(amount)));
    },
    async usdsToDai(who, amount) {
      await mined(usds.connect(who).approve(daiUsds.address, wad(amount)));
      return mined(daiUsds.connect(who).usdsToDai(await who.getAddress(), wad(amount)));
    },
    async deposit(who, amount) {
      await mined(usds.connect(who).approve(susds.address, wad(amount)));
      return mined(susds.connect(who)["deposit(uint256,address)"](wad(amount), await who.getAddress()));
    },
    async withdraw(who, amount) {
      const a = await who.getAddress();
      return mined(susds.connect(who).withdraw(wad(amount), a, a));
    },
    async mkrToSky(who, amount) {
      await mined(mk.gov.connect(who)["approve(address,uint256)"](mkrSky.address, wad(amount)));
      return mined(mkrSky.connect(who).mkrToSky(await who.getAddress(), wad(amount)));
    },
    async stDeposit(who, amount) {
      await mined(usds.connect(who).approve(stusds.address, wad(amount)));
      return mined(stusds.connect(who)["deposit(uint256,address)"](wad(amount), await who.getAddress()));
    },
    async stWithdraw(who, amount) {
      const a = await who.getAddress();
      return mined(stusds.connect(who).withdraw(wad(amount), a, a));
    },
    async rateSetterSet(strBps, dutyBps, line, cap, from = bud) {
      return mined(rateSetter.connect(from).set(strBps, dutyBps, rad(line), wad(cap)));
    },
    async spbeamSet(changes, from = bud) {
      const sorted = changes.map(([id, bps]) => ({ id: b32(id), bps })).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      return mined(spbeam.connect(from).set(sorted));
    },
  };
  const seeder = chain.signer(3);
  // seed only where deployMaker left the seeder DAI (openVaults: false leaves none)
  if (Number(p.seedUsds) > 0 && (await mk.dai.balanceOf(await seeder.getAddress())).gte(wad(p.seedUsds))) {
    await sys.daiToUsds(seeder, p.seedUsds);
    if (Number(p.seedSusds) > 0) await sys.deposit(seeder, p.seedSusds);
    if (Number(p.seedStusds) > 0) await sys.stDeposit(seeder, p.seedStusds);
  }
  return sys;
}
