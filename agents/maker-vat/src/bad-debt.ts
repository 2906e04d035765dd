/**
 * Jumps of vice, the system's bad debt, from one block the bot handled to the next (Medium at
 * VAT_SIN_JUMP_MEDIUM, High at VAT_SIN_JUMP_HIGH; at most one finding per block). Runs last among
 * the block watchers: it records the block's vice and sin(vow) for the next one.
 */
import { createFinding, FindingSeverity } from "../../../shared/findings";
import { ALERTS } from "./alerts";
import { daiToRad, sinJumpLevel } from "./detectors";
import { rad, radHuman, type VatDeps, type VatWatcher } from "./vat";

export function badDebtWatcher({ config: cfg, state }: VatDeps): VatWatcher {
  const mediumRad = daiToRad(cfg.sinJumpMedium);
  const highRad = daiToRad(cfg.sinJumpHigh);
  return {
    name: "bad-debt",
    async onBlock({ event, block, vat, vow, snap }) {
      const { vice, vowSin } = snap;
      const n = block.number;
      const last = state.last;
      const findings = [];
      if (last && last.block < n) {
        const delta = vice - BigInt(last.vice);
        const level = sinJumpLevel(delta, mediumRad, highRad);
        if (level) {
          findings.push(
            createFinding(ALERTS.sinJump, {
              description: `System bad debt (Vat vice) rose by ${radHuman(delta)} ${last.block === n - 1 ? "in block" : `between block ${last.block} and block`} ${n}: ${radHuman(BigInt(last.vice))} -> ${radHuman(vice)}${
                vow ? `; sin(vow) ${radHuman(BigInt(last.vowSin))} -> ${radHuman(vowSin)}` : ""
              }`,
              key: [event.network, block.hash, vat, "vice"],
              block,
              severity: level === "high" ? FindingSeverity.High : FindingSeverity.Medium,
              addresses: [vat, ...(vow ? [vow] : [])],
              metadata: {
                vat,
                vow: vow ?? "",
                fromBlock: last.block,
                viceBeforeRaw: last.vice,
                viceBefore: rad(BigInt(last.vice)),
                viceAfterRaw: vice.toString(),
                viceAfter: rad(vice),
                riseRaw: delta.toString(),
                rise: rad(delta),
                vowSinBefore: rad(BigInt(last.vowSin)),
                vowSinAfter: rad(vowSin),
                mediumAt: cfg.sinJumpMedium.toFixed(),
                highAt: cfg.sinJumpHigh.toFixed(),
              },
            }),
          );
        }
      }
      state.last = { block: n, vice: vice.toString(), vowSin: vowSin.toString() };
      return findings;
    },
  };
}
