/**
 * A block's logs for a bot that reads ahead: the logs of its receipts, asked exactly as the
 * runtime asks for them (eth_getBlockReceipts by number), so under our runtime the answer is
 * already in the client's cache (no request, no round trip); under the forta-agent CLI it is one
 * call. Used where a bot decides from the block's logs which reads to send with the block's
 * first batch (maker-vat's sucks, maker-oracles' poked OSMs, sky-burn-engine's carried targets).
 */
import { toTag, type RawLog, type RawReceipt, type RpcClient } from "./client";

/** Block `n`'s logs: [] for a block without transactions (no receipts are asked), null when the node gives no receipts. */
export async function blockLogs(rpc: RpcClient, n: number, txCount: number): Promise<RawLog[] | null> {
  if (txCount === 0) return [];
  const receipts = await rpc.request<RawReceipt[] | null>("eth_getBlockReceipts", [toTag(n)]);
  return Array.isArray(receipts) ? receipts.flatMap((r) => r?.logs ?? []) : null;
}
