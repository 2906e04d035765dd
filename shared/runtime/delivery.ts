/**
 * Delivery: the outbox pump (issue 14: one door per step). Findings are stored first (the store's
 * findings table is the outbox); each FindingSink's position is kept in the store's
 * `sink_cursor`, so delivery is in order, resumes there after a crash, and is the only delivery
 * ledger. A sink that fails keeps its position and is tried again at the next pump (the next
 * block); the other sinks go on.
 */
import { errorMessage } from "../errors";
import type { Logger } from "../log";
import { metrics } from "../metrics";
import { redact } from "../net/secrets";
import { deliverObservations } from "./observations";
import type { FindingSink } from "./sinks";
import type { RuntimeStore } from "./store";

export class Delivery {
  /** the last delivery error of each sink that is behind */
  private readonly errors = new Map<string, string>();
  /** counted at close, before the store is closed */
  private readonly undeliveredAtClose = new Map<string, number>();

  constructor(
    private readonly store: RuntimeStore,
    private readonly sinks: readonly FindingSink[],
    private readonly log: Logger,
    /** the chain the runtime follows (known once it is open) */
    private readonly chainId: () => number,
  ) {}

  /** Give every sink a position in the store (new sinks start at the end: they get what comes next). */
  register(): void {
    for (const s of this.sinks) this.store.registerSink(s.name, false);
  }

  /** Deliver every stored finding each sink has not yet received. */
  async pump(opts: { final?: boolean } = {}): Promise<void> {
    for (const sink of this.sinks) {
      for (;;) {
        const rows = this.store.undelivered(sink.name);
        if (rows.length === 0) break;
        try {
          await sink.deliver(rows, opts);
        } catch (err) {
          const message = redact(errorMessage(err));
          metrics.sinkDeliveryFailures.inc({ sink: sink.name });
          // said once per outage and cause, not once per block while a sink is away
          if (this.errors.get(sink.name) !== message) this.log.warn({ sink: sink.name, err: message }, "sink failed; will retry with the next block");
          this.errors.set(sink.name, message);
          break;
        }
        if (this.errors.delete(sink.name)) this.log.info({ sink: sink.name }, "sink delivering again");
        this.store.markDelivered(sink.name, rows[rows.length - 1]!.seq);
        metrics.sinkDelivered.inc({ sink: sink.name }, rows.length);
      }
      // a sink in another store gets the bots' observations after its findings, on the same ledger
      if (!this.errors.has(sink.name)) await deliverObservations(this.store.observations, sink, this.chainId(), this.log);
      metrics.sinkQueueDepth.set({ sink: sink.name }, this.store.undeliveredCount(sink.name));
    }
  }

  /** A last pump, then the sinks closed; what is still owed is counted (the store closes next). */
  async close(): Promise<void> {
    await this.pump({ final: true });
    for (const s of this.sinks) await s.close?.();
    for (const s of this.sinks) this.undeliveredAtClose.set(s.name, this.store.undeliveredCount(s.name));
  }

  /** Sinks still owed findings (after close: what the last delivery attempt could not deliver), with the last error. */
  undelivered(): { sink: string; findings: number; error?: string }[] {
    return this.sinks
      .map((s) => ({ sink: s.name, findings: this.undeliveredAtClose.get(s.name) ?? this.store.undeliveredCount(s.name), error: this.errors.get(s.name) }))
      .filter((u) => u.findings > 0);
  }
}
