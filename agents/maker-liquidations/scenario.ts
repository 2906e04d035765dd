/**
 * maker-liquidations scenarios on a Maker-shaped deployment, shared by the end-to-end tests
 * (src/agent.e2e.ts) and the devnet storyline (devnet.ts). Each leaves the system usable: prices
 * are put back, parameters restored, auctions finished.
 */
import { ethers } from "forta-agent";
import { mined } from "../../test/chain/deploy";
import { useCat, type MakerSystem } from "../../test/chain/maker";
import { actor, ensureVatDai, openVaultAtSafety, orderlyLiquidation, osmPrice, scalePrice } from "../../test/chain/maker/risk-helpers";
import { b32, ray, wad } from "../../test/chain/units";

const ETH = "ETH-A" as const;

/** The ETH-A Clipper's parameters as governance would file them (through the pause proxy). */
export async function fileClip(mk: MakerSystem, what: string, value: ethers.BigNumberish): Promise<void> {
  await mk.asPauseProxy((p) => mined(mk.ilks[ETH].clip.connect(p)["file(bytes32,uint256)"](b32(what), value)));
}

/** Buy the whole lot of auction `id` at its current price. */
export async function takeAll(mk: MakerSystem, id: number, label: string): Promise<ethers.ContractReceipt> {
  const taker = await actor(mk, label);
  const { tab } = (await mk.ilks[ETH].clip.getStatus(id)) as { tab: ethers.BigNumber };
  await ensureVatDai(mk, taker, ethers.utils.formatUnits(tab.div(ethers.BigNumber.from(10).pow(27)), 18));
  return mk.take(ETH, id, { taker });
}

/** An ordinary liquidation (small WBTC-A vault, price dips 3%, bark, immediate take, price back). */
export async function quietLiquidation(mk: MakerSystem): Promise<void> {
  await orderlyLiquidation(mk, { ilk: "WBTC-A", debt: "20000", label: "liq-quiet" });
}

export interface Cascade {
  /** auction ids of the three whale vaults, in bark order */
  ids: number[];
  /** ETH price before the cascade */
  price: string;
}

/**
 * ETH-A cascade: three whale vaults of 10M DAI each sit 3% above their limit; ETH dips 4%; a keeper
 * barks all three (30M DAI in minutes: per-collateral Critical, system-wide High; ETH-A's dirt at
 * ~85% of its hole). Governance tightens the global Hole to 90% of Dirt mid-cascade. The first
 * auction is taken at the auction price (dirt falls back), then Hole is restored.
 */
export async function cascade(mk: MakerSystem, label = "liq-whale"): Promise<Cascade> {
  const price = await osmPrice(mk, ETH);
  const urns: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const owner = await actor(mk, `${label}-${i}`);
    urns.push((await openVaultAtSafety(mk, ETH, owner, { debt: "10000000", safety: "1.03" })).urn);
  }
  await mk.setPrice(ETH, scalePrice(price, "0.96"));
  const keeper = await actor(mk, `${label}-keeper`);
  const ids: number[] = [];
  for (const urn of urns) ids.push((await mk.bark(ETH, urn, keeper)).id);

  const Hole = (await mk.dog.Hole()) as ethers.BigNumber;
  const Dirt = (await mk.dog.Dirt()) as ethers.BigNumber;
  await mk.asPauseProxy((p) => mined(mk.dog.connect(p)["file(bytes32,uint256)"](b32("Hole"), Dirt.mul(100).div(90))));
  await takeAll(mk, ids[0]!, `${label}-taker`);
  await mk.asPauseProxy((p) => mined(mk.dog.connect(p)["file(bytes32,uint256)"](b32("Hole"), Hole)));
  return { ids, price };
}

/**
 * The two remaining whale auctions stall: nobody redoes them for half an hour past `tail`. A spell
 * then sets chip to 10% by mistake, and the redo of the first pays its keeper over a million DAI;
 * chip is put back, the second is redone normally, and the first is taken.
 */
export async function stalledAuctions(mk: MakerSystem, c: Cascade, label = "liq-whale"): Promise<void> {
  const clip = mk.ilks[ETH].clip;
  const tail = Number(await clip.tail());
  await mk.chain.increaseTime(tail + 1800 + 60);
  await mk.chain.mine();
  await mk.chain.mine();
  const chip = (await clip.chip()) as ethers.BigNumber;
  await fileClip(mk, "chip", wad("0.1"));
  const keeper = await actor(mk, `${label}-redoer`);
  await mined(clip.connect(keeper).redo(c.ids[1]!, await keeper.getAddress()));
  await fileClip(mk, "chip", chip);
  await mined(clip.connect(keeper).redo(c.ids[2]!, await keeper.getAddress()));
  await takeAll(mk, c.ids[1]!, `${label}-taker`);
}

/**
 * March 2020 again: a spell lowers ETH-A's cusp to 0.05 and stretches tail to three days, so the
 * last whale auction keeps falling instead of resetting; 90% into tau a lone bidder takes the whole
 * lot at about 12% of the oracle price. Parameters are restored; governance then trips the ETH-A
 * breaker (stopped = 2) and lifts it again; ETH's price is put back.
 */
export async function zeroBid(mk: MakerSystem, c: Cascade, label = "liq-whale"): Promise<ethers.ContractReceipt> {
  const clip = mk.ilks[ETH].clip;
  const id = c.ids[2]!;
  const tau = Number(await mk.ilks[ETH].calc.tau());
  const ticOf = async () => Number(((await clip.sales(id)) as ethers.BigNumber[])[4]);
  // if time has run past 90% of tau since the last reset (other scenes move time too), reset it
  // first: the auction then needs a redo under the current cusp anyway
  if ((await mk.chain.timestamp()) + 60 >= (await ticOf()) + Math.floor((tau * 9) / 10)) {
    const keeper = await actor(mk, `${label}-redoer`);
    await mined(clip.connect(keeper).redo(id, await keeper.getAddress()));
  }
  const [cusp, tail] = (await Promise.all([clip.cusp(), clip.tail()])) as [ethers.BigNumber, ethers.BigNumber];
  await fileClip(mk, "cusp", ray("0.05"));
  await fileClip(mk, "tail", 3 * 24 * 3600);
  await mk.chain.setNextBlockTimestamp((await ticOf()) + Math.floor((tau * 9) / 10));
  await mk.chain.mine();
  const take = await takeAll(mk, id, `${label}-lone-bidder`);
  await fileClip(mk, "cusp", cusp);
  await fileClip(mk, "tail", tail);
  await fileClip(mk, "stopped", 2);
  await fileClip(mk, "stopped", 0);
  await mk.setPrice(ETH, c.price);
  return take;
}

/**
 * The legacy Cat: WBTC-A is (re)wired to a Cat + Flipper by governance, a small WBTC vault dips
 * below its limit and someone bites it through the Cat. WBTC's price is put back.
 */
export async function catBite(mk: MakerSystem, label = "liq-cat"): Promise<void> {
  const ilk = "WBTC-A" as const;
  const price = await osmPrice(mk, ilk);
  await useCat(mk, ilk);
  const owner = await actor(mk, `${label}-owner`);
  const { urn } = await openVaultAtSafety(mk, ilk, owner, { debt: "40000", safety: "1.03" });
  await mk.setPrice(ilk, scalePrice(price, "0.96"));
  await mined(mk.cat.connect(await actor(mk, `${label}-biter`)).bite(mk.ilks[ilk].ilk, urn));
  await mk.setPrice(ilk, price);
}
