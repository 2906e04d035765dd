/**
 * Observations: the numbers behind findings (name, labels, value, block or epoch), reported by
 * bots through `ctx.observe` and committed by the runtime with the block they were seen in
 * (RuntimeStore.commitBlock, table `observations`), so they share the findings' store, reorg
 * rewind and retention. The dashboard charts them (sink/http/dashboard).
 *
 * Prometheus: after each commit the newest value of every series is the gauge
 * `vigil_observation{bot, name, series}` (series: the labels as `k=v,k2=v2`) on /metrics.
 */
import { Gauge } from "prom-client";
import type { Logger } from "../log";
import { registry } from "../metrics";

const gauge = new Gauge({
  name: "vigil_observation",
  help: "The newest value a bot observed (ctx.observe): name is what, series its labels (k=v,...)",
  labelNames: ["bot", "name", "series"] as const,
  registers: [registry],
});

/** Set the gauges from the observations of a committed block. */
export function exportObservations(obs: readonly Observation[]): void {
  for (const o of obs) {
    const series = Object.entries(JSON.parse(o.labels) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(",");
    gauge.set({ bot: o.bot, name: o.name, series }, o.value);
  }
}

export interface Observation {
  bot: string;
  name: string;
  /** sorted, canonical JSON of the labels ("{}" for none) */
  labels: string;
  value: number;
  epoch?: number;
}

export interface StoredObservation extends Observation {
  blockNumber: number;
  /** block timestamp, epoch milliseconds */
  at: number;
}

const NAME = /^[a-z][a-z0-9_.:-]{0,99}$/i;

/** Canonical JSON of labels: keys sorted, values strings. */
export function canonicalLabels(labels: Record<string, string> | undefined): string {
  if (!labels) return "{}";
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = String(labels[k]);
  return JSON.stringify(out);
}

/**
 * A bot's observations since the last commit. A bad name or a value that is not a finite number
 * is dropped with one warning per (bot, name), never thrown into the bot.
 */
export class ObservationBuffer {
  private items: Observation[] = [];
  private readonly warned = new Set<string>();
  constructor(
    private readonly bot: string,
    private readonly log: Logger,
  ) {}

  observe = (name: string, value: number | string, labels?: Record<string, string>, epoch?: number): void => {
    const v = typeof value === "string" ? Number(value) : value;
    if (!NAME.test(name) || typeof v !== "number" || !Number.isFinite(v)) {
      const key = `${name}`;
      if (!this.warned.has(key)) {
        this.warned.add(key);
        this.log.warn({ bot: this.bot, name, value: String(value) }, "observation dropped: the name must match [a-z][a-z0-9_.:-]* and the value be a finite number or decimal string; fix the bot's observe call");
      }
      return;
    }
    this.items.push({ bot: this.bot, name, labels: canonicalLabels(labels), value: v, ...(epoch !== undefined ? { epoch } : {}) });
  };

  drain(): Observation[] {
    const out = this.items;
    this.items = [];
    return out;
  }
}
