/**
 * Attestation participation of one epoch, client-agnostic, from two standard routes:
 *
 * - POST /eth/v1/beacon/rewards/attestations/{epoch} gives, for every eligible validator, its
 *   source, target and head reward for that epoch. A validator that earned the flag has a reward
 *   >= 0 for source and target (exactly 0 during an inactivity leak, when nothing is paid); one
 *   that missed it has a negative one (a penalty). Head is never penalised: a head vote shows as
 *   a positive reward outside a leak, and cannot be told from a miss during a leak (then head
 *   participation is reported as unknown).
 * - GET /eth/v1/beacon/states/{epoch start slot}/validators?status=active gives the validators
 *   active in that epoch with their effective balances: the weights.
 *
 * Participation of a flag = effective balance of the active validators that earned it / total
 * active effective balance, as exact decimals.
 */
import { Decimal, dec } from "../../../shared/math";
import type { AttestationRewards, ValidatorInfo } from "../../../shared/beacon/types";

export interface Participation {
  epoch: number;
  activeValidators: number;
  activeGwei: bigint;
  sourceGwei: bigint;
  targetGwei: bigint;
  /** null when it cannot be told (inactivity leak: no head reward is paid) */
  headGwei: bigint | null;
  targetValidators: number;
  /** active validators the rewards route did not mention (counted as missing) */
  unreported: number;
}

export function computeParticipation(epoch: number, active: readonly ValidatorInfo[], rewards: AttestationRewards): Participation {
  const byIndex = new Map(rewards.total.map((r) => [r.validatorIndex, r]));
  const headKnown = rewards.ideal.some((i) => i.head > 0n);
  let activeGwei = 0n;
  let sourceGwei = 0n;
  let targetGwei = 0n;
  let headGwei = 0n;
  let targetValidators = 0;
  let unreported = 0;
  for (const v of active) {
    activeGwei += v.effectiveBalance;
    const r = byIndex.get(v.index);
    if (!r) {
      unreported++;
      continue;
    }
    if (r.source >= 0n) sourceGwei += v.effectiveBalance;
    if (r.target >= 0n) {
      targetGwei += v.effectiveBalance;
      targetValidators++;
    }
    if (r.head > 0n) headGwei += v.effectiveBalance;
  }
  return { epoch, activeValidators: active.length, activeGwei, sourceGwei, targetGwei, headGwei: headKnown ? headGwei : null, targetValidators, unreported };
}

export function fraction(part: bigint, total: bigint): Decimal {
  return total === 0n ? dec(0) : dec(part).div(dec(total));
}

/** One evaluated epoch, kept (as decimal strings) for the baseline. */
export interface HistoryEntry {
  epoch: number;
  target: string;
  /** the epoch was itself a drop: kept out of the baseline so a lasting drop stays a drop */
  flagged: boolean;
}

export function median(values: readonly Decimal[]): Decimal {
  const s = [...values].sort((a, b) => a.comparedTo(b) ?? 0);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : s[mid - 1]!.plus(s[mid]!).div(2);
}

/**
 * Median target participation of the last `n` epochs that are finalised (epoch <= finalizedEpoch),
 * before `epoch`, and not flagged; null while fewer than `min` are available.
 */
export function baseline(history: readonly HistoryEntry[], epoch: number, finalizedEpoch: number, n: number, min: number): { value: Decimal; epochs: number[] } | null {
  const usable = history.filter((h) => h.epoch < epoch && h.epoch <= finalizedEpoch && !h.flagged).sort((a, b) => a.epoch - b.epoch).slice(-n);
  if (usable.length < min) return null;
  return { value: median(usable.map((h) => dec(h.target))), epochs: usable.map((h) => h.epoch) };
}

export type DropLevel = "drop" | "severe";
export const DROP_LEVELS: readonly DropLevel[] = ["drop", "severe"];

/** Relative drop below the baseline (0 when at or above it) and its level. */
export function dropLevel(current: Decimal, base: Decimal, t: { noiseFloor: Decimal; severeDrop: Decimal }): { drop: Decimal; level: DropLevel | null } {
  const drop = base.isZero() || current.gte(base) ? dec(0) : base.minus(current).div(base);
  return { drop, level: drop.gte(t.severeDrop) ? "severe" : drop.gte(t.noiseFloor) && drop.gt(0) ? "drop" : null };
}
