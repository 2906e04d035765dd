/**
 * "This event happened" alerts as rows, not branches (docs/design.md): a table of (contract,
 * event, alert, describe) run by one shared handler that decodes the logs of the contracts each
 * row names (undecodable ones become VIGIL-UNDECODABLE-LOG), builds one finding per event with a
 * `logKey` uniqueKey and the row's description, severity and metadata.
 *
 * Generic on purpose: `contract` is whatever the bot resolves to addresses (a ChainLog key, or a
 * kind of contract it classified); the context a row needs besides the event (who made it, the
 * contract's keys) comes from the bot's `enrich`. Not yet on shared/watchers.ts eventAlerts (issue 14).
 */
import type { ethers } from "forta-agent";
import type { Finding, TransactionEvent } from "forta-agent";
import { blockRefOf } from "../../../shared/bot";
import { createFinding, logKey, type AlertSpec, type BlockRef, type FindingSeverity, type MetadataValue } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent, type LogInput } from "../../../shared/logs";

export interface EventAlert<C> {
  /** what the bot resolves to the addresses this row watches */
  contract: string;
  /** the event's name in `iface` (a name several overloads share matches each of them) */
  event: string;
  iface: ethers.utils.Interface;
  alert: AlertSpec;
  describe(e: DecodedEvent, c: C): string;
  severity?(e: DecodedEvent, c: C): FindingSeverity;
  metadata?(e: DecodedEvent, c: C): Record<string, MetadataValue>;
  addresses?(e: DecodedEvent, c: C): string[];
}

export interface EventTableDeps<C> {
  /** the addresses a row's `contract` names at this transaction */
  resolve(contract: string): readonly string[];
  /** what the rows need besides the event (attribution, names), built once per event */
  enrich(e: DecodedEvent, row: EventAlert<C>, tx: TransactionEvent, block: BlockRef): Promise<C>;
}

/**
 * The findings of one transaction's logs for `rows`. Rows are grouped by (contract, iface) in the
 * order they first appear; within a group, undecodable logs first, then events in log order.
 */
export async function runEventTable<C>(rows: readonly EventAlert<C>[], deps: EventTableDeps<C>, tx: TransactionEvent): Promise<Finding[]> {
  const block = blockRefOf(tx);
  const logs = tx.logs as unknown as LogInput[];
  const groups: { contract: string; iface: ethers.utils.Interface; rows: EventAlert<C>[] }[] = [];
  for (const row of rows) {
    const g = groups.find((x) => x.contract === row.contract && x.iface === row.iface);
    if (g) g.rows.push(row);
    else groups.push({ contract: row.contract, iface: row.iface, rows: [row] });
  }
  const out: Finding[] = [];
  for (const g of groups) {
    const addresses = deps.resolve(g.contract);
    if (addresses.length === 0) continue;
    const { events, undecodable } = decodeEvents(logs, g.iface, addresses, [...new Set(g.rows.map((r) => r.event))]);
    for (const u of undecodable) out.push(undecodableLogFinding(tx.network, block, tx.hash, u));
    for (const e of events) {
      const row = g.rows.find((r) => r.event === e.name);
      if (!row) continue;
      const c = await deps.enrich(e, row, tx, block);
      out.push(
        createFinding(row.alert, {
          description: row.describe(e, c),
          key: logKey(tx.network, block, tx.hash, e.logIndex),
          block,
          ...(row.severity ? { severity: row.severity(e, c) } : {}),
          addresses: row.addresses?.(e, c) ?? [e.address],
          metadata: row.metadata?.(e, c) ?? {},
        }),
      );
    }
  }
  return out;
}
