/**
 * Sky's 2025 governance in the devnet (test/chain/sky-governance.ts): the new Chief, Protego, the
 * SPBEAM halt emergency spell and the VoteDelegateFactory. Deployed on first use, by
 * maker-governance's scene 850 (after every scene that votes on the legacy chief), so the blocks of
 * every earlier scene stay as they were; that scene migrates governance to them (ChainLog MCD_ADM,
 * MCD_ADM_LEGACY, MCD_PROTEGO, VOTE_DELEGATE_FACTORY, EMSP_SPBEAM_HALT; the pause's and the Sky MOMs'
 * authority). Needs the sky part (scripts/devnet/parts/sky.ts).
 */
import { deploySkyGovernance, type SkyGovernance } from "../../../test/chain/sky-governance";
import { deployEmergencyExtras } from "../../../test/chain/sky-governance-scenarios";
import type { DevnetWorld } from "../types";
import { skyOf } from "./sky";

export async function skyGovernanceOf(world: DevnetWorld): Promise<SkyGovernance> {
  let g = world.parts["sky-governance"] as SkyGovernance | undefined;
  if (!g) world.parts["sky-governance"] = g = await deploySkyGovernance(world.l1, world.maker, skyOf(world));
  return g;
}

type EmergencyExtras = Awaited<ReturnType<typeof deployEmergencyExtras>>;

/**
 * The legacy VoteDelegateFactory, OSM_MOM and EMSP_GLOBAL_OSM_STOP, added to the ChainLog by a spell
 * on first use (maker-governance's scene 863, after the migration at 850).
 */
export async function skyEmergencyExtrasOf(world: DevnetWorld): Promise<EmergencyExtras> {
  let x = world.parts["sky-emergency-extras"] as EmergencyExtras | undefined;
  if (!x) world.parts["sky-emergency-extras"] = x = await deployEmergencyExtras(world.maker, await skyGovernanceOf(world));
  return x;
}
