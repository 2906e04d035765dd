/**
 * The small interface every concern of this bot sits behind (docs/design.md, "The bot-folder
 * template"), and the one handler of the declarative "this event happened" table.
 *
 * Nothing here knows the Vat: it is written to move to shared/ unchanged once a second bot needs
 * it (no shared watcher helper existed when maker-vat was split; issue 14).
 */
import type { BlockEvent, Finding, TransactionEvent } from "forta-agent";
import type { ethers } from "forta-agent";
import { decodeNote, NoteDecodeError, type DecodedNote, type NoteSpec } from "../../../shared/abi";
import type { BotContext } from "../../../shared/bot";
import { createFinding, logKey, type AlertSpec, type BlockRef, type FindingSeverity, type FindingType, type MetadataValue } from "../../../shared/findings";
import { decodeEvents, undecodableLogFinding } from "../../../shared/logs";
import type { AddressBook } from "../../../shared/maker/chainlog";

/** What every watcher is built from. `C` is the bot's config; state comes from `ctx.persistent`. */
export interface WatcherDeps<C> {
  ctx: BotContext;
  config: C;
  book: AddressBook;
}

/**
 * One concern of a bot. `B` and `T` are what the assembler hands every watcher for a block and for
 * a transaction (the events themselves, plus what the assembler read once for all of them).
 */
export interface Watcher<B = BlockEvent, T = TransactionEvent> {
  /** for logs and errors */
  readonly name: string;
  initialize?(): Promise<void>;
  onBlock?(input: B): Promise<Finding[]>;
  onTransaction?(input: T): Promise<Finding[]>;
}

/** Run `call` on each watcher in order (sequentially: a watcher may use what an earlier one added) and concatenate. */
export async function runWatchers<W>(watchers: readonly W[], call: (w: W) => Promise<Finding[]> | undefined): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const w of watchers) {
    const found = await call(w);
    if (found) out.push(...found);
  }
  return out;
}

/** A decoded log a table row matched: a named event (`args` by name) or a note (its arguments). */
export interface RowEvent {
  tx: TransactionEvent;
  block: BlockRef;
  /** the ChainLog key of the emitting contract, and its address (lowercase) */
  key: string;
  address: string;
  logIndex: number;
  /** decoded arguments (named and positional) */
  args: ethers.utils.Result;
  /** the note, for note rows */
  note: DecodedNote | null;
}

/** What a row's `judge` may change of the finding (who made it, how much it matters). */
export interface Judgement {
  severity?: FindingSeverity;
  type?: FindingType;
  metadata?: Record<string, MetadataValue>;
  addresses?: string[];
  /** appended to the description */
  suffix?: string;
}

interface RowBase {
  /** ChainLog key of the contract that emits it */
  contract: string;
  alert: AlertSpec;
  describe(e: RowEvent): string;
  metadata?(e: RowEvent): Record<string, MetadataValue>;
  /** optional: who made it and what that means for the severity (e.g. shared/maker/callers) */
  judge?(e: RowEvent): Promise<Judgement>;
}

/** A named event row: `event` is its canonical signature or name in `iface`. */
export interface EventRow extends RowBase {
  iface: ethers.utils.Interface;
  event: string;
}

/** An anonymous note row: `note` is the function's canonical signature or name in `notes`. */
export interface NoteRow extends RowBase {
  notes: NoteSpec;
  note: string;
}

export type EventAlert = EventRow | NoteRow;

/**
 * The shared handler of a table of "this event happened" alerts: for each row, the logs of the
 * contract its ChainLog key names now, decoded; one finding per matching log (uniqueKey from the
 * log), and an undecodable log of a watched contract becomes VIGIL-UNDECODABLE-LOG, never dropped.
 */
export async function runEventTable(rows: readonly EventAlert[], book: AddressBook, tx: TransactionEvent, block: BlockRef): Promise<Finding[]> {
  const findings: Finding[] = [];
  const reported = new Set<number>();
  for (const row of rows) {
    const address = book.tryGetAddress(row.contract);
    if (!address) continue;
    const matches: RowEvent[] = [];
    if ("iface" in row) {
      const { events, undecodable } = decodeEvents(tx.logs, row.iface, address, [row.event]);
      for (const u of undecodable) {
        if (!reported.has(u.logIndex)) findings.push(undecodableLogFinding(tx.network, block, tx.hash, u));
        reported.add(u.logIndex);
      }
      for (const e of events) matches.push({ tx, block, key: row.contract, address, logIndex: e.logIndex, args: e.args, note: null });
    } else {
      for (const log of tx.logs) {
        if (log.address.toLowerCase() !== address) continue;
        let note: DecodedNote | null;
        try {
          note = decodeNote(log, row.notes);
        } catch (err) {
          if (!(err instanceof NoteDecodeError)) throw err;
          continue; // malformed notes are the bot's note decoder's to report (once)
        }
        if (!note || (note.name !== row.note && note.signature !== row.note)) continue;
        matches.push({ tx, block, key: row.contract, address, logIndex: log.logIndex, args: note.args ?? ([] as unknown as ethers.utils.Result), note });
      }
    }
    for (const e of matches) {
      const j = row.judge ? await row.judge(e) : {};
      findings.push(
        createFinding(row.alert, {
          description: row.describe(e) + (j.suffix ? ` ${j.suffix}` : ""),
          key: logKey(tx.network, block, tx.hash, e.logIndex),
          block,
          ...(j.severity !== undefined ? { severity: j.severity } : {}),
          ...(j.type !== undefined ? { type: j.type } : {}),
          addresses: [address, ...(j.addresses ?? [])],
          metadata: { contract: address, contractKey: row.contract, ...(row.metadata?.(e) ?? {}), ...(j.metadata ?? {}), txHash: tx.hash },
        }),
      );
    }
  }
  return findings;
}
