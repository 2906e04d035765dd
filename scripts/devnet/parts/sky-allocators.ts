/**
 * The Stars' capital perimeter of the devnet (test/chain/sky-allocators.ts): one Star (SPARK) with
 * its ALLOCATOR-SPARK-A ilk paced by the AutoLine, its vault, buffer, AllocatorRoles,
 * AllocatorRegistry, PIP_ALLOCATOR, SubProxy and StarGuard, registered in the Maker ChainLog.
 * Needs the Sky part (USDS, its join). Scenes reach it with `skyAllocatorsOf(world)`.
 */
import { deploySkyAllocators, type SkyAllocatorSystem } from "../../../test/chain/sky-allocators";
import type { DevnetPart, DevnetWorld } from "../types";
import { skyOf } from "./sky";

export const skyAllocatorsPart: DevnetPart = {
  name: "sky-allocators",
  async start(world) {
    world.parts["sky-allocators"] = await deploySkyAllocators(world.l1, world.maker, skyOf(world));
  },
};

export function skyAllocatorsOf(world: DevnetWorld): SkyAllocatorSystem {
  const s = world.parts["sky-allocators"] as SkyAllocatorSystem | undefined;
  if (!s) throw new Error("the devnet has no Stars' capital perimeter part (scripts/devnet/parts/index.ts lists skyAllocatorsPart after skyPart)");
  return s;
}
