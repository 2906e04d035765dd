/**
 * The devnet world: the local chains and services `npm start` brings up when no RPC is
 * configured, and the configuration the bots need to watch them.
 *
 * The world is built from parts (scripts/devnet/parts/*.ts), started in order: the execution
 * chain with the Maker deployment first, then e.g. an L2 chain for the DAI bridges and the
 * simulated beacon nodes. A part adds its handles to the world (declare the field below) and
 * the configuration its bots need to `world.env`, and registers its cleanup.
 */
import { startAnvil, type AnvilChain } from "../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../test/chain/maker";
import type { Logger } from "../../shared/log";
import { DEVNET_PARTS } from "./parts";

export interface DevnetWorld {
  /** the execution chain the bots watch (chain id 1, so bots' package.json chainIds match) */
  l1: AnvilChain;
  /** the Maker-shaped deployment on l1, registered in its ChainLog */
  maker: MakerSystem;
  /** configuration handed to the bots (MAKER_CHAINLOG, ...) */
  env: Record<string, string>;
  log: Logger;
  /** resolves once the runtime has processed every block mined on l1 so far */
  settle(): Promise<void>;
  /** what parts started, stopped in reverse order on shutdown */
  readonly cleanups: (() => Promise<void>)[];
  /** parts add their handles here (see parts/index.ts) */
  parts: Record<string, unknown>;
}

/** A piece of the world: started after l1 and the Maker deployment exist. */
export interface DevnetPart {
  name: string;
  start(world: DevnetWorld): Promise<void>;
}

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
