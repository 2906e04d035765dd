/**
 * The simulated beacon state and its transitions, following the consensus specs (Altair
 * participation flags, Deneb inclusion rules, Electra slashing) closely enough that justification,
 * finality, participation and attestation rewards come out of who attests, as on a real chain.
 *
 * Simplifications (documented so nobody relies on them): no BLS, no real SSZ roots (roots are
 * sha256 of the content), no churn limit on exits, no deposits/activations after genesis, no
 * effective-balance updates, a plain deterministic shuffle instead of swap-or-not, proposers
 * drawn uniformly.
 */
import { isqrt, shuffle, hashInt } from "./hash";

export const FAR_FUTURE_EPOCH = 2n ** 64n - 1n;
const INCREMENT = 1_000_000_000n; // EFFECTIVE_BALANCE_INCREMENT, gwei
const BASE_REWARD_FACTOR = 64n;
const WEIGHT_DENOMINATOR = 64n;
export const FLAG_SOURCE = 1;
export const FLAG_TARGET = 2;
export const FLAG_HEAD = 4;
const WEIGHTS: [number, bigint][] = [
  [FLAG_SOURCE, 14n],
  [FLAG_TARGET, 26n],
  [FLAG_HEAD, 14n],
];
const INACTIVITY_SCORE_BIAS = 4;
const INACTIVITY_SCORE_RECOVERY_RATE = 16;
const INACTIVITY_PENALTY_QUOTIENT = 2n ** 24n;
const MIN_SLASHING_PENALTY_QUOTIENT = 4096n;

export interface SimConstants {
  slotsPerEpoch: number;
  secondsPerSlot: number;
  targetCommitteeSize: number;
  maxCommitteesPerSlot: number;
  minEpochsToInactivityPenalty: number;
  maxSeedLookahead: number;
  minValidatorWithdrawabilityDelay: number;
  epochsPerSlashingsVector: number;
}

/** The minimal preset's committee shape, with 12 s slots so execution timestamps look familiar. */
export const DEFAULT_CONSTANTS: SimConstants = {
  slotsPerEpoch: 8,
  secondsPerSlot: 12,
  targetCommitteeSize: 4,
  maxCommitteesPerSlot: 4,
  minEpochsToInactivityPenalty: 4,
  maxSeedLookahead: 4,
  minValidatorWithdrawabilityDelay: 256,
  epochsPerSlashingsVector: 64,
};

export interface Checkpoint {
  epoch: number;
  root: string;
}

export interface SimValidator {
  readonly pubkey: string;
  readonly withdrawalCredentials: string;
  readonly effectiveBalance: bigint;
  readonly balance: bigint;
  readonly slashed: boolean;
  readonly activationEligibilityEpoch: bigint;
  readonly activationEpoch: bigint;
  readonly exitEpoch: bigint;
  readonly withdrawableEpoch: bigint;
}

export interface AttestationReward {
  validatorIndex: number;
  head: bigint;
  target: bigint;
  source: bigint;
  inactivity: bigint;
}

export interface EpochRewards {
  ideal: { effectiveBalance: bigint; head: bigint; target: bigint; source: bigint; inactivity: bigint }[];
  total: AttestationReward[];
}

/** States are treated as immutable: transitions return new objects (arrays copied on write). */
export interface SimState {
  readonly slot: number;
  readonly validators: readonly SimValidator[];
  readonly inactivityScores: readonly number[];
  readonly previousParticipation: Uint8Array;
  readonly currentParticipation: Uint8Array;
  /** justification_bits, [0] = current epoch */
  readonly justificationBits: readonly boolean[];
  readonly previousJustified: Checkpoint;
  readonly currentJustified: Checkpoint;
  readonly finalized: Checkpoint;
  /** attestation rewards by epoch, computed when the epoch after it ends (last few kept) */
  readonly rewards: Readonly<Record<number, EpochRewards>>;
}

/** Root of the latest block at or before `slot` on the chain the state belongs to. */
export type RootAt = (slot: number) => string;

export interface SimAttestationData {
  slot: number;
  beaconBlockRoot: string;
  source: Checkpoint;
  target: Checkpoint;
}

export interface SimAttestation {
  data: SimAttestationData;
  committeeIndex: number;
  committee: readonly number[];
  /** the committee members who signed */
  attesters: readonly number[];
}

export interface BlockOps {
  attestations: readonly SimAttestation[];
  proposerSlashings: readonly number[];
  attesterSlashings: readonly (readonly number[])[];
  voluntaryExits: readonly number[];
}

export const epochOf = (c: SimConstants, slot: number) => Math.floor(slot / c.slotsPerEpoch);

export function isActive(v: SimValidator, epoch: number): boolean {
  const e = BigInt(epoch);
  return v.activationEpoch <= e && e < v.exitEpoch;
}

export function genesisState(validators: SimValidator[], zeroRoot: string): SimState {
  const n = validators.length;
  const cp = { epoch: 0, root: zeroRoot };
  return {
    slot: 0,
    validators,
    inactivityScores: new Array<number>(n).fill(0),
    previousParticipation: new Uint8Array(n),
    currentParticipation: new Uint8Array(n),
    justificationBits: [false, false, false, false],
    previousJustified: cp,
    currentJustified: cp,
    finalized: cp,
    rewards: {},
  };
}

export function totalActiveBalance(c: SimConstants, s: SimState, epoch = epochOf(c, s.slot)): bigint {
  let sum = 0n;
  for (const v of s.validators) if (isActive(v, epoch)) sum += v.effectiveBalance;
  return sum > INCREMENT ? sum : INCREMENT;
}

/** Validators active in `epoch`, not slashed, with `flag` set in that epoch's participation. */
export function participatingBalance(c: SimConstants, s: SimState, flag: number, epoch: number): bigint {
  const current = epochOf(c, s.slot);
  const flags = epoch === current ? s.currentParticipation : s.previousParticipation;
  let sum = 0n;
  s.validators.forEach((v, i) => {
    if (isActive(v, epoch) && !v.slashed && (flags[i]! & flag) !== 0) sum += v.effectiveBalance;
  });
  return sum > INCREMENT ? sum : INCREMENT;
}

/** process_slots: advance to `toSlot`, running epoch processing at each epoch's end. */
export function advance(c: SimConstants, s: SimState, toSlot: number, rootAt: RootAt): SimState {
  let st = s;
  while (st.slot < toSlot) {
    if ((st.slot + 1) % c.slotsPerEpoch === 0) st = processEpoch(c, st, rootAt);
    st = { ...st, slot: st.slot + 1 };
  }
  return st;
}

function processEpoch(c: SimConstants, s0: SimState, rootAt: RootAt): SimState {
  const current = epochOf(c, s0.slot);
  let s = processJustificationAndFinalization(c, s0, rootAt);
  if (current > 0) s = processInactivityAndRewards(c, s);
  return {
    ...s,
    previousParticipation: s.currentParticipation,
    currentParticipation: new Uint8Array(s.validators.length),
  };
}

function processJustificationAndFinalization(c: SimConstants, s: SimState, rootAt: RootAt): SimState {
  const current = epochOf(c, s.slot);
  if (current <= 1) return s;
  const previous = current - 1;
  const total = totalActiveBalance(c, s);
  const prevTarget = participatingBalance(c, s, FLAG_TARGET, previous);
  const currTarget = participatingBalance(c, s, FLAG_TARGET, current);
  const oldPrevious = s.previousJustified;
  const oldCurrent = s.currentJustified;
  const bits = [false, ...s.justificationBits.slice(0, 3)];
  let currentJustified = s.currentJustified;
  if (prevTarget * 3n >= total * 2n) {
    currentJustified = { epoch: previous, root: rootAt(previous * c.slotsPerEpoch) };
    bits[1] = true;
  }
  if (currTarget * 3n >= total * 2n) {
    currentJustified = { epoch: current, root: rootAt(current * c.slotsPerEpoch) };
    bits[0] = true;
  }
  let finalized = s.finalized;
  const all = (from: number, to: number) => bits.slice(from, to).every(Boolean);
  if (all(1, 4) && oldPrevious.epoch + 3 === current) finalized = oldPrevious;
  if (all(1, 3) && oldPrevious.epoch + 2 === current) finalized = oldPrevious;
  if (all(0, 3) && oldCurrent.epoch + 2 === current) finalized = oldCurrent;
  if (all(0, 2) && oldCurrent.epoch + 1 === current) finalized = oldCurrent;
  return { ...s, justificationBits: bits, previousJustified: oldCurrent, currentJustified, finalized };
}

/** process_inactivity_updates + process_rewards_and_penalties for the previous epoch. */
function processInactivityAndRewards(c: SimConstants, s: SimState): SimState {
  const current = epochOf(c, s.slot);
  const previous = current - 1;
  const leak = previous - s.finalized.epoch > c.minEpochsToInactivityPenalty;
  const eligible = (v: SimValidator) => isActive(v, previous) || (v.slashed && BigInt(previous + 1) < v.withdrawableEpoch);
  const flagged = (i: number, flag: number) => {
    const v = s.validators[i]!;
    return isActive(v, previous) && !v.slashed && (s.previousParticipation[i]! & flag) !== 0;
  };

  const scores = [...s.inactivityScores];
  s.validators.forEach((v, i) => {
    if (!eligible(v)) return;
    if (flagged(i, FLAG_TARGET)) scores[i] = scores[i]! - Math.min(1, scores[i]!);
    else scores[i] = scores[i]! + INACTIVITY_SCORE_BIAS;
    if (!leak) scores[i] = scores[i]! - Math.min(INACTIVITY_SCORE_RECOVERY_RATE, scores[i]!);
  });

  const total = totalActiveBalance(c, s);
  const perIncrement = (INCREMENT * BASE_REWARD_FACTOR) / isqrt(total);
  const baseReward = (eb: bigint) => (eb / INCREMENT) * perIncrement;
  const activeIncrements = total / INCREMENT;
  const unslashedIncrements = new Map(WEIGHTS.map(([flag]) => [flag, participatingBalance(c, s, flag, previous) / INCREMENT]));
  const flagReward = (eb: bigint, flag: number, weight: bigint) =>
    leak ? 0n : (baseReward(eb) * weight * unslashedIncrements.get(flag)!) / (activeIncrements * WEIGHT_DENOMINATOR);

  const total_: AttestationReward[] = [];
  const validators = [...s.validators];
  s.validators.forEach((v, i) => {
    if (!eligible(v)) return;
    const r: AttestationReward = { validatorIndex: i, head: 0n, target: 0n, source: 0n, inactivity: 0n };
    for (const [flag, weight] of WEIGHTS) {
      let delta = 0n;
      if (flagged(i, flag)) delta = flagReward(v.effectiveBalance, flag, weight);
      else if (flag !== FLAG_HEAD) delta = -((baseReward(v.effectiveBalance) * weight) / WEIGHT_DENOMINATOR);
      if (flag === FLAG_SOURCE) r.source = delta;
      else if (flag === FLAG_TARGET) r.target = delta;
      else r.head = delta;
    }
    if (!flagged(i, FLAG_TARGET)) {
      r.inactivity = -((v.effectiveBalance * BigInt(scores[i]!)) / (BigInt(INACTIVITY_SCORE_BIAS) * INACTIVITY_PENALTY_QUOTIENT));
    }
    total_.push(r);
    const balance = v.balance + r.head + r.target + r.source + r.inactivity;
    validators[i] = { ...v, balance: balance > 0n ? balance : 0n };
  });

  const ebs = [...new Set(s.validators.filter(eligible).map((v) => v.effectiveBalance))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ideal = ebs.map((eb) => ({
    effectiveBalance: eb,
    head: flagReward(eb, FLAG_HEAD, 14n),
    target: flagReward(eb, FLAG_TARGET, 26n),
    source: flagReward(eb, FLAG_SOURCE, 14n),
    inactivity: 0n,
  }));

  const rewards: Record<number, EpochRewards> = {};
  for (const [e, r] of Object.entries(s.rewards)) if (Number(e) >= previous - 4) rewards[Number(e)] = r;
  rewards[previous] = { ideal, total: total_ };
  return { ...s, validators, inactivityScores: scores, rewards };
}

/** Apply a block's operations to a state already advanced to the block's slot. */
export function processBlock(c: SimConstants, s0: SimState, ops: BlockOps, rootAt: RootAt): SimState {
  let s = s0;
  for (const i of ops.proposerSlashings) s = slash(c, s, i);
  for (const set of ops.attesterSlashings) for (const i of set) if (!s.validators[i]!.slashed) s = slash(c, s, i);
  s = processAttestations(c, s, ops.attestations, rootAt);
  for (const i of ops.voluntaryExits) {
    const v = s.validators[i]!;
    if (isActive(v, epochOf(c, s.slot)) && v.exitEpoch === FAR_FUTURE_EPOCH) s = initiateExit(c, s, i);
  }
  return s;
}

/** Whether an attestation can go into a block at `slot` of a chain whose state is `s`. */
export function includable(c: SimConstants, s: SimState, a: SimAttestation): boolean {
  const current = epochOf(c, s.slot);
  const te = a.data.target.epoch;
  if (te !== current && te !== current - 1) return false;
  if (a.data.slot + 1 > s.slot) return false;
  const justified = te === current ? s.currentJustified : s.previousJustified;
  return justified.epoch === a.data.source.epoch && justified.root === a.data.source.root;
}

function processAttestations(c: SimConstants, s: SimState, atts: readonly SimAttestation[], rootAt: RootAt): SimState {
  if (atts.length === 0) return s;
  const current = epochOf(c, s.slot);
  const prev = new Uint8Array(s.previousParticipation);
  const curr = new Uint8Array(s.currentParticipation);
  const sourceWindow = Number(isqrt(BigInt(c.slotsPerEpoch)));
  for (const a of atts) {
    if (!includable(c, s, a)) continue;
    const d = a.data;
    const matchingTarget = d.target.root === rootAt(d.target.epoch * c.slotsPerEpoch);
    const matchingHead = matchingTarget && d.beaconBlockRoot === rootAt(d.slot);
    const delay = s.slot - d.slot;
    let flags = 0;
    if (delay <= sourceWindow) flags |= FLAG_SOURCE;
    if (matchingTarget) flags |= FLAG_TARGET;
    if (matchingHead && delay === 1) flags |= FLAG_HEAD;
    const target = d.target.epoch === current ? curr : prev;
    for (const i of a.attesters) target[i] = target[i]! | flags;
  }
  return { ...s, previousParticipation: prev, currentParticipation: curr };
}

function initiateExit(c: SimConstants, s: SimState, i: number): SimState {
  const v = s.validators[i]!;
  if (v.exitEpoch !== FAR_FUTURE_EPOCH) return s;
  const exit = BigInt(epochOf(c, s.slot) + 1 + c.maxSeedLookahead);
  const validators = [...s.validators];
  validators[i] = { ...v, exitEpoch: exit, withdrawableEpoch: exit + BigInt(c.minValidatorWithdrawabilityDelay) };
  return { ...s, validators };
}

function slash(c: SimConstants, s0: SimState, i: number): SimState {
  const s = initiateExit(c, s0, i);
  const v = s.validators[i]!;
  const validators = [...s.validators];
  const w = BigInt(epochOf(c, s.slot) + c.epochsPerSlashingsVector);
  validators[i] = {
    ...v,
    slashed: true,
    withdrawableEpoch: v.withdrawableEpoch > w ? v.withdrawableEpoch : w,
    balance: v.balance - v.effectiveBalance / MIN_SLASHING_PENALTY_QUOTIENT,
  };
  return { ...s, validators };
}

/** The validator API status of `v` at `epoch`. */
export function validatorStatus(v: SimValidator, epoch: number): string {
  const e = BigInt(epoch);
  if (v.activationEpoch > e) return v.activationEligibilityEpoch === FAR_FUTURE_EPOCH ? "pending_initialized" : "pending_queued";
  if (e < v.exitEpoch) return v.slashed ? "active_slashed" : v.exitEpoch === FAR_FUTURE_EPOCH ? "active_ongoing" : "active_exiting";
  if (e < v.withdrawableEpoch) return v.slashed ? "exited_slashed" : "exited_unslashed";
  return v.balance === 0n ? "withdrawal_done" : "withdrawal_possible";
}

export function committeesPerSlot(c: SimConstants, activeCount: number): number {
  return Math.max(1, Math.min(c.maxCommitteesPerSlot, Math.floor(activeCount / c.slotsPerEpoch / c.targetCommitteeSize)));
}

/** Beacon committees of `epoch`: [slotInEpoch][committeeIndex] -> validator indices. */
export function epochCommittees(c: SimConstants, s: SimState, epoch: number, seed: string): number[][][] {
  const active = s.validators.map((v, i) => [v, i] as const).filter(([v]) => isActive(v, epoch)).map(([, i]) => i);
  const perSlot = committeesPerSlot(c, active.length);
  const shuffled = shuffle(active, seed, "committees", epoch);
  const count = perSlot * c.slotsPerEpoch;
  const out: number[][][] = [];
  for (let slot = 0; slot < c.slotsPerEpoch; slot++) {
    const row: number[][] = [];
    for (let k = 0; k < perSlot; k++) {
      const idx = slot * perSlot + k;
      const start = Math.floor((shuffled.length * idx) / count);
      const end = Math.floor((shuffled.length * (idx + 1)) / count);
      row.push(shuffled.slice(start, end));
    }
    out.push(row);
  }
  return out;
}

/** The proposer of `slot`: an active, unslashed validator drawn deterministically. */
export function proposerOf(c: SimConstants, s: SimState, slot: number, seed: string): number {
  const epoch = epochOf(c, slot);
  const candidates = s.validators.map((v, i) => [v, i] as const).filter(([v]) => isActive(v, epoch) && !v.slashed);
  if (candidates.length === 0) return 0;
  return candidates[hashInt(seed, "proposer", slot) % candidates.length]![1];
}
