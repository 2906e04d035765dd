/**
 * New Vat wards, as a row of the declarative event table (watcher.ts): the Vat's `rely(usr)` note.
 * A Vat ward can create dai and debt at will (suck, grab, frob anyone's urn), so every new one is
 * reported, classified by what the ward is and who made it:
 * - who: shared/maker/attribution (governance executing a plan, else an outsider: Critical);
 * - what: named in the ChainLog once the transaction is done (a spell usually registers the new
 *   module in the same transaction: sUSDS, stUSDS, the Lockstake engine and clipper, the Kicker)
 *   is Medium; an address the ChainLog does not name is High (an unvetted contract, or a
 *   registration governance forgot).
 */
import { VAT_NOTES } from "../../../shared/abi";
import { FindingSeverity } from "../../../shared/findings";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { ALERTS } from "./alerts";
import type { VatDeps, VatWatcher } from "./vat";
import { runEventTable, type EventAlert } from "./watcher";

const usrOf = (args: { [k: string]: unknown }, raw: string | undefined) => String(args["usr"] ?? "0x" + String(raw ?? "").slice(-40)).toLowerCase();

export function wardsWatcher({ book }: VatDeps): VatWatcher {
  const rows = (who: TxCallers): EventAlert[] => [
    {
      contract: "MCD_VAT",
      notes: VAT_NOTES,
      note: "rely",
      alert: ALERTS.wardAdded,
      describe: (e) => {
        const usr = usrOf(e.args, e.note?.rawArgs[0]);
        const keys = book.keysOf(usr);
        return `Vat ${e.address}: new ward ${usr} (${keys.length ? `named in the ChainLog as ${keys.join(", ")}` : "NOT named in the ChainLog"}): it can now create dai and debt at will`;
      },
      metadata: (e) => {
        const usr = usrOf(e.args, e.note?.rawArgs[0]);
        const keys = book.keysOf(usr);
        return { vat: e.address, usr, usrKeys: keys.join(","), usrKnown: String(keys.length > 0), from: e.tx.from, to: e.tx.to ?? "" };
      },
      async judge(e) {
        const usr = usrOf(e.args, e.note?.rawArgs[0]);
        const by = await who.classify({ contract: e.address, param: "rely", logIndex: e.logIndex, loggedCaller: null });
        const effect = book.keysOf(usr).length > 0 ? FindingSeverity.Medium : FindingSeverity.High;
        return {
          severity: severityOf(by, effect),
          type: typeOf(by, ALERTS.wardAdded.type),
          metadata: attributionMetadata(by),
          addresses: [usr, e.tx.from, ...(by.caller ? [by.caller] : [])],
          suffix: `(${callerPhrase(by)}, in a transaction from ${e.tx.from} to ${e.tx.to ?? "(contract creation)"})`,
        };
      },
    },
  ];
  return {
    name: "wards",
    async onTransaction({ event, block, who }) {
      return runEventTable(rows(who), book, event, block);
    },
  };
}
