/**
 * How full the debt ceilings are: total debt against Line, and each ilk's Art * rate against its
 * line (episodes: Medium at VAT_UTILISATION_MEDIUM, High at VAT_UTILISATION_HIGH, resolved below
 * the medium threshold minus the hysteresis).
 */
import type { Finding } from "forta-agent";
import { Episodes, episodeFinding, type EpisodeTransition } from "../../../shared/episodes";
import { FindingSeverity } from "../../../shared/findings";
import { formatPercent } from "../../../shared/math";
import { ALERTS } from "./alerts";
import type { VatConfig } from "./config";
import { utilization, utilizationLevel, type UtilizationLevel } from "./detectors";
import { ENDING, rad, radHuman, retiredAddresses, retiredMetadata, type VatDeps, type VatWatcher } from "./vat";

/** the subject of the global ceiling's episode */
export const GLOBAL = "Line";

export function utilisationWatcher({ ctx, config: cfg, state }: VatDeps): VatWatcher {
  const util = new Episodes<UtilizationLevel>(["medium", "high"], state.utilization);
  const thresholds = { medium: cfg.utilizationMedium, high: cfg.utilizationHigh, hysteresis: cfg.utilizationHysteresis };
  const ignored = new Set(cfg.utilizationIgnore);
  return {
    name: "utilisation",
    async onBlock({ block, vat, snap }) {
      const findings: Finding[] = [];
      const { debt, Line } = snap;
      const uGlobal = util.observe(GLOBAL, utilizationLevel(debt, Line, thresholds, !!util.get(GLOBAL)), block);
      ctx.observe?.("maker.vat_debt", rad(debt));
      ctx.observe?.("maker.vat_line", rad(Line));
      if (uGlobal) findings.push(utilizationFinding(cfg, ALERTS.lineUtilization, uGlobal, vat, GLOBAL, debt, Line));
      for (const i of snap.ilks) {
        if (ignored.has(i.name)) continue;
        const ilkDebt = i.Art * i.rate;
        if (i.line > 0n) ctx.observe?.("maker.ilk_utilisation", utilization(ilkDebt, i.line)?.toFixed(6) ?? "0", { ilk: i.name });
        const t = util.observe(i.name, utilizationLevel(ilkDebt, i.line, thresholds, !!util.get(i.name)), block);
        if (t) findings.push(utilizationFinding(cfg, ALERTS.ilkUtilization, t, vat, i.name, ilkDebt, i.line));
      }
      return findings;
    },
    retire(old, now, why, block) {
      return util.resolveExcept(new Set(), block).map((t) => {
        const global = t.subject === GLOBAL;
        return episodeFinding(global ? ALERTS.lineUtilization : ALERTS.ilkUtilization, t, () => FindingSeverity.Info, {
          description: `Vat ${old} is no longer watched (${why}): the episode about ${global ? "total debt against Line" : `${t.subject} debt against its line`} ${ENDING}`,
          key: [old, t.subject],
          addresses: retiredAddresses(old, now),
          metadata: { ...retiredMetadata(old, now), ilk: global ? "" : t.subject },
        });
      });
    },
  };
}

function utilizationFinding(cfg: VatConfig, spec: typeof ALERTS.lineUtilization, t: EpisodeTransition<UtilizationLevel>, vat: string, subject: string, debt: bigint, ceiling: bigint): Finding {
  const u = utilization(debt, ceiling);
  const what = subject === GLOBAL ? "total debt against the global ceiling Line" : `${subject} debt (Art * rate) against its ceiling line`;
  const description =
    t.kind === "resolved"
      ? `Vat ${vat}: ${what} is back to ${u ? formatPercent(u) : "no ceiling (0)"} (${radHuman(debt)} of ${radHuman(ceiling)})`
      : `Vat ${vat}: ${what} at ${u ? formatPercent(u) : "?"} (${radHuman(debt)} of ${radHuman(ceiling)}; room ${radHuman(ceiling > debt ? ceiling - debt : 0n)}): ${
          t.level === "high" ? "new borrowing is about to be refused" : "approaching the ceiling"
        }`;
  return episodeFinding(spec, t, (l) => (l === "high" ? FindingSeverity.High : FindingSeverity.Medium), {
    description,
    key: [vat, subject],
    addresses: [vat],
    metadata: {
      vat,
      ilk: subject === GLOBAL ? "" : subject,
      debtRaw: debt.toString(),
      debt: rad(debt),
      ceilingRaw: ceiling.toString(),
      ceiling: rad(ceiling),
      utilisation: u ? u.toFixed(6) : "",
      mediumAt: cfg.utilizationMedium.toFixed(),
      highAt: cfg.utilizationHigh.toFixed(),
    },
  });
}
