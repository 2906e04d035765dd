/**
 * Flash mints combined with other actions in one transaction (maker-flash's scenes and tests):
 * a FlashMulticall borrower (test/contracts/FlashCombo.sol) flash-mints DAI or internal dai from
 * DssFlash and makes arbitrary calls inside the loan, so a governance lift, an OSM poke, a Clipper
 * take or an ESM join lands in the same transaction as the flash mint.
 *
 *   const combo = await deployFlashMulticall(mk);
 *   await comboFlashMint(combo, "1000000", [call(mk.chief, "lift(address)", spell)]);
 */
import { ethers } from "forta-agent";
import { deployContract, mined } from "../deploy";
import { RAY, wad } from "../units";
import type { MakerSystem, OracleIlkName } from "../maker";
import type { SpellCall } from "./governance";

/** Deploy a FlashMulticall owned by `owner` (default account 8). */
export async function deployFlashMulticall(mk: MakerSystem, owner: ethers.Signer = mk.chain.signer(8)): Promise<ethers.Contract> {
  return deployContract(owner, "FlashMulticall", mk.flash.address, mk.vat.address, mk.dai.address);
}

/** Flash-mint `amount` DAI (decimal string) and make `calls` inside the loan; one transaction. */
export async function comboFlashMint(combo: ethers.Contract, amount: string, calls: SpellCall[]): Promise<ethers.ContractReceipt> {
  return mined(combo.flashMint(wad(amount), calls.map((c) => c.to), calls.map((c) => c.data), { gasLimit: 5_000_000 }));
}

/** Flash-borrow `amount` DAI of internal dai (vatDaiFlashLoan, rad) and make `calls` inside the loan. */
export async function comboVatDaiFlash(combo: ethers.Contract, amount: string, calls: SpellCall[]): Promise<ethers.ContractReceipt> {
  return mined(combo.vatDaiFlash(wad(amount).mul(RAY), calls.map((c) => c.to), calls.map((c) => c.data), { gasLimit: 5_000_000 }));
}

/** Make `calls` from the FlashMulticall outside any loan (approvals, vat.hope ...). */
export async function comboExecute(combo: ethers.Contract, calls: SpellCall[]): Promise<ethers.ContractReceipt> {
  return mined(combo.execute(calls.map((c) => c.to), calls.map((c) => c.data), { gasLimit: 2_000_000 }));
}

/**
 * Deploy an inert spell (no calls) and give it more chief approvals than the hat by moving the
 * deployer's vote onto it, without lifting it: anyone may then `lift` it. Returns its address.
 */
export async function liftableSpell(mk: MakerSystem): Promise<string> {
  const voter = mk.deployer;
  const who = await voter.getAddress();
  const action = await deployContract(voter, "SpellAction");
  const sig = action.interface.encodeFunctionData("execute", [[], []]);
  const expiration = (await mk.chain.timestamp()) + 30 * 24 * 3600;
  const spell = await deployContract(voter, "DssSpell", mk.pause.address, action.address, sig, "inert spell (maker-flash)", expiration);
  const hat: string = await mk.chief.hat();
  const hatApprovals: ethers.BigNumber = await mk.chief.approvals(hat);
  const deposits: ethers.BigNumber = await mk.chief.deposits(who);
  // the deployer's vote may be on the hat: after moving it, the spell must still beat what remains
  const slate: string = await mk.chief.votes(who);
  const onHat = slate !== ethers.constants.HashZero && ((await mk.chief.slates(slate, 0).catch(() => ethers.constants.AddressZero)) as string).toLowerCase() === hat.toLowerCase();
  const votesForHat = onHat ? deposits : ethers.constants.Zero;
  const need = hatApprovals.sub(votesForHat).sub(deposits).add(wad("1"));
  if (need.gt(0)) {
    const balance: ethers.BigNumber = await mk.gov.balanceOf(who);
    if (balance.lt(need)) await mk.asPauseProxy((p) => mined(mk.gov.connect(p)["mint(address,uint256)"](who, need.sub(balance))));
    await mined(mk.gov.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
    await mined(mk.iou.connect(voter)["approve(address,uint256)"](mk.chief.address, ethers.constants.MaxUint256));
    await mined(mk.chief.connect(voter).lock(need));
  }
  await mined(mk.chief.connect(voter)["vote(address[])"]([spell.address]));
  return spell.address;
}

/** The ilk's current Median price (decimal string), read from storage (`read()` is whitelisted). */
export async function medianPrice(mk: MakerSystem, ilk: OracleIlkName): Promise<string> {
  const word = await mk.chain.getStorageAt(mk.ilks[ilk].median.address, 1);
  const val = ethers.BigNumber.from(word).mask(128);
  return ethers.utils.formatUnits(val, 18);
}

/** An unsafe ETH-A vault barked into a Clipper auction; returns the auction id and the clipper. */
export async function startAuction(mk: MakerSystem, owner: ethers.Signer, opts: { ilk?: OracleIlkName; ink?: string; art?: string; price?: string } = {}): Promise<{ id: number; clip: ethers.Contract; restorePrice: string }> {
  const ilk = opts.ilk ?? "ETH-A";
  const restorePrice = await medianPrice(mk, ilk);
  await mk.openVault(ilk, { owner, ink: opts.ink ?? "10", art: opts.art ?? "13000" });
  await mk.setPrice(ilk, opts.price ?? String(Math.floor(Number(restorePrice) * 0.8)));
  const { id } = await mk.bark(ilk, await owner.getAddress());
  return { id, clip: mk.ilks[ilk].clip, restorePrice };
}
