/**
 * The Smart Burn Engine of the devnet (test/chain/sky-burn.ts): the Kicker, the Splitter and its
 * MOM, the flapper, its USDS/SKY pool and FLAP_SKY_ORACLE, registered in the Maker ChainLog under
 * their mainnet keys. Needs the Sky part (USDS, SKY, the join). Scenes reach it with `skyBurnOf(world)`.
 */
import { deploySkyBurn, type SkyBurnSystem } from "../../../test/chain/sky-burn";
import type { DevnetPart, DevnetWorld } from "../types";
import { skyOf } from "./sky";

export const skyBurnPart: DevnetPart = {
  name: "sky-burn",
  async start(world) {
    world.parts["sky-burn"] = await deploySkyBurn(world.l1, world.maker, skyOf(world));
    // the devnet has no oracle keeper, and earlier scenes warp time by hours to days (spells' pause
    // delay, OSM hops): a week before the flap oracle counts as stale (sky-burn-engine's last scene warps past it)
    world.env.SKY_FLAP_ORACLE_MAX_AGE = String(DEVNET_FLAP_ORACLE_MAX_AGE);
  },
};

export const DEVNET_FLAP_ORACLE_MAX_AGE = 7 * 86400;

export function skyBurnOf(world: DevnetWorld): SkyBurnSystem {
  const s = world.parts["sky-burn"] as SkyBurnSystem | undefined;
  if (!s) throw new Error("the devnet has no Smart Burn Engine part (scripts/devnet/parts/index.ts lists skyBurnPart after skyPart)");
  return s;
}
