/**
 * Where findings go after they are stored. A sink receives findings in emission order and at
 * least once (a crash between delivery and its bookkeeping re-delivers; consumers dedupe by
 * `finding.uniqueKey`). The alert-sink service plugs in here.
 */
import { appendFileSync, writeSync } from "fs";
import type { DeliveredObservation } from "./observations";
import type { StoredFinding } from "./store";

export interface FindingSink {
  /** stable name: the store remembers each sink's delivery position under it */
  readonly name: string;
  /** `final`: the last delivery before the runtime closes (a sink that rests between attempts tries now) */
  deliver(batch: readonly StoredFinding[], opts?: { final?: boolean }): Promise<void>;
  /**
   * The bots' observations (ctx.observe), for a sink that keeps its own copy; delivered after the
   * findings, whole blocks at a time, at least once (the position is the same sink_cursor row's).
   */
  deliverObservations?(batch: readonly DeliveredObservation[]): Promise<void>;
  close?(): Promise<void>;
}

/** One JSON object per line: `{bot, chainId, blockNumber, blockHash, txHash?, finding}`. */
export function findingLine(f: StoredFinding): string {
  const { seq: _seq, ...rest } = f;
  return JSON.stringify(rest);
}

const COLORS: Record<string, string> = { Critical: "\x1b[41;97m", High: "\x1b[31m", Medium: "\x1b[33m", Low: "\x1b[36m", Info: "\x1b[2m" };

export function prettyLine(f: StoredFinding, color: boolean): string {
  const sev = f.finding.severity;
  const prio = f.finding.metadata.priority && f.finding.metadata.priority !== "none" ? ` ${f.finding.metadata.priority}` : "";
  const episode = f.finding.metadata.episode ? ` (${f.finding.metadata.episode})` : "";
  const tag = `[${sev}${prio}]`;
  const head = color ? `${COLORS[sev] ?? ""}${tag}\x1b[0m` : tag;
  return `${head} ${f.finding.alertId}${episode} block ${f.blockNumber} ${f.bot}: ${f.finding.description}`;
}

/** Findings on stdout, written straight to the descriptor (no buffer to lose when the process dies), waiting for a slow reader. */
export class StdoutSink implements FindingSink {
  readonly name = "stdout";
  constructor(
    private readonly format: "json" | "pretty" = "json",
    private readonly fd = 1,
  ) {}
  async deliver(batch: readonly StoredFinding[]): Promise<void> {
    if (batch.length === 0) return;
    const color = this.format === "pretty" && process.stdout.isTTY === true;
    const text = batch.map((f) => (this.format === "json" ? findingLine(f) : prettyLine(f, color))).join("\n") + "\n";
    await writeFully(this.fd, Buffer.from(text, "utf8"));
  }
}

/**
 * Write all of `data` to `fd`. Node makes a piped stdout non-blocking, so a write to a reader
 * that is behind can be partial or fail with EAGAIN: wait for the reader instead of losing or
 * cutting a line. Other errors (EPIPE: the reader is gone) are thrown, and the batch is retried.
 */
export async function writeFully(fd: number, data: Buffer): Promise<void> {
  let offset = 0;
  let waitMs = 1;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
      waitMs = 1;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      await new Promise((r) => setTimeout(r, waitMs));
      waitMs = Math.min(50, waitMs * 2);
    }
  }
}

/** Findings appended to a JSON-lines file. */
export class JsonlFileSink implements FindingSink {
  readonly name: string;
  constructor(private readonly path: string) {
    this.name = `file:${path}`;
  }
  async deliver(batch: readonly StoredFinding[]): Promise<void> {
    if (batch.length) appendFileSync(this.path, batch.map(findingLine).join("\n") + "\n");
  }
}

/** Findings kept in memory (tests, record/replay). */
export class MemorySink implements FindingSink {
  readonly findings: StoredFinding[] = [];
  constructor(readonly name = "memory") {}
  async deliver(batch: readonly StoredFinding[]): Promise<void> {
    this.findings.push(...batch);
  }
}
