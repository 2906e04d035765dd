/**
 * Running bots over recorded chain data, and comparing findings with a committed expectation.
 * Used by `npm run record` / `npm run replay` and by jest tests.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "fs";
import { dirname } from "path";
import type { Env } from "../config";
import { VigilError } from "../errors";
import type { Logger } from "../log";
import { createLogger } from "../log";
import { RpcClient } from "../rpc/client";
import { FixtureTransport, RecordingTransport, type FixtureMeta } from "../rpc/fixture";
import type { RpcTransport } from "../rpc/transport";
import { loadBots, type LoadedBot } from "../runtime/discovery";
import { Runtime } from "../runtime/runtime";
import { MemorySink, type FindingSink } from "../runtime/sinks";
import type { EmittedFinding } from "../runtime/store";

/** Keys whose values must never be written into a fixture. */
export function isSecretKey(key: string, value: string): boolean {
  return /URL|KEY|TOKEN|SECRET|PASSWORD|AUTH/i.test(key) || /^(https?|wss?):\/\//i.test(value);
}

export interface RunOverTransportOptions {
  transport: RpcTransport;
  from: number;
  to: number;
  bots: readonly LoadedBot[];
  env: Env;
  sinks?: FindingSink[];
  log?: Logger;
  envRead?: Set<string>;
}

export async function runOverTransport(o: RunOverTransportOptions): Promise<{ findings: EmittedFinding[]; chainId: number; rpc: RpcClient }> {
  const rpc = new RpcClient(o.transport);
  const memory = new MemorySink();
  const runtime = new Runtime({
    rpc,
    bots: o.bots,
    env: o.env,
    sinks: [memory, ...(o.sinks ?? [])],
    maxBlockAttempts: 3,
    log: o.log ?? createLogger({ level: process.env.LOG_LEVEL ?? "warn" }),
    envRead: o.envRead,
  });
  await runtime.open();
  try {
    await runtime.runRange(o.from, o.to);
  } finally {
    await runtime.close();
  }
  return { findings: memory.findings.map(({ seq: _s, ...f }) => f), chainId: runtime.chainId, rpc };
}

/** Record every JSON-RPC answer the bots need for a range into a fixture file. */
export async function recordFixture(o: {
  transport: RpcTransport;
  from: number;
  to: number;
  botNames: string[];
  env: Env;
  out: string;
  command?: string;
  sinks?: FindingSink[];
}): Promise<{ findings: EmittedFinding[]; meta: FixtureMeta; answers: number }> {
  const recording = new RecordingTransport(o.transport, o.out);
  const read = new Set<string>();
  const bots = loadBots(o.botNames);
  let run: Awaited<ReturnType<typeof runOverTransport>>;
  try {
    run = await runOverTransport({ transport: recording, from: o.from, to: o.to, bots, env: o.env, sinks: o.sinks, envRead: read });
  } catch (err) {
    await recording.abandon();
    throw err;
  }
  const { findings, chainId } = run;
  const env: Record<string, string> = {};
  for (const k of [...read].sort()) {
    const v = o.env[k];
    if (v !== undefined && !isSecretKey(k, v)) env[k] = v;
  }
  const meta: FixtureMeta = { chainId, from: o.from, to: o.to, bots: bots.map((b) => b.name), env, recordedAt: new Date().toISOString(), command: o.command };
  await recording.finish(meta);
  return { findings, meta, answers: recording.recorded };
}

/** Replay a fixture with no node: the bots recorded (or `botNames`), with the recorded configuration. */
export async function replayFixture(path: string, o: { botNames?: string[]; env?: Env; sinks?: FindingSink[] } = {}): Promise<EmittedFinding[]> {
  const transport = await FixtureTransport.open(path);
  try {
    const bots = loadBots(o.botNames ?? transport.meta.bots);
    const { findings } = await runOverTransport({
      transport,
      from: transport.meta.from,
      to: transport.meta.to,
      bots,
      env: { ...transport.meta.env, ...o.env },
      sinks: o.sinks,
    });
    return findings;
  } finally {
    transport.close();
  }
}

/** The part of a finding an expectation pins down (everything deterministic). */
export interface ExpectedFinding {
  bot: string;
  blockNumber: number;
  txHash?: string;
  alertId: string;
  severity: string;
  uniqueKey: string;
  description: string;
  metadata: Record<string, string>;
}

export function toExpected(findings: readonly EmittedFinding[]): ExpectedFinding[] {
  return findings.map((f) => ({
    bot: f.bot,
    blockNumber: f.blockNumber,
    ...(f.txHash ? { txHash: f.txHash } : {}),
    alertId: f.finding.alertId,
    severity: f.finding.severity,
    uniqueKey: f.finding.uniqueKey,
    description: f.finding.description,
    metadata: f.finding.metadata,
  }));
}

export class ExpectationMismatchError extends VigilError<"EXPECTATION_MISMATCH"> {
  constructor(path: string, detail: string) {
    super("EXPECTATION_MISMATCH", `findings differ from ${path}: ${detail} (if the change is intended, re-run with UPDATE_EXPECTED=1 to rewrite it)`);
  }
}

/** Differences between two finding lists, as lines (empty when equal). */
export function diffFindings(expected: readonly ExpectedFinding[], actual: readonly ExpectedFinding[]): string[] {
  const lines: string[] = [];
  const byKey = (xs: readonly ExpectedFinding[]) => new Map(xs.map((x) => [x.uniqueKey, x]));
  const e = byKey(expected);
  const a = byKey(actual);
  for (const [k, x] of e) if (!a.has(k)) lines.push(`missing: ${x.alertId} at block ${x.blockNumber} (${x.description})`);
  for (const [k, x] of a) if (!e.has(k)) lines.push(`unexpected: ${x.alertId} at block ${x.blockNumber} (${x.description})`);
  for (const [k, x] of e) {
    const y = a.get(k);
    if (y && JSON.stringify(x) !== JSON.stringify(y)) lines.push(`changed: ${x.alertId} at block ${x.blockNumber}: ${JSON.stringify(x)} -> ${JSON.stringify(y)}`);
  }
  if (lines.length === 0 && expected.length !== actual.length) lines.push(`count: expected ${expected.length}, got ${actual.length}`);
  return lines;
}

/**
 * Compare findings with the expectation file; with UPDATE_EXPECTED=1 (or no file yet and
 * `createIfMissing`) write it instead.
 */
export function checkExpectation(path: string, findings: readonly EmittedFinding[], opts: { createIfMissing?: boolean } = {}): void {
  const actual = toExpected(findings);
  if (process.env.UPDATE_EXPECTED === "1" || (opts.createIfMissing && !existsSync(path))) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(actual, null, 2) + "\n");
    return;
  }
  if (!existsSync(path)) throw new ExpectationMismatchError(path, "the expectation file does not exist");
  const expected = JSON.parse(readFileSync(path, "utf8")) as ExpectedFinding[];
  const diff = diffFindings(expected, actual);
  if (diff.length) throw new ExpectationMismatchError(path, `\n  ${diff.slice(0, 20).join("\n  ")}`);
}
