/**
 * Typed answers of the Beacon Node API routes Vigil uses, after parsing.
 *
 * Conventions: slots, epochs, validator and committee indices are JS numbers (checked to be
 * safe integers when parsed); gwei amounts and rewards are bigint (sums overflow 2^53); epochs
 * inside validator records are bigint because FAR_FUTURE_EPOCH is 2^64-1. Roots are lower-case
 * 0x-hex strings.
 */

/** "head" | "genesis" | "finalized" | "justified" | a slot | a 0x state root */
export type StateId = "head" | "genesis" | "finalized" | "justified" | number | `0x${string}`;
/** "head" | "genesis" | "finalized" | a slot | a 0x block root */
export type BlockId = "head" | "genesis" | "finalized" | number | `0x${string}`;

export const FAR_FUTURE_EPOCH = 2n ** 64n - 1n;

export interface Checkpoint {
  epoch: number;
  root: string;
}

export interface FinalityCheckpoints {
  previousJustified: Checkpoint;
  currentJustified: Checkpoint;
  finalized: Checkpoint;
  /** the node marks the state as built on an unverified execution payload */
  executionOptimistic: boolean;
}

export interface BlockHeader {
  root: string;
  /** on the node's canonical chain */
  canonical: boolean;
  slot: number;
  proposerIndex: number;
  parentRoot: string;
  stateRoot: string;
  bodyRoot: string;
}

export interface Genesis {
  genesisTime: number;
  genesisValidatorsRoot: string;
  genesisForkVersion: string;
}

/** The few chain constants the bots need, from /eth/v1/config/spec. */
export interface ChainSpec {
  secondsPerSlot: number;
  slotsPerEpoch: number;
  /** every key as served, for diagnostics */
  raw: Readonly<Record<string, unknown>>;
}

export type ValidatorStatus =
  | "pending_initialized"
  | "pending_queued"
  | "active_ongoing"
  | "active_exiting"
  | "active_slashed"
  | "exited_unslashed"
  | "exited_slashed"
  | "withdrawal_possible"
  | "withdrawal_done";

/** Status filters accepted by the validators route: a status or one of the four groups. */
export type ValidatorStatusFilter = ValidatorStatus | "active" | "pending" | "exited" | "withdrawal";

export interface ValidatorInfo {
  index: number;
  pubkey: string;
  status: ValidatorStatus;
  balance: bigint;
  effectiveBalance: bigint;
  slashed: boolean;
  activationEpoch: bigint;
  exitEpoch: bigint;
  withdrawableEpoch: bigint;
}

export interface IdealAttestationReward {
  effectiveBalance: bigint;
  head: bigint;
  target: bigint;
  source: bigint;
  inclusionDelay?: bigint;
  inactivity: bigint;
}

export interface ValidatorAttestationReward {
  validatorIndex: number;
  head: bigint;
  target: bigint;
  source: bigint;
  /** phase0 only */
  inclusionDelay?: bigint;
  inactivity: bigint;
}

export interface AttestationRewards {
  ideal: IdealAttestationReward[];
  total: ValidatorAttestationReward[];
  /** the node says this epoch is in the finalized history */
  finalized: boolean;
}

export interface Committee {
  index: number;
  slot: number;
  validators: number[];
}

/** A leaf of the node's fork-choice tree (/eth/v2/debug/beacon/heads). */
export interface ForkChoiceHead {
  root: string;
  slot: number;
  executionOptimistic: boolean;
}

/** The operations of a block that the consensus bots look at. */
export interface BlockOperations {
  root: string | undefined;
  slot: number;
  proposerIndex: number;
  version: string;
  proposerSlashings: { proposerIndex: number }[];
  /** indices slashable by each attester slashing: those in both attestations */
  attesterSlashings: { slashedIndices: number[] }[];
  voluntaryExits: { validatorIndex: number; epoch: number }[];
}

export interface SyncingStatus {
  headSlot: number;
  syncDistance: number;
  isSyncing: boolean;
  /** undefined when an older node does not say */
  isOptimistic: boolean | undefined;
  elOffline: boolean | undefined;
}

/** /eth/v1/node/health: 200 ready, 206 syncing (or EL offline/optimistic), 503 not initialised or failing */
export type NodeHealth = 200 | 206 | 503;

export interface PeerCount {
  connected: number;
  connecting: number;
  disconnected: number;
  disconnecting: number;
}

export interface ClientVersion {
  /** two-letter client code (LH, TK, PM, NB, LS, GR...) */
  code: string;
  name: string;
  version: string;
  commit: string;
}

export interface NodeVersion {
  beaconNode: ClientVersion;
  executionClient: ClientVersion | undefined;
}
