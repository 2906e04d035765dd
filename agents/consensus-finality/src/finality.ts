/**
 * Finality detection over the checkpoints of the state at an epoch's first slot.
 * Healthy chain: finalized = current - 2, current justified = current - 1.
 */
import { FindingSeverity } from "../../../shared/findings";
import type { FinalityCheckpoints } from "../../../shared/beacon/types";

export type FinalityLevel = "leak" | "critical";
export const FINALITY_LEVELS: readonly FinalityLevel[] = ["leak", "critical"];
export type JustificationLevel = "stalled";

export interface FinalityThresholds {
  leakEpochs: number;
  criticalEpochs: number;
  justificationStallEpochs: number;
}

export interface FinalityReading {
  epoch: number;
  /** epoch - finalized epoch */
  epochsSinceFinality: number;
  /** epoch - current justified epoch */
  epochsSinceJustification: number;
  finality: FinalityLevel | null;
  justification: JustificationLevel | null;
}

/**
 * Nothing can be justified before the end of epoch 2 (process_justification_and_finalization
 * skips the first two epochs after genesis), so the checks of epochs 0-2 see the genesis
 * checkpoint as justified: the chain's start, not a stall.
 */
const FIRST_JUDGED_EPOCH = 3;

export function readFinality(epoch: number, cp: FinalityCheckpoints, t: FinalityThresholds): FinalityReading {
  const epochsSinceFinality = Math.max(0, epoch - cp.finalized.epoch);
  const epochsSinceJustification = Math.max(0, epoch - cp.currentJustified.epoch);
  return {
    epoch,
    epochsSinceFinality,
    epochsSinceJustification,
    finality: epochsSinceFinality >= t.criticalEpochs ? "critical" : epochsSinceFinality >= t.leakEpochs ? "leak" : null,
    justification: epoch >= FIRST_JUDGED_EPOCH && epochsSinceJustification >= t.justificationStallEpochs ? "stalled" : null,
  };
}

export function finalitySeverity(level: FinalityLevel): FindingSeverity {
  return level === "critical" ? FindingSeverity.Critical : FindingSeverity.High;
}
