/**
 * Builds forta-agent BlockEvent / TransactionEvent from a raw block and its receipts with the
 * very functions the forta-agent CLI uses, so a bot sees the same objects under both.
 */
import type { BlockEvent, TransactionEvent } from "forta-agent";
// The CLI's own event builders (not re-exported by the SDK's index).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const cliUtils = require("forta-agent/dist/cli/utils") as {
  createBlockEvent(block: unknown, networkId: number): BlockEvent;
  createTransactionEvent(tx: unknown, block: unknown, networkId: number, traces: unknown[], logs: unknown[]): TransactionEvent;
};
import type { RawBlock, RawReceipt } from "../rpc/client";

export interface BlockEvents {
  block: BlockEvent;
  transactions: TransactionEvent[];
}

export function buildEvents(chainId: number, block: RawBlock, receipts: readonly RawReceipt[]): BlockEvents {
  const blockEvent = cliUtils.createBlockEvent(block, chainId);
  const transactions = block.transactions.map((tx, i) =>
    cliUtils.createTransactionEvent(tx, block, chainId, [], receipts[i]?.logs ?? []),
  );
  return { block: blockEvent, transactions };
}
