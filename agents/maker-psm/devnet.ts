/**
 * maker-psm's part of the devnet storyline: ordinary swaps (quiet), large swaps, a run on the
 * classic PSM's reserve that escalates and then ages out of the window, fee and whitelist changes
 * (restored), and the lite PSM's line lowered to its debt and restored. Amounts are computed from
 * the state the earlier scenes left, and the PSMs are usable afterwards.
 */
import { ethers } from "forta-agent";
import type { Scene } from "../../scripts/devnet/scene";
import { mined } from "../../test/chain/deploy";
import { buyGem, psmReserve } from "../../test/chain/maker/psm-helpers";

const wad = (n: string) => ethers.utils.parseEther(n);
const rad = (n: string) => wad(n).mul(ethers.BigNumber.from(10).pow(27));
const b32 = ethers.utils.formatBytes32String;
const units = (raw: ethers.BigNumber) => ethers.utils.formatUnits(raw, 6);

export const scenes: Scene[] = [
  {
    title: "traders swap small amounts of USDC and DAI through both PSMs (nothing to report)",
    expects: [],
    order: 15,
    async play(world) {
      const { maker, l1 } = world;
      await maker.sellGem("psm", l1.signer(4), "150000");
      await maker.sellGem("lite", l1.signer(4), "300000.5");
      await buyGem(maker, "lite", l1.signer(4), "120000");
    },
  },
  {
    title: "a market maker sells 12M USDC to the lite PSM (Info) and 60M to the classic PSM (Low)",
    expects: ["MAKER-PSM-LARGE-SWAP"],
    order: 400,
    async play(world) {
      const { maker, l1 } = world;
      await maker.sellGem("lite", l1.signer(5), "12000000");
      await maker.sellGem("psm", l1.signer(5), "60000000");
    },
  },
  {
    title: "a run on the classic PSM: a quarter of its USDC bought out, then more than half, within the hour; an hour later it has aged out",
    expects: ["MAKER-PSM-RUN"],
    order: 410,
    async play(world) {
      const { maker, l1 } = world;
      await l1.increaseTime(2 * 3600); // earlier swaps leave the window
      await l1.mine();
      const reserve = await psmReserve(maker, "psm");
      await buyGem(maker, "psm", l1.signer(5), units(reserve.mul(25).div(100))); // 25%: High
      await buyGem(maker, "psm", l1.signer(5), units(reserve.mul(30).div(100))); // 55%: Critical
      await l1.increaseTime(3601);
      await l1.mine(); // resolved
      await maker.sellGem("psm", l1.signer(5), units(reserve.mul(55).div(100))); // the reserve comes back (Info)
    },
  },
  {
    title: "governance sets a 0.1% tout, halts the lite PSM's tin, whitelists then removes a fee-free swapper, and restores the fees",
    expects: ["MAKER-PSM-FILE", "MAKER-PSM-WHITELIST"],
    order: 420,
    async play(world) {
      const { maker, l1 } = world;
      await maker.asPauseProxy(async (proxy) => {
        await mined(maker.psm.connect(proxy)["file(bytes32,uint256)"](b32("tout"), wad("0.001")));
        await mined(maker.litePsm.connect(proxy)["file(bytes32,uint256)"](b32("tin"), ethers.constants.MaxUint256));
        await mined(maker.litePsm.connect(proxy).kiss(l1.accounts[6]!));
        await mined(maker.litePsm.connect(proxy).diss(l1.accounts[6]!));
        await mined(maker.litePsm.connect(proxy)["file(bytes32,uint256)"](b32("tin"), 0));
        await mined(maker.psm.connect(proxy)["file(bytes32,uint256)"](b32("tout"), 0));
      });
    },
  },
  {
    title: "governance lowers the lite PSM's debt ceiling to 95%, then 99.5%, of its pre-minted DAI, then restores it",
    expects: ["MAKER-PSM-LINE"],
    order: 430,
    async play(world) {
      const { maker } = world;
      const ilk = b32("LITE-PSM-USDC-A");
      const [Art, , , line] = await maker.vat.ilks(ilk);
      const debt = Number(ethers.utils.formatEther(Art)); // rate is 1 for PSM ilks
      await maker.asPauseProxy(async (proxy) => {
        const vat = maker.vat.connect(proxy);
        await mined(vat["file(bytes32,bytes32,uint256)"](ilk, b32("line"), rad(String(Math.ceil(debt / 0.95)))));
        await mined(vat["file(bytes32,bytes32,uint256)"](ilk, b32("line"), rad(String(Math.ceil(debt / 0.995)))));
        await mined(vat["file(bytes32,bytes32,uint256)"](ilk, b32("line"), line));
      });
    },
  },
  {
    title: "the lite PSM's pocket lets a rogue spender take 1M USDC (insolvent) until it is given back; 25M USDC sold to it wait two hours for a fill nobody makes, then a keeper fills",
    expects: ["MAKER-PSM-LITE-INSOLVENT", "MAKER-PSM-LITE-FILL-LAGGING"],
    order: 435,
    async play(world) {
      const { maker, l1 } = world;
      const rogue = l1.signer(8);
      const usdc = maker.usdc.connect(rogue);
      await maker.asPauseProxy(async (proxy) => mined(maker.litePsmPocket.connect(proxy).hope(maker.usdc.address, await rogue.getAddress())));
      await mined(usdc.transferFrom(maker.litePsmPocket.address, await rogue.getAddress(), ethers.utils.parseUnits("1000000", 6)));
      await mined(usdc.transfer(maker.litePsmPocket.address, ethers.utils.parseUnits("1000000", 6)));
      await maker.sellGem("lite", l1.signer(5), "25000000");
      await l1.increaseTime(2 * 3600 + 1);
      await l1.mine();
      await mined(maker.litePsm.fill());
    },
  },
];
