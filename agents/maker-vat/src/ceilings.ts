/**
 * Debt ceiling changes: the Vat's `file("Line", rad)` and `file(ilk, "line", rad)` notes, with the
 * old value (read at the previous block, or taken from an earlier change in the same block), the
 * size of the change (a raise of VAT_CEILING_RAISE_WARN or more is Medium) and who made it
 * (shared/maker/callers: an outsider's change is Critical).
 */
import type { Finding } from "forta-agent";
import { fileChangeOf, fileSets } from "../../../shared/abi";
import { createFinding, FindingSeverity, logKey } from "../../../shared/findings";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { severityOf, typeOf } from "../../../shared/maker/callers";
import { formatPercent } from "../../../shared/math";
import type { ContractReader } from "../../../shared/rpc/contract";
import { ALERTS } from "./alerts";
import { ceilingChange } from "./detectors";
import { GLOBAL } from "./utilisation";
import { rad, radHuman, type VatDeps, type VatWatcher } from "./vat";

export function ceilingsWatcher({ config: cfg, state }: VatDeps): VatWatcher {
  /** The ceiling before a change at block n: an earlier change in the same block, else the value at n - 1. */
  async function ceilingBefore(vat: ContractReader, key: string, ilkWord: string | null, n: number): Promise<bigint> {
    if (state.ceilings.block !== n) state.ceilings = { block: n, values: {} };
    const seen = state.ceilings.values[key];
    if (seen !== undefined) return BigInt(seen);
    if (ilkWord) return ((await vat.read("ilks", [ilkWord], n - 1)).line as { toBigInt(): bigint }).toBigInt();
    return vat.uint("Line", [], n - 1);
  }

  return {
    name: "ceilings",
    async onTransaction({ event: tx, block, vat: vatAddr, reader, notes, who }) {
      const findings: Finding[] = [];
      for (const { note, logIndex } of notes) {
        if (!fileSets(note, "line") && !fileSets(note, "Line")) continue;
        const change = fileChangeOf(note);
        if (!change) continue;
        const isGlobal = change.ilk === null && change.what === "Line";
        const isIlk = change.ilk !== null && change.what === "line";
        if (!isGlobal && !isIlk) continue;
        const ilkWord = isIlk ? note.rawArgs[0]! : null;
        const key = ilkWord ?? GLOBAL;
        const newValue = BigInt(change.value);
        const oldValue = await ceilingBefore(reader, key, ilkWord, block.number);
        state.ceilings.values[key] = newValue.toString();
        const c = ceilingChange(oldValue, newValue, cfg.ceilingRaiseWarn);
        const by = await who.classify({ contract: vatAddr, param: change.what, logIndex, loggedCaller: null });
        const effect = c.large ? FindingSeverity.Medium : FindingSeverity.Info;
        const name = isGlobal ? "Line (global debt ceiling)" : `line of ${change.ilk}`;
        const sign = c.delta > 0n ? "+" : c.delta < 0n ? "-" : "±";
        const abs = c.delta < 0n ? -c.delta : c.delta;
        const spec = isGlobal ? ALERTS.lineChanged : ALERTS.ilkLineChanged;
        findings.push(
          createFinding(spec, {
            description: `Vat ${vatAddr}: ${name} ${c.delta === 0n ? "re-set to" : c.delta > 0n ? "raised to" : "lowered to"} ${radHuman(newValue)} from ${radHuman(oldValue)} (${sign}${radHuman(abs)}${
              c.fraction ? `, ${sign}${formatPercent(c.fraction.abs())}` : ""
            }) ${callerPhrase(by)}, in a transaction from ${tx.from} to ${tx.to ?? "(contract creation)"}`,
            key: logKey(tx.network, block, tx.hash, logIndex),
            block,
            severity: severityOf(by, effect),
            type: typeOf(by, spec.type),
            addresses: [vatAddr, tx.from, ...(tx.to ? [tx.to] : []), ...(by.caller ? [by.caller] : [])],
            metadata: {
              vat: vatAddr,
              ilk: change.ilk ?? "",
              what: change.what,
              oldRaw: oldValue.toString(),
              old: rad(oldValue),
              newRaw: newValue.toString(),
              new: rad(newValue),
              changeRaw: c.delta.toString(),
              change: rad(c.delta),
              changeFraction: c.fraction ? c.fraction.toFixed(6) : "",
              raiseWarnAt: cfg.ceilingRaiseWarn.toFixed(),
              from: tx.from,
              to: tx.to ?? "",
              ...attributionMetadata(by),
              txHash: tx.hash,
            },
          }),
        );
      }
      return findings;
    },
  };
}
