/**
 * Devnet configuration for the Maker governance bots (maker-governance, maker-auth): the devnet's
 * spells are deployed, voted and lifted by the Maker deployer (test/chain/maker/governance.ts), so
 * it is the known spell deployer and the known lifter here. Scenes that play attacks use other
 * accounts. (Mainnet defaults: agents/maker-governance/README.md.)
 */
import type { DevnetPart } from "../types";

export const makerGovernancePart: DevnetPart = {
  name: "maker-governance",
  async start(world) {
    const deployer = (await world.maker.deployer.getAddress()).toLowerCase();
    world.env.MAKER_SPELL_DEPLOYERS = deployer;
    world.env.GOV_KNOWN_LIFTERS = deployer;
  },
};
