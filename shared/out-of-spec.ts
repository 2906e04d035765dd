/**
 * Nodes that answer out of spec, said once. Real clients are messier than the specs: where the
 * meaning of an answer is still clear Vigil accepts it (a Lodestar that sends attestation
 * rewards as "15975.09375", a node without /eth/v2/node/version), logs one warning per
 * (endpoint, route, deviation) and counts every occurrence here, so a metrics endpoint can
 * expose the counts (`outOfSpec.entries()`), e.g. as vigil_out_of_spec_answers_total{endpoint,
 * route, deviation}.
 *
 * Endpoints are masked (scheme://host:port) before they are stored: never a key.
 */
import { logger } from "./log";
import { maskUrl } from "./net/secrets";

export interface OutOfSpecEntry {
  /** scheme://host:port of the node (masked) */
  endpoint: string;
  /** the spec's route template, e.g. /eth/v1/beacon/rewards/attestations/{epoch} */
  route: string;
  /** short, stable name of the deviation, e.g. "decimal-rewards" */
  deviation: string;
  /** what was seen first and what Vigil does about it */
  detail: string;
  count: number;
}

export class OutOfSpecRegistry {
  private readonly seen = new Map<string, OutOfSpecEntry>();

  /**
   * Record one out-of-spec answer. The first of its kind (endpoint, route, deviation) is logged
   * as a warning; returns true then.
   */
  report(o: { url: string; route: string; deviation: string; detail: string }): boolean {
    const endpoint = maskUrl(o.url);
    const key = `${endpoint} ${o.route} ${o.deviation}`;
    const had = this.seen.get(key);
    if (had) {
      had.count++;
      return false;
    }
    this.seen.set(key, { endpoint, route: o.route, deviation: o.deviation, detail: o.detail, count: 1 });
    logger().warn({ endpoint, route: o.route, deviation: o.deviation }, `node answers out of spec (accepted; said once): ${o.detail}`);
    return true;
  }

  /** Every deviation seen, with its count (for a metrics endpoint). */
  entries(): OutOfSpecEntry[] {
    return [...this.seen.values()].map((e) => ({ ...e }));
  }

  count(deviation: string, route?: string): number {
    let n = 0;
    for (const e of this.seen.values()) if (e.deviation === deviation && (route === undefined || e.route === route)) n += e.count;
    return n;
  }

  /** Tests only. */
  clear(): void {
    this.seen.clear();
  }
}

/** The process-wide registry. */
export const outOfSpec = new OutOfSpecRegistry();
