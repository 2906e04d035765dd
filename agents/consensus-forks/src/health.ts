/** Node health conditions and node naming: plain functions over one node's answers. */
import type { NodeVersion } from "../../../shared/beacon/types";
import type { NodeObservation } from "./nodes";

export type NodeCondition = "unhealthy" | "syncing" | "elOffline" | "optimistic" | "peersLow";
export const NODE_CONDITIONS: readonly NodeCondition[] = ["unhealthy", "syncing", "elOffline", "optimistic", "peersLow"];

export interface HealthThresholds {
  maxSyncDistance: number;
  minPeers: number;
}

/** 503 or no answer at all: unhealthy; 206 that the syncing/EL flags do not explain: degraded. */
export type HealthLevel = "degraded" | "unhealthy";
export const HEALTH_LEVELS: readonly HealthLevel[] = ["degraded", "unhealthy"];

export interface Conditions {
  unhealthy: HealthLevel | null | undefined;
  syncing: boolean | undefined;
  elOffline: boolean | undefined;
  optimistic: boolean | undefined;
  peersLow: boolean | undefined;
}

/**
 * Which conditions hold for a node. Undefined for a condition means "not known this epoch"
 * (the read failed): an open episode is then left as it is.
 */
export function nodeConditions(o: NodeObservation, t: HealthThresholds): Conditions {
  if (o.unreachable) return { unhealthy: "unhealthy", syncing: undefined, elOffline: undefined, optimistic: undefined, peersLow: undefined };
  const s = o.syncing;
  const syncing = s === undefined ? undefined : s.isSyncing || s.syncDistance > t.maxSyncDistance;
  const elOffline = s === undefined ? undefined : s.elOffline === true;
  const optimistic = s === undefined ? undefined : s.isOptimistic === true;
  // 206 means "syncing, or the execution node is optimistic or offline": only when the flags
  // explain none of it is it a condition of its own.
  const unexplained206 = o.health === 206 && s !== undefined && !syncing && !elOffline && !optimistic;
  return {
    unhealthy: o.health === undefined ? undefined : o.health === 503 ? "unhealthy" : unexplained206 ? "degraded" : null,
    syncing,
    elOffline,
    optimistic,
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
  // a node read through /eth/v1/node/version may have no client code (an unknown name) or no version
  return `${[b.name, b.version].filter(Boolean).join(" ")}${b.code ? ` (${b.code})` : ""}${el}`;
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
