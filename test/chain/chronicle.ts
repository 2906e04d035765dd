/**
 * The Chronicle layer of the devnet world, as mainnet has it since 2025 (../shared/reference/sky.md
 * 8.5, 8.6): FLAP_SKY_ORACLE, a ScribeOptimistic for SKY/USD fed by the Maker feed keys; PIP_SKY, a
 * standard OSM over it (kissed on the Scribe; not poked yet, so the storyline's keepers need not keep
 * it); LOCKSTAKE_ORACLE, the capped wrapper over PIP_SKY (cap 0.025). The pause proxy is the only ward
 * of each; dev account 3 is one of the Scribe's feeds (it pokes optimistically). Each is registered in the same ChainLog under its mainnet key.
 */
import type { ethers } from "forta-agent";
import type { AnvilChain } from "./anvil";
import { deployContract, mined } from "./deploy";
import type { MakerSystem } from "./maker";
import { deployCappedOracle, deployScribe, handScribeToGovernance } from "./maker/chronicle";
import { b32 } from "./units";

export interface ChronicleSystem {
  /** FLAP_SKY_ORACLE: ScribeOptimistic, SKY/USD */
  scribe: ethers.Contract;
  /** PIP_SKY: OSM over the Scribe */
  pipSky: ethers.Contract;
  /** LOCKSTAKE_ORACLE: capped wrapper over PIP_SKY */
  capped: ethers.Contract;
  addresses: Record<string, string>;
}

export async function deployChronicle(_chain: AnvilChain, mk: MakerSystem): Promise<ChronicleSystem> {
  const scribe = await deployScribe(mk, { optimistic: true, wat: "SKY/USD" });
  await mined(scribe.lift(_chain.accounts[3]!)); // a feed that also pokes optimistically (devnet account 3)
  const pipSky = await deployContract(mk.deployer, "OSM", scribe.address);
  await mined(scribe.kiss(pipSky.address));
  await handScribeToGovernance(mk, scribe);
  await mined(pipSky.rely(mk.pauseProxy.address));
  await mined(pipSky.deny(await mk.deployer.getAddress()));
  const capped = await deployCappedOracle(mk, pipSky, "0.025");
  // On mainnet PIP_SKY's source is FLAP_SKY_ORACLE. The devnet's flapper has an oracle of its own
  // (test/chain/sky-burn.ts registers it under that key), so this Scribe is found as PIP_SKY's
  // source, the way maker-oracles finds every Scribe, and not under a ChainLog key.
  // LOCKSTAKE_ORACLE likewise: a world whose Lockstake part registered its own capped wrapper (the
  // Spotter's pip of the Lockstake ilk, test/chain/lockstake.ts) keeps it; this one is then unlisted.
  const addresses: Record<string, string> = { PIP_SKY: pipSky.address };
  if (!mk.addresses.LOCKSTAKE_ORACLE) addresses.LOCKSTAKE_ORACLE = capped.address;
  await mk.asPauseProxy(async (p) => {
    for (const [k, a] of Object.entries(addresses)) await mined(mk.chainlog.connect(p).setAddress(b32(k), a));
  });
  Object.assign(mk.addresses, addresses);
  return { scribe, pipSky, capped, addresses };
}
