/**
 * Reorg handling (issue 14: one door per step). Every block's parent hash is checked against the
 * stored hash of its predecessor (`forks`); on a mismatch `rewind` walks back to the common
 * ancestor (asking the node for each kept block's hash), rewinds cursor, bot state and findings
 * in the store, and stores a VIGIL-REORG-RETRACTION finding naming the orphaned uniqueKeys. The
 * caller then forgets its bots (they are restored at the ancestor) and goes on from the block
 * after the ancestor.
 */
import { createFinding, findingToJson } from "../findings";
import type { Logger } from "../log";
import { metrics } from "../metrics";
import { toTag, type RawBlock, type RpcClient } from "../rpc/client";
import { RUNTIME_ALERTS, RUNTIME_BOT } from "./alerts";
import { BlockUnavailableError, type BlockSource } from "./block-source";
import type { RuntimeStore } from "./store";

export interface ReorgOptions {
  rpc: RpcClient;
  store: RuntimeStore;
  source: BlockSource;
  log: Logger;
  chainId(): number;
  /** how many recent blocks keep hashes and bot state (for the log line when a reorg is deeper) */
  keepBlocks: number;
}

export class Reorgs {
  constructor(private readonly o: ReorgOptions) {}

  /** Whether block `n` (as fetched) does not build on the block stored before it. */
  forks(n: number, block: RawBlock): boolean {
    const prev = this.o.store.block(n - 1);
    return !!prev && prev.hash.toLowerCase() !== block.parentHash.toLowerCase();
  }

  /**
   * Block `n` (`tip`) forks from the stored chain: rewind the store to the common ancestor (at
   * most to the oldest kept block), store the retraction finding; returns the next block to process.
   */
  async rewind(n: number, tip: RawBlock): Promise<number> {
    const { store, rpc, source, log } = this.o;
    const chainId = this.o.chainId();
    metrics.reorgs.inc();
    source.forget();
    const oldest = store.oldestBlock() ?? n - 1;
    rpc.invalidateFrom(oldest);
    let ancestor = n - 1;
    const orphanedBlocks: string[] = [];
    while (ancestor >= oldest) {
      const stored = store.block(ancestor);
      if (!stored) break;
      const at = ancestor;
      const onChain = await source.retrying(`eth_getBlockByNumber(${at})`, async () => {
        const answer = await rpc.request<{ hash: string } | null>("eth_getBlockByNumber", [toTag(at), false]);
        // The node just served block n, so it has every block below it. No answer means a lagging
        // node behind the same URL (a load balancer), not an orphaned block: ask again rather than
        // count the block as orphaned and retract deeper than the reorg went.
        if (!answer) throw new BlockUnavailableError(at, `the node does not know it although it served block ${n} (a lagging node behind the same URL?); asking again`);
        return answer;
      });
      if (onChain.hash.toLowerCase() === stored.hash.toLowerCase()) break;
      orphanedBlocks.push(stored.hash);
      ancestor--;
    }
    if (ancestor < oldest) {
      log.error({ block: n, kept: this.o.keepBlocks }, "reorg deeper than the kept history: rewinding to the oldest kept block");
    }
    const ancestorRow = store.block(ancestor);
    const retracted = store.rewind(ancestor, tip.hash);
    rpc.invalidateFrom(ancestor + 1);
    const depth = n - 1 - ancestor;
    log.warn({ at: n, ancestor, depth, retracted: retracted.length }, "chain reorganisation: rewound to the common ancestor");
    const timestamp = parseInt(tip.timestamp, 16);
    const keys = retracted.map((f) => f.finding.uniqueKey);
    const f = createFinding(RUNTIME_ALERTS.reorg, {
      description: `Reorg of depth ${depth} at block ${n}: ${orphanedBlocks.length} block(s) orphaned above ${ancestor}; ${keys.length} finding(s) retracted`,
      key: [chainId, "reorg", ancestorRow?.hash ?? ancestor, tip.hash],
      block: { number: n, hash: tip.hash, timestamp },
      metadata: {
        depth,
        ancestorNumber: ancestor,
        ancestorHash: ancestorRow?.hash ?? "",
        orphanedBlocks: JSON.stringify(orphanedBlocks),
        newBlockHash: tip.hash,
        retractedCount: keys.length,
        retractedKeys: JSON.stringify(keys),
      },
    });
    store.insertFindings([{ bot: RUNTIME_BOT, chainId, blockNumber: ancestor, blockHash: ancestorRow?.hash ?? "", finding: findingToJson(f) }]);
    return ancestor + 1;
  }
}
