/**
 * A fixed-price PIP (DSValue: stablecoins, RWAs): `poke`/`void` from its ds-note (the caller is
 * logged). Its owner/authority changes (ds-auth's named events) are rows of events.ts.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import type { DecodedNote } from "../../../shared/abi";
import { createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { attributionMetadata } from "../../../shared/maker/attribution";
import { formatAmount, formatPercent, fromWad } from "../../../shared/math";
import { ALERTS } from "./alerts";
import { whoText } from "./attribution";
import type { Deps } from "./deps";
import { controlSeverity, relative } from "./detectors";
import { readValue } from "./reads";

export async function valueNote(deps: Deps, note: DecodedNote, keys: readonly string[], tx: TransactionEvent, block: BlockRef, logIndex: number): Promise<Finding[]> {
  const pip = note.address;
  const key = logKey(tx.network, block, tx.hash, logIndex);
  const caller = note.caller ?? "";
  const { ctx, controls } = deps;
  const by = await controls.attribute(pip, keys, note.name, logIndex, note.caller);
  const byGov = by.callerClass !== "outsider";
  const who = whoText(by);
  const before = await readValue(ctx.rpc, pip, block.number - 1);
  const beforeText = before ? (before.has ? formatAmount(fromWad(before.val.toString()), 4) : "unset") : "unknown";
  const base = { oracle: pip, keys: keys.join(","), caller, byGovernance: byGov, txFrom: tx.from, txHash: tx.hash, beforeRaw: before?.val ?? "", beforeSet: before?.has ?? "", ...attributionMetadata(by) };
  if (note.name === "poke") {
    const val = BigInt(String(note.args?.[0] ?? note.rawArgs[0]));
    const change = before?.has ? relative(before.val, val) : null;
    return [
      createFinding(ALERTS.value, {
        description: `${keys.join("/")} (fixed-price oracle ${pip}): price set from ${beforeText} to ${formatAmount(fromWad(val.toString()), 4)}${change ? ` (${formatPercent(change)})` : ""} by ${who}`,
        key,
        block,
        severity: controlSeverity("value.poke", byGov),
        addresses: [pip, caller].filter(Boolean),
        metadata: { ...base, action: "poke", valueRaw: val, value: fromWad(val.toString()).toFixed(), change: change?.toFixed(6) ?? "" },
      }),
    ];
  }
  if (note.name === "void") {
    return [
      createFinding(ALERTS.value, {
        description: `${keys.join("/")} (fixed-price oracle ${pip}): price cleared (void, was ${beforeText}) by ${who}; collateral priced by it can no longer be revalued`,
        key,
        block,
        severity: controlSeverity("value.void", byGov),
        addresses: [pip, caller].filter(Boolean),
        metadata: { ...base, action: "void", valueRaw: "", value: "" },
      }),
    ];
  }
  return [];
}
