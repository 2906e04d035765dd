/**
 * Running bots from agents/ over a live chain in-process (jest e2e tests, scripts).
 */
import type { Env } from "../config";
import { createLogger } from "../log";
import { RpcClient } from "../rpc/client";
import { HttpTransport, type RpcCall, type RpcTransport } from "../rpc/transport";
import { loadBots } from "../runtime/discovery";
import { Runtime } from "../runtime/runtime";
import { MemorySink } from "../runtime/sinks";
import type { EmittedFinding } from "../runtime/store";

export interface RunBotsOptions {
  url: string;
  bots: string[];
  from: number;
  to: number;
  env?: Env;
  agentsDir?: string;
  /** when given, every JSON-RPC call sent to the node is appended here (tests of what a bot asks) */
  calls?: RpcCall[];
}

/** Run the named bots over blocks from..to of the chain at `url`; returns their findings in order. */
export async function runBots(o: RunBotsOptions): Promise<EmittedFinding[]> {
  const sink = new MemorySink();
  const runtime = new Runtime({
    // generous limits: a starved anvil on a loaded CI box can take seconds per answer and a block
    // handler of a Maker bot makes dozens of calls; nothing in these runs hangs on purpose
    rpc: new RpcClient(recording(new HttpTransport({ urls: [o.url], timeoutMs: 60_000, retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 50 } }), o.calls)),
    handlerTimeoutMs: 180_000,
    bots: loadBots(o.bots, o.agentsDir),
    env: o.env ?? {},
    sinks: [sink],
    maxBlockAttempts: 3,
    log: createLogger({ level: process.env.LOG_LEVEL ?? "silent" }),
  });
  await runtime.open();
  try {
    await runtime.runRange(o.from, o.to);
  } finally {
    await runtime.close();
  }
  return sink.findings.map(({ seq: _s, ...f }) => f);
}

function recording(inner: RpcTransport, calls: RpcCall[] | undefined): RpcTransport {
  if (!calls) return inner;
  return {
    describe: () => inner.describe(),
    send: (batch) => {
      calls.push(...batch);
      return inner.send(batch);
    },
  };
}

/** "ALERT-ID Severity" lines, the shape most assertions want. */
export function alertsOf(findings: readonly EmittedFinding[]): string[] {
  return findings.map((f) => `${f.finding.alertId} ${f.finding.severity}${f.finding.metadata.episode ? ` ${f.finding.metadata.episode}` : ""}`);
}
