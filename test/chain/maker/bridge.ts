/**
 * The DAI bridge to an L2, as two anvil chains: DAI locked in the L1 escrow (deployMaker's
 * OPTIMISM_ESCROW) and DAI minted on the L2 by the bridge. A bot checks
 * DAI.balanceOf(escrow) on L1 >= L2 DAI totalSupply.
 */
import { ethers } from "forta-agent";
import type { AnvilChain } from "../anvil";
import { deployContract, mined } from "../deploy";
import { wad } from "../units";
import type { MakerSystem } from "../maker";

export interface L2Dai {
  chain: AnvilChain;
  dai: ethers.Contract;
  /** The bridge's account on L2 (a ward of L2 DAI; mints on deposits). */
  bridge: ethers.providers.JsonRpcSigner;
}

/** Deploy the L2 DAI token on `l2`; account 0 of the L2 chain acts as the bridge. */
export async function deployL2Dai(l2: AnvilChain): Promise<L2Dai> {
  const bridge = l2.signer(0);
  const dai = await deployContract(bridge, "L2Dai");
  return { chain: l2, dai, bridge };
}

/** Bridge `amount` DAI: `from` locks it in the L1 escrow, the bridge mints it to `to` on the L2. */
export async function bridgeDeposit(mk: MakerSystem, l2: L2Dai, from: ethers.Signer, amount: string, to?: string): Promise<void> {
  const value = wad(amount);
  await mined(mk.dai.connect(from).transfer(mk.escrow.address, value));
  await mined(l2.dai.mint(to ?? (await from.getAddress()), value));
}

/** Mint on the L2 without a deposit on L1 (what a compromised bridge would do). */
export async function mintUnbacked(l2: L2Dai, to: string, amount: string): Promise<void> {
  await mined(l2.dai.mint(to, wad(amount)));
}
