/**
 * The process's Prometheus metrics (prom-client), in one registry every part registers on: the
 * runtime, the RPC and beacon clients, and the sink (which adds its own queue and delivery
 * metrics here, e.g. `registry.getSingleMetric("vigil_sink_queue_depth")` or a new Gauge with
 * `registers: [registry]`). Served on /metrics by shared/runtime/ops-server.ts.
 *
 * Labels never carry secrets: endpoints are masked (`https://host/…`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
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

export const metrics = {
  blocksProcessed: new Counter({ name: "vigil_blocks_processed_total", help: "Blocks the runtime processed and committed", registers: r }),
  lastBlock: new Gauge({ name: "vigil_last_processed_block", help: "Number of the last block committed", registers: r }),
  headBlock: new Gauge({ name: "vigil_head_block", help: "The node's head block, as last polled", registers: r }),
  headLag: new Gauge({ name: "vigil_head_lag_blocks", help: "Blocks between the head (less the confirmations) and the last committed block", registers: r }),
  lastBlockTime: new Gauge({ name: "vigil_last_block_processed_timestamp_seconds", help: "Unix time the last block was committed", registers: r }),
  handlerSeconds: new Histogram({
    name: "vigil_bot_handler_seconds",
    help: "Time one bot handler call took",
    labelNames: ["bot", "handler"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: r,
  }),
  botErrors: new Counter({ name: "vigil_bot_errors_total", help: "Bot handler calls that threw or timed out, and bots that could not initialize", labelNames: ["bot", "handler"] as const, registers: r }),
  findings: new Counter({ name: "vigil_findings_total", help: "Findings emitted (stored for delivery)", labelNames: ["bot", "severity"] as const, registers: r }),
  reorgs: new Counter({ name: "vigil_reorgs_total", help: "Chain reorganisations the runtime rewound", registers: r }),
  rpcRequests: new Counter({ name: "vigil_rpc_requests_total", help: "JSON-RPC calls sent", labelNames: ["method", "endpoint"] as const, registers: r }),
  rpcErrors: new Counter({ name: "vigil_rpc_errors_total", help: "JSON-RPC calls that failed (transport error, or an error answer)", labelNames: ["method", "endpoint"] as const, registers: r }),
  rpcRetries: new Counter({ name: "vigil_rpc_retries_total", help: "JSON-RPC retries after a transient failure", labelNames: ["method", "endpoint"] as const, registers: r }),
  beaconRequests: new Counter({ name: "vigil_beacon_requests_total", help: "Beacon API calls", labelNames: ["route", "outcome"] as const, registers: r }),
  sinkQueueDepth: new Gauge({ name: "vigil_sink_queue_depth", help: "Findings stored but not yet delivered, per sink", labelNames: ["sink"] as const, registers: r }),
  sinkDeliveryFailures: new Counter({ name: "vigil_sink_delivery_failures_total", help: "Failed delivery attempts, per sink", labelNames: ["sink"] as const, registers: r }),
  sinkDelivered: new Counter({ name: "vigil_sink_delivered_total", help: "Findings delivered, per sink", labelNames: ["sink"] as const, registers: r }),
};

/** The endpoint label of a URL: scheme and host only. */
export const endpointLabel = (url: string): string => maskUrl(url);
