/**
 * maker-vat scenarios on a Maker-shaped deployment: used by the end-to-end tests
 * (src/agent.e2e.ts) and by the devnet storyline (devnet.ts), so both show the same behaviour.
 */
import { ethers } from "forta-agent";
import { mined } from "../../test/chain/deploy";
import { call, type MakerSystem, type SpellResult } from "../../test/chain/maker";
import { actor, nudgeVatDebt, openVaultAtSafety } from "../../test/chain/maker/risk-helpers";
import { RAY, b32, rad, wad } from "../../test/chain/units";

/** Ordinary days (test/chain/maker/quiet-days.ts): shared with maker-liquidations' tests. */
export { quietActivity } from "../../test/chain/maker/quiet-days";

/** Governance, through the full chief/pause path, raises Line by half and ETH-A's line by a tenth. */
export async function spellRaisesCeilings(mk: MakerSystem): Promise<SpellResult> {
  const Line = (await mk.vat.Line()) as ethers.BigNumber;
  const [, , , line] = (await mk.vat.ilks(mk.ilks["ETH-A"].ilk)) as ethers.BigNumber[];
  return mk.executeSpell(
    [
      call(mk.vat, "file(bytes32,uint256)", b32("Line"), Line.add(Line.div(2))),
      call(mk.vat, "file(bytes32,bytes32,uint256)", mk.ilks["ETH-A"].ilk, b32("line"), line!.add(line!.div(10))),
    ],
    { description: "raise the global debt ceiling by 50% and ETH-A's by 10%" },
  );
}

/**
 * WBTC-A runs into its ceiling: governance trims its line to 95% utilisation (Medium), a borrower
 * draws it past 98% (High), governance restores the line (resolved). Then the same with Line.
 */
export async function squeezeCeilings(mk: MakerSystem, label = "vat-squeeze"): Promise<void> {
  const ilk = mk.ilks["WBTC-A"].ilk;
  const [Art0, rate0, , line] = (await mk.vat.ilks(ilk)) as ethers.BigNumber[];
  // the borrower's vault must carry what it takes to go from 95% to 98.5% of the trimmed line
  const own = wad("10000");
  const planned = Art0!.mul(rate0!).add(own.mul(RAY));
  const extraDai = planned.mul(985).div(950).sub(planned).div(RAY);
  const safety = ethers.utils.formatUnits(own.add(extraDai).mul(3).mul(1000).div(own), 3);
  const borrower = await actor(mk, `${label}-borrower`);
  const { urn } = await openVaultAtSafety(mk, "WBTC-A", borrower, { debt: "10000", safety, exit: false });
  const [Art, rate] = (await mk.vat.ilks(ilk)) as ethers.BigNumber[];
  const ilkDebt = Art!.mul(rate!);
  const tight = ilkDebt.mul(100).div(95);
  await mk.asPauseProxy((p) => mined(mk.vat.connect(p)["file(bytes32,bytes32,uint256)"](ilk, b32("line"), tight)));
  const dart = tight.mul(985).div(1000).sub(ilkDebt).div(rate!).add(1);
  await mined(mk.vat.connect(borrower).frob(ilk, urn, urn, urn, 0, dart));
  await mk.asPauseProxy((p) => mined(mk.vat.connect(p)["file(bytes32,bytes32,uint256)"](ilk, b32("line"), line!)));

  const debt = (await mk.vat.debt()) as ethers.BigNumber;
  const Line = (await mk.vat.Line()) as ethers.BigNumber;
  await mk.asPauseProxy(async (p) => {
    await mined(mk.vat.connect(p)["file(bytes32,uint256)"](b32("Line"), debt.mul(100).div(99)));
    await mined(mk.vat.connect(p)["file(bytes32,uint256)"](b32("Line"), Line));
  });
}

/** A Vat ward (here the pause proxy) sucks `dai` of unbacked DAI out against the Vow: the buffer falls, vice jumps. */
export async function suckFromVow(mk: MakerSystem, dai: string, label = "vat-suck"): Promise<void> {
  const to = await (await actor(mk, `${label}-recipient`)).getAddress();
  await mk.asPauseProxy((p) => mined(mk.vat.connect(p).suck(mk.vow.address, to, rad(dai))));
}

/**
 * Fault injection: the Vat's `debt` word is raised by one unit (anvil_setStorageAt), left so for
 * two blocks, then put back. anvil applies a storage write to the head block's state, so the block
 * mined before the write already reads the broken value; `settle` (the devnet's) lets a live runtime
 * read the broken blocks before the write is undone.
 */
export async function breakIdentityByOne(mk: MakerSystem, settle: () => Promise<void> = async () => undefined): Promise<void> {
  await mk.chain.mine();
  await nudgeVatDebt(mk, 1n);
  await mk.chain.mine();
  await settle();
  await mk.chain.mine();
  await settle();
  await nudgeVatDebt(mk, -1n);
  await mk.chain.mine();
}

