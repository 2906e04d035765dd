/**
 * PSM helpers beyond MakerSystem.sellGem (maker-psm's scenes and tests): buy gems back with DAI,
 * sell from an account that already holds the gems.
 */
import { ethers } from "forta-agent";
import { mined } from "../deploy";
import type { MakerSystem } from "../maker";

const WAD = ethers.constants.WeiPerEther;

/** Buy `amount` USDC (decimal string) from a PSM ("psm" or "lite") with `from`'s DAI, paying `tout`. */
export async function buyGem(mk: MakerSystem, which: "psm" | "lite", from: ethers.Signer, amount: string): Promise<ethers.ContractReceipt> {
  const target = which === "psm" ? mk.psm : mk.litePsm;
  const gemAmt = ethers.utils.parseUnits(amount, 6);
  const gemAmt18 = gemAmt.mul(10n ** 12n);
  const tout: ethers.BigNumber = await target.tout();
  const daiIn = gemAmt18.add(gemAmt18.mul(tout).div(WAD));
  await mined(mk.dai.connect(from).approve(target.address, daiIn));
  return mined(target.connect(from).buyGem(await from.getAddress(), gemAmt));
}

/** The reserve a PSM can pay out: USDC held by the classic PSM's GemJoin or by the lite PSM's pocket. */
export async function psmReserve(mk: MakerSystem, which: "psm" | "lite"): Promise<ethers.BigNumber> {
  return mk.usdc.balanceOf(which === "psm" ? mk.psmJoin.address : mk.litePsmPocket.address);
}
