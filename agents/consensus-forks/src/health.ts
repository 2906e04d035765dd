/** Node health conditions and node naming: plain functions over one node's answers. */
import type { NodeVersion } from "../../../shared/beacon/types";
import type { NodeObservation } from "./nodes";

export type NodeCondition = "unhealthy" | "syncing" | "elOffline" | "optimistic" | "peersLow";
export const NODE_CONDITIONS: readonly NodeCondition[] = ["unhealthy", "syncing", "elOffline", "optimistic", "peersLow"];

export interface HealthThresholds {
  maxSyncDistance: number;
  minPeers: number;
}

/**
 * Which conditions hold for a node. Undefined for a condition means "not known this epoch"
 * (the read failed): an open episode is then left as it is.
 */
export function nodeConditions(o: NodeObservation, t: HealthThresholds): Record<NodeCondition, boolean | undefined> {
  if (o.unreachable) return { unhealthy: true, syncing: undefined, elOffline: undefined, optimistic: undefined, peersLow: undefined };
  const s = o.syncing;
  return {
    unhealthy: o.health === undefined ? undefined : o.health === 503,
    syncing: s === undefined ? undefined : s.isSyncing || s.syncDistance > t.maxSyncDistance,
    elOffline: s === undefined ? undefined : s.elOffline === true,
    optimistic: s === undefined ? undefined : s.isOptimistic === true,
    peersLow: o.peers === undefined ? undefined : o.peers.connected < t.minPeers,
  };
}

/** "Lighthouse #1": the client's name and the node's position in BEACON_API_URL. */
export function nodeLabel(index: number, version: NodeVersion | undefined): string {
  return `${version?.beaconNode.name ?? "node"} #${index + 1}`;
}

export function clientDescription(version: NodeVersion | undefined): string {
  if (!version) return "unknown client";
  const b = version.beaconNode;
  const el = version.executionClient ? `, execution client ${version.executionClient.name} ${version.executionClient.version}` : "";
  return `${b.name} ${b.version} (${b.code})${el}`;
}

/**
 * Groups of nodes that agree, from a pairwise "consistent" relation (connected components).
 * More than one group means the nodes disagree.
 */
export function agreeingGroups(indices: readonly number[], consistent: (a: number, b: number) => boolean): number[][] {
  const parent = new Map(indices.map((i) => [i, i]));
  const find = (i: number): number => (parent.get(i) === i ? i : find(parent.get(i)!));
  for (let x = 0; x < indices.length; x++) {
    for (let y = x + 1; y < indices.length; y++) {
      if (consistent(indices[x]!, indices[y]!)) parent.set(find(indices[x]!), find(indices[y]!));
    }
  }
  const groups = new Map<number, number[]>();
  for (const i of indices) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  return [...groups.values()].sort((a, b) => b.length - a.length || a[0]! - b[0]!);
}
