/** The Vat caged (live == 0): emergency shutdown, an episode (Critical once, Info if it is ever live again). */
import { Episodes, episodeFinding } from "../../../shared/episodes";
import { FindingSeverity } from "../../../shared/findings";
import { ALERTS } from "./alerts";
import { ENDING, rad, retiredAddresses, retiredMetadata, type VatDeps, type VatWatcher } from "./vat";

export function cageWatcher({ state }: VatDeps): VatWatcher {
  const caged = new Episodes<"caged">(["caged"], state.caged);
  return {
    name: "cage",
    async onBlock({ block, vat, snap }) {
      const t = caged.observe(vat, snap.live === 0n ? "caged" : null, block);
      if (!t) return [];
      return [
        episodeFinding(ALERTS.caged, t, () => FindingSeverity.Critical, {
          description:
            t.kind === "resolved"
              ? `Vat ${vat} is live again (live = 1)`
              : `Vat ${vat} is caged (live = 0): emergency shutdown; no vault can be changed and debt ceilings, rates and liquidations are frozen`,
          key: [vat],
          addresses: [vat],
          metadata: { vat, live: snap.live.toString(), debt: rad(snap.debt), vice: rad(snap.vice) },
        }),
      ];
    },
    retire(old, now, why, block) {
      return caged.resolveExcept(new Set(), block).map((t) =>
        episodeFinding(ALERTS.caged, t, () => FindingSeverity.Info, {
          description: `Vat ${old} is no longer watched (${why}): the episode about it being caged ${ENDING}`,
          key: [old],
          addresses: retiredAddresses(old, now),
          metadata: retiredMetadata(old, now),
        }),
      );
    },
  };
}

