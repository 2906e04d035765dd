/**
 * Flows of the Sky stablecoin layer (test/chain/sky.ts) for sky-stablecoin's flow checks:
 * - `deployVestSky`: MCD_VEST_SKY, a mint-type vest (DssVestMintable, test/contracts/Vest.sol) that a
 *   spell makes a ward of SKY and registers in the ChainLog, with one award (a known SKY minter);
 * - `mkrSkyHousekeeping`: a spell sets MKR_SKY's fee, collects the fees and burns them back;
 * - `rogueSkyMinter`: governance makes an address a SKY ward; it mints SKY to itself and burns it;
 * - `stretchSusdsDrip`: the next sUSDS drip covers `seconds` more (its `rho` moved back by a
 *   storage write), so it mints a large yield its rate and time still explain;
 * - `overpayingSusdsDrip`: one drip by faulty code behind SUSDS (test/contracts/SkyDoubles.sol, put
 *   there with anvil_setCode as an implementation swap would, then the original code put back): it
 *   mints twice the yield its rate and time explain.
 */
import { ethers } from "forta-agent";
import { deployContract, mined } from "./deploy";
import { call, type MakerSystem } from "./maker";
import { actor } from "./maker/risk-helpers";
import type { SkySystem } from "./sky";
import { b32, wad } from "./units";

/** sUSDS storage: wards 0, totalSupply 1, balanceOf 2, allowance 3, chi 4, rho 5, ssr 6 (test/contracts/Sky.sol) */
export const SUSDS_RHO_SLOT = 5;

export interface VestSky {
  vest: ethers.Contract;
  id: number;
  usr: string;
}

export async function deployVestSky(mk: MakerSystem, sky: SkySystem, opts: { tot?: string; days?: number } = {}): Promise<VestSky> {
  const me = await mk.deployer.getAddress();
  const vest = await deployContract(mk.deployer, "DssVestMintable", sky.sky.address);
  await mined(vest["file(bytes32,uint256)"](b32("cap"), wad("1000000")));
  await mined(vest.rely(mk.pauseProxy.address));
  await mined(vest.deny(me));
  const usr = await (await actor(mk, "vest-sky-recipient")).getAddress();
  const now = (await mk.chain.provider.getBlock("latest")).timestamp;
  await mk.executeSpell(
    [
      call(sky.sky, "rely(address)", vest.address),
      call(mk.chainlog, "setAddress(bytes32,address)", b32("MCD_VEST_SKY"), vest.address),
      call(vest, "create(address,uint256,uint256,uint256,uint256,address)", usr, wad(opts.tot ?? "3650000"), now, (opts.days ?? 365) * 86_400, 0, ethers.constants.AddressZero),
    ],
    { description: "onboard MCD_VEST_SKY: a mint-type vest, a ward of SKY registered in the ChainLog" },
  );
  mk.addresses.MCD_VEST_SKY = vest.address;
  return { vest, id: 1, usr };
}

export async function vestSkyPayout(mk: MakerSystem, v: VestSky): Promise<ethers.ContractReceipt> {
  return mined(v.vest.connect(mk.deployer)["vest(uint256)"](v.id));
}

/** A spell: MKR_SKY's fee to `fee` (e.g. "0.04"), its collected fees to the pause proxy, then sent back and burned. */
export async function mkrSkyHousekeeping(mk: MakerSystem, sky: SkySystem, fee: string): Promise<ethers.BigNumber> {
  const take = (await sky.mkrSky.take()) as ethers.BigNumber;
  await mk.executeSpell(
    [
      call(sky.mkrSky, "file(bytes32,uint256)", b32("fee"), wad(fee)),
      call(sky.mkrSky, "collect(address)", mk.pauseProxy.address),
      call(sky.sky, "transfer(address,uint256)", sky.mkrSky.address, take),
      call(sky.mkrSky, "burn(uint256)", take),
    ],
    { description: `MKR_SKY fee to ${fee}; collect the fees and burn them` },
  );
  return take;
}

/** Governance makes an address a SKY ward; it mints `amount` SKY to itself, burns it, and governance removes it. */
export async function rogueSkyMinter(mk: MakerSystem, sky: SkySystem, amount: string, label = "sky-rogue-minter"): Promise<string> {
  const rogue = await actor(mk, label);
  const addr = await rogue.getAddress();
  await mk.asPauseProxy((px) => mined(sky.sky.connect(px).rely(addr)));
  await mined(sky.sky.connect(rogue).mint(addr, wad(amount)));
  await mined(sky.sky.connect(rogue).burn(addr, wad(amount)));
  await mk.asPauseProxy((px) => mined(sky.sky.connect(px).deny(addr)));
  return addr;
}

/** Move sUSDS's `rho` back by `seconds` (storage write), then drip: one drip covering that long a gap. */
export async function stretchSusdsDrip(mk: MakerSystem, sky: SkySystem, seconds: number): Promise<ethers.ContractReceipt> {
  const rho = (await sky.susds.rho()) as ethers.BigNumber;
  await mk.chain.setStorageAt(sky.susds.address, SUSDS_RHO_SLOT, rho.sub(seconds));
  await mk.chain.mine();
  if (!((await sky.susds.rho()) as ethers.BigNumber).eq(rho.sub(seconds))) throw new Error("sUSDS rho is not in slot 5 any more: update SUSDS_RHO_SLOT");
  return mined(sky.susds.drip());
}

/**
 * One sUSDS drip by faulty code: SUsdsOverpaying (same storage layout and immutables) put behind
 * SUSDS's address with anvil_setCode, a drip `seconds` after the last one, then SUSDS's own code put
 * back (the storage, with the overpaid chi, stays). The drip mints twice what the rate explains.
 */
export async function overpayingSusdsDrip(mk: MakerSystem, sky: SkySystem, seconds = 86_400): Promise<ethers.ContractReceipt> {
  const s = sky.susds;
  const faulty = await deployContract(mk.deployer, "SUsdsOverpaying", await s.vat(), await s.usdsJoin(), await s.usds(), await s.vow());
  const [own, bad] = await Promise.all([mk.chain.provider.getCode(s.address), mk.chain.provider.getCode(faulty.address)]);
  await mk.chain.send("anvil_setCode", [s.address, bad]);
  try {
    await mk.chain.increaseTime(seconds);
    return await mined(s.drip());
  } finally {
    await mk.chain.send("anvil_setCode", [s.address, own]);
  }
}
