/**
 * Liquidation helpers: bark an unsafe vault (Dog -> Clipper) and take from an auction.
 */
import { ethers } from "forta-agent";
import { deployContract, mined } from "../deploy";
import { b32, rad, RAY, wad } from "../units";
import type { MakerSystem, OracleIlkName } from "../maker";

export interface BarkResult {
  /** Auction id in the ilk's Clipper. */
  id: number;
  receipt: ethers.ContractReceipt;
}

/** Liquidate `urn` (it must be unsafe: lower the price with setPrice first). `keeper` receives the tip/chip. */
export async function bark(mk: MakerSystem, ilk: OracleIlkName, urn: string, keeper: ethers.Signer = mk.chain.signer(9)): Promise<BarkResult> {
  const receipt = await mined(mk.dog.connect(keeper).bark(mk.ilks[ilk].ilk, urn, await keeper.getAddress()));
  const bark = receipt.events?.find((e) => e.event === "Bark");
  return { id: Number(bark?.args?.id), receipt };
}

export interface TakeOptions {
  /** Who buys; needs internal dai in the Vat (see `fundVatDai`). Default: account 9. */
  taker?: ethers.Signer;
  /** Collateral to buy [wad]; default: the whole lot. */
  amt?: ethers.BigNumberish;
  /** Highest acceptable price [ray]; default: the current auction price. */
  max?: ethers.BigNumberish;
}

/** Buy collateral from auction `id` of the ilk's Clipper at its current price. */
export async function take(mk: MakerSystem, ilk: OracleIlkName, id: number, opts: TakeOptions = {}): Promise<ethers.ContractReceipt> {
  const clip = mk.ilks[ilk].clip;
  const taker = opts.taker ?? mk.chain.signer(9);
  const who = await taker.getAddress();
  const status = await clip.getStatus(id);
  await mined(mk.vat.connect(taker).hope(clip.address));
  return mined(clip.connect(taker).take(id, opts.amt ?? status.lot, opts.max ?? status.price, who, "0x"));
}

/** Give `who` internal dai (rad) in the Vat, backed by a fresh ETH-A vault of its own. */
export async function fundVatDai(mk: MakerSystem, who: ethers.Signer, dai: string): Promise<void> {
  const [, rate, spot] = await mk.vat.ilks(mk.ilks["ETH-A"].ilk);
  const art = wad(dai).mul(RAY).div(rate).add(1);
  // collateral for 2x the debt at the current spot
  const ink = art.mul(rate).mul(2).div(spot).add(wad("1"));
  await mk.openVault("ETH-A", { owner: who, ink: ethers.utils.formatUnits(ink, 18), art: ethers.utils.formatUnits(art, 18), exit: false });
}

/**
 * Put an ilk on the legacy Cat (liquidations 1.0) as well: deploy a Flipper and point the Cat at it
 * (through the pause proxy), so `mk.cat.bite(ilk, urn)` works and emits Bite. The Dog keeps its Clipper.
 */
export async function useCat(mk: MakerSystem, ilk: OracleIlkName, opts: { chop?: string; dunk?: string } = {}): Promise<ethers.Contract> {
  const id = mk.ilks[ilk].ilk;
  const flip = await deployContract(mk.deployer, "Flipper", mk.vat.address, mk.cat.address, id);
  await mined(flip.rely(mk.cat.address));
  await mined(flip.rely(mk.pauseProxy.address));
  await mined(flip.deny(await mk.deployer.getAddress()));
  await mk.asPauseProxy(async (p) => {
    const cat = mk.cat.connect(p);
    await mined(cat["file(bytes32,bytes32,address)"](id, b32("flip"), flip.address));
    await mined(cat["file(bytes32,bytes32,uint256)"](id, b32("chop"), wad(opts.chop ?? "1.13")));
    await mined(cat["file(bytes32,bytes32,uint256)"](id, b32("dunk"), rad(opts.dunk ?? "50000")));
  });
  return flip;
}
