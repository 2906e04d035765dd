/**
 * Observations: the numbers behind findings (name, labels, value, block or epoch), reported by
 * bots through `ctx.observe` and committed by the runtime with the block they were seen in
 * (RuntimeStore.commitBlock, table `observations`), so they share the findings' store, reorg
 * rewind and retention. The dashboard charts them (sink/http/dashboard).
 *
 * Prometheus: after each commit the newest value of every series is the gauge
 * `vigil_observation{bot, name, series}` (series: the labels as `k=v,k2=v2`) on /metrics.
 */
import type Database from "better-sqlite3";
import { Gauge } from "prom-client";
import { errorMessage } from "../errors";
import type { Logger } from "../log";
import { redact } from "../net/secrets";
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

  /** how many are held (the interest check: a skipped handler must observe nothing) */
  get size(): number {
    return this.items.length;
  }

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

/** Migration 3 of the runtime's state file (shared/runtime/store.ts). */
export const OBSERVATIONS_SCHEMA = `
CREATE TABLE IF NOT EXISTS observations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  bot TEXT NOT NULL,
  name TEXT NOT NULL,
  labels TEXT NOT NULL,
  value REAL NOT NULL,
  block_number INTEGER NOT NULL,
  epoch INTEGER,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS observations_name_at ON observations(name, at);
CREATE INDEX IF NOT EXISTS observations_block ON observations(block_number);
`;

/** Migration 4: a sink's position in `observations`, in the same ledger as its position in `findings`. */
export function addObservationsCursor(db: Database.Database): void {
  const cols = db.prepare("PRAGMA table_info(sink_cursor)").all() as { name: string }[];
  if (!cols.some((c) => c.name === "obs_id")) db.exec("ALTER TABLE sink_cursor ADD COLUMN obs_id INTEGER NOT NULL DEFAULT 0");
}

/** An observation as delivered to a sink that keeps its own copy (the sink in PostgreSQL). */
export interface DeliveredObservation extends StoredObservation {
  /** the row's id in the runtime's table: the sink's delivery position */
  id: number;
  chainId: number;
}

/** Deliver the observations a sink keeps its own copy of (after its findings); a failure waits for the next block. */
export async function deliverObservations(
  table: ObservationTable,
  sink: { name: string; deliverObservations?(batch: readonly DeliveredObservation[]): Promise<void> },
  chainId: number,
  log: Logger,
): Promise<void> {
  if (!sink.deliverObservations) return;
  for (;;) {
    const rows = table.undelivered(sink.name, chainId);
    if (rows.length === 0) return;
    try {
      await sink.deliverObservations(rows);
    } catch (err) {
      log.warn({ sink: sink.name, err: redact(errorMessage(err)) }, "sink failed to take observations; will retry with the next block");
      return;
    }
    table.markDelivered(sink.name, rows[rows.length - 1]!.id);
  }
}

/** The `observations` table of the runtime's state file; RuntimeStore calls it inside its block transaction. */
export class ObservationTable {
  private insert: Database.Statement | undefined;
  /** observations older than this many days (by block time) are pruned (default 30; env VIGIL_OBSERVATIONS_DAYS) */
  days = Number(process.env.VIGIL_OBSERVATIONS_DAYS ?? "") || 30;
  /**
   * A series (bot, name, labels) keeps at most one point per this many seconds of block time
   * (default 60; env VIGIL_OBSERVATION_INTERVAL; 0 keeps every point), except a value more than
   * 0.1% away from the last one kept: the curve keeps its jumps and a mainnet day stays small.
   */
  intervalS = Number(process.env.VIGIL_OBSERVATION_INTERVAL ?? "60");
  private readonly last = new Map<string, { t: number; v: number }>();
  constructor(private readonly db: Database.Database) {}

  write(block: { number: number; timestamp: number }, obs: readonly Observation[]): void {
    if (!obs.length) return;
    // prepared once (better-sqlite3 compiles the SQL on each prepare)
    const ins = (this.insert ??= this.db.prepare("INSERT INTO observations(bot, name, labels, value, block_number, epoch, at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (const o of obs) {
      const key = `${o.bot}\u0000${o.name}\u0000${o.labels}`;
      const last = this.last.get(key);
      const moved = !last || Math.abs(o.value - last.v) > Math.abs(last.v) * 0.001;
      if (last && !moved && block.timestamp - last.t < this.intervalS) continue;
      this.last.set(key, { t: block.timestamp, v: o.value });
      ins.run(o.bot, o.name, o.labels, o.value, block.number, o.epoch ?? null, block.timestamp * 1000);
    }
  }

  /** Retention, by the time of the block being committed (seconds). */
  prune(blockTimestamp: number): void {
    this.db.prepare("DELETE FROM observations WHERE at < ?").run(blockTimestamp * 1000 - this.days * 86_400_000);
  }

  /** A reorg: what the orphaned blocks observed goes with them. */
  rewind(ancestor: number): void {
    this.db.prepare("DELETE FROM observations WHERE block_number > ?").run(ancestor);
    this.last.clear();
  }

  /**
   * Observations `sink` has not yet received, oldest first, in whole blocks (a receiver replaces
   * what it holds from the batch's first block on: a re-delivery or a reorg then leaves one copy).
   */
  undelivered(sink: string, chainId: number, limit = 2000): DeliveredObservation[] {
    const cur = this.db.prepare("SELECT obs_id FROM sink_cursor WHERE sink = ?").get(sink) as { obs_id: number } | undefined;
    const q = "SELECT id, bot, name, labels, value, block_number AS blockNumber, epoch, at FROM observations WHERE id > ?";
    type Row = DeliveredObservation & { epoch: number | null };
    let rows = this.db.prepare(`${q} ORDER BY id LIMIT ?`).all(cur?.obs_id ?? 0, limit) as Row[];
    if (rows.length === limit) {
      const lastBlock = rows[rows.length - 1]!.blockNumber;
      const whole = rows.filter((r) => r.blockNumber !== lastBlock);
      // one block larger than a batch: that block whole
      rows = whole.length ? whole : (this.db.prepare(`${q} AND block_number = ? ORDER BY id`).all(cur?.obs_id ?? 0, lastBlock) as Row[]);
    }
    return rows.map(({ epoch, ...r }) => ({ ...r, chainId, ...(epoch === null ? {} : { epoch }) }));
  }

  markDelivered(sink: string, id: number): void {
    this.db.prepare("UPDATE sink_cursor SET obs_id = MAX(obs_id, ?) WHERE sink = ?").run(id, sink);
  }

  /** Observations of one name (all names when omitted), oldest first. */
  list(name?: string): StoredObservation[] {
    const rows = this.db
      .prepare(`SELECT bot, name, labels, value, block_number AS blockNumber, epoch, at FROM observations ${name ? "WHERE name = ?" : ""} ORDER BY id`)
      .all(...(name ? [name] : [])) as (StoredObservation & { epoch: number | null })[];
    return rows.map(({ epoch, ...r }) => ({ ...r, ...(epoch === null ? {} : { epoch }) }));
  }
}
