/**
 * Watchers and event tables: the two shapes a bot's concerns take (issue 14; docs/design.md,
 * "The bot-folder template"). Kept tiny on purpose: several bots move to it.
 *
 * - A `Watcher` is one concern of a bot (oracles: the OSM, the Median, the Spotter ...), built
 *   from what every concern needs (ctx, config, state, the address book) by a factory in its own
 *   module. It handles only what it asks for: `onBlock` and `onTransaction` are both optional.
 *   `agent.ts` builds the watchers and `assemble`s them into the Agent. `Tx` is what a bot hands
 *   its watchers per transaction: the TransactionEvent itself, or a view the bot decodes once
 *   (its contracts' events) so that no two watchers decode (and report undecodable) the same log.
 * - An `EventAlert` row says "this event happened" in a row instead of a branch: (contract key,
 *   event, alert, describe). `eventAlerts(rows, events, on)` is the one handler that runs a table:
 *   one finding per matching event, keyed on its log (`logKey`), built from what `describe` says.
 *   Lasting conditions stay episodes in their watcher: a table is only for one finding per event.
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import { createFinding, logKey, type AlertSpec, type BlockRef, type FindingInput } from "./findings";
import type { DecodedEvent } from "./logs";

/** One concern of a bot. Both handlers optional; findings in the order the watcher finds them. */
export interface Watcher<Tx = TransactionEvent, Block = BlockEvent> {
  /** optional: a name for logs and errors (assemble does not read it) */
  readonly name?: string;
  initialize?(): Promise<void>;
  onBlock?(block: Block): Promise<Finding[]>;
  onTransaction?(tx: Tx): Promise<Finding[]>;
}

/**
 * The watchers as one bot: each handler calls the watchers that have it, one after the other in
 * the order given (a later watcher may rely on what an earlier one did to the bot's state), and
 * returns their findings in that order.
 */
export function assemble<Tx, Block>(watchers: readonly Watcher<Tx, Block>[]): Required<Omit<Watcher<Tx, Block>, "name">> {
  return {
    async initialize() {
      for (const w of watchers) await w.initialize?.();
    },
    async onBlock(block) {
      const out: Finding[] = [];
      for (const w of watchers) if (w.onBlock) out.push(...(await w.onBlock(block)));
      return out;
    },
    async onTransaction(tx) {
      const out: Finding[] = [];
      for (const w of watchers) if (w.onTransaction) out.push(...(await w.onTransaction(tx)));
      return out;
    },
  };
}

/** What a table row says about one event: the finding's words and facts (its key is the log's). */
export type EventFindingParts = Omit<FindingInput, "key" | "block">;

/** The transaction an event came in. */
export interface EventOrigin {
  chainId: number;
  block: BlockRef;
  txHash: string;
  /** the transaction's sender */
  from: string;
}

/** One "this event happened" alert. */
export interface EventAlert<C = unknown> {
  /** the contract's address-book key (e.g. "MCD_CAT"), matched against the events' `contract` */
  contract: string;
  /** the event's name as decoded (DecodedEvent.name) */
  event: string;
  alert: AlertSpec;
  /**
   * The finding for one event (`address`: the contract's, `context`: whatever the bot passes,
   * e.g. its config); undefined when this occurrence is not worth an alert (below a threshold).
   */
  describe(e: DecodedEvent, on: EventOrigin & { address: string; context: C }): EventFindingParts | undefined;
}

/**
 * The one handler of an event table: for each event (in the order given) and each row naming its
 * contract key and event name, the row's finding, keyed on the event's log.
 */
export function eventAlerts<C>(
  rows: readonly EventAlert<C>[],
  events: readonly { contract: string; event: DecodedEvent }[],
  on: EventOrigin & { context: C },
): Finding[] {
  const out: Finding[] = [];
  for (const { contract, event } of events) {
    for (const row of rows) {
      if (row.contract !== contract || row.event !== event.name) continue;
      const parts = row.describe(event, { ...on, address: event.address });
      if (parts) out.push(createFinding(row.alert, { ...parts, key: logKey(on.chainId, on.block, on.txHash, event.logIndex), block: on.block }));
    }
  }
  return out;
}
