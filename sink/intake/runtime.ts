/**
 * The runtime's FindingSink for the in-process sink. The runtime's delivery ledger (its
 * `sink_cursor` table) stays the only one: when the sink lives in the runtime's own SQLite file,
 * the sink's intake of a batch (findings, incidents, outbox rows) and the advance of this sink's
 * row in `sink_cursor` are one transaction. A crash before it commits leaves the batch
 * undelivered (the runtime delivers it again); after, the runtime's own markDelivered changes
 * nothing. When the sink's store is elsewhere (PostgreSQL), delivery is at least once and intake
 * is idempotent by uniqueKey: a re-delivered batch is acknowledged as duplicates.
 *
 * A poison finding does not block the ones after it: when a batch's intake fails with an error
 * that is not the database being busy or away (isTransientStoreError), the batch is taken one
 * finding at a time, and a finding whose own intake fails is quarantined (sink_quarantine, with
 * the reason: the validation problem naming the field, else the store's error) in the same
 * transaction as the cursor's advance past it. Transient errors are thrown: the runtime retries.
 *
 * When the sink's store is not the runtime's file, the runtime also delivers its observations
 * (ctx.observe) here, through the same sink_cursor row: the dashboard's charts read them there.
 */
import { Counter } from "prom-client";
import { errorMessage } from "../../shared/errors";
import { registry } from "../../shared/metrics";
import { redact } from "../../shared/net/secrets";
import type { DeliveredObservation } from "../../shared/runtime/observations";
import type { FindingSink } from "../../shared/runtime/sinks";
import type { StoredFinding } from "../../shared/runtime/store";
import type { IngestResult } from "../incidents/engine";
import type { SourcedFinding } from "../model/notification";
import { isTransientStoreError, run, type Q } from "../store/db";
import { replaceObservations } from "../store/observations";
import { quarantine } from "../store/quarantine";
import { FindingValidationError, validateFinding } from "./validate";

export const RUNTIME_SINK_NAME = "vigil-sink";

/** What this adapter needs of the opened sink: the store's writer (intake, a transaction), and to close it after delivery drained. */
export interface SinkWriter {
  ingest(findings: readonly SourcedFinding[], source: string, also?: () => Q<void>): Promise<IngestResult>;
  readonly db: { tx<T>(body: () => Q<T>): Promise<T> };
  readonly log: { error(obj: object, msg: string): void };
  readonly worker?: { drain(): Promise<void> };
  close(): Promise<void>;
}

const quarantined =
  (registry.getSingleMetric("vigil_sink_quarantined_total") as Counter<"source"> | undefined) ??
  new Counter({ name: "vigil_sink_quarantined_total", help: "Findings intake refused for good and quarantined (vigil sink quarantine list), per source", labelNames: ["source"] as const, registers: [registry] });

/** Why intake refused a finding: the validation problem (naming the field) when it is invalid, else the error. */
export function refusal(f: unknown, err: unknown): string {
  try {
    validateFinding(f, "finding");
  } catch (e) {
    if (e instanceof FindingValidationError) return `invalid: ${e.message}`;
  }
  return `intake failed: ${redact(errorMessage(err))}`;
}

export class InProcessSink implements FindingSink {
  readonly name = RUNTIME_SINK_NAME;
  /**
   * The bots' observations, when the sink's store is not the runtime's file (there the dashboard
   * reads the runtime's own table): replaced from each batch's first block on, one transaction.
   */
  readonly deliverObservations?: (batch: readonly DeliveredObservation[]) => Promise<void>;

  constructor(
    private readonly sink: SinkWriter,
    /** true when the sink's store is the runtime's state file (same SQLite database) */
    private readonly sameFile: boolean,
  ) {
    if (!sameFile) this.deliverObservations = (batch) => (batch.length ? this.sink.db.tx(() => replaceObservations(batch)) : Promise.resolve());
  }

  /** the runtime's cursor past `seq`, in the sink's transaction (same file only) */
  private advance(seq: number): (() => Q<void>) | undefined {
    const name = this.name;
    return this.sameFile
      ? function* () {
          yield* run("UPDATE sink_cursor SET seq = MAX(seq, ?) WHERE sink = ?", [seq, name]);
        }
      : undefined;
  }

  async deliver(batch: readonly StoredFinding[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.take(batch);
    } catch (err) {
      if (isTransientStoreError(err)) throw err;
      // something in the batch is refused: one at a time, so only the finding at fault stays out
      for (const f of batch) {
        try {
          await this.take([f]);
        } catch (one) {
          if (isTransientStoreError(one)) throw one;
          await this.quarantine(f, refusal(asSourced(f), one));
        }
      }
    }
  }

  private async take(batch: readonly StoredFinding[]): Promise<void> {
    await this.sink.ingest(batch.map(asSourced), "runtime", this.advance(batch[batch.length - 1]!.seq));
  }

  private async quarantine(f: StoredFinding, reason: string): Promise<void> {
    const also = this.advance(f.seq);
    const now = Date.now();
    const fresh = await this.sink.db.tx(function* () {
      const added = yield* quarantine("runtime", asSourced(f), reason, now);
      if (also) yield* also();
      return added;
    });
    if (!fresh) return;
    quarantined.inc({ source: "runtime" });
    const key = typeof f.finding?.uniqueKey === "string" ? f.finding.uniqueKey : undefined;
    this.sink.log.error({ bot: f.bot, uniqueKey: key, seq: f.seq, reason }, "sink refused a finding: quarantined, delivery goes on (vigil sink quarantine list; retry after a fix)");
  }

  async close(): Promise<void> {
    await this.sink.worker?.drain().catch(() => undefined);
    await this.sink.close();
  }
}

function asSourced({ seq: _seq, ...f }: StoredFinding): SourcedFinding {
  return f;
}
