/**
 * The process's Prometheus metrics (prom-client), in one registry every part registers on: the
 * runtime, the RPC and beacon clients, and the sink (which adds its own queue and delivery
 * metrics here, e.g. `registry.getSingleMetric("vigil_sink_queue_depth")` or a new Gauge with
 * `registers: [registry]`). Served on /metrics by shared/runtime/ops-server.ts.
 *
 * Labels never carry secrets: endpoints are masked (`https://host/…`).
 */
import { Counter, Gauge, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValueWithName } from "prom-client";
import { maskUrl } from "./net/secrets";

export const registry = new Registry();
let defaults = false;

/** Node's own process metrics (CPU, memory, event loop lag), once, when metrics are served. */
export function collectProcessMetrics(): void {
  if (defaults) return;
  defaults = true;
  collectDefaultMetrics({ register: registry, prefix: "vigil_" });
}

const r = [registry];

/** One label set of a LabelledHistogram: its bucket counts (not cumulative), sum and count. */
export class HistogramChild {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Array<number>(bounds.length).fill(0);
  }
  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    this.sum += value;
    this.count++;
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) {
      if (value <= b[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }
}

/**
 * A Prometheus histogram for observations on a hot path (one per bot handler call): `labels(...)`
 * returns the label set's child from a Map, and `observe` only adds to its counters. prom-client's
 * Histogram validates and hashes the labels on every observation, even through a labelled child
 * (~6-8% of the replay's CPU with ~1,200 handler calls a block). Exposed by prom-client's registry
 * like any of its metrics, in the same text format (_bucket with le, _sum, _count).
 */
export class LabelledHistogram<L extends string> {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly children = new Map<string, HistogramChild>();
  private readonly bounds: number[];
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    buckets: readonly number[],
    registers: Registry[],
  ) {
    this.bounds = [...buckets].sort((a, b) => a - b);
    for (const reg of registers) reg.registerMetric(this as never);
  }
  /** The child of these label values (in labelNames order). */
  labels(...values: string[]): HistogramChild {
    const key = values.join("\u0000");
    let c = this.children.get(key);
    if (!c) {
      if (values.length !== this.labelNames.length) throw new Error(`${this.name}: ${values.length} label values for labels ${this.labelNames.join(", ")}`);
      c = new HistogramChild(Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!])), this.bounds);
      this.children.set(key, c);
    }
    return c;
  }
  reset(): void {
    this.children.clear();
  }
  /** What prom-client's registry reads to expose a metric (its own metrics' get() shape). */
  async get(): Promise<Omit<MetricObjectWithValues<MetricValueWithName<string>>, "collect">> {
    const values: MetricValueWithName<string>[] = [];
    for (const c of this.children.values()) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += c.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...c.labels, le }, value: acc });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...c.labels, le: "+Inf" }, value: c.count });
      values.push({ metricName: `${this.name}_sum`, labels: { ...c.labels }, value: c.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...c.labels }, value: c.count });
    }
    return { name: this.name, help: this.help, type: this.type as unknown as MetricObjectWithValues<MetricValueWithName<string>>["type"], values, aggregator: this.aggregator };
  }
}

export const metrics = {
  blocksProcessed: new Counter({ name: "vigil_blocks_processed_total", help: "Blocks the runtime processed and committed", registers: r }),
  lastBlock: new Gauge({ name: "vigil_last_processed_block", help: "Number of the last block committed", registers: r }),
  headBlock: new Gauge({ name: "vigil_head_block", help: "The node's head block, as last polled", registers: r }),
  headLag: new Gauge({ name: "vigil_head_lag_blocks", help: "Blocks between the head (less the confirmations) and the last committed block", registers: r }),
  lastBlockTime: new Gauge({ name: "vigil_last_block_processed_timestamp_seconds", help: "Unix time the last block was committed", registers: r }),
  handlerSeconds: new LabelledHistogram("vigil_bot_handler_seconds", "Time one bot handler call took", ["bot", "handler"] as const, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], r),
  botErrors: new Counter({ name: "vigil_bot_errors_total", help: "Bot handler calls that threw or timed out, and bots that could not initialize", labelNames: ["bot", "handler"] as const, registers: r }),
  findings: new Counter({ name: "vigil_findings_total", help: "Findings emitted (stored for delivery)", labelNames: ["bot", "severity"] as const, registers: r }),
  reorgs: new Counter({ name: "vigil_reorgs_total", help: "Chain reorganisations the runtime rewound", registers: r }),
  rpcRequests: new Counter({ name: "vigil_rpc_requests_total", help: "JSON-RPC calls sent", labelNames: ["method", "endpoint"] as const, registers: r }),
  rpcErrors: new Counter({ name: "vigil_rpc_errors_total", help: "JSON-RPC calls that failed (transport error, or an error answer)", labelNames: ["method", "endpoint"] as const, registers: r }),
  rpcRetries: new Counter({ name: "vigil_rpc_retries_total", help: "JSON-RPC retries after a transient failure", labelNames: ["method", "endpoint"] as const, registers: r }),
  rpcFoldedReads: new Counter({
    name: "vigil_rpc_folded_reads_total",
    help: "plain eth_calls sent folded into one eth_call per block (outcome answered: answered by the fold; asked_again: failed inside it or the node refused the fold, sent on their own)",
    labelNames: ["outcome"] as const,
    registers: r,
  }),
  beaconRequests: new Counter({ name: "vigil_beacon_requests_total", help: "Beacon API calls", labelNames: ["route", "outcome"] as const, registers: r }),
  sinkQueueDepth: new Gauge({ name: "vigil_sink_queue_depth", help: "Findings stored but not yet delivered, per sink", labelNames: ["sink"] as const, registers: r }),
  sinkDeliveryFailures: new Counter({ name: "vigil_sink_delivery_failures_total", help: "Failed delivery attempts, per sink", labelNames: ["sink"] as const, registers: r }),
  sinkDelivered: new Counter({ name: "vigil_sink_delivered_total", help: "Findings delivered, per sink", labelNames: ["sink"] as const, registers: r }),
};

/** The endpoint label of a URL: scheme and host only. */
export const endpointLabel = (url: string): string => maskUrl(url);
