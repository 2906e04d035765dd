/**
 * The Vow's debt in the Vat, sin(vow), against its known sources: each block's growth minus what
 * that block's known sucks (drips of the Pot, sUSDS, stUSDS, the Kicker's flaps, vests, keepers'
 * incentives, spells) and liquidation grabs added (recorded by sucks.ts). Growth left over is an
 * episode (High; Critical once it sums to VAT_SIN_UNEXPLAINED_CRITICAL), resolved after
 * VAT_SIN_RESOLVE_BLOCKS fully explained blocks.
 *
 * A block is judged when the next block is handled: only then have all of its transactions been
 * seen, whatever order a runtime calls the handlers of one block in. So the finding about block m
 * carries block m + 1.
 */
import { Episodes, episodeFinding } from "../../../shared/episodes";
import { FindingSeverity } from "../../../shared/findings";
import { ALERTS } from "./alerts";
import { daiToRad } from "./detectors";
import { unexplainedGrowth } from "./debt-sources";
import type { DebtSourcesState } from "./sucks";
import { ENDING, rad, radHuman, retiredAddresses, retiredMetadata, type VatDeps, type VatWatcher } from "./vat";

type Level = "unexplained" | "large";

export function sinGrowthWatcher({ config: cfg }: VatDeps, st: DebtSourcesState): VatWatcher {
  const episodes = new Episodes<Level>(["unexplained", "large"], st.episode, { clearAfter: cfg.sinResolveBlocks });
  const criticalRad = daiToRad(cfg.sinUnexplainedCritical);
  return {
    name: "sin-growth",
    async onBlock({ block, vat, vow, snap }) {
      const findings = [];
      if (st.vat !== vat || (st.vow ?? null) !== vow) {
        // sin of another Vow is not growth; an episode about the Vow the ChainLog no longer names ends
        if (st.vat === vat && st.vow) {
          for (const t of episodes.resolveExcept(new Set(vow ? [vow] : []), block)) {
            findings.push(
              episodeFinding(ALERTS.sinUnexplained, t, () => FindingSeverity.Info, {
                description: `Vow ${t.subject} is no longer the ChainLog's MCD_VOW (now ${vow ?? "none"}): the episode about unexplained growth of its sin ${ENDING}`,
                key: [t.subject],
                addresses: [t.subject, vat],
                metadata: { vow: t.subject, vat, resolvedBecause: "vow-replaced-in-chainlog", replacedBy: vow ?? "" },
              }),
            );
          }
          st.total = "0";
        }
        Object.assign(st, { vat, vow, sins: [] });
      }
      if (!vow) return findings;
      const n = block.number;
      const m = n - 1;
      const before = st.sins.find((s) => s.b === m - 1);
      const after = st.sins.find((s) => s.b === m);
      if (before && after) {
        const flow = st.flows[String(m)] ?? { explained: "0", unvouched: "0", sucks: 0, grabs: 0 };
        const sinBefore = BigInt(before.sin);
        const sinAfter = BigInt(after.sin);
        const un = unexplainedGrowth(sinBefore, sinAfter, BigInt(flow.explained));
        let level: Level | null = null;
        if (un !== null) {
          const total = (episodes.get(vow) ? BigInt(st.total) : 0n) + un;
          st.total = total.toString();
          level = total >= criticalRad ? "large" : "unexplained";
        }
        const t = episodes.observe(vow, level, block);
        const total = BigInt(st.total);
        if (t?.kind === "resolved") st.total = "0";
        if (t) {
          const growth = sinAfter - sinBefore;
          findings.push(
            episodeFinding(ALERTS.sinUnexplained, t, (l) => (l === "large" ? FindingSeverity.Critical : FindingSeverity.High), {
              description:
                t.kind === "resolved"
                  ? `sin(vow) of Vow ${vow} in Vat ${vat}: ${cfg.sinResolveBlocks} blocks in a row whose growth known drips, liquidations and spells explain (last: block ${m})`
                  : `sin(vow) of Vow ${vow} in Vat ${vat} grew by ${radHuman(growth)} in block ${m}, ${radHuman(un ?? 0n)} more than its known sources explain (${radHuman(BigInt(flow.explained))} from ${flow.sucks} suck(s) and ${flow.grabs} grab(s)${
                      BigInt(flow.unvouched) > 0n ? `; ${radHuman(BigInt(flow.unvouched))} sucked by no known source` : ""
                    }); unexplained so far in this episode: ${radHuman(total)}`,
              key: [vow],
              addresses: [vow, vat],
              metadata: {
                vow,
                vat,
                block: m,
                sinBeforeRaw: sinBefore.toString(),
                sinBefore: rad(sinBefore),
                sinAfterRaw: sinAfter.toString(),
                sinAfter: rad(sinAfter),
                growthRaw: growth.toString(),
                growth: rad(growth),
                explainedRaw: flow.explained,
                explained: rad(BigInt(flow.explained)),
                unexplainedRaw: (un ?? 0n).toString(),
                unexplained: rad(un ?? 0n),
                unvouchedSucks: rad(BigInt(flow.unvouched)),
                episodeTotal: rad(total),
                criticalAt: cfg.sinUnexplainedCritical.toFixed(),
              },
            }),
          );
        }
      }
      st.sins = [...st.sins.filter((s) => s.b === m), { b: n, sin: snap.vowSin.toString() }];
      for (const b of Object.keys(st.flows)) if (Number(b) < n) delete st.flows[b];
      return findings;
    },
    retire(old, now, why, block) {
      st.total = "0";
      return episodes.resolveExcept(new Set(), block).map((t) =>
        episodeFinding(ALERTS.sinUnexplained, t, () => FindingSeverity.Info, {
          description: `Vat ${old} is no longer watched (${why}): the episode about unexplained growth of sin(vow) of Vow ${t.subject} ${ENDING}`,
          key: [t.subject],
          addresses: [t.subject, ...retiredAddresses(old, now)],
          metadata: { ...retiredMetadata(old, now), vow: t.subject },
        }),
      );
    },
  };
}
