/**
 * maker-vat's part of the devnet storyline: ordinary activity first (quiet), then ceilings changed
 * and squeezed, a ward sucking DAI against the Vow, a vest onboarded as a Vat ward (a known debt
 * source) and an unlisted ward sucking for itself, a one-unit fault injected into the Vat's debt
 * (and undone), and finally the Vat caged: by maker-emergency's shutdown when it plays (order
 * 1000), otherwise by governance caging the End here. Every change made is undone, except the cage.
 */
import { mined } from "../../test/chain/deploy";
import type { Scene } from "../../scripts/devnet/scene";
import { skyOf } from "../../scripts/devnet/parts/sky";
import { deployVestUsds, rogueVatWard, vestPayout } from "../../test/chain/sky-debt";
import { breakIdentityByOne, quietActivity, spellRaisesCeilings, squeezeCeilings, suckFromVow } from "./scenario";

export const scenes: Scene[] = [
  {
    title: "ordinary days at the Vat: vaults opened and adjusted, fees dripped, a flash mint, PSM swaps, an orderly liquidation",
    expects: [],
    order: 20,
    async play(world) {
      await quietActivity(world.maker);
    },
  },
  {
    title: "a spell raises the global debt ceiling by 50% and ETH-A's by 10%",
    expects: ["MAKER-VAT-LINE-CHANGED", "MAKER-VAT-ILK-LINE-CHANGED"],
    order: 200,
    async play(world) {
      await spellRaisesCeilings(world.maker);
    },
  },
  {
    title: "WBTC-A's line is trimmed to 95% use and a borrower draws it past 98%, then Line is squeezed to 99%; both restored",
    expects: ["MAKER-VAT-ILK-UTILISATION", "MAKER-VAT-LINE-UTILISATION", "MAKER-VAT-ILK-LINE-CHANGED", "MAKER-VAT-LINE-CHANGED"],
    order: 210,
    async play(world) {
      await squeezeCeilings(world.maker);
    },
  },
  {
    title: "a Vat ward sucks 2.5M DAI of unbacked debt onto the Vow: the surplus buffer falls and bad debt jumps",
    expects: ["MAKER-VAT-SURPLUS-DROP", "MAKER-VAT-SIN-JUMP"],
    order: 220,
    async play(world) {
      await suckFromVow(world.maker, "2500000");
    },
  },
  {
    title: "a spell onboards MCD_VEST_USDS, a suck-type vest (Vat ward, registered in the ChainLog in the same spell); its payouts suck against the Vow as a known debt source (quiet)",
    expects: ["MAKER-VAT-WARD-ADDED"],
    order: 224,
    async play(world) {
      const vest = await deployVestUsds(world.maker, skyOf(world));
      for (let day = 0; day < 2; day++) {
        await world.l1.increaseTime(86_400);
        await vestPayout(world.maker, vest);
        await skyOf(world).susds.drip();
      }
    },
  },
  {
    title: "a spell makes an address the ChainLog does not name a Vat ward; it sucks 50k DAI to itself twice and makes a friend a ward; a spell removes both",
    expects: ["MAKER-VAT-WARD-ADDED", "MAKER-VAT-SUCK-UNKNOWN", "MAKER-VAT-SIN-UNEXPLAINED"],
    order: 226,
    async play(world) {
      await rogueVatWard(world.maker, ["50000", "50000"], "devnet-vat-rogue");
      await world.l1.mine(2);
    },
  },
  {
    title: "fault injection: the Vat's debt word is raised by one unit (anvil_setStorageAt) for two blocks, then put back",
    expects: ["MAKER-VAT-INVARIANT"],
    order: 230,
    async play(world) {
      await breakIdentityByOne(world.maker, () => world.settle());
    },
  },
  {
    title: "the Vat is caged (maker-emergency's shutdown does it when it plays; otherwise governance cages the End now)",
    expects: ["MAKER-VAT-CAGED"],
    order: 1010,
    async play(world) {
      const { maker } = world;
      if ((await maker.vat.live()).isZero()) return;
      await maker.asPauseProxy((p) => mined(maker.end.connect(p)["cage()"]()));
    },
  },
];
