/**
 * Helpers for liquidation and vault-engine scenarios (used by the maker-liquidations and maker-vat
 * tests and devnet scenes): actors at fresh addresses, vaults opened at a chosen distance from
 * their liquidation price, an orderly liquidation end to end, the Vat's storage words.
 *
 * Actors are addresses derived from a label and impersonated on anvil, so scenes of different bots
 * never share a vault or a keeper by accident (the funded dev accounts are few and shared).
 */
import { ethers } from "forta-agent";
import { mined } from "../deploy";
import { RAY, wad } from "../units";
import type { MakerSystem, OracleIlkName } from "../maker";
import { fundVatDai } from "./liquidations";

/** A signer for the address derived from `label` (same label, same address), with ETH for gas. */
export async function actor(mk: MakerSystem, label: string): Promise<ethers.providers.JsonRpcSigner> {
  const address = ethers.utils.getAddress(ethers.utils.id(`vigil-actor:${label}`).slice(0, 42));
  return mk.chain.impersonate(address, ethers.utils.parseEther("100"));
}

export interface RiskyVaultOptions {
  /** DAI to draw (decimal string) */
  debt: string;
  /**
   * Collateral value over the liquidation limit (ink * spot / (art * rate)): 1.05 = a 5% price drop
   * makes the vault unsafe. Must be >= 1.
   */
  safety: string;
  /** exit the DAI to the owner as ERC-20 (default true) */
  exit?: boolean;
}

/** Open a vault of `owner` drawing `debt` DAI with collateral worth `safety` x its liquidation limit at the current spot. */
export async function openVaultAtSafety(mk: MakerSystem, ilk: OracleIlkName, owner: ethers.Signer, o: RiskyVaultOptions): Promise<{ urn: string; ink: string; art: string }> {
  const h = mk.ilks[ilk];
  // the Vat's spot follows the OSM only when the Spotter is poked: sync it so "safety" is measured against the price in force
  await mined(mk.spot.poke(h.ilk));
  const [, rate, spot] = (await mk.vat.ilks(h.ilk)) as [ethers.BigNumber, ethers.BigNumber, ethers.BigNumber];
  const art = wad(o.debt).mul(RAY).div(rate).add(1);
  // ink [wad] = art * rate * safety / spot, rounded up to the token's decimals
  const safetyRay = ethers.utils.parseUnits(o.safety, 27);
  let ink = art.mul(rate).div(RAY).mul(safetyRay).div(spot).add(1);
  const step = ethers.BigNumber.from(10).pow(18 - h.dec);
  ink = ink.add(step).sub(1).div(step).mul(step);
  const inkText = ethers.utils.formatUnits(ink, 18);
  const artText = ethers.utils.formatUnits(art, 18);
  const v = await mk.openVault(ilk, { owner, ink: inkText, art: artText, exit: o.exit });
  return { urn: v.urn, ink: inkText, art: artText };
}

/** The price (USD, decimal string) the ilk's OSM currently holds as `cur`, read from storage (slot 3). */
export async function osmPrice(mk: MakerSystem, ilk: OracleIlkName): Promise<string> {
  const word = await mk.chain.getStorageAt(mk.ilks[ilk].pip.address, 3);
  const val = ethers.BigNumber.from(word).mask(128);
  return ethers.utils.formatUnits(val, 18);
}

/** `price` scaled by `factor` (decimal strings), with at most 6 decimals. */
export function scalePrice(price: string, factor: string): string {
  const p = ethers.utils.parseUnits(price, 18).mul(ethers.utils.parseUnits(factor, 18)).div(ethers.constants.WeiPerEther);
  const six = p.div(ethers.BigNumber.from(10).pow(12)).mul(ethers.BigNumber.from(10).pow(12));
  return ethers.utils.formatUnits(six, 18);
}

export interface OrderlyLiquidation {
  urn: string;
  id: number;
  bark: ethers.ContractReceipt;
  take: ethers.ContractReceipt;
}

/**
 * An ordinary liquidation: a small vault `safety` above its limit, the price dips just enough
 * (through the real oracle path), a keeper barks it, a bidder takes the whole lot right away at
 * the auction's price, and the price is put back. Nothing here should alarm anyone.
 */
export async function orderlyLiquidation(
  mk: MakerSystem,
  o: { ilk?: OracleIlkName; debt?: string; label?: string } = {},
): Promise<OrderlyLiquidation> {
  const ilk = o.ilk ?? "ETH-A";
  const label = o.label ?? "orderly";
  const owner = await actor(mk, `${label}-owner`);
  const keeper = await actor(mk, `${label}-keeper`);
  const taker = await actor(mk, `${label}-taker`);
  const before = await osmPrice(mk, ilk);
  const { urn } = await openVaultAtSafety(mk, ilk, owner, { debt: o.debt ?? "15000", safety: "1.02" });
  await mk.setPrice(ilk, scalePrice(before, "0.97"));
  const bark = await mk.bark(ilk, urn, keeper);
  const { tab } = (await mk.ilks[ilk].clip.getStatus(bark.id)) as { tab: ethers.BigNumber };
  await fundVatDai(mk, taker, ethers.utils.formatUnits(tab.div(ethers.BigNumber.from(10).pow(27)).add(wad("1")), 18));
  const take = await mk.take(ilk, bark.id, { taker });
  await mk.setPrice(ilk, before);
  return { urn, id: bark.id, bark: bark.receipt, take };
}

/** The Vat's storage slots (mainnet layout, test/contracts/Vat.sol). */
export const VAT_SLOTS = { ilks: 2, urns: 3, gem: 4, dai: 5, sin: 6, debt: 7, vice: 8, Line: 9, live: 10 } as const;

/**
 * Fault injection: add `delta` (may be negative) to the Vat's `debt` word with anvil_setStorageAt,
 * which no transaction of the real Vat can do. Takes effect in the next mined block.
 */
export async function nudgeVatDebt(mk: MakerSystem, delta: bigint): Promise<bigint> {
  const current = BigInt(await mk.chain.getStorageAt(mk.vat.address, VAT_SLOTS.debt));
  const next = current + delta;
  await mk.chain.setStorageAt(mk.vat.address, VAT_SLOTS.debt, next);
  return next;
}

/** Give `who` internal dai [rad] in the Vat (see fundVatDai) unless it already holds `dai` DAI. */
export async function ensureVatDai(mk: MakerSystem, who: ethers.Signer, dai: string): Promise<void> {
  const have = (await mk.vat.dai(await who.getAddress())) as ethers.BigNumber;
  const want = wad(dai).mul(RAY);
  if (have.gte(want)) return;
  await fundVatDai(mk, who, ethers.utils.formatUnits(want.sub(have).div(RAY).add(wad("1")), 18));
}

/** `vat.hope(usr)` from `who` (lets a clipper move `who`'s dai). */
export async function hope(mk: MakerSystem, who: ethers.Signer, usr: string): Promise<void> {
  await mined(mk.vat.connect(who).hope(usr));
}
