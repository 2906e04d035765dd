import { join } from "path";
import { startAnvil, type AnvilChain } from "../chain/anvil";
import { createLogger } from "../../shared/log";
import { RpcClient } from "../../shared/rpc/client";
import { HttpTransport } from "../../shared/rpc/transport";
import { loadBots } from "../../shared/runtime/discovery";
import { Runtime, type RuntimeOptions } from "../../shared/runtime/runtime";
import { MemorySink } from "../../shared/runtime/sinks";
import type { EmittedFinding } from "../../shared/runtime/store";

export const TEST_BOTS_DIR = join(__dirname, "bots");

/** A chain of `blocks` blocks, every other one carrying a value transfer. */
export async function chainWithTraffic(blocks: number): Promise<AnvilChain> {
  const chain = await startAnvil();
  const [from, to] = chain.accounts;
  for (let i = 1; i <= blocks; i++) {
    if (i % 2 === 0) await chain.transact({ from, to, value: `0x${i.toString(16)}` });
    else await chain.mine(1);
  }
  return chain;
}

export const quietLog = () => createLogger({ level: process.env.LOG_LEVEL ?? "silent" });

/**
 * A client for a local anvil. Its time limit is generous on purpose: on a loaded 2-core CI box a
 * starved anvil can take seconds to answer, and a tight limit turned that into retries that made
 * a 60-block run take minutes. A test whose proxy hangs requests on purpose passes a shorter limit, and
 * only there.
 */
export function rpcFor(url: string, timeoutMs = 30_000): RpcClient {
  return new RpcClient(new HttpTransport({ urls: [url], timeoutMs, retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 } }));
}

export async function runRange(
  url: string,
  bots: string[],
  from: number,
  to: number,
  extra: Partial<RuntimeOptions> = {},
): Promise<{ findings: EmittedFinding[]; runtime: Runtime }> {
  const sink = new MemorySink();
  // a node failure that outlasts 8 attempts at one block fails the test instead of hanging it
  const runtime = new Runtime({ rpc: rpcFor(url), bots: loadBots(bots, TEST_BOTS_DIR), env: {}, sinks: [sink], log: quietLog(), maxBlockAttempts: 8, ...extra });
  await runtime.open();
  await runtime.runRange(from, to);
  await runtime.close();
  return { findings: sink.findings.map(({ seq: _s, ...f }) => f), runtime };
}

export const summary = (fs: readonly EmittedFinding[]) => fs.map((f) => `${f.blockNumber} ${f.finding.alertId} ${f.finding.description}`);
