/**
 * The ethers providers the anvil harness hands out: caches reset after a revert or reorg, and
 * gas estimates with a margin (split from anvil.ts, which starts and tracks the anvil process).
 */
import { ethers } from "forta-agent";

/**
 * Make an ethers v5 provider forget the chain head it has seen. ethers never lets its internal
 * block number go down, so after `evm_revert` (or a reorg) its polling stops until the chain
 * regrows past the old height, and a `tx.wait()` whose receipt was not ready at the first check
 * hangs. `revert()` and `reorg()` call this on `chain.provider`; call it yourself on any other
 * ethers provider pointed at the chain. (These are the fields ethers itself resets on a network change.)
 */
export function resetProviderCaches(provider: ethers.providers.BaseProvider): void {
  const p = provider as unknown as Record<string, unknown>;
  p._lastBlockNumber = -2;
  p._fastBlockNumber = null;
  p._fastBlockNumberPromise = null;
  p._fastQueryDate = 0;
  p._maxInternalBlockNumber = -1024;
  p._internalBlockNumber = null;
  // also forget transactions seen mined: ethers polls forever for a known hash whose receipt vanished
  p._emitted = { block: -2 };
}

/**
 * A provider whose gas estimates carry a margin. ethers estimates a transaction against the head
 * block, but it is mined in the next one, whose timestamp may be a second later: anything whose
 * gas depends on time (Jug.drip's rpow over the seconds since rho, an auction's price decay) can
 * then run out of gas. Seen on a loaded CI machine; the margin makes that impossible.
 */
export class PaddedGasProvider extends ethers.providers.StaticJsonRpcProvider {
  override async estimateGas(tx: ethers.utils.Deferrable<ethers.providers.TransactionRequest>): Promise<ethers.BigNumber> {
    const estimate = await super.estimateGas(tx);
    // Generous: the estimate is made at one timestamp and the transaction mined at a later one, and
    // a call whose path depends on time (sUSDS's drip sucks and exits only when a second has
    // passed) then needs far more. On a loaded machine that second passes often (the storyline
    // once ran out of gas at 128,000 on a withdraw). Gas costs nothing here.
    const padded = estimate.mul(3).div(2).add(300_000);
    if (padded.lte(GAS_ESTIMATE_CAP)) return padded;
    return estimate.gt(GAS_ESTIMATE_CAP) ? estimate : ethers.BigNumber.from(GAS_ESTIMATE_CAP);
  }
}

/** Padded estimates stay under anvil's default block gas limit (30M). */
const GAS_ESTIMATE_CAP = 29_000_000;
