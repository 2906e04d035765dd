/**
 * The runtime's FindingSink for the in-process sink. The runtime's delivery ledger (its
 * `sink_cursor` table) stays the only one: when the sink lives in the runtime's own SQLite file,
 * the sink's intake of a batch (findings, incidents, outbox rows) and the advance of this sink's
 * row in `sink_cursor` are one transaction. A crash before it commits leaves the batch
 * undelivered (the runtime delivers it again); after, the runtime's own markDelivered changes
 * nothing. When the sink's store is elsewhere (PostgreSQL), delivery is at least once and intake
 * is idempotent by uniqueKey: a re-delivered batch is acknowledged as duplicates.
 */
import type { FindingSink } from "../../shared/runtime/sinks";
import type { StoredFinding } from "../../shared/runtime/store";
import type { IngestResult } from "../incidents/engine";
import type { SourcedFinding } from "../model/notification";
import { run, type Q } from "../store/db";

export const RUNTIME_SINK_NAME = "vigil-sink";

/** What this adapter needs of the opened sink: the store's writer (intake), and to close it after delivery drained. */
export interface SinkWriter {
  ingest(findings: readonly SourcedFinding[], source: string, also?: () => Q<void>): Promise<IngestResult>;
  readonly worker?: { drain(): Promise<void> };
  close(): Promise<void>;
}

export class InProcessSink implements FindingSink {
  readonly name = RUNTIME_SINK_NAME;
  constructor(
    private readonly sink: SinkWriter,
    /** true when the sink's store is the runtime's state file (same SQLite database) */
    private readonly sameFile: boolean,
  ) {}

  async deliver(batch: readonly StoredFinding[]): Promise<void> {
    if (batch.length === 0) return;
    const last = batch[batch.length - 1]!.seq;
    const name = this.name;
    await this.sink.ingest(
      batch.map(({ seq: _seq, ...f }) => f),
      "runtime",
      this.sameFile
        ? function* () {
            yield* run("UPDATE sink_cursor SET seq = MAX(seq, ?) WHERE sink = ?", [last, name]);
          }
        : undefined,
    );
  }

  async close(): Promise<void> {
    await this.sink.worker?.drain().catch(() => undefined);
    await this.sink.close();
  }
}
