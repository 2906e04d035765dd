/**
 * The devnet world: the local chains and services `npm start` brings up when no RPC is
 * configured, and the configuration the bots need to watch them.
 */
import { startAnvil, type AnvilChain } from "../../test/chain/anvil";
import { deployMaker, type MakerSystem } from "../../test/chain/maker";
import type { Logger } from "../../shared/log";

export interface DevnetWorld {
  /** the execution chain the bots watch (chain id 1, so bots' package.json chainIds match) */
  l1: AnvilChain;
  /** the Maker-shaped deployment on l1, registered in its ChainLog */
  maker: MakerSystem;
  /** configuration handed to the bots (MAKER_CHAINLOG, ...) */
  env: Record<string, string>;
  log: Logger;
  /** resolves once the runtime has processed every block mined so far */
  settle(): Promise<void>;
  /** everything to stop on shutdown, last started first */
  readonly cleanups: (() => Promise<void>)[];
}

export async function startWorld(log: Logger): Promise<DevnetWorld> {
  const cleanups: (() => Promise<void>)[] = [];
  const l1 = await startAnvil({ chainId: 1 });
  cleanups.push(() => l1.stop());
  try {
    log.info({ url: l1.url }, "devnet: anvil started; deploying the Maker-shaped contracts");
    const maker = await deployMaker(l1);
    log.info({ chainlog: maker.addresses.CHANGELOG, contracts: Object.keys(maker.addresses).length }, "devnet: Maker deployed");
    return {
      l1,
      maker,
      env: { MAKER_CHAINLOG: maker.addresses.CHANGELOG! },
      log,
      settle: async () => undefined,
      cleanups,
    };
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    throw err;
  }
}

export async function stopWorld(world: DevnetWorld): Promise<void> {
  for (const c of [...world.cleanups].reverse()) await c().catch(() => undefined);
}
