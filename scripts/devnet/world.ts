/**
 * The devnet world: the local chains and services `npm start` brings up when no RPC is
 * configured, and the configuration the bots need to watch them.
 *
 * The world is built from parts (scripts/devnet/parts/*.ts), started in order: the execution
 * chain with the Maker deployment first, then e.g. an L2 chain for the DAI bridges and the
 * simulated beacon nodes. A part adds its handles to the world (declare it in types.ts) and
 * the configuration its bots need to `world.env`, and registers its cleanup.
 */
import { startAnvil } from "../../test/chain/anvil";
import { deployMaker } from "../../test/chain/maker";
import type { Logger } from "../../shared/log";
import { DEVNET_PARTS } from "./parts";
import type { DevnetWorld } from "./types";

export type { DevnetPart, DevnetWorld } from "./types";

export async function startWorld(log: Logger): Promise<DevnetWorld> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const l1 = await startAnvil({ chainId: 1 });
    cleanups.push(() => l1.stop());
    log.info({ url: l1.url }, "devnet: anvil started; deploying the Maker-shaped contracts");
    const maker = await deployMaker(l1);
    log.info({ chainlog: maker.addresses.CHANGELOG, contracts: Object.keys(maker.addresses).length }, "devnet: Maker deployed");
    const world: DevnetWorld = {
      l1,
      maker,
      env: { MAKER_CHAINLOG: maker.addresses.CHANGELOG! },
      log,
      settle: async () => undefined,
      cleanups,
      parts: {},
    };
    for (const part of DEVNET_PARTS) {
      await part.start(world);
      log.info({ part: part.name }, "devnet: part started");
    }
    return world;
  } catch (err) {
    for (const c of [...cleanups].reverse()) await c().catch(() => undefined);
    throw err;
  }
}

export async function stopWorld(world: DevnetWorld): Promise<void> {
  for (const c of [...world.cleanups].reverse()) await c().catch(() => undefined);
}
