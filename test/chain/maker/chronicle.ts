/**
 * Chronicle-fed oracles (test/contracts/Chronicle.sol, ../shared/reference/sky.md 8.5, 8.6, 9):
 * a Scribe or ScribeOptimistic fed by the Maker feed keys, put behind an ilk's OSM as mainnet's
 * 2025 spells did (`change(src)` by the pause proxy, the OSM kissed on the Scribe), relayed
 * prices, optimistic pokes and challenges, and the capped OSM wrapper of LOCKSTAKE_ORACLE.
 *
 * An ilk whose source is a Scribe keeps its handle in `mk.ilks[ilk].median`: the keepers'
 * helpers (oracle-helpers.ts: relayMedianPrice, medianValue) see that it is a Scribe
 * (`isScribe`) and poke or read it as one, so every OSM scenario runs over either kind of source.
 */
import { ethers } from "forta-agent";
import { attach, deployContract, mined } from "../deploy";
import { b32, wad } from "../units";
import type { MakerSystem, OracleIlkName } from "../maker";

/** Scribes deployed by these helpers (address, lowercase). */
const SCRIBES = new Set<string>();

export function isScribe(c: ethers.Contract): boolean {
  return SCRIBES.has(c.address.toLowerCase());
}

/** The Schnorr data a test poke carries: the signers' addresses (20 bytes each); a zero signature makes it invalid. */
export function schnorrOf(signers: readonly string[], valid = true): [string, string, string] {
  return [valid ? ethers.utils.id("vigil-valid-schnorr") : ethers.constants.HashZero, ethers.constants.AddressZero, ethers.utils.hexConcat(signers)];
}

/** Deploy a Scribe (or ScribeOptimistic) whose ward is the pause proxy, its first `bar` feeds lifted, poked at `price`. */
export async function deployScribe(mk: MakerSystem, opts: { optimistic?: boolean; wat?: string; price?: string } = {}): Promise<ethers.Contract> {
  const name = opts.optimistic ? "ChronicleScribeOptimistic" : "ChronicleScribe";
  const scribe = await deployContract(mk.deployer, name, await mk.deployer.getAddress(), b32(opts.wat ?? "ETH/USD"));
  SCRIBES.add(scribe.address.toLowerCase());
  const bar = Number(await scribe.bar());
  for (const f of mk.feeds.slice(0, bar)) await mined(scribe.lift(f.address));
  if (opts.price) await pokeScribe(mk, scribe, wad(opts.price), mk.deployer);
  return scribe;
}

/** Hand a Scribe's rights to the pause proxy (the deployer denies itself), as on mainnet. */
export async function handScribeToGovernance(mk: MakerSystem, scribe: ethers.Contract): Promise<void> {
  await mined(scribe.rely(mk.pauseProxy.address));
  await mined(scribe.deny(await mk.deployer.getAddress()));
}

/** Relay `val` signed by the Scribe's `bar` feeds (anyone may). */
export async function pokeScribe(mk: MakerSystem, scribe: ethers.Contract, val: ethers.BigNumber, sender: ethers.Signer): Promise<ethers.ContractReceipt> {
  const bar = Number(await scribe.bar());
  const age = await nextAge(mk, scribe);
  return mined(scribe.connect(sender).poke([val, age], schnorrOf(mk.feeds.slice(0, bar).map((f) => f.address))));
}

/** An optimistic poke by one feed (`feed`, a dev account lifted as a feed); `valid` false: its Schnorr data does not verify. */
export async function opPokeScribe(mk: MakerSystem, scribe: ethers.Contract, val: ethers.BigNumber, feed: ethers.Signer, valid = true): Promise<ethers.ContractReceipt> {
  const bar = Number(await scribe.bar());
  const age = await nextAge(mk, scribe);
  return mined(scribe.connect(feed).opPoke([val, age], schnorrOf(mk.feeds.slice(0, bar).map((f) => f.address), valid), [27, ethers.constants.HashZero, ethers.constants.HashZero]));
}

/** Anyone's challenge of the pending optimistic poke. */
export async function challengeScribe(scribe: ethers.Contract, challenger: ethers.Signer): Promise<ethers.ContractReceipt> {
  return mined(scribe.connect(challenger).opChallenge(schnorrOf([])));
}

let lastAge = 0;
async function nextAge(mk: MakerSystem, _scribe: ethers.Contract): Promise<number> {
  lastAge = Math.max(await mk.chain.timestamp(), lastAge + 1);
  return lastAge;
}

/** A Scribe's last regular poke from storage (slot 4: uint128 val | uint32 age). */
export async function scribeValue(mk: MakerSystem, scribe: ethers.Contract): Promise<ethers.BigNumber> {
  return ethers.BigNumber.from(await mk.chain.getStorageAt(scribe.address, 4)).mask(128);
}

/**
 * Put a Scribe (or ScribeOptimistic) behind `ilk`'s OSM, as the 2025 spells did for PIP_ETH and
 * PIP_WBTC: the Scribe starts at the Median's current value, the OSM is kissed on it, the pause
 * proxy changes the OSM's source; `mk.ilks[ilk].median` is the Scribe from then on.
 */
export async function useScribeSource(mk: MakerSystem, ilk: OracleIlkName, opts: { optimistic?: boolean } = {}): Promise<ethers.Contract> {
  const { pip, median } = mk.ilks[ilk];
  const price = ethers.BigNumber.from(await mk.chain.getStorageAt(median.address, 1)).mask(128);
  const scribe = await deployScribe(mk, { optimistic: opts.optimistic, wat: `${ilk.split("-")[0]}/USD` });
  await pokeScribe(mk, scribe, price, mk.deployer);
  await mined(scribe.kiss(pip.address));
  await handScribeToGovernance(mk, scribe);
  await mk.asPauseProxy((p) => mined(pip.connect(p).change(scribe.address)));
  mk.ilks[ilk].median = scribe;
  return scribe;
}

/** LOCKSTAKE_ORACLE: a capped wrapper over `osm`, kissed on it, `cap` (decimal USD), its ward the pause proxy. */
export async function deployCappedOracle(mk: MakerSystem, osm: ethers.Contract, cap: string): Promise<ethers.Contract> {
  const capped = await deployContract(mk.deployer, "LockstakeCappedOsmWrapper", osm.address);
  await mined(capped.file(b32("cap"), wad(cap)));
  await mk.asPauseProxy((p) => mined(osm.connect(p)["kiss(address)"](capped.address)));
  await mined(capped.rely(mk.pauseProxy.address));
  await mined(capped.deny(await mk.deployer.getAddress()));
  return attach("LockstakeCappedOsmWrapper", capped.address, mk.deployer);
}
