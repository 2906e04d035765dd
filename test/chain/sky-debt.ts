/**
 * Debt sources of the Sky-era Vat (../shared/reference/sky.md §21.3), over a Maker-shaped system and
 * its Sky layer (test/chain/maker.ts, test/chain/sky.ts):
 * - `deployVestUsds`: a suck-type vest (DssVestSuckable, test/contracts/Vest.sol) that a spell makes
 *   a Vat ward, registers in the ChainLog as MCD_VEST_USDS and gives one award (the way a Sky spell
 *   onboards a module that sucks: rely and ChainLog registration in one spell);
 * - `rogueVatWard`: governance makes an address the ChainLog does not name a Vat ward, which then
 *   sucks dai to itself against the Vow and makes another address a ward; governance removes both;
 * - `raiseVowSin`: fault injection, sin(vow) raised with no Vat note at all (anvil_setStorageAt).
 */
import { ethers } from "forta-agent";
import { deployContract, mined } from "./deploy";
import { call, type MakerSystem } from "./maker";
import { actor } from "./maker/risk-helpers";
import type { SkySystem } from "./sky";
import { b32, rad, wad } from "./units";

/** The Vat's `sin` mapping lives in slot 6 (mainnet layout, test/contracts/Vat.sol). */
const VAT_SIN_SLOT = 6;

export interface VestUsds {
  vest: ethers.Contract;
  /** the award's id and recipient */
  id: number;
  usr: string;
}

/**
 * Deploy a DssVestSuckable paying USDS (the pause proxy its only ward), then a spell: `vat.rely(vest)`,
 * `chainlog.setAddress("MCD_VEST_USDS", vest)`, and an award of `tot` USDS over `days` days to `usr`.
 */
export async function deployVestUsds(mk: MakerSystem, sky: SkySystem, opts: { tot?: string; days?: number; label?: string } = {}): Promise<VestUsds> {
  const me = await mk.deployer.getAddress();
  const vest = await deployContract(mk.deployer, "DssVestSuckable", mk.vat.address, sky.usdsJoin.address, mk.vow.address);
  await mined(vest["file(bytes32,uint256)"](b32("cap"), wad("1000000")));
  await mined(vest.rely(mk.pauseProxy.address));
  await mined(vest.deny(me));
  const usr = await (await actor(mk, opts.label ?? "vest-usds-recipient")).getAddress();
  const days = opts.days ?? 365;
  const now = (await mk.chain.provider.getBlock("latest")).timestamp;
  await mk.executeSpell(
    [
      call(mk.vat, "rely(address)", vest.address),
      call(mk.chainlog, "setAddress(bytes32,address)", b32("MCD_VEST_USDS"), vest.address),
      call(vest, "create(address,uint256,uint256,uint256,uint256,address)", usr, wad(opts.tot ?? "365000"), now, days * 86_400, 0, ethers.constants.AddressZero),
    ],
    { description: "onboard MCD_VEST_USDS: a suck-type vest, a Vat ward registered in the ChainLog" },
  );
  mk.addresses.MCD_VEST_USDS = vest.address;
  return { vest, id: 1, usr };
}

/** Anyone may trigger an unrestricted award's payout: the vest sucks the accrued USDS against the Vow. */
export async function vestPayout(mk: MakerSystem, v: VestUsds, who: ethers.Signer = mk.deployer): Promise<ethers.ContractReceipt> {
  return mined(v.vest.connect(who)["vest(uint256)"](v.id));
}

export interface RogueWard {
  rogue: string;
  friend: string;
}

/**
 * A spell makes `rogue` (an address the ChainLog does not name) a Vat ward; it sucks `dai` (each
 * amount in its own transaction) to itself against the Vow, then makes `friend` a ward on its own;
 * finally a spell removes both. Returns the two addresses.
 */
export async function rogueVatWard(mk: MakerSystem, sucks: string[], label = "vat-rogue"): Promise<RogueWard> {
  const rogueSigner = await actor(mk, `${label}-ward`);
  const rogue = await rogueSigner.getAddress();
  const friend = await (await actor(mk, `${label}-friend`)).getAddress();
  await mk.executeSpell([call(mk.vat, "rely(address)", rogue)], { description: `make ${label} a Vat ward` });
  for (const dai of sucks) await mined(mk.vat.connect(rogueSigner).suck(mk.vow.address, rogue, rad(dai)));
  await mined(mk.vat.connect(rogueSigner).rely(friend));
  await mk.executeSpell([call(mk.vat, "deny(address)", rogue), call(mk.vat, "deny(address)", friend)], { description: `remove ${label}'s Vat rights` });
  return { rogue, friend };
}

/** Fault injection: sin(vow) raised by `dai` with no Vat note (no suck, no grab): growth nothing explains. */
export async function raiseVowSin(mk: MakerSystem, dai: string): Promise<void> {
  const slot = ethers.utils.keccak256(ethers.utils.defaultAbiCoder.encode(["address", "uint256"], [mk.vow.address, VAT_SIN_SLOT]));
  const now = (await mk.vat.sin(mk.vow.address)) as ethers.BigNumber;
  await mk.chain.setStorageAt(mk.vat.address, slot, now.add(rad(dai)));
  await mk.chain.mine();
}
