/**
 * A lite PSM's reserves, every block (../shared/reference/sky.md §11):
 *
 * - Solvency: `DAI.balanceOf(psm) + gem.balanceOf(pocket) * to18 >= vat.urns(ilk, psm).art` (rate
 *   is RAY for the lite PSM ilk; the difference is the fees `chug` has not collected yet). A
 *   shortfall is USDC leaving the pocket without a BuyGem, or DAI leaving the PSM (Critical episode).
 * - Fill and trim against the line: `rush()` (DAI the PSM could pre-mint, within the line) or
 *   `gush()` (pre-minted DAI beyond the buffer) staying at or above `PSM_LITE_PENDING_MIN` for
 *   `PSM_LITE_PENDING_SECONDS` of block time means the keepers (CRON_LITE_PSM_JOB) are not running
 *   (Medium episode).
 */
import type { Finding } from "forta-agent";
import { ERC20_IFACE, LITE_PSM_IFACE, VAT_IFACE } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import { Episodes, episodeFinding, type EpisodeState } from "../../../shared/episodes";
import { FindingSeverity, type BlockRef } from "../../../shared/findings";
import type { AddressBook } from "../../../shared/maker/chainlog";
import { dec, formatAmount, fromWad } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import type { PsmInfo } from "./psm";
import type { PsmConfig } from "./config";
import { liteShortfall, pendingLevel } from "./detectors";

export type { PsmInfo } from "./psm";

export interface LiteReserveState {
  solvency: EpisodeState<"short">;
  pending: EpisodeState<"lagging">;
  /** psm -> block timestamp since which its rush or gush has been at or above the minimum */
  pendingSince: Record<string, number>;
}

export const emptyLiteReserve = (): LiteReserveState => ({ solvency: {}, pending: {}, pendingSince: {} });

const str = (v: unknown) => (v as { toString(): string }).toString();

export function liteReserveWatcher(ctx: BotContext, book: AddressBook, cfg: PsmConfig, state: LiteReserveState) {
  const solvency = new Episodes<"short">(["short"], state.solvency);
  const pending = new Episodes<"lagging">(["lagging"], state.pending);

  async function check(psm: string, p: PsmInfo, block: BlockRef, chainId: number): Promise<Finding[]> {
    const vat = book.tryGetAddress("MCD_VAT");
    const dai = book.tryGetAddress("MCD_DAI");
    if (p.kind !== "lite" || !vat || !dai) return [];
    const n = block.number;
    const P = contract(ctx.rpc, psm, LITE_PSM_IFACE, p.key);
    const [daiHeld, gemHeld, urn, rush, gush] = await Promise.all([
      contract(ctx.rpc, dai, ERC20_IFACE, "MCD_DAI").read("balanceOf", [psm], n).then((r) => str(r[0])),
      contract(ctx.rpc, p.gem, ERC20_IFACE, "gem").read("balanceOf", [p.reserveHolder], n).then((r) => str(r[0])),
      contract(ctx.rpc, vat, VAT_IFACE, "Vat").read("urns", [p.ilk, psm], n),
      P.tryRead("rush", [], n).then((r) => (r ? str(r[0]) : "0")),
      P.tryRead("gush", [], n).then((r) => (r ? str(r[0]) : "0")),
    ]);
    const art = str(urn.art);
    const out: Finding[] = [];
    const gemWad = dec(gemHeld).times(dec(10).pow(18 - p.decimals)).toFixed(0);
    const short = liteShortfall(daiHeld, gemHeld, p.decimals, art);
    const t = solvency.observe(psm, short === null ? null : "short", block);
    if (t) {
      const held = fromWad(dec(daiHeld).plus(gemWad).toFixed(0));
      out.push(
        episodeFinding(ALERTS.liteSolvency, t, () => FindingSeverity.Critical, {
          description:
            t.kind === "resolved"
              ? `${p.key} ${psm} is solvent again: ${formatAmount(held)} DAI and ${p.symbol} held for ${formatAmount(fromWad(art))} DAI of debt`
              : `${p.key} ${psm}: ${formatAmount(fromWad(daiHeld))} DAI in the PSM plus ${formatAmount(fromWad(gemWad))} ${p.symbol} in its pocket ${p.reserveHolder} is less than its ${formatAmount(fromWad(art))} DAI of debt: short ${formatAmount(fromWad(short!.toString()))} (${p.symbol} left the pocket without a BuyGem, or DAI left the PSM)`,
          key: [chainId, psm],
          addresses: [psm, p.reserveHolder, p.gem],
          metadata: { psm, key: p.key, ilk: p.ilkName, pocket: p.reserveHolder, daiHeld: fromWad(daiHeld).toFixed(), gemHeld: fromWad(gemWad).toFixed(), art: fromWad(art).toFixed(), shortfall: short === null ? "0" : fromWad(short.toString()).toFixed() },
        }),
      );
    }

    const level = pendingLevel(rush, gush, cfg.litePendingMin, state.pendingSince[psm], block.timestamp, cfg.litePendingSeconds);
    if (level.since === null) delete state.pendingSince[psm];
    else state.pendingSince[psm] = level.since;
    const tp = pending.observe(psm, level.lagging ? "lagging" : null, block);
    if (tp) {
      const which = dec(rush).gte(dec(gush)) ? `fill ${formatAmount(fromWad(rush))} DAI (rush)` : `trim ${formatAmount(fromWad(gush))} DAI (gush)`;
      out.push(
        episodeFinding(ALERTS.litePending, tp, () => FindingSeverity.Medium, {
          description:
            tp.kind === "resolved"
              ? `${p.key} ${psm}: fill and trim caught up (rush ${formatAmount(fromWad(rush))}, gush ${formatAmount(fromWad(gush))} DAI)`
              : `${p.key} ${psm}: ${which} has waited at least ${Math.round(cfg.litePendingSeconds / 60)} min: the keepers (CRON_LITE_PSM_JOB) are not filling or trimming, so the pre-minted DAI drifts from buf`,
          key: [chainId, psm],
          addresses: [psm],
          metadata: { psm, key: p.key, ilk: p.ilkName, rush: fromWad(rush).toFixed(), gush: fromWad(gush).toFixed(), pendingMin: cfg.litePendingMin.toFixed(), pendingSeconds: cfg.litePendingSeconds },
        }),
      );
    }
    return out;
  }

  return { check };
}
