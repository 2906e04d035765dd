/**
 * System invariants a test (or a scene) can check on the local chain.
 */
import { ethers } from "forta-agent";
import type { MakerSystem } from "../maker";
import { b32 } from "../units";

export interface VatInvariant {
  debt: ethers.BigNumber;
  vice: ethers.BigNumber;
  /** sum over the system's ilks of Art * rate [rad] */
  ilkDebt: ethers.BigNumber;
  /** debt == vice + ilkDebt */
  holds: boolean;
}

/** The Vat's accounting identity `debt == vice + sum_i(Art_i * rate_i)` over every ilk of `mk`. */
export async function vatInvariant(mk: MakerSystem, blockTag: ethers.providers.BlockTag = "latest"): Promise<VatInvariant> {
  const overrides = { blockTag };
  const [debt, vice, ...ilks] = await Promise.all([
    mk.vat.debt(overrides) as Promise<ethers.BigNumber>,
    mk.vat.vice(overrides) as Promise<ethers.BigNumber>,
    ...mk.vatIlks.map((name) => mk.vat.ilks(b32(name), overrides) as Promise<{ Art: ethers.BigNumber; rate: ethers.BigNumber }>),
  ]);
  const ilkDebt = ilks.reduce((acc, i) => acc.add(i.Art.mul(i.rate)), ethers.constants.Zero);
  return { debt, vice, ilkDebt, holds: debt.eq(vice.add(ilkDebt)) };
}
