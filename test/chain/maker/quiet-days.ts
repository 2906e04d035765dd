/**
 * Ordinary days on a Maker-shaped deployment, shared by the bots' end-to-end tests and devnet
 * scenes that must show no alarm in a quiet stretch (maker-vat, maker-liquidations). Here, not in
 * one bot's scenario.ts, because a bot must not import another bot (test/architecture.spec.ts).
 */
import { mined } from "../deploy";
import { flashMint, type MakerSystem } from "../maker";
import { wad } from "../units";
import { actor, openVaultAtSafety, orderlyLiquidation } from "./risk-helpers";

/**
 * Ordinary days: vaults opened, topped up and partly repaid, stability fees dripped, a small flash
 * mint, small PSM swaps, an orderly liquidation, and the AutoLine (MCD_IAM_AUTO_LINE) moving ETH-A's
 * line after the debt, as keepers call it on mainnet. Nothing here should alarm anyone: the
 * AutoLine's line changes are Info (sanctioned automation, small changes).
 */
export async function quietActivity(mk: MakerSystem, label = "vat-quiet"): Promise<void> {
  const owner = await actor(mk, `${label}-borrower`);
  const { urn } = await openVaultAtSafety(mk, "ETH-A", owner, { debt: "20000", safety: "2", exit: false });
  await mk.autoLineExec("ETH-A");
  await mined(mk.vat.connect(owner).frob(mk.ilks["ETH-A"].ilk, urn, urn, urn, 0, wad("5000")));
  await mk.autoLineExec("ETH-A");
  await mined(mk.vat.connect(owner).frob(mk.ilks["ETH-A"].ilk, urn, urn, urn, 0, wad("-3000")));
  await mk.autoLineExec("ETH-A");
  await mk.drip("ETH-A");
  await mk.drip("WBTC-A");
  await flashMint(mk, "100000", await actor(mk, `${label}-flash`));
  await mk.sellGem("psm", await actor(mk, `${label}-psm`), "5000");
  await mk.sellGem("lite", await actor(mk, `${label}-lite-psm`), "5000");
  await orderlyLiquidation(mk, { label: `${label}-liquidation` });
}
