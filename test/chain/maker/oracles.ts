/**
 * Price oracles: feed signers, Median pokes with signed prices, OSM pokes across `hop`, and
 * `setPrice`, which moves a price through the whole mainnet path (median -> OSM -> Spotter -> Vat).
 */
import { ethers } from "forta-agent";
import { mined } from "../deploy";
import { wad } from "../units";
import type { MakerSystem, OracleIlkName } from "../maker";

/**
 * `n` feed keys whose addresses start with distinct bytes (the Median tells signers apart by their
 * first address byte), derived deterministically from `seed` so every deployment uses the same feeds.
 */
export function feedSigners(n: number, seed = "vigil-feed"): ethers.Wallet[] {
  const out: ethers.Wallet[] = [];
  const used = new Set<string>();
  for (let i = 0; out.length < n; i++) {
    const w = new ethers.Wallet(ethers.utils.id(`${seed}-${i}`));
    const first = w.address.slice(2, 4).toLowerCase();
    if (used.has(first)) continue;
    used.add(first);
    out.push(w);
  }
  return out;
}

/** The message a feed signs for the Median: EIP-191 over keccak256(abi.encodePacked(val, age, wat)). */
export async function signPrice(feed: ethers.Wallet, val: ethers.BigNumber, age: number, wat: string): Promise<ethers.Signature> {
  const hash = ethers.utils.solidityKeccak256(["uint256", "uint256", "bytes32"], [val, age, wat]);
  return ethers.utils.splitSignature(await feed.signMessage(ethers.utils.arrayify(hash)));
}

/** Poke the ilk's Median with `price` (decimal string, USD) signed by `bar` feeds. */
export async function pokeMedian(mk: MakerSystem, ilk: OracleIlkName, price: string): Promise<ethers.ContractReceipt> {
  const { median } = mk.ilks[ilk];
  const bar = Number(await median.bar());
  const wat: string = await median.wat();
  const val = wad(price);
  // messages must be newer than the median's last update
  const age = Math.max(await mk.chain.timestamp(), Number(await median.age()) + 1);
  const sigs = await Promise.all(mk.feeds.slice(0, bar).map((f) => signPrice(f, val, age, wat)));
  return mined(
    median.poke(
      sigs.map(() => val),
      sigs.map(() => age),
      sigs.map((s) => s.v),
      sigs.map((s) => s.r),
      sigs.map((s) => s.s),
    ),
  );
}

/** Warp to the OSM's next allowed poke (zzz + hop) if needed, then poke it. */
export async function pokeOsm(mk: MakerSystem, ilk: OracleIlkName): Promise<ethers.ContractReceipt> {
  const { pip } = mk.ilks[ilk];
  const next = Number(await pip.zzz()) + Number(await pip.hop());
  const now = await mk.chain.timestamp();
  // anvil may mine the next block in the same second as the head: pin it whenever the head is early
  if (now < next) await mk.chain.setNextBlockTimestamp(next);
  return mined(pip.poke());
}

/**
 * Move an ilk's price through the real path: the Median is poked with signed prices, the OSM is
 * poked twice (one hop apart, warping time) so the price becomes its current value, and the
 * Spotter files the new `spot` into the Vat. Returns the receipts in order.
 */
export async function setPrice(mk: MakerSystem, ilk: OracleIlkName, price: string): Promise<ethers.ContractReceipt[]> {
  const receipts = [await pokeMedian(mk, ilk, price), await pokeOsm(mk, ilk), await pokeOsm(mk, ilk)];
  receipts.push(await mined(mk.spot.poke(mk.ilks[ilk].ilk)));
  return receipts;
}
