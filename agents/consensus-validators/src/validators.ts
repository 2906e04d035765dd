/**
 * Validator-set detectors over successive snapshots of the active validators (one per epoch,
 * from GET /eth/v1/beacon/states/{slot}/validators?status=active):
 *
 * - newly slashed = indices with status active_slashed now that were not at the last snapshot
 *   (a slashed validator stays active_slashed for at least MAX_SEED_LOOKAHEAD + 1 epochs, so
 *   one snapshot per epoch sees every slashing);
 * - newly exiting = indices now active_exiting that were not (voluntary exits and
 *   execution-layer exit requests; slashed validators are active_slashed instead);
 * - the active count against its highest value over a trailing window.
 */
import { Decimal, dec } from "../../../shared/math";
import type { BlockOperations, ValidatorInfo } from "../../../shared/beacon/types";

export interface Snapshot {
  epoch: number;
  active: number;
  activeGwei: bigint;
  slashed: number[];
  exiting: number[];
}

export function snapshot(epoch: number, active: readonly ValidatorInfo[]): Snapshot {
  let activeGwei = 0n;
  const slashed: number[] = [];
  const exiting: number[] = [];
  for (const v of active) {
    activeGwei += v.effectiveBalance;
    if (v.status === "active_slashed") slashed.push(v.index);
    else if (v.status === "active_exiting") exiting.push(v.index);
  }
  return { epoch, active: active.length, activeGwei, slashed: slashed.sort((a, b) => a - b), exiting: exiting.sort((a, b) => a - b) };
}

/** Sorted members of `now` not in `before`. */
export function added(before: readonly number[], now: readonly number[]): number[] {
  const b = new Set(before);
  return now.filter((i) => !b.has(i));
}

/** Relative fall of `current` below the highest count in `window` (0 if none). */
export function activeDrop(window: readonly { epoch: number; count: number }[], current: number): { reference: number; drop: Decimal } {
  const reference = Math.max(current, ...window.map((w) => w.count));
  return { reference, drop: reference === 0 ? dec(0) : dec(reference - current).div(reference) };
}

export type SlashingKind = "proposer" | "attester" | "unknown";

/** Which block slashed whom, from the blocks read since the last snapshot. */
export function attribute(indices: readonly number[], blocks: readonly BlockOperations[]): Map<number, { kind: SlashingKind; slot: number | null }> {
  const out = new Map<number, { kind: SlashingKind; slot: number | null }>(indices.map((i) => [i, { kind: "unknown", slot: null }]));
  for (const b of [...blocks].sort((x, y) => x.slot - y.slot)) {
    for (const ps of b.proposerSlashings) {
      if (out.get(ps.proposerIndex)?.kind === "unknown") out.set(ps.proposerIndex, { kind: "proposer", slot: b.slot });
    }
    for (const as of b.attesterSlashings) {
      for (const i of as.slashedIndices) if (out.get(i)?.kind === "unknown") out.set(i, { kind: "attester", slot: b.slot });
    }
  }
  return out;
}

export interface SlashingJudgement {
  major: boolean;
  fractionOfActive: Decimal;
  operatorSlashed: number;
  fractionOfOperatorSet: Decimal | null;
}

export function judgeSlashings(slashed: readonly number[], active: number, operatorIndices: ReadonlySet<number>, majorFraction: Decimal): SlashingJudgement {
  const fractionOfActive = active === 0 ? dec(0) : dec(slashed.length).div(active);
  const operatorSlashed = slashed.filter((i) => operatorIndices.has(i)).length;
  const fractionOfOperatorSet = operatorIndices.size ? dec(operatorSlashed).div(operatorIndices.size) : null;
  return {
    major: fractionOfActive.gt(majorFraction) || (fractionOfOperatorSet !== null && fractionOfOperatorSet.gt(majorFraction)),
    fractionOfActive,
    operatorSlashed,
    fractionOfOperatorSet,
  };
}

/** The smallest number of new exits in one epoch that is a burst. */
export function exitBurstThreshold(active: number, minCount: number, fraction: Decimal): number {
  return Math.max(minCount, dec(active).times(fraction).integerValue(Decimal.ROUND_CEIL).toNumber());
}

/** Compact list of indices for metadata: "3,5-8,12". */
export function indexRanges(indices: readonly number[]): string {
  const s = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(j > i ? `${s[i]}-${s[j]}` : String(s[i]));
    i = j + 1;
  }
  return parts.join(",");
}
