/**
 * Parameter changes of the Dog, the Clippers (the breaker, `stopped`, with what its level means)
 * and the legacy Cat, each with who made it (shared/maker/attribution.ts: governance, automation
 * or an outsider).
 */
import type { ethers, Finding } from "forta-agent";
import { fromBytes32 } from "../../../shared/abi";
import { FindingSeverity, createFinding, logKey } from "../../../shared/findings";
import { attributionMetadata, callerPhrase } from "../../../shared/maker/attribution";
import { severityOf, typeOf } from "../../../shared/maker/callers";
import type { Watcher } from "../../../shared/watchers";
import { ALERTS } from "./alerts";
import { breakerMeaning, breakerSeverity } from "./detectors";
import { big, paramHuman, type LiqDeps, type LiqTx } from "./model";

interface Change {
  what: string;
  ilk: string | null;
  value: string;
  isAddress: boolean;
}

export function paramWatcher({ state }: LiqDeps): Watcher<LiqTx> {
  async function paramFinding(t: LiqTx, kind: string, address: string, e: Change, logIndex: number, loggedCaller: string | null = null): Promise<Finding> {
    const { tx, block, who } = t;
    const human = paramHuman(e.what, e.value, e.isAddress);
    const by = await who.classify({ contract: address, param: e.what, logIndex, loggedCaller });
    return createFinding(ALERTS.param, {
      description: `${kind} ${address}: ${e.ilk ? `${e.ilk} ` : ""}${e.what} set to ${human} ${callerPhrase(by)} (transaction from ${tx.from} to ${tx.to ?? "?"})`,
      key: logKey(tx.network, block, tx.hash, logIndex),
      block,
      severity: severityOf(by, ALERTS.param.severity),
      type: typeOf(by, ALERTS.param.type),
      addresses: [address, tx.from, ...(by.caller ? [by.caller] : [])],
      metadata: { contract: kind, address, ilk: e.ilk ?? "", what: e.what, value: e.value, valueHuman: human, from: tx.from, to: tx.to ?? "", txHash: tx.hash, ...attributionMetadata(by) },
    });
  }

  async function breakerFinding(t: LiqTx, clip: string, level: number, logIndex: number): Promise<Finding> {
    const { tx, block, who } = t;
    const info = state.clips[clip]!;
    const before = info.stopped;
    info.stopped = level;
    const sev = breakerSeverity(level);
    const by = await who.classify({ contract: clip, param: "stopped", logIndex, loggedCaller: null });
    const effect = sev === "high" ? FindingSeverity.High : sev === "medium" ? FindingSeverity.Medium : FindingSeverity.Info;
    return createFinding(ALERTS.breaker, {
      description: `${info.ilk} Clipper ${clip}: breaker ${before} -> ${level}: ${breakerMeaning(level)} ${callerPhrase(by)} (transaction from ${tx.from} to ${tx.to ?? "?"})`,
      key: logKey(tx.network, block, tx.hash, logIndex),
      block,
      severity: severityOf(by, effect),
      type: typeOf(by, ALERTS.breaker.type),
      addresses: [clip, tx.from, ...(by.caller ? [by.caller] : [])],
      metadata: { clip, ilk: info.ilk, before, level, meaning: breakerMeaning(level), from: tx.from, to: tx.to ?? "", txHash: tx.hash, ...attributionMetadata(by) },
    });
  }

  return {
    async onTransaction(t) {
      const out: Finding[] = [];
      for (const e of t.dog ? t.dogEvents : []) {
        if (e.name !== "File") continue;
        const ilkWord = e.signature.startsWith("File(bytes32,bytes32") ? String(e.args.ilk).toLowerCase() : null;
        const isAddress = e.signature.endsWith("address)");
        const raw = e.args[e.args.length - 1] as unknown;
        const value = isAddress ? String(raw).toLowerCase() : (raw as ethers.BigNumber).toString();
        out.push(await paramFinding(t, "Dog", t.dog!, { what: fromBytes32(String(e.args.what)), ilk: ilkWord ? fromBytes32(ilkWord) : null, value, isAddress }, e.logIndex));
      }
      for (const e of t.clipEvents) {
        if (e.name !== "File") continue;
        const clip = e.address;
        const info = state.clips[clip]!;
        const what = fromBytes32(String(e.args.what));
        const isAddress = e.signature === "File(bytes32,address)";
        const value = isAddress ? String(e.args.data).toLowerCase() : big(e.args.data).toString();
        if (what === "stopped") {
          out.push(await breakerFinding(t, clip, Number(value), e.logIndex));
        } else {
          if (what === "tail") info.tail = Number(value);
          out.push(await paramFinding(t, `${info.ilk} Clipper`, clip, { what, ilk: null, value, isAddress }, e.logIndex));
        }
      }
      for (const f of t.catFiles) out.push(await paramFinding(t, "Cat", t.cat!, f, f.logIndex, f.caller));
      return out;
    },
  };
}
