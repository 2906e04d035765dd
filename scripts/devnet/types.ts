/**
 * The shapes of the devnet world and its parts, apart from world.ts so that the parts
 * (scripts/devnet/parts/*) and the bots' scenes can name them without importing the module that
 * imports the parts (that made a four-file cycle: world -> parts/index -> parts/l2 -> world).
 */
import type { AnvilChain } from "../../test/chain/anvil";
import type { MakerSystem } from "../../test/chain/maker";
import type { Logger } from "../../shared/log";

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
