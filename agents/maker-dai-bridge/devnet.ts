/**
 * maker-dai-bridge's part of the devnet storyline, on the L2 of scripts/devnet/parts/l2.ts
 * (chain id 10, domain "optimism", the escrow deployMaker registers as OPTIMISM_ESCROW): ordinary
 * deposits and a withdrawal (quiet), a compromised L2 bridge minting unbacked DAI (shortfall
 * opened, escalated, resolved when it is burned again; supply jumps), and the L2 going down and
 * coming back. The bridge is balanced again at the end.
 *
 * The bot reads the L2 when it processes an L1 block, so each step mines enough L1 blocks for a
 * scheduled check and its confirmation (DAI_BRIDGE_CHECK_INTERVAL + DAI_BRIDGE_CONFIRM_BLOCKS at
 * their defaults) and waits for the runtime before the L2 changes again.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import type { DevnetWorld } from "../../scripts/devnet/world";
import { l2Of } from "../../scripts/devnet/parts/l2";
import { mined } from "../../test/chain/deploy";
import { mintUnbacked } from "../../test/chain/maker";
import { CONFIG_SPEC } from "./src/config";

const wad = (n: string) => ethers.utils.parseEther(n);
/** enough L1 blocks for a scheduled check and its confirmation, with defaults */
const STEP = CONFIG_SPEC.interval.default + CONFIG_SPEC.confirmBlocks.default + 1;

async function step(world: DevnetWorld): Promise<void> {
  await world.l1.mine(STEP);
  await world.settle();
}

export const scenes: Scene[] = [
  {
    title: "users bridge DAI to the L2 and withdraw some back: the escrow keeps covering the L2 supply (nothing to report)",
    expects: [],
    order: 40,
    async play(world) {
      const { maker, l1 } = world;
      const { l2 } = l2Of(world);
      const user = l1.signer(3);
      // the runtime reads the L2 at its head while it may still be a few L1 blocks behind: let it
      // see the DAI locked in the escrow before the L2 mints it, as a real bridge's delay would
      await mined(maker.dai.connect(user).transfer(maker.escrow.address, wad("120000")));
      await world.settle();
      await mined(l2.dai.mint(await user.getAddress(), wad("120000")));
      // a withdrawal: burned on the L2, then paid out of the L1 escrow by the bridge
      await mined(l2.dai.connect(l2.bridge).burn(await user.getAddress(), wad("20000")));
      await maker.asPauseProxy((p) => mined(maker.escrow.connect(p).approve(maker.dai.address, l1.accounts[9]!, wad("20000"))));
      await mined(maker.dai.connect(l1.signer(9)).transferFrom(maker.escrow.address, await user.getAddress(), wad("20000")));
      await step(world);
    },
  },
  {
    title: "a compromised L2 bridge mints 150k, then 2M more unbacked DAI on the L2; the mints are burned again",
    expects: ["MAKER-DAI-BRIDGE-SHORTFALL", "MAKER-DAI-BRIDGE-SUPPLY-JUMP"],
    order: 500,
    async play(world) {
      const { chain, l2 } = l2Of(world);
      const thief = chain.accounts[7]!;
      await world.settle();
      await mintUnbacked(l2, thief, "150000"); // High, once confirmed
      await step(world);
      await mintUnbacked(l2, thief, "2000000"); // Critical; a supply jump
      await step(world);
      await mined(l2.dai.connect(l2.bridge).burn(thief, wad("2150000"))); // covered again; a supply jump
      await step(world);
    },
  },
  {
    title: "the L2's RPC goes down for a while, then answers again",
    expects: ["MAKER-DAI-BRIDGE-L2-UNAVAILABLE"],
    order: 510,
    async play(world) {
      const l2 = l2Of(world);
      await world.settle();
      l2.setAvailable(false);
      await step(world);
      l2.setAvailable(true);
      await step(world);
    },
  },
];
