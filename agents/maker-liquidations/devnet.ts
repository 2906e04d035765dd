/**
 * maker-liquidations' part of the devnet storyline: an orderly liquidation first (quiet), then an
 * ETH-A cascade of three whale vaults, two stalled auctions (one redone under a mistaken 10% chip),
 * a March-2020-style take at ~12% of the oracle price, a breaker tripped and lifted, and a bite
 * through the legacy Cat. Prices and parameters are put back after each scene; every auction ends.
 * The four alert scenes use orders 250-253, which no other bot uses, so nothing plays between them
 * (they share the whale auctions); each still copes with time having moved on.
 */
import type { Scene } from "../../scripts/devnet/scene";
import { catBite, cascade, quietLiquidation, stalledAuctions, zeroBid, type Cascade } from "./scenario";

let whales: Cascade | undefined;
const cascadeOf = (): Cascade => {
  if (!whales) throw new Error("the ETH-A cascade scene did not run before this one");
  return whales;
};

export const scenes: Scene[] = [
  {
    title: "an orderly liquidation: a small WBTC-A vault dips below its limit, is barked and taken at once",
    expects: [],
    order: 30,
    async play(world) {
      await quietLiquidation(world.maker);
    },
  },
  {
    title: "ETH dips 4%: three 10M DAI whale vaults are barked within minutes; governance tightens Hole mid-cascade",
    expects: ["MAKER-LIQ-LARGE-BARK", "MAKER-LIQ-ILK-CASCADE", "MAKER-LIQ-CASCADE", "MAKER-LIQ-ILK-DIRT", "MAKER-LIQ-DIRT", "MAKER-LIQ-PARAM-CHANGED"],
    order: 250,
    async play(world) {
      whales = await cascade(world.maker);
    },
  },
  {
    title: "two whale auctions stall past tail; one is redone while chip is mistakenly 10% (a 1.1M DAI keeper incentive)",
    expects: ["MAKER-LIQ-REDO-OVERDUE", "MAKER-LIQ-KEEPER-INCENTIVE"],
    order: 251,
    async play(world) {
      await stalledAuctions(world.maker, cascadeOf());
    },
  },
  {
    title: "cusp and tail misconfigured: a lone bidder takes the last whale auction at ~12% of the oracle price; the breaker is tripped and lifted",
    expects: ["MAKER-LIQ-TAKE-BELOW-ORACLE", "MAKER-LIQ-BREAKER"],
    order: 252,
    async play(world) {
      await zeroBid(world.maker, cascadeOf());
    },
  },
  {
    title: "WBTC-A is wired to the legacy Cat and a dipping WBTC vault is bitten through it",
    expects: ["MAKER-LIQ-CAT-BITE"],
    order: 253,
    async play(world) {
      await catBite(world.maker);
    },
  },
];
