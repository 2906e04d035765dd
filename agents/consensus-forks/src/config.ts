/** consensus-forks configuration: every key with its default. */
import { readConfig, field, type Env } from "../../../shared/config";
import { BEACON_TIMEOUT_FIELD, BEACON_URLS_FIELD } from "../../../shared/beacon/config";

export const CONFIG_SPEC = {
  urls: {
    ...BEACON_URLS_FIELD,
    doc: "two or more Beacon Node REST API base URLs, comma-separated, ideally of different clients: each is read and compared, none replaces another. May carry API keys: never printed",
  },
  timeoutMs: BEACON_TIMEOUT_FIELD,
  headDivergenceSlots: field.int(
    "FORKS_HEAD_DIVERGENCE_SLOTS",
    4,
    "two nodes' heads on different branches whose common ancestor is more than this many slots below the lower of the two heads open a High (P1) episode (a node lagging behind on a short branch is not a deep fork)",
    { min: 1, max: 1024 },
  ),
  reorgDepth: field.int("FORKS_REORG_DEPTH", 2, "reorgs at least this deep (old head slot - common ancestor slot) are reported (High, P1)", { min: 1 }),
  reorgsPerEpoch: field.int("FORKS_REORGS_PER_EPOCH", 2, "more reorgs than this (any depth) whose orphaned head is in one epoch are reported (Medium, P2)", { min: 0 }),
  maxSyncDistance: field.int("FORKS_MAX_SYNC_DISTANCE", 2, "a node more than this many slots behind (sync_distance), or saying it is syncing, is reported (type B)", { min: 0 }),
  minPeers: field.int("FORKS_MIN_PEERS", 10, "a node with fewer connected peers is reported (type B)", { min: 0 }),
  maxWalk: field.int("FORKS_MAX_WALK", 64, "how many parent headers to follow, at most, when measuring a fork or a reorg", { min: 1, max: 8192 }),
};

export type ForksConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env) {
  return readConfig(CONFIG_SPEC, env);
}
