/**
 * What the read side (http/, cli/) holds of an opened sink: the store's reads (and the few
 * writes the dead-letter commands make), the incident engine's two doors (ingest, command), the
 * rules and a logger. sink/main.ts's Sink implements it; the wiring (opening the store, creating
 * channels, starting the delivery worker) stays in main.ts, which the stages never import.
 */
import type { Logger } from "../../shared/log";
import type { RulesConfig } from "../config/rules";
import type { Incident } from "../model/incident";
import type { SourcedFinding } from "../model/notification";
import type { Dialect, Q } from "../store/db";
import type { Command, IngestResult } from "./engine";

export interface SinkHandle {
  readonly db: { readonly dialect: Dialect; readonly describe: string; tx<T>(body: () => Q<T>): Promise<T> };
  readonly rules: RulesConfig;
  readonly log: Logger;
  /** store and qualify findings (their outbox rows in the same transaction; `also` too) */
  ingest(findings: readonly SourcedFinding[], source: string, also?: () => Q<void>): Promise<IngestResult>;
  /** a command by hand (ack, resolve, ...): a timeline event, notifications queued */
  command(incidentId: number, cmd: Command, actor: string, note?: string): Promise<Incident>;
  read<T>(body: () => Q<T>): Promise<T>;
}
