/**
 * Beacon API JSON for the simulated chain, as one node sees it. Every integer is a decimal
 * string, every root 0x-hex; blocks are Electra-shaped (the spec's `anyOf` accepts them and so
 * does a client that reads any fork).
 */
import { bytesHex, root, ZERO_ROOT } from "./hash";
import type { SimBlock, SimNetwork, SimNode } from "./network";
import { epochOf, validatorStatus, type SimAttestation, type SimState, type SimValidator } from "./state";

const u = (n: number | bigint) => n.toString();
const sig = (...parts: (string | number)[]) => `0x${bytesHex(96, "sig", ...parts)}`;

export function finalizedSlot(net: SimNetwork, node: SimNode): number {
  return node.head.state.finalized.epoch * net.c.slotsPerEpoch;
}

/** The envelope most reads share. */
export function envelope(net: SimNetwork, node: SimNode, slot: number, data: unknown): Record<string, unknown> {
  return { execution_optimistic: node.conditions.optimistic, finalized: slot <= finalizedSlot(net, node), data };
}

export function renderValidator(v: SimValidator, index: number, epoch: number): Record<string, unknown> {
  return {
    index: u(index),
    balance: u(v.balance),
    status: validatorStatus(v, epoch),
    validator: {
      pubkey: v.pubkey,
      withdrawal_credentials: v.withdrawalCredentials,
      effective_balance: u(v.effectiveBalance),
      slashed: v.slashed,
      activation_eligibility_epoch: u(v.activationEligibilityEpoch),
      activation_epoch: u(v.activationEpoch),
      exit_epoch: u(v.exitEpoch),
      withdrawable_epoch: u(v.withdrawableEpoch),
    },
  };
}

export function renderHeader(net: SimNetwork, node: SimNode, b: SimBlock): Record<string, unknown> {
  return {
    root: b.root,
    canonical: net.canonical(node, b),
    header: {
      message: { slot: u(b.slot), proposer_index: u(b.proposerIndex), parent_root: b.parentRoot, state_root: b.stateRoot, body_root: b.bodyRoot },
      signature: sig("header", b.root),
    },
  };
}

function bitlist(length: number, set: (i: number) => boolean): string {
  const bytes = new Uint8Array(Math.floor(length / 8) + 1);
  for (let i = 0; i < length; i++) if (set(i)) bytes[i >> 3]! |= 1 << (i & 7);
  bytes[length >> 3]! |= 1 << (length & 7); // SSZ bitlist length sentinel
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

function bitvector(length: number, set: (i: number) => boolean): string {
  const bytes = new Uint8Array(Math.ceil(length / 8));
  for (let i = 0; i < length; i++) if (set(i)) bytes[i >> 3]! |= 1 << (i & 7);
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

function attestationData(d: SimAttestation["data"]): Record<string, unknown> {
  return {
    slot: u(d.slot),
    index: "0",
    beacon_block_root: d.beaconBlockRoot,
    source: { epoch: u(d.source.epoch), root: d.source.root },
    target: { epoch: u(d.target.epoch), root: d.target.root },
  };
}

export function renderAttestation(net: SimNetwork, a: SimAttestation): Record<string, unknown> {
  const attesters = new Set(a.attesters);
  return {
    aggregation_bits: bitlist(a.committee.length, (i) => attesters.has(a.committee[i]!)),
    data: attestationData(a.data),
    signature: sig("att", a.data.slot, a.committeeIndex, a.attesters.join(",")),
    committee_bits: bitvector(net.c.maxCommitteesPerSlot, (i) => i === a.committeeIndex),
  };
}

export function renderBlock(net: SimNetwork, b: SimBlock): Record<string, unknown> {
  const epoch = epochOf(net.c, b.slot);
  const header = (n: number) => ({
    message: { slot: u(b.slot), proposer_index: "0", parent_root: b.parentRoot, state_root: b.stateRoot, body_root: root("equivocation", b.root, n) },
    signature: sig("equivocation", b.root, n),
  });
  const doubleVote = (indices: readonly number[], n: number) => ({
    attesting_indices: indices.map(u),
    data: {
      slot: u(b.slot - 1),
      index: "0",
      beacon_block_root: root("double-vote", b.root, n),
      source: { epoch: "0", root: ZERO_ROOT },
      target: { epoch: u(epoch), root: root("double-vote-target", b.root, n) },
    },
    signature: sig("double-vote", b.root, n),
  });
  return {
    message: {
      slot: u(b.slot),
      proposer_index: u(b.proposerIndex),
      parent_root: b.parentRoot,
      state_root: b.stateRoot,
      body: {
        randao_reveal: sig("randao", b.slot),
        eth1_data: { deposit_root: ZERO_ROOT, deposit_count: "0", block_hash: ZERO_ROOT },
        graffiti: `0x${Buffer.from(`vigil-sim ${b.branch}`.padEnd(32, " ").slice(0, 32)).toString("hex")}`,
        proposer_slashings: b.proposerSlashings.map((i) => {
          const h1 = header(1);
          const h2 = header(2);
          h1.message.proposer_index = u(i);
          h2.message.proposer_index = u(i);
          return { signed_header_1: h1, signed_header_2: h2 };
        }),
        attester_slashings: b.attesterSlashings.map((set, k) => ({ attestation_1: doubleVote(set, 2 * k), attestation_2: doubleVote(set, 2 * k + 1) })),
        attestations: b.attestations.map((a) => renderAttestation(net, a)),
        deposits: [],
        voluntary_exits: b.voluntaryExits.map((i) => ({ message: { epoch: u(epoch), validator_index: u(i) }, signature: sig("exit", i) })),
        sync_aggregate: { sync_committee_bits: "0xffffffff", sync_committee_signature: sig("sync", b.slot) },
        execution_payload: {
          parent_hash: root("el-parent", b.parentRoot),
          fee_recipient: `0x${"00".repeat(20)}`,
          state_root: root("el-state", b.root),
          receipts_root: root("el-receipts", b.root),
          logs_bloom: `0x${"00".repeat(256)}`,
          prev_randao: root("randao", b.slot),
          block_number: u(b.slot),
          gas_limit: "30000000",
          gas_used: "0",
          timestamp: u(net.timestampOf(b.slot)),
          extra_data: "0x",
          base_fee_per_gas: "7",
          blob_gas_used: "0",
          excess_blob_gas: "0",
          block_hash: root("el-block", b.root),
          transactions: [],
          withdrawals: [],
        },
        bls_to_execution_changes: [],
        blob_kzg_commitments: [],
        execution_requests: { deposits: [], withdrawals: [], consolidations: [] },
      },
    },
    signature: sig("block", b.root),
  };
}

export function renderCheckpoints(s: SimState): Record<string, unknown> {
  const cp = (c: { epoch: number; root: string }) => ({ epoch: u(c.epoch), root: c.root });
  return { previous_justified: cp(s.previousJustified), current_justified: cp(s.currentJustified), finalized: cp(s.finalized) };
}
