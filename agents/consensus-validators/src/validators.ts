/**
 * Validator-set detectors over successive snapshots of the validator set (one per epoch, from
 * GET /eth/v1/beacon/states/{slot}/validators?status=active&status=exited_slashed):
 *
 * - newly slashed = indices with status active_slashed or exited_slashed now that were not at
 *   the last snapshot. A validator slashed while active stays active_slashed for at least
 *   MAX_SEED_LOOKAHEAD + 1 epochs, then exited_slashed until withdrawable; one slashed after its
 *   exit but before it is withdrawable goes straight to exited_slashed, where it stays for at
 *   least EPOCHS_PER_SLASHINGS_VECTOR epochs. So one snapshot per epoch sees every slashing;
 *   a validator moving from active_slashed to exited_slashed is not new;
 * - newly exiting = validators now active_exiting that were not (voluntary exits and
 *   execution-layer exit requests; slashed validators are active_slashed instead). Exit epochs
 *   are handed out in order (the exit queue only moves forward), so the new ones are those past
 *   the last exit epoch seen, or at it but not yet seen there: the bot keeps only that "tail"
 *   (a handful of validators), not every exiting validator (tens of thousands in an exit wave);
 * - the active count against its highest value over a trailing window.
 */
import { Decimal, dec } from "../../../shared/math";
import type { BlockOperations, ValidatorInfo } from "../../../shared/beacon/types";

export interface Snapshot {
  epoch: number;
  active: number;
  activeGwei: bigint;
  slashed: number[];
  exiting: { index: number; exitEpoch: bigint }[];
}

/** What the bot reads each epoch: the active validators and the exited slashed ones. */
export const SNAPSHOT_STATUSES = ["active", "exited_slashed"] as const;

/** A snapshot of validators read with SNAPSHOT_STATUSES (any other status is ignored). */
export function snapshot(epoch: number, validators: readonly ValidatorInfo[]): Snapshot {
  let active = 0;
  let activeGwei = 0n;
  const slashed: number[] = [];
  const exiting: { index: number; exitEpoch: bigint }[] = [];
  for (const v of validators) {
    if (v.status === "active_ongoing" || v.status === "active_exiting" || v.status === "active_slashed") {
      active++;
      activeGwei += v.effectiveBalance;
    }
    if (v.status === "active_slashed" || v.status === "exited_slashed") slashed.push(v.index);
    else if (v.status === "active_exiting") exiting.push({ index: v.index, exitEpoch: v.exitEpoch });
  }
  return { epoch, active, activeGwei, slashed: slashed.sort((a, b) => a - b), exiting: exiting.sort((a, b) => a.index - b.index) };
}

/** The latest exit epoch handed out so far, and the validators seen exiting at it (plain JSON). */
export interface ExitTail {
  /** decimal string (a bigint epoch) */
  epoch: string;
  indices: number[];
}

/**
 * Validators that initiated their exit since `tail` was taken (all of them when no exit was seen
 * before: the caller ignores the first snapshot), and the new tail. Relies on the exit queue
 * being monotonic: a new exit never gets an earlier exit epoch than an older one.
 */
export function newExits(tail: ExitTail | null, exiting: readonly { index: number; exitEpoch: bigint }[]): { added: number[]; tail: ExitTail | null } {
  let next = tail;
  if (exiting.length) {
    const max = exiting.reduce((m, e) => (e.exitEpoch > m ? e.exitEpoch : m), 0n);
    next = { epoch: max.toString(), indices: exiting.filter((e) => e.exitEpoch === max).map((e) => e.index) };
  }
  if (!tail) return { added: exiting.map((e) => e.index), tail: next }; // no exit seen before: all are new
  const last = BigInt(tail.epoch);
  const seen = new Set(tail.indices);
  const added = exiting.filter((e) => e.exitEpoch > last || (e.exitEpoch === last && !seen.has(e.index))).map((e) => e.index);
  return { added, tail: next };
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
