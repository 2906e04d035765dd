/**
 * Lockstake and the LitePSM's MOM in the devnet (test/chain/lockstake.ts), behind the same
 * ChainLog (LOCKSTAKE_ENGINE, LOCKSTAKE_SKY, LOCKSTAKE_CLIP, LOCKSTAKE_MIGRATOR, LOCKSTAKE_ORACLE,
 * LITE_PSM_MOM). Needs the Sky part. Scenes reach it with `lockstakeOf(world)`.
 */
import { deployLockstake, type LockstakeSystem } from "../../../test/chain/lockstake";
import type { DevnetPart, DevnetWorld } from "../types";
import { skyOf } from "./sky";

export const lockstakePart: DevnetPart = {
  name: "lockstake",
  async start(world) {
    world.parts.lockstake = await deployLockstake(world.l1, world.maker, skyOf(world));
    // the storyline's urns are tens of thousands of USDS: High unsafe debt from 25,000 (mainnet default 1M)
    world.env.LOCKSTAKE_UNSAFE_HIGH_DEBT = "25000";
  },
};

export function lockstakeOf(world: DevnetWorld): LockstakeSystem {
  const s = world.parts.lockstake as LockstakeSystem | undefined;
  if (!s) throw new Error("the devnet has no Lockstake part (scripts/devnet/parts/index.ts lists lockstakePart)");
  return s;
}
