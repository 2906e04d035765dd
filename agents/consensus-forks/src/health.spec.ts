import { agreeingGroups, clientDescription, nodeConditions, nodeLabel } from "./health";
import type { NodeObservation } from "./nodes";

const base: NodeObservation = {
  index: 0,
  unreachable: false,
  error: undefined,
  version: undefined,
  syncing: { headSlot: 100, syncDistance: 0, isSyncing: false, isOptimistic: false, elOffline: false },
  health: 200,
  peers: { connected: 50, connecting: 0, disconnected: 0, disconnecting: 0 },
  finality: undefined,
  head: undefined,
  leaves: undefined,
};
const t = { maxSyncDistance: 2, minPeers: 10 };

describe("nodeConditions", () => {
  it("a healthy node has none", () => {
    expect(nodeConditions(base, t)).toEqual({ unhealthy: null, syncing: false, elOffline: false, optimistic: false, peersLow: false });
  });

  it("syncing: the node says so, or it is more than the allowed distance behind", () => {
    expect(nodeConditions({ ...base, syncing: { ...base.syncing!, syncDistance: 2 } }, t).syncing).toBe(false);
    expect(nodeConditions({ ...base, syncing: { ...base.syncing!, syncDistance: 3 } }, t).syncing).toBe(true);
    expect(nodeConditions({ ...base, syncing: { ...base.syncing!, isSyncing: true } }, t).syncing).toBe(true);
  });

  it("503 is unhealthy; 206 is degraded only when the syncing/EL flags do not explain it", () => {
    expect(nodeConditions({ ...base, health: 503 }, t).unhealthy).toBe("unhealthy");
    expect(nodeConditions({ ...base, health: 206 }, t).unhealthy).toBe("degraded");
    expect(nodeConditions({ ...base, health: 206, syncing: { ...base.syncing!, isSyncing: true } }, t).unhealthy).toBeNull();
    expect(nodeConditions({ ...base, health: 206, syncing: { ...base.syncing!, elOffline: true } }, t).unhealthy).toBeNull();
  });

  it("an unreachable node is unhealthy; what it cannot tell stays unknown", () => {
    expect(nodeConditions({ ...base, unreachable: true }, t)).toEqual({ unhealthy: "unhealthy", syncing: undefined, elOffline: undefined, optimistic: undefined, peersLow: undefined });
    expect(nodeConditions({ ...base, peers: undefined }, t).peersLow).toBeUndefined();
  });

  it("older nodes without el_offline/is_optimistic are not flagged", () => {
    expect(nodeConditions({ ...base, syncing: { ...base.syncing!, elOffline: undefined, isOptimistic: undefined } }, t)).toMatchObject({ elOffline: false, optimistic: false });
  });
});

describe("agreeingGroups", () => {
  it("one group when all agree; the majority first when they do not", () => {
    expect(agreeingGroups([0, 1, 2], () => true)).toEqual([[0, 1, 2]]);
    const agree = new Set(["0|2"]);
    expect(agreeingGroups([0, 1, 2], (a, b) => agree.has(`${a}|${b}`))).toEqual([[0, 2], [1]]);
  });
});

describe("naming", () => {
  const version = {
    beaconNode: { code: "PM", name: "Prysm", version: "v6.1.2", commit: "0x5e6f7a8b" },
    executionClient: { code: "NM", name: "Nethermind", version: "v1.35.8", commit: "0xc066aee2" },
  };
  it("names a node by client and position", () => {
    expect(nodeLabel(2, version)).toBe("Prysm #3");
    expect(nodeLabel(0, undefined)).toBe("node #1");
    expect(clientDescription(version)).toBe("Prysm v6.1.2 (PM), execution client Nethermind v1.35.8");
  });
});
