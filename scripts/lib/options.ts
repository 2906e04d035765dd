/**
 * Pieces shared by the command-line entry points: option parsing helpers, turning options into
 * an RPC client, sinks and a runtime, and exiting with one clear line on a known error.
 */
import { InvalidArgumentError, type Command } from "commander";
import { ConfigError, VigilError, errorMessage, type CodeOf } from "../../shared/errors";
import { logger, logSettings, type Logger } from "../../shared/log";
import { sleep } from "../../shared/net/retry";
import { isInfrastructureError } from "../../shared/runtime/executor";
import { redact } from "../../shared/net/secrets";
import { RpcClient } from "../../shared/rpc/client";
import { HttpTransport } from "../../shared/rpc/transport";
import { JsonlFileSink, StdoutSink, type FindingSink } from "../../shared/runtime/sinks";

import { loadEnv } from "../../shared/env";
import { tuneHeap } from "./heap";

export { loadEnv };

export function parseRange(value: string): { from: number; to: number } {
  const m = /^(\d+)\.\.(\d+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`expected A..B with block numbers, e.g. 100..200 (got ${JSON.stringify(value)})`);
  const from = Number(m[1]);
  const to = Number(m[2]);
  if (to < from) throw new InvalidArgumentError(`the range ${value} ends before it starts`);
  return { from, to };
}

export function parseBlockNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a block number (got ${JSON.stringify(value)})`);
  return Number(value);
}

export function parseNonNegative(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number >= 0 (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** A parser for a time option that must be above 0 (0 would make every handler time out, or poll without pause). */
export function parsePositiveMs(example: number): (value: string) => number {
  return (value: string) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!(n > 0)) throw new InvalidArgumentError(`expected a whole number of milliseconds above 0, e.g. ${example}`);
    return n;
  };
}

export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseUrls(value: string): string[] {
  const urls = parseList(value);
  for (const u of urls) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(u).protocol);
    } catch {
      /* below */
    }
    if (!ok) throw new InvalidArgumentError("every RPC URL must be http(s)://...; separate several with commas");
  }
  return urls;
}

export function parseTxHash(value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value.trim())) throw new InvalidArgumentError(`expected a 0x-prefixed 32-byte transaction hash`);
  return value.trim().toLowerCase();
}

export function rpcClient(urls: string[], timeoutMs?: number): RpcClient {
  return new RpcClient(new HttpTransport({ urls, timeoutMs }));
}

/**
 * The chain id, waiting for a node that does not answer (yet): follow mode starts when the node
 * comes up instead of exiting. Each failed round (the transport's own retries) is logged as a
 * warning naming the endpoints (masked), then waited on with backoff (1 s doubling to
 * `maxDelayMs`). An answer that is not a failure to reach the node (HTTP 401, a bad answer) is
 * thrown at once.
 */
export async function waitForChainId(rpc: RpcClient, log: Logger, maxDelayMs = 30_000): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rpc.chainId();
    } catch (err) {
      if (!isInfrastructureError(err, rpc)) throw err;
      const delayMs = Math.min(maxDelayMs, 1_000 * 2 ** Math.min(attempt - 1, 10));
      log.warn({ rpc: rpc.describe(), attempt, retryInMs: delayMs, err: redact(errorMessage(err)) }, "the node does not answer; waiting for it before starting");
      await sleep(delayMs);
    }
  }
}

export function stdoutSinks(format: string, outFile?: string): FindingSink[] {
  const fmt = format === "auto" ? (process.stdout.isTTY ? "pretty" : "json") : format;
  if (fmt !== "json" && fmt !== "pretty") throw new InvalidArgumentError(`--format must be json, pretty or auto`);
  const sinks: FindingSink[] = [new StdoutSink(fmt)];
  if (outFile) sinks.push(new JsonlFileSink(outFile));
  return sinks;
}

/** Bad command-line input that commander cannot see (e.g. one of two options required). */
export class UsageError extends VigilError<"USAGE"> {
  constructor(message: string) {
    super("USAGE", message);
  }
}

/**
 * Parse the command line. Commander prints a usage error as one line (naming the option, the
 * value and what is expected); the process then exits 2, like every other bad input. --help exits 0.
 */
export function parseCommandLine(cmd: Command): Command {
  exitCodes(cmd);
  cmd.parse();
  return cmd;
}

/** Usage errors exit 2 and --help/--version exit 0, for a command and its subcommands. */
export function exitCodes(cmd: Command): Command {
  cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  for (const sub of cmd.commands) exitCodes(sub);
  return cmd;
}

/**
 * A command's own entry point (`tsx scripts/run.ts ...`, behind the npm scripts): the same
 * command `vigil <name>` runs, shown in its help under `usage` (e.g. "npm start --").
 */
export function runStandalone(cmd: Command, usage: string): void {
  main(async () => {
    loadEnv();
    logSettings(); // LOG_LEVEL / LOG_FORMAT checked before anything logs
    cmd.name(usage);
    exitCodes(cmd);
    await cmd.parseAsync(process.argv);
  });
}

/** An error that ends the command with its own exit code (documented in the command's --help). */
export class ExitCodeError extends VigilError<CodeOf<"cli">> {
  constructor(
    code: CodeOf<"cli">,
    message: string,
    readonly exitCode: number,
  ) {
    super(code, message);
  }
}

/**
 * End the process once stdout and stderr have taken everything written to them: node writes to a
 * pipe asynchronously, and `process.exit` right after a large write cut what a reader got
 * (`vigil sink incidents --json | jq` ended at 64 KiB).
 */
function exitAfterFlush(code: number | string): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

/** Run a command's main; known errors end the process with one line and exit code 2 (or the error's own). */
export function main(fn: () => Promise<void>): void {
  tuneHeap(); // the heap's growth for a long-running process (scripts/lib/heap.ts)
  fn().then(
    () => exitAfterFlush(process.exitCode ?? 0),
    (err: unknown) => {
      if (err instanceof VigilError) {
        // (not when the logger's own settings are what is wrong: the line below says so)
        if (!(err instanceof ConfigError && err.key.startsWith("LOG_"))) logger().error({ code: err.code }, redact(err.message));
        process.stderr.write(`error: ${redact(err.message)}\n`);
        return exitAfterFlush(err instanceof ExitCodeError ? err.exitCode : 2);
      }
      process.stderr.write(`unexpected error: ${redact(errorMessage(err))}\n${redact((err as Error)?.stack ?? "")}\n`);
      exitAfterFlush(1);
    },
  );
}
