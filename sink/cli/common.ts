/**
 * What every `vigil sink` command shares: the options every command takes, printing (redacted),
 * errors as one line and an exit code, and the opened sink the wiring (sink/main.ts) hands over.
 */
import { Command, Option } from "commander";
import { VigilError, errorMessage } from "../../shared/errors";
import { redact } from "../../shared/net/secrets";
import { RulesError } from "../config/rules";
import type { SinkHandle } from "../incidents/handle";

export interface Common {
  store?: string;
  rules?: string;
  json?: boolean;
}

export function out(line: string): void {
  process.stdout.write(redact(line) + "\n");
}

/** A command that cannot do what was asked: one line on stderr, exit code 2 (see action()). */
export class CliError extends VigilError<"SINK_CLI"> {
  constructor(message: string) {
    super("SINK_CLI", message);
  }
}

/** An opened sink the commands read and command (no delivery: only `serve` delivers). */
export type OpenedSink = SinkHandle & { close(): Promise<void> };

export interface ServeOptions {
  store: string;
  rules?: string;
  host: string;
  port: number;
  maxBodyBytes: number;
  fortaBots: string[];
  fortaChainId: number;
}

/**
 * What the commands need from the wiring (sink/main.ts builds it: opening the store, channels,
 * the HTTP server and the Forta poller are wiring, not the cli's business).
 */
export interface SinkCliWiring {
  /** the store the commands use when not told (what `npm start` writes) */
  defaultStore(): string;
  rulesPath(explicit?: string): string;
  /** open the store for reading and commands, without delivery */
  open(o: { store: string; rules?: string }): Promise<OpenedSink>;
  /** run the sink on its own until `stop` (SINK_TOKENS checked by the caller) */
  serve(o: ServeOptions): Promise<{ url: string; stop(): Promise<void> }>;
  /** validate a rules file (throws RulesError with one line per problem) */
  checkRules(path: string): { rules: number; owners: number; channels: number };
}

let wiring: SinkCliWiring;

export function setWiring(w: SinkCliWiring): void {
  wiring = w;
}

export function currentWiring(): SinkCliWiring {
  return wiring;
}

export async function withSink<T>(o: Common, fn: (s: OpenedSink) => Promise<T>): Promise<T> {
  const sink = await wiring.open({ store: o.store ?? wiring.defaultStore(), rules: o.rules });
  try {
    return await fn(sink);
  } finally {
    await sink.close();
  }
}

export function common(cmd: Command): Command {
  return cmd
    .addOption(new Option("--store <file|url>", "SQLite file or postgres:// URL (default: SINK_DATABASE_URL, else the newest of .vigil/devnet.sqlite and .vigil/state-<chainId>.sqlite)"))
    .addOption(new Option("--rules <file>", "rules file (default: SINK_RULES, else sink/rules.default.yaml)"));
}

export function action<A extends unknown[]>(fn: (...a: A) => Promise<void>) {
  return async (...a: A) => {
    try {
      await fn(...a);
    } catch (err) {
      process.stderr.write(redact(err instanceof RulesError ? err.problems.join("\n") : `vigil sink: ${errorMessage(err)}`) + "\n");
      process.exitCode = err instanceof RulesError ? 1 : 2;
    }
  };
}
