/**
 * Sky's 2025 governance in the devnet (test/chain/sky-governance.ts): the new Chief, Protego, the
 * SPBEAM halt emergency spell and the VoteDelegateFactory. Deployed on first use, by
 * maker-governance's scene 850 (after every scene that votes on the legacy chief), so the blocks of
 * every earlier scene stay as they were; that scene migrates governance to them (ChainLog MCD_ADM,
 * MCD_ADM_LEGACY, MCD_PROTEGO, VOTE_DELEGATE_FACTORY, EMSP_SPBEAM_HALT; the pause's and the Sky MOMs'
 * authority). Needs the sky part (scripts/devnet/parts/sky.ts).
 */
import { deploySkyGovernance, type SkyGovernance } from "../../../test/chain/sky-governance";
import type { DevnetWorld } from "../types";
import { skyOf } from "./sky";

export async function skyGovernanceOf(world: DevnetWorld): Promise<SkyGovernance> {
  let g = world.parts["sky-governance"] as SkyGovernance | undefined;
  if (!g) world.parts["sky-governance"] = g = await deploySkyGovernance(world.l1, world.maker, skyOf(world));
  return g;
}
