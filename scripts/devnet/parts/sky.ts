/**
 * The Sky layer of the devnet (test/chain/sky.ts): USDS, its join, the DAI/USDS and MKR/SKY
 * converters, SKY, sUSDS, SPBEAM and its MOM, registered in the Maker ChainLog under their
 * mainnet keys. Scenes reach it with `skyOf(world)`.
 */
import { deploySky, type SkySystem } from "../../../test/chain/sky";
import type { DevnetPart, DevnetWorld } from "../types";

export const skyPart: DevnetPart = {
  name: "sky",
  async start(world) {
    world.parts.sky = await deploySky(world.l1, world.maker);
    // sky-stablecoin's flow thresholds scaled to the devnet's supply (mainnet defaults: 100M USDS, 5M USDS)
    world.env.SKY_USDS_TO_DAI_SURGE = "50000";
    world.env.SKY_CONVERSION_WINDOW = "3600";
    world.env.SUSDS_DRIP_LARGE = "2000";
  },
};

export function skyOf(world: DevnetWorld): SkySystem {
  const s = world.parts.sky as SkySystem | undefined;
  if (!s) throw new Error("the devnet has no Sky part (scripts/devnet/parts/index.ts lists skyPart)");
  return s;
}
