/**
 * A bot's concerns as watchers behind one small interface, and the declarative table of "this event
 * happened" alerts run by one handler (docs/design.md, "The bot-folder template").
 *
 * Nothing here is about governance: it is written to move to shared/ once a second bot uses it
 * (the maker-oracles/-vat/-liquidations split is doing the same in parallel; whichever lands first
 * becomes the shared one).
 *
 * - A watcher handles only what it asks for (initialize, onBlock, onTransaction). Its findings are
 *   `Placed`: `at` is where in the transaction it belongs (the log index of the log it is about, a
 *   fraction after it for findings derived from that log, -1 for what precedes every log), so that
 *   the assembled findings read in log order whichever watcher made them.
 * - `S` is what every watcher of a transaction shares and the bot computes once before them (the
 *   ChainLog's changes in that transaction, who called what): the bot's own type.
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import type { ethers } from "forta-agent";
import { createFinding, logKey, type AlertSpec, type BlockRef, type FindingSeverity, type FindingType, type MetadataValue } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding, type DecodedEvent, type UndecodableLog } from "../../../shared/logs";

/** A finding and where it belongs in its transaction (log order). */
export interface Placed {
  at: number;
  finding: Finding;
}

export interface Watcher<S = void> {
  initialize?(): Promise<void>;
  onBlock?(block: BlockEvent): Promise<Finding[]>;
  onTransaction?(tx: TransactionEvent, scope: S): Promise<Placed[]>;
}

/** Undecodable logs as findings placed at their own log. */
export function placeUndecodable(tx: TransactionEvent, block: BlockRef, undecodable: readonly UndecodableLog[]): Placed[] {
  return undecodable.map((u) => ({ at: u.logIndex, finding: undecodableLogFinding(tx.network, block, tx.hash, u) }));
}

/** Run the watchers' transaction handlers in their fixed order; findings in log order (stable for ties). */
export async function runTransaction<S>(watchers: readonly Watcher<S>[], tx: TransactionEvent, scope: S, first: Placed[] = []): Promise<Finding[]> {
  const all: Placed[] = [...first];
  for (const w of watchers) if (w.onTransaction) all.push(...(await w.onTransaction(tx, scope)));
  return all.sort((a, b) => a.at - b.at).map((p) => p.finding);
}

/** Run the watchers' block handlers in their fixed order, concatenating their findings. */
export async function runBlock(watchers: readonly Watcher<unknown>[], block: BlockEvent): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const w of watchers) if (w.onBlock) out.push(...(await w.onBlock(block)));
  return out;
}

export async function initializeAll(watchers: readonly Watcher<unknown>[]): Promise<void> {
  for (const w of watchers) if (w.initialize) await w.initialize();
}

/** What a row's functions see besides the decoded event: the contract, the transaction and the row's `extra`. */
export interface EventScene<X> {
  /** the contract that emitted it (lower case) */
  contract: string;
  tx: TransactionEvent;
  block: BlockRef;
  extra: X;
}

/**
 * One "this event happened" alert: the contract's ChainLog key, the event (name or signature in
 * `iface`), the alert, and how to say it. `severity`/`type` override the alert's defaults per event.
 */
export interface EventAlert<X = undefined> {
  contract: string;
  iface: ethers.utils.Interface;
  event: string;
  alert: AlertSpec;
  describe(e: DecodedEvent, s: EventScene<X>): string;
  addresses?(e: DecodedEvent, s: EventScene<X>): readonly string[];
  metadata?(e: DecodedEvent, s: EventScene<X>): Record<string, MetadataValue>;
  severity?(e: DecodedEvent, s: EventScene<X>): FindingSeverity;
  type?(e: DecodedEvent, s: EventScene<X>): FindingType;
}

export interface EventTableOptions<X> {
  /** the addresses of a row's contract key in this transaction (several: e.g. before and after a ChainLog update) */
  addressesOf(key: string): readonly (string | undefined)[];
  /** what a row needs beyond the event (e.g. who made the change), computed per event */
  extra?(e: DecodedEvent, row: EventAlert<X>, tx: TransactionEvent): Promise<X>;
}

type RowGroup<X> = { rows: EventAlert<X>[]; key: string; iface: ethers.utils.Interface; events: string[] };
/** A table's rows grouped by (contract, interface), worked out once per table: grouping them on every transaction (formatting each row's ABI as its key) was ~45% of the bench replay's CPU. */
const groupsOfTable = new WeakMap<readonly EventAlert<never>[], RowGroup<never>[]>();
function groupsOf<X>(rows: readonly EventAlert<X>[]): RowGroup<X>[] {
  const cached = groupsOfTable.get(rows as readonly EventAlert<never>[]);
  if (cached) return cached as RowGroup<X>[];
  const groups = new Map<string, RowGroup<X>>();
  for (const row of rows) {
    const id = `${row.contract}\u0000${row.iface.format("json")}`;
    const g = groups.get(id) ?? { rows: [], key: row.contract, iface: row.iface, events: [] };
    g.rows.push(row);
    g.events.push(row.event);
    groups.set(id, g);
  }
  const out = [...groups.values()];
  groupsOfTable.set(rows as readonly EventAlert<never>[], out as RowGroup<never>[]);
  return out;
}

/**
 * Run a table over a transaction: each row's events (undecodable ones become VIGIL-UNDECODABLE-LOG),
 * each a finding keyed by its log (`logKey`), placed at its log index.
 */
export async function runEventTable<X>(rows: readonly EventAlert<X>[], tx: TransactionEvent, block: BlockRef, opts: EventTableOptions<X>): Promise<Placed[]> {
  const out: Placed[] = [];
  const undecodable: UndecodableLog[] = [];
  // one decode per (contract, interface): rows of the same contract share it
  for (const g of groupsOf(rows)) {
    const addresses = [...new Set(opts.addressesOf(g.key).filter((a): a is string => !!a).map((a) => a.toLowerCase()))];
    if (!addresses.length) continue;
    const decoded = decodeEvents(tx.logs, g.iface, addresses, g.events);
    undecodable.push(...decoded.undecodable);
    for (const e of decoded.events) {
      const row = g.rows.find((r) => r.event === e.name || r.event === e.signature)!;
      const scene: EventScene<X> = { contract: e.address, tx, block, extra: (opts.extra ? await opts.extra(e, row, tx) : undefined) as X };
      out.push({
        at: e.logIndex,
        finding: createFinding(row.alert, {
          description: row.describe(e, scene),
          key: logKey(tx.network, block, tx.hash, e.logIndex),
          block,
          ...(row.severity ? { severity: row.severity(e, scene) } : {}),
          ...(row.type ? { type: row.type(e, scene) } : {}),
          addresses: row.addresses ? row.addresses(e, scene) : [e.address, tx.from],
          metadata: row.metadata ? row.metadata(e, scene) : { contract: e.address, txHash: tx.hash },
        }),
      });
    }
  }
  return [...out, ...placeUndecodable(tx, block, undecodable)].sort((a, b) => a.at - b.at);
}
