/**
 * The LayerZero bridges of the devnet (test/chain/sky-bridges.ts): USDS_OFT, SUSDS_OFT, OFT_PAUSER,
 * LZ_ENDPOINT, LZ_GOV_SENDER, LZ_GOV_RELAY, registered in the Maker ChainLog. Needs the Sky part.
 * Scenes reach it with `skyBridgesOf(world)`.
 */
import { deploySkyBridges, type SkyBridgeSystem } from "../../../test/chain/sky-bridges";
import type { DevnetPart, DevnetWorld } from "../types";
import { skyOf } from "./sky";

export const skyBridgesPart: DevnetPart = {
  name: "sky-bridges",
  async start(world) {
    world.parts["sky-bridges"] = await deploySkyBridges(world.l1, world.maker, skyOf(world));
  },
};

export function skyBridgesOf(world: DevnetWorld): SkyBridgeSystem {
  const s = world.parts["sky-bridges"] as SkyBridgeSystem | undefined;
  if (!s) throw new Error("the devnet has no LayerZero bridges part (scripts/devnet/parts/index.ts lists skyBridgesPart after skyPart)");
  return s;
}
