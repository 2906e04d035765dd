/**
 * MKR_SKY's admin events (sky.md §5: `File("fee")`, `Collect(to, take)`, `Burn(skyAmt)`), a
 * declarative table run by one handler: each row says what happened; the severity is who did it
 * (shared/maker/attribution): governance Low (a spell's ordinary work: the "delayed upgrade
 * penalty" fee, collecting it, burning excess SKY), anyone else Critical (a ward key used outside
 * governance can take or burn the SKY that backs every unconverted MKR). A burn that eats into that
 * backing also opens SKY-MKR-SKY-SHORTFALL.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { fromBytes32 } from "../../../shared/abi";
import { createFinding, logKey, type BlockRef, type MetadataValue } from "../../../shared/findings";
import type { DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import { formatAmount, fromWad } from "../../../shared/math";
import { ALERTS } from "./alerts";

interface Row {
  event: string;
  describe(e: DecodedEvent): string;
  metadata(e: DecodedEvent): Record<string, MetadataValue>;
}

const amount = (v: unknown) => fromWad(String(v));

const ROWS: Row[] = [
  {
    event: "File",
    describe: (e) => `${fromBytes32(String(e.args.what))} set to ${String(e.args.data)}${fromBytes32(String(e.args.what)) === "fee" ? ` (${amount(e.args.data).times(100).toFixed()}% of each conversion kept as the fee)` : ""}`,
    metadata: (e) => ({ what: fromBytes32(String(e.args.what)), dataRaw: String(e.args.data), fee: amount(e.args.data).toFixed() }),
  },
  {
    event: "Collect",
    describe: (e) => `${formatAmount(amount(e.args.take))} SKY of collected fees sent to ${String(e.args.to).toLowerCase()}`,
    metadata: (e) => ({ to: String(e.args.to).toLowerCase(), takeRaw: String(e.args.take), take: amount(e.args.take).toFixed() }),
  },
  {
    event: "Burn",
    describe: (e) => `${formatAmount(amount(e.args.skyAmt))} SKY held by the converter burned`,
    metadata: (e) => ({ skyAmtRaw: String(e.args.skyAmt), skyAmt: amount(e.args.skyAmt).toFixed() }),
  },
];

export async function mkrSkyAdmin(mkrSky: string, events: readonly DecodedEvent[], tx: TransactionEvent, block: BlockRef, who: TxCallers): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const e of events) {
    const row = ROWS.find((r) => r.event === e.name);
    if (!row) continue;
    const by = await who.classify({ contract: mkrSky, param: e.name === "File" ? fromBytes32(String(e.args.what)) : e.name.toLowerCase(), logIndex: e.logIndex, loggedCaller: null });
    out.push(
      createFinding(ALERTS.mkrSkyAdmin, {
        description: `MKR_SKY ${mkrSky}: ${row.describe(e)} ${callerPhrase(by)} (${e.name})`,
        key: logKey(tx.network, block, tx.hash, e.logIndex),
        block,
        severity: severityOf(by, ALERTS.mkrSkyAdmin.severity),
        type: typeOf(by, ALERTS.mkrSkyAdmin.type),
        addresses: [mkrSky, tx.from],
        metadata: { mkrSky, event: e.name, ...row.metadata(e), txHash: tx.hash, txFrom: tx.from, txTo: tx.to ?? "", ...attributionMetadata(by) },
      }),
    );
  }
  return out;
}
