/**
 * The Chronicle oracles of the devnet (test/chain/chronicle.ts): FLAP_SKY_ORACLE (ScribeOptimistic),
 * PIP_SKY (OSM over it) and LOCKSTAKE_ORACLE (capped), in the Maker ChainLog. Scenes reach them
 * with `chronicleOf(world)`.
 */
import { deployChronicle, type ChronicleSystem } from "../../../test/chain/chronicle";
import type { DevnetPart, DevnetWorld } from "../types";

export const chroniclePart: DevnetPart = {
  name: "chronicle",
  async start(world) {
    world.parts.chronicle = await deployChronicle(world.l1, world.maker);
  },
};

export function chronicleOf(world: DevnetWorld): ChronicleSystem {
  const c = world.parts.chronicle as ChronicleSystem | undefined;
  if (!c) throw new Error("the devnet has no Chronicle part (scripts/devnet/parts/index.ts lists chroniclePart)");
  return c;
}
