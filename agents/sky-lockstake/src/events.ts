/**
 * Lockstake events, per transaction: FreeNoFee, lsSKY minted or burnt outside an engine call,
 * engine farms and jug, the clipper's files, its auctions (kick, takes against the capped oracle,
 * the end of each: short of its debt or with SKY left for the urn). Migrations: migrator.ts.
 */
import type { Finding, TransactionEvent } from "forta-agent";
import { SPOT_IFACE, VAT_IFACE, fromBytes32 } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import { FindingSeverity, FindingType, createFinding, logKey, type BlockRef } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent } from "../../../shared/logs";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { severityOf, typeOf, type TxCallers } from "../../../shared/maker/callers";
import type { AddressBook } from "../../../shared/maker/chainlog";
import { dec, formatAmount, formatPercent, fromRad, fromRay, fromWad } from "../../../shared/math";
import { contract } from "../../../shared/rpc/contract";
import { CLIP_IFACE, ENGINE_IFACE, PIP_IFACE, TOKEN_IFACE } from "./abi";
import { ALERTS } from "./alerts";
import type { LockstakeConfig } from "./config";
import { oraclePrice, takeTooLow } from "./detectors";

const lc = (v: unknown) => String(v).toLowerCase();
const str = (v: unknown) => (v as { toString(): string }).toString();
const ZERO = "0x0000000000000000000000000000000000000000";
/** clipper files whose change is High (sky.md §8.3); others Medium; `stopped` depends on its value */
const CLIP_HIGH = new Set(["cuttee", "vow", "dog", "spotter", "pip", "calc"]);

export function eventsWatcher(ctx: BotContext, book: AddressBook, cfg: LockstakeConfig, ilkOf: () => string | null) {
  /**
   * The capped oracle's price [ray] at `block`: LOCKSTAKE_ORACLE.peek() read as the Spotter (one of
   * its buds: peek is toll-gated); when that reverts, Vat spot * Spotter mat (the price the Spotter
   * last filed, up to 1e-27 below it by the Spotter's rounding).
   */
  async function oracleAt(block: number): Promise<bigint | null> {
    const vat = book.tryGetAddress("MCD_VAT");
    const spot = book.tryGetAddress("MCD_SPOT");
    const wrapper = book.tryGetAddress("LOCKSTAKE_ORACLE");
    const ilk = ilkOf();
    if (!vat || !spot || !ilk) return null;
    if (wrapper) {
      try {
        const raw = await ctx.rpc.call({ to: wrapper, from: spot, data: PIP_IFACE.encodeFunctionData("peek") }, block);
        const [val, has] = PIP_IFACE.decodeFunctionResult("peek", raw);
        if (has) return BigInt(String(val)) * 10n ** 9n;
      } catch {
        // not readable as the Spotter: fall back to what the Spotter filed
      }
    }
    const [ilkData, spotData] = await Promise.all([contract(ctx.rpc, vat, VAT_IFACE, "Vat").read("ilks", [ilk], block), contract(ctx.rpc, spot, SPOT_IFACE, "MCD_SPOT").read("ilks", [ilk], block)]);
    return oraclePrice(str(ilkData.spot), str(spotData.mat));
  }
  const price = (ray: bigint | string) => formatAmount(fromRay(ray.toString()), 6);

  async function handle(tx: TransactionEvent, block: BlockRef, who: TxCallers): Promise<Finding[]> {
    const out: Finding[] = [];
    const engine = book.tryGetAddress("LOCKSTAKE_ENGINE");
    const clip = book.tryGetAddress("LOCKSTAKE_CLIP");
    const lssky = book.tryGetAddress("LOCKSTAKE_SKY");
    const decode = (iface: Parameters<typeof decodeEvents>[1], addr: string | undefined) => {
      if (!addr) return [] as DecodedEvent[];
      const { events, undecodable } = decodeEvents(tx.logs, iface, addr);
      for (const u of undecodable) out.push(undecodableLogFinding(tx.network, block, tx.hash, u));
      return events;
    };
    const key = (logIndex: number) => logKey(tx.network, block, tx.hash, logIndex);
    const engineEvents = decode(ENGINE_IFACE, engine);

    for (const e of engineEvents) {
      if (e.name === "FreeNoFee") {
        const by = await who.classify({ contract: e.address, param: "freeNoFee", logIndex: e.logIndex, loggedCaller: null });
        out.push(
          createFinding(ALERTS.freeNoFee, {
            description: `LOCKSTAKE_ENGINE ${engine}: FreeNoFee of ${formatAmount(fromWad(str(e.args.wad)))} SKY from urn ${lc(e.args.owner)}#${str(e.args.index)} to ${lc(e.args.to)} ${callerPhrase(by)}: a ward took SKY out of an urn with no fee, which nothing on the v2 engine should do`,
            key: key(e.logIndex),
            block,
            type: typeOf(by, FindingType.Suspicious),
            addresses: [e.address, lc(e.args.to), tx.from],
            metadata: { engine, owner: lc(e.args.owner), index: str(e.args.index), to: lc(e.args.to), amount: fromWad(str(e.args.wad)).toFixed(), txHash: tx.hash, ...attributionMetadata(by) },
          }),
        );
      }
      if (e.name === "AddFarm" || e.name === "DelFarm" || e.name === "File") {
        const what = e.name === "File" ? fromBytes32(String(e.args.what)) : "farm";
        const target = lc(e.name === "File" ? e.args.data : e.args.farm);
        const by = await who.classify({ contract: e.address, param: what, logIndex: e.logIndex, loggedCaller: null });
        const change = e.name === "AddFarm" ? `farm ${target} whitelisted (urns may stake their lsSKY there)` : e.name === "DelFarm" ? `farm ${target} removed` : `${what} set to ${target}`;
        out.push(
          createFinding(ALERTS.engineConfig, {
            description: `LOCKSTAKE_ENGINE ${engine}: ${change} ${callerPhrase(by)}`,
            key: key(e.logIndex),
            block,
            severity: severityOf(by, FindingSeverity.Medium),
            type: typeOf(by, FindingType.Info),
            addresses: [e.address, target, tx.from],
            metadata: { engine, event: e.name, what, value: target, txHash: tx.hash, ...attributionMetadata(by) },
          }),
        );
      }
    }

    // lsSKY moves into or out of existence only inside an engine call (Lock, Free, OnKick, OnRemove)
    for (const e of decode(TOKEN_IFACE, lssky).filter((x) => x.name === "Transfer" && (lc(x.args.from) === ZERO || lc(x.args.to) === ZERO))) {
      if (engineEvents.length > 0) continue;
      const minted = lc(e.args.from) === ZERO;
      const holder = lc(minted ? e.args.to : e.args.from);
      out.push(
        createFinding(ALERTS.lsskyMint, {
          description: `LOCKSTAKE_SKY ${lssky}: ${formatAmount(fromWad(str(e.args.value)))} lsSKY ${minted ? "minted to" : "burnt from"} ${holder} in a transaction with no engine event (tx from ${tx.from} to ${tx.to ?? "(creation)"}): ${minted ? "a receipt with no SKY locked behind it" : "an urn's receipt destroyed outside the engine"}`,
          key: key(e.logIndex),
          block,
          addresses: [lssky!, holder, tx.from],
          metadata: { lssky, action: minted ? "mint" : "burn", holder, amount: fromWad(str(e.args.value)).toFixed(), txHash: tx.hash, txFrom: tx.from, txTo: tx.to ?? "" },
        }),
      );
    }

    const clipEvents = decode(CLIP_IFACE, clip);
    for (const e of clipEvents.filter((x) => x.name === "File")) {
      const what = fromBytes32(String(e.args.what));
      const isAddr = e.signature === "File(bytes32,address)";
      const value = isAddr ? lc(e.args.data) : str(e.args.data);
      const by = await who.classify({ contract: e.address, param: what, logIndex: e.logIndex, loggedCaller: null });
      let effect = CLIP_HIGH.has(what) ? FindingSeverity.High : FindingSeverity.Medium;
      let meaning = "";
      if (what === "stopped") {
        effect = value === "0" ? FindingSeverity.High : FindingSeverity.Medium;
        meaning = value === "0" ? ": liquidations are ON (make sure keepers are ready)" : `: liquidations are off at level ${value} (unsafe urns can only accumulate debt)`;
      } else if (what === "cuttee") meaning = " (the vault whose depositors pay auctions' bad debt)";
      out.push(
        createFinding(ALERTS.clipFile, {
          description: `LOCKSTAKE_CLIP ${clip}: ${what} set to ${value}${meaning} ${callerPhrase(by)}`,
          key: key(e.logIndex),
          block,
          severity: severityOf(by, effect),
          type: typeOf(by, FindingType.Info),
          addresses: [e.address, tx.from, ...(isAddr ? [value] : [])],
          metadata: { clip, what, value, txHash: tx.hash, ...attributionMetadata(by) },
        }),
      );
    }
    const auctions = clipEvents.filter((x) => x.name === "Kick" || x.name === "Take");
    const oracle = auctions.length ? await oracleAt(block.number) : null;
    for (const e of auctions) {
      const id = str(e.args.id);
      const [lot, tab] = [str(e.args.lot), str(e.args.tab)];
      if (e.name === "Kick") {
        const top = str(e.args.top);
        out.push(
          createFinding(ALERTS.kick, {
            description: `LOCKSTAKE_CLIP ${clip}: auction ${id} of ${formatAmount(fromWad(lot))} SKY for ${formatAmount(fromRad(tab))} USDS from urn ${lc(e.args.usr)} starts at ${price(top)}${oracle !== null ? ` (capped oracle ${price(oracle)})` : ""}, kicked by ${lc(e.args.kpr)}`,
            key: key(e.logIndex),
            block,
            addresses: [clip!, lc(e.args.usr), lc(e.args.kpr)],
            metadata: { clip, id, lot: fromWad(lot).toFixed(), tab: fromRad(tab).toFixed(), top: fromRay(top).toFixed(), oraclePrice: oracle === null ? "" : fromRay(oracle.toString()).toFixed(), urn: lc(e.args.usr), kpr: lc(e.args.kpr), txHash: tx.hash },
          }),
        );
        continue;
      }
      const p = str(e.args.price);
      if (oracle !== null && takeTooLow(p, oracle.toString(), cfg.takeFraction)) {
        out.push(
          createFinding(ALERTS.takeLow, {
            description: `LOCKSTAKE_CLIP ${clip}: auction ${id} sold SKY at ${price(p)}, ${formatPercent(dec(p).div(oracle.toString()), 2)} of the capped oracle's ${price(oracle)} (owe ${formatAmount(fromRad(str(e.args.owe)))} USDS; below ${formatPercent(cfg.takeFraction, 0)} is reported)`,
            key: key(e.logIndex),
            block,
            addresses: [clip!, lc(e.args.usr), tx.from],
            metadata: { clip, id, price: fromRay(p).toFixed(), oraclePrice: fromRay(oracle.toString()).toFixed(), fraction: dec(p).div(oracle.toString()).toFixed(6), owe: fromRad(str(e.args.owe)).toFixed(), taker: tx.from, txHash: tx.hash },
          }),
        );
      }
      if (lot === "0" || tab === "0") {
        const short = lot === "0" && tab !== "0";
        out.push(
          createFinding(ALERTS.auctionEnd, {
            description: short
              ? `LOCKSTAKE_CLIP ${clip}: auction ${id} sold out its SKY with ${formatAmount(fromRad(tab))} USDS of its tab unpaid: the debt part is bad debt that stUSDS depositors pay (Cut)`
              : `LOCKSTAKE_CLIP ${clip}: auction ${id} covered its tab; ${formatAmount(fromWad(lot))} SKY left over go back to urn ${lc(e.args.usr)}`,
            key: key(e.logIndex),
            block,
            severity: short ? FindingSeverity.High : FindingSeverity.Info,
            type: short ? FindingType.Degraded : FindingType.Info,
            addresses: [clip!, lc(e.args.usr)],
            metadata: { clip, id, outcome: short ? "short" : "covered", tabLeft: fromRad(tab).toFixed(), lotLeft: fromWad(lot).toFixed(), urn: lc(e.args.usr), txHash: tx.hash },
          }),
        );
      }
    }

    return out;
  }

  return { handle };
}
