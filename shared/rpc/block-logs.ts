/**
 * A block's logs for a bot that reads ahead: the logs of its receipts, asked exactly as the
 * runtime asks for them (eth_getBlockReceipts by number), so under our runtime the answer is
 * already in the client's cache (no request, no round trip); under the forta-agent CLI it is one
 * call. Used where a bot decides from the block's logs which reads to send with the block's
 * first batch (maker-vat's sucks, maker-oracles' poked OSMs, sky-burn-engine's carried targets), and
 * where a bot carries values from the parent block (carryableLogs).
 */
import { toTag, type RawLog, type RawReceipt, type RpcClient } from "./client";

/** The logs of a receipts answer, listed once: the client hands every bot the same cached answer. */
const logsOfReceipts = new WeakMap<readonly RawReceipt[], readonly RawLog[]>();

/** Block `n`'s logs: [] for a block without transactions (no receipts are asked), null when the node gives no receipts. */
export async function blockLogs(rpc: RpcClient, n: number, txCount: number): Promise<readonly RawLog[] | null> {
  if (txCount === 0) return [];
  const receipts = await rpc.request<RawReceipt[] | null>("eth_getBlockReceipts", [toTag(n)]);
  if (!Array.isArray(receipts)) return null;
  let logs = logsOfReceipts.get(receipts);
  if (!logs) logsOfReceipts.set(receipts, (logs = receipts.flatMap((r) => r?.logs ?? [])));
  return logs;
}

/**
 * The logs of block `n` when values a bot read at the block `carriedAt` (a hash) may be carried
 * into it: that block is `n`'s parent, `n`'s logs are at hand and the ChainLog logged nothing in
 * `n` (an address may have moved). null: read everything afresh (a restart, a reorg, a gap, or a
 * node without receipts). The bot then drops what a log of the block can have changed: the carry
 * is sound only for values whose every write logs (a note, File, Rely...), said where it is kept.
 */
export async function carryableLogs(
  rpc: RpcClient,
  at: { n: number; txCount: number | undefined; parentHash: string | undefined; carriedAt: string | undefined; chainlog: string },
): Promise<readonly RawLog[] | null> {
  const { n, txCount, parentHash, carriedAt, chainlog } = at;
  if (carriedAt === undefined || parentHash === undefined || txCount === undefined || carriedAt.toLowerCase() !== parentHash.toLowerCase()) return null;
  const logs = await blockLogs(rpc, n, txCount).catch(() => null);
  const cl = chainlog.toLowerCase();
  return logs && !logs.some((log) => log.address.toLowerCase() === cl) ? logs : null;
}

/** The lowercase addresses that logged in `logs`. */
export function emittersOf(logs: readonly RawLog[]): Set<string> {
  return new Set(logs.map((log) => String(log.address).toLowerCase()));
}
