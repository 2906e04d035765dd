/**
 * SKY minters (sky.md §4: "no mint from any address other than the pause proxy or MCD_VEST_SKY";
 * SKY is the governance weight in the Chief, so a mint is a governance attack vector). A SKY
 * `Transfer` from 0x0 is a known minter's when governance made it (a plan execution, the
 * attribution of shared/maker), or a ChainLog-named contract that is a ward of SKY at that block
 * logged the minted amount in the same transaction (MCD_VEST_SKY's `Vest(id, amt)`, the legacy
 * converter's `MkrToSky`). Anything else is SKY-MINT-UNKNOWN (Critical). New SKY wards are
 * SKY-STABLE-WARD-ADDED (High by governance, Critical otherwise).
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { createFinding, logKey, type BlockRef } from "../../../shared/findings";
import type { DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { typeOf, type TxCallers } from "../../../shared/maker/callers";
import type { AddressBook } from "../../../shared/maker/chainlog";
import { formatAmount, fromWad } from "../../../shared/math";
import { ALERTS } from "./alerts";
import { mintVoucher } from "./flows";

const ZERO = "0x0000000000000000000000000000000000000000";

/** `wardOf(a)`: SKY's `wards(a)` at the end of the transaction's block (the agent carries it from block to block). */
export async function unknownSkyMints(book: AddressBook, sky: string, events: readonly DecodedEvent[], tx: TransactionEvent, block: BlockRef, who: TxCallers, wardOf: (a: string) => Promise<bigint>): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const e of events) {
    if (e.name !== "Transfer" || String(e.args.from).toLowerCase() !== ZERO) continue;
    const amount = BigInt(String(e.args.value));
    const to = String(e.args.to).toLowerCase();
    const voucher = mintVoucher(tx.logs, amount, sky, (a) => book.keysOf(a));
    const ward = voucher ? (await wardOf(voucher)) === 1n : false;
    if (voucher && ward) continue;
    const by = await who.classify({ contract: sky, param: "mint", logIndex: e.logIndex, loggedCaller: null });
    if (by.callerClass === "governance") continue;
    const why = voucher ? `${book.keysOf(voucher).join("/")} ${voucher} logged the amount but is not a ward of SKY` : "no ChainLog contract logged the amount in the transaction";
    out.push(
      createFinding(ALERTS.skyMint, {
        description: `SKY ${sky}: ${formatAmount(fromWad(amount.toString()))} SKY minted to ${to} by no known minter (${why}); ${callerPhrase(by)}, in a transaction from ${tx.from} to ${tx.to ?? "(contract creation)"}: new governance weight`,
        key: logKey(tx.network, block, tx.hash, e.logIndex),
        block,
        type: typeOf(by, ALERTS.skyMint.type),
        addresses: [sky, to, tx.from],
        metadata: { sky, to, amountRaw: amount.toString(), amount: fromWad(amount.toString()).toFixed(), voucher: voucher ?? "", voucherIsWard: voucher ? String(ward) : "", txHash: tx.hash, txFrom: tx.from, txTo: tx.to ?? "", ...attributionMetadata(by) },
      }),
    );
  }
  return out;
}
