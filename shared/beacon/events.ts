/**
 * Beacon node events (GET /eth/v1/events, Server-Sent Events) that the consensus bots consume,
 * parsed and typed. `source` says which node sent the event: the base URL exactly as configured
 * in BEACON_API_URL (a secret: compare it, never print it).
 */
import { Reader } from "./parse";

export type BeaconEventTopic = "head" | "block" | "finalized_checkpoint" | "chain_reorg";
export const BEACON_EVENT_TOPICS: readonly BeaconEventTopic[] = ["head", "block", "finalized_checkpoint", "chain_reorg"];

export interface HeadEventData {
  slot: number;
  block: string;
  state: string;
  epochTransition: boolean;
  executionOptimistic: boolean;
}

export interface BlockEventData {
  slot: number;
  block: string;
  executionOptimistic: boolean;
}

export interface FinalizedCheckpointEventData {
  block: string;
  state: string;
  epoch: number;
  executionOptimistic: boolean;
}

export interface ChainReorgEventData {
  /** slot of the new head */
  slot: number;
  /** old head slot - common ancestor slot */
  depth: number;
  oldHeadBlock: string;
  newHeadBlock: string;
  oldHeadState: string;
  newHeadState: string;
  epoch: number;
  executionOptimistic: boolean;
}

interface EventOf<T extends BeaconEventTopic, D> {
  topic: T;
  /** base URL of the node that emitted it, as configured (secret) */
  source: string;
  data: D;
}

export type BeaconEvent =
  | EventOf<"head", HeadEventData>
  | EventOf<"block", BlockEventData>
  | EventOf<"finalized_checkpoint", FinalizedCheckpointEventData>
  | EventOf<"chain_reorg", ChainReorgEventData>;

/** The slot an event says the node has reached, if it says one. */
export function eventSlot(e: BeaconEvent): number | undefined {
  return e.topic === "head" || e.topic === "block" || e.topic === "chain_reorg" ? e.data.slot : undefined;
}

/**
 * Parse one SSE message. Returns undefined for topics this module does not know (a node may
 * send more than asked); throws BeaconAnswerError when a known topic's data is malformed.
 */
export function parseBeaconEvent(topic: string, dataText: string, source: string): BeaconEvent | undefined {
  if (!(BEACON_EVENT_TOPICS as readonly string[]).includes(topic)) return undefined;
  const r = new Reader(`/eth/v1/events (${topic})`, source);
  const d = r.obj(r.json(dataText), "data");
  const optimistic = r.optBool(d.execution_optimistic, "data.execution_optimistic") ?? false;
  switch (topic as BeaconEventTopic) {
    case "head":
      return {
        topic: "head",
        source,
        data: {
          slot: r.num(r.field(d, "slot", "data"), "data.slot"),
          block: r.root(r.field(d, "block", "data"), "data.block"),
          state: r.root(r.field(d, "state", "data"), "data.state"),
          epochTransition: r.optBool(d.epoch_transition, "data.epoch_transition") ?? false,
          executionOptimistic: optimistic,
        },
      };
    case "block":
      return {
        topic: "block",
        source,
        data: { slot: r.num(r.field(d, "slot", "data"), "data.slot"), block: r.root(r.field(d, "block", "data"), "data.block"), executionOptimistic: optimistic },
      };
    case "finalized_checkpoint":
      return {
        topic: "finalized_checkpoint",
        source,
        data: {
          block: r.root(r.field(d, "block", "data"), "data.block"),
          state: r.root(r.field(d, "state", "data"), "data.state"),
          epoch: r.num(r.field(d, "epoch", "data"), "data.epoch"),
          executionOptimistic: optimistic,
        },
      };
    case "chain_reorg":
      return {
        topic: "chain_reorg",
        source,
        data: {
          slot: r.num(r.field(d, "slot", "data"), "data.slot"),
          depth: r.num(r.field(d, "depth", "data"), "data.depth"),
          oldHeadBlock: r.root(r.field(d, "old_head_block", "data"), "data.old_head_block"),
          newHeadBlock: r.root(r.field(d, "new_head_block", "data"), "data.new_head_block"),
          oldHeadState: r.root(r.field(d, "old_head_state", "data"), "data.old_head_state"),
          newHeadState: r.root(r.field(d, "new_head_state", "data"), "data.new_head_state"),
          epoch: r.num(r.field(d, "epoch", "data"), "data.epoch"),
          executionOptimistic: optimistic,
        },
      };
  }
}
