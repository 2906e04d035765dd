/**
 * The HTTP intake: POST /v1/findings, one finding or an array (forta Finding + source). The
 * server (http/) reads, size-checks and parses the JSON body and hands it here; this route
 * validates it (400 naming the bad field) and ingests it. A finding is acknowledged (200) only
 * once committed; a repeat of a uniqueKey is acknowledged as a duplicate. sink/main.ts mounts it.
 */
import type { IngestResult } from "../incidents/engine";
import type { SourcedFinding } from "../model/notification";
import { FindingValidationError, validateBody } from "./validate";

/** The route's answer: a status and a JSON body, or a client error's message. */
export type RouteAnswer = { status: number; body: unknown } | { status: number; error: string };

export interface FindingsRoute {
  method: "POST";
  path: "/v1/findings";
  handle(body: unknown): Promise<RouteAnswer>;
}

export function findingsRoute(sink: { ingest(findings: readonly SourcedFinding[], source: string): Promise<IngestResult> }): FindingsRoute {
  return {
    method: "POST",
    path: "/v1/findings",
    async handle(body) {
      let findings: SourcedFinding[];
      try {
        findings = validateBody(body);
      } catch (err) {
        if (err instanceof FindingValidationError) return { status: 400, error: err.message };
        throw err;
      }
      const r = await sink.ingest(findings, "http");
      const duplicates = r.results.filter((x) => x.status === "duplicate").length;
      return { status: 200, body: { stored: r.results.length - duplicates, duplicates, results: r.results } };
    },
  };
}
