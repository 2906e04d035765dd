/**
 * Who made an oracle control (shared/maker/attribution.ts): governance, a sanctioned module in
 * its role (OSM_MOM stopping an OSM), a caller listed in ORACLE_TRUSTED_CALLERS, or an outsider.
 * `observe(tx)` runs first for every transaction (agent.ts), so plots are remembered and the
 * notes and events of that transaction are attributed in its context.
 */
import type { TransactionEvent } from "forta-agent";
import type { BotContext } from "../../../shared/bot";
import type { DecodedNote } from "../../../shared/abi";
import type { AddressBook } from "../../../shared/maker/chainlog";
import { attributionMetadata, type Classification } from "../../../shared/maker/attribution";
import { callerAttributionFor, type TxCallers } from "../../../shared/maker/callers";
import type { Config } from "./config";

export interface ControlBase {
  byGov: boolean;
  who: string;
  metadata: Record<string, string | boolean>;
}

export class ControlAttribution {
  private readonly callers;
  /** the attribution context of the transaction being handled */
  private current: TxCallers | null = null;

  constructor(
    ctx: BotContext,
    private readonly book: AddressBook,
    private readonly cfg: Config,
  ) {
    this.callers = callerAttributionFor(ctx, book, cfg);
  }

  observe(tx: TransactionEvent): void {
    this.current = this.callers.observe(tx);
  }

  async attribute(address: string, keys: readonly string[], param: string, logIndex: number, loggedCaller: string | null): Promise<Classification> {
    const by = await this.current!.classify({ contract: address, contractKeys: keys, param, logIndex, loggedCaller });
    if (by.callerClass === "outsider" && by.caller && this.cfg.trustedCallers.map((a) => a.toLowerCase()).includes(by.caller)) {
      return { ...by, callerClass: "automation", module: "ORACLE_TRUSTED_CALLERS", reason: `made by ${by.caller}, listed in ORACLE_TRUSTED_CALLERS (trusted like governance by configuration)` };
    }
    return by;
  }

  /** Governance: the pause proxy and the OsmMom of the ChainLog, and the configured callers. */
  trusted(): Set<string> {
    const t = new Set(this.cfg.trustedCallers);
    for (const k of ["MCD_PAUSE_PROXY", "OSM_MOM"]) {
      const a = this.book.tryGetAddress(k);
      if (a) t.add(a);
    }
    return t;
  }

  /** Who made a noted control (the note names the caller) and the metadata every control finding carries. */
  async base(contractName: string, address: string, keys: readonly string[], note: DecodedNote, tx: TransactionEvent, logIndex: number): Promise<ControlBase> {
    const caller = note.caller ?? "";
    // a Median is not in the ChainLog: no module's role covers it (its keys here are its OSMs')
    const by = await this.attribute(address, contractName === "Median" ? [] : keys, note.name, logIndex, note.caller);
    const byGov = by.callerClass !== "outsider";
    return {
      byGov,
      who: whoText(by),
      metadata: { [contractName === "Median" ? "median" : "osm"]: address, keys: keys.join(","), caller, byGovernance: byGov, txFrom: tx.from, txHash: tx.hash, ...attributionMetadata(by) },
    };
  }
}

export const whoText = (by: Classification): string =>
  by.callerClass === "governance"
    ? `${by.caller} (governance)`
    : by.callerClass === "automation"
      ? `${by.caller} (sanctioned automation: ${by.module})`
      : `${by.caller || "an unknown caller"}, which is neither governance nor a sanctioned module acting in its role`;

/** How an unlogged caller was attributed, in words (the LP-token oracles' and ds-auth's events). */
export function unloggedWho(by: Classification): string {
  return `the caller is not logged; ${by.callerClass === "outsider" ? "made OUTSIDE governance" : `attributed to ${whoText(by)}`} (${by.callerSource === "tx-to" ? "inferred from the transaction's target" : by.callerSource})`;
}
