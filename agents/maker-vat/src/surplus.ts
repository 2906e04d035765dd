/**
 * The surplus buffer dai(vow) - sin(vow) falling by VAT_SURPLUS_DROP or more below its highest
 * value within VAT_SURPLUS_WINDOW seconds (episode, High).
 */
import { Episodes, episodeFinding } from "../../../shared/episodes";
import { FindingSeverity } from "../../../shared/findings";
import { formatAmount } from "../../../shared/math";
import { ALERTS } from "./alerts";
import { daiToRad, pushSurplus, surplusFall } from "./detectors";
import { ENDING, rad, radHuman, retiredAddresses, retiredMetadata, type VatDeps, type VatWatcher } from "./vat";

export function surplusWatcher({ config: cfg, state }: VatDeps): VatWatcher {
  const surplus = new Episodes<"fell">(["fell"], state.surplus);
  const dropRad = daiToRad(cfg.surplusDrop);
  return {
    name: "surplus",
    async onBlock({ block, vat, vow, snap }) {
      if (!vow) return [];
      const { vowDai, vowSin } = snap;
      const buffer = vowDai - vowSin;
      pushSurplus(state.surplusWindow, { t: block.timestamp, b: block.number, v: buffer.toString() }, cfg.surplusWindow);
      const fall = surplusFall(state.surplusWindow)!;
      const t = surplus.observe(vow, fall.fall >= dropRad && fall.fall > 0n ? "fell" : null, block);
      if (!t) return [];
      const peakV = BigInt(fall.peak.v);
      return [
        episodeFinding(ALERTS.surplusDrop, t, () => FindingSeverity.High, {
          description:
            t.kind === "resolved"
              ? `Surplus buffer of Vow ${vow}: no fall of ${formatAmount(cfg.surplusDrop)} DAI or more within the last ${cfg.surplusWindow} s any more (now ${radHuman(buffer)})`
              : `Surplus buffer of Vow ${vow} (dai(vow) - sin(vow)) fell by ${radHuman(fall.fall)} within ${cfg.surplusWindow} s: from ${radHuman(peakV)} at block ${fall.peak.b} to ${radHuman(buffer)}`,
          key: [vow],
          addresses: [vow, vat],
          metadata: {
            vow,
            vat,
            surplusRaw: buffer.toString(),
            surplus: rad(buffer),
            peakRaw: peakV.toString(),
            peak: rad(peakV),
            peakBlock: fall.peak.b,
            fallRaw: fall.fall.toString(),
            fall: rad(fall.fall),
            vowDai: rad(vowDai),
            vowSin: rad(vowSin),
            threshold: cfg.surplusDrop.toFixed(),
            windowSeconds: cfg.surplusWindow,
          },
        }),
      ];
    },
    retire(old, now, why, block) {
      return surplus.resolveExcept(new Set(), block).map((t) =>
        episodeFinding(ALERTS.surplusDrop, t, () => FindingSeverity.Info, {
          description: `Vat ${old} is no longer watched (${why}): the episode about the surplus buffer of Vow ${t.subject} held in it ${ENDING}`,
          key: [t.subject],
          addresses: [t.subject, ...retiredAddresses(old, now)],
          metadata: { ...retiredMetadata(old, now), vow: t.subject },
        }),
      );
    },
  };
}
