/**
 * The devnet's L2: a second anvil chain (chain id 10, as Optimism) with our L2 DAI token, bridged
 * to the L1 escrow deployMaker registers as OPTIMISM_ESCROW (test/chain/maker/bridge.ts). At start
 * the bridge is balanced: a deposit locks DAI in the escrow on L1 and mints the same on the L2.
 *
 * Bots reach the L2 through a loopback JSON-RPC proxy (shared/testing/rpc-tape.ts), so a scene can
 * take the L2 "down" (`l2Of(world).setAvailable(false)`), and a recording can keep what a bot asked
 * the L2: with VIGIL_DEVNET_L2_TAPE=<file.json.gz> the proxy records every exchange and writes the
 * tape when the devnet stops (replayed by agents/maker-dai-bridge/test/fixture.e2e.ts).
 *
 * Configuration handed to the bots: DAI_BRIDGE_DOMAINS=optimism, DAI_BRIDGE_OPTIMISM_RPC_URL (the
 * proxy), DAI_BRIDGE_OPTIMISM_L2_ASSET (the L2 DAI deployed here; mainnet's is at 0xDA10…0da1).
 */
import { VigilError } from "../../../shared/errors";
import { JsonRpcProxy } from "../../../shared/testing/rpc-tape";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { bridgeDeposit, deployL2Dai, type L2Dai } from "../../../test/chain/maker";
import type { DevnetPart, DevnetWorld } from "../types";

export const L2_CHAIN_ID = 10;
export const L2_DOMAIN = "optimism";
/** DAI bridged when the devnet starts (from account 3, which sold USDC to the PSMs in deployMaker) */
export const INITIAL_DEPOSIT = "500000";

export interface L2Devnet {
  chain: AnvilChain;
  /** the L2 DAI token and the bridge account that mints it */
  l2: L2Dai;
  domain: string;
  /** the URL bots use (the proxy in front of the L2 anvil) */
  url: string;
  /** switch the L2 off (HTTP 503 on every request) or on again, for the bots */
  setAvailable(on: boolean): void;
}

export const l2Part: DevnetPart = {
  name: "l2",
  async start(world) {
    const chain = await startAnvil({ chainId: L2_CHAIN_ID });
    world.cleanups.push(() => chain.stop());
    const l2 = await deployL2Dai(chain);
    const tapePath = process.env.VIGIL_DEVNET_L2_TAPE;
    const proxy = await JsonRpcProxy.start(chain.url, { record: !!tapePath });
    world.cleanups.push(async () => {
      if (tapePath) {
        proxy.save(tapePath);
        world.log.info({ tape: tapePath, exchanges: proxy.entries.length }, "devnet: L2 tape recorded");
      }
      await proxy.close();
    });
    await bridgeDeposit(world.maker, l2, world.l1.signer(3), INITIAL_DEPOSIT);
    const handle: L2Devnet = {
      chain,
      l2,
      domain: L2_DOMAIN,
      url: proxy.url,
      setAvailable: (on) => {
        proxy.available = on;
      },
    };
    world.parts.l2 = handle;
    world.env.DAI_BRIDGE_DOMAINS = L2_DOMAIN;
    world.env.DAI_BRIDGE_OPTIMISM_RPC_URL = proxy.url;
    world.env.DAI_BRIDGE_OPTIMISM_L2_ASSET = l2.dai.address.toLowerCase();
  },
};

/** The world's L2, or an error saying how to add it. */
export function l2Of(world: DevnetWorld): L2Devnet {
  const h = world.parts.l2 as L2Devnet | undefined;
  if (!h || typeof h.setAvailable !== "function") {
    throw new VigilError("NO_L2_DEVNET", "the devnet world has no L2 chain: add `l2Part` (scripts/devnet/parts/l2.ts) to DEVNET_PARTS in scripts/devnet/parts/index.ts");
  }
  return h;
}
