/**
 * Reading and comparing beacon nodes. Each node has its own client (no fallback: the point is
 * to compare them). Everything here asks the nodes; the decisions over the answers are plain
 * functions in health.ts.
 */
import { errorMessage } from "../../../shared/errors";
import { HttpStatusError } from "../../../shared/net/http";
import { maskUrl } from "../../../shared/net/secrets";
import type { BeaconClient } from "../../../shared/beacon/client";
import type { BlockHeader, FinalityCheckpoints, ForkChoiceHead, NodeHealth, NodeVersion, PeerCount, SyncingStatus } from "../../../shared/beacon/types";

export interface BeaconNode {
  index: number;
  /** scheme://host:port, safe to print */
  endpoint: string;
  client: BeaconClient;
}

export function beaconNodes(clients: readonly BeaconClient[], urls: readonly string[]): BeaconNode[] {
  return clients.map((client, index) => ({ index, endpoint: maskUrl(urls[index]!), client }));
}

export interface NodeObservation {
  index: number;
  /** no route answered */
  unreachable: boolean;
  /** the first error seen (masked), when any read failed */
  error: string | undefined;
  version: NodeVersion | undefined;
  syncing: SyncingStatus | undefined;
  health: NodeHealth | undefined;
  peers: PeerCount | undefined;
  finality: FinalityCheckpoints | undefined;
  head: BlockHeader | undefined;
  /** fork-choice leaves; null when the node does not serve the debug route, undefined when the read failed */
  leaves: ForkChoiceHead[] | null | undefined;
}

/** Read everything the epoch's checks need from one node, in parallel; failures are recorded, not thrown. */
export async function observeNode(node: BeaconNode): Promise<NodeObservation> {
  const c = node.client;
  const settled = await Promise.allSettled([c.version(), c.syncing(), c.health(), c.peerCount(), c.finalityCheckpoints("head"), c.header("head"), c.forkChoiceHeads()]);
  const value = <T>(r: PromiseSettledResult<T>): T | undefined => (r.status === "fulfilled" ? r.value : undefined);
  const [version, syncing, health, peers, finality, head, leaves] = settled;
  const failures = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  // A node that does not serve the debug route answers 4xx/501 there: not an error, a fallback.
  const leavesUnsupported = leaves.status === "rejected" && leaves.reason instanceof HttpStatusError;
  const realFailures = failures.filter((f) => !(leavesUnsupported && f === leaves));
  return {
    index: node.index,
    unreachable: failures.length === settled.length,
    error: realFailures.length ? errorMessage(realFailures[0]!.reason) : undefined,
    version: value(version),
    syncing: value(syncing),
    health: value(health),
    peers: value(peers),
    finality: value(finality),
    head: value(head) ?? undefined,
    leaves: leavesUnsupported ? null : value(leaves),
  };
}

/** Is the block `root` on `node`'s canonical chain? (false when the node does not know it) */
export async function canonicalOn(node: BeaconNode, root: string): Promise<boolean> {
  const h = await node.client.header(root as `0x${string}`);
  return h !== null && h.canonical;
}

/**
 * Do two nodes' finalized checkpoints lie on one chain? Same epoch: same root. Different
 * epochs: the older checkpoint must be canonical on the node that finalized the newer one.
 */
export async function finalityConsistent(a: { node: BeaconNode; finality: FinalityCheckpoints }, b: { node: BeaconNode; finality: FinalityCheckpoints }): Promise<boolean> {
  const fa = a.finality.finalized;
  const fb = b.finality.finalized;
  if (fa.epoch === fb.epoch) return fa.root === fb.root;
  const [lo, hi] = fa.epoch < fb.epoch ? [fa, b.node] : [fb, a.node];
  if (/^0x0{64}$/.test(lo.root)) return true; // genesis: nothing finalized yet
  return canonicalOn(hi, lo.root);
}

export type HeadComparison = { diverged: false } | { diverged: true; ancestorSlot: number | undefined; distance: number | undefined };

/**
 * Are two nodes' heads on one chain (one possibly behind the other)? If not, walk back from the
 * lower head, on its node, until a block canonical on the other node: the common ancestor.
 * distance = the lower head's slot minus the ancestor's slot: how long both branches have gone
 * their own ways. (From the higher head it would count a node's lag as depth: a node stuck on a
 * one-block orphan 20 slots behind is a fork of depth 1, not 21.) Undefined when the ancestor is
 * more than `maxWalk` parents below the lower head.
 */
export async function compareHeads(a: { node: BeaconNode; head: BlockHeader }, b: { node: BeaconNode; head: BlockHeader }, maxWalk: number): Promise<HeadComparison> {
  if (a.head.root === b.head.root) return { diverged: false };
  const [bOnA, aOnB] = await Promise.all([canonicalOn(a.node, b.head.root), canonicalOn(b.node, a.head.root)]);
  if (bOnA || aOnB) return { diverged: false };
  const [low, high] = a.head.slot < b.head.slot ? [a, b] : [b, a];
  let parent = low.head.parentRoot;
  for (let step = 0; step < maxWalk; step++) {
    if (await canonicalOn(high.node, parent)) {
      const anc = await high.node.client.header(parent as `0x${string}`);
      return { diverged: true, ancestorSlot: anc!.slot, distance: low.head.slot - anc!.slot };
    }
    const h = await low.node.client.header(parent as `0x${string}`);
    if (!h) break;
    parent = h.parentRoot;
  }
  return { diverged: true, ancestorSlot: undefined, distance: undefined };
}

/**
 * How deep was the branch ending at `root` (not canonical on `node`) when it lost: its slot
 * minus the slot of the first canonical ancestor. Undefined when the node no longer knows the
 * block or the ancestor is more than `maxWalk` parents away.
 */
export async function orphanedDepth(node: BeaconNode, root: string, maxWalk: number): Promise<{ slot: number; ancestorSlot: number; depth: number } | undefined> {
  const tip = await node.client.header(root as `0x${string}`);
  if (!tip || tip.canonical) return undefined;
  let cur = tip;
  for (let step = 0; step < maxWalk; step++) {
    const parent = await node.client.header(cur.parentRoot as `0x${string}`);
    if (!parent) return undefined;
    if (parent.canonical) return { slot: tip.slot, ancestorSlot: parent.slot, depth: tip.slot - parent.slot };
    cur = parent;
  }
  return undefined;
}
