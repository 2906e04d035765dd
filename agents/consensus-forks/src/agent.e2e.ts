import { ConsensusHarness, type HarnessOptions } from "../../../test/beacon/harness";
import { CLIENTS } from "../../../test/beacon/sim/network";
import { LODESTAR_1_22 } from "../../../test/beacon/server";
import { createAgent } from "./agent";

const twoNodes: HarnessOptions = {
  bots: { "consensus-forks": createAgent },
  network: {
    nodes: [
      { name: "lighthouse", client: CLIENTS.lighthouse },
      { name: "teku", client: CLIENTS.teku },
    ],
  },
};

describe("consensus-forks against two simulated beacon nodes", () => {
  let h: ConsensusHarness | undefined;
  afterEach(async () => {
    if (!h) return;
    await h.close();
    expect(h.violations()).toEqual([]);
    h = undefined;
  });

  it("says nothing on a healthy chain, with seven Beacon API calls per node per epoch", async () => {
    h = await ConsensusHarness.start(twoNodes);
    await h.runToEpoch(10);
    expect(h.summary()).toEqual([]);
    const perNode = {
      "/eth/v2/node/version": 11,
      "/eth/v1/node/syncing": 11,
      "/eth/v1/node/health": 11,
      "/eth/v1/node/peer_count": 11,
      "/eth/v1/beacon/states/{state_id}/finality_checkpoints": 11,
      "/eth/v1/beacon/headers/{block_id}": 11,
      "/eth/v2/debug/beacon/heads": 11,
    };
    expect(h.servers[0]!.countByRoute()).toEqual({ ...perNode, "/eth/v1/beacon/genesis": 1, "/eth/v1/config/spec": 1 });
    expect(h.servers[1]!.countByRoute()).toEqual(perNode);
  });

  it("a split between two nodes: heads diverge (High, P1), then finality conflicts (Critical, P0, type A)", async () => {
    h = await ConsensusHarness.start(twoNodes);
    await h.runTo(4 * 8 + 3);
    h.net.split("teku");
    await h.runToEpoch(10);
    expect(h.summary()).toEqual(["CONSENSUS-HEADS-DIVERGED High P1 A opened", "CONSENSUS-SPLIT Critical P0 A opened"]);
    const [diverged, split] = h.json();
    expect(diverged!.metadata).toMatchObject({ epoch: "5", nodeA: "Lighthouse #1", nodeB: "teku #2", slotsSinceCommonAncestor: "5" });
    expect(split!.metadata).toMatchObject({ epoch: "7", groups: "Lighthouse #1 | teku #2" });
    expect(split!.description).toMatch(/^Consensus split: beacon nodes finalized conflicting checkpoints: \[Lighthouse #1 finalized epoch 5 \(0x[0-9a-f]{8}…\)\] vs \[teku #2 finalized epoch 5 \(0x[0-9a-f]{8}…\)\]$/);
  });

  it("when the split heals, the rejoining node's reorg is reported and both episodes resolve", async () => {
    h = await ConsensusHarness.start(twoNodes);
    await h.runTo(4 * 8 + 3);
    h.net.split("teku");
    await h.runToEpoch(8);
    h.net.heal("teku");
    await h.runToEpoch(10);
    expect(h.summary()).toEqual([
      "CONSENSUS-HEADS-DIVERGED High P1 A opened",
      "CONSENSUS-SPLIT Critical P0 A opened",
      "CONSENSUS-SPLIT Info none A resolved",
      "CONSENSUS-HEADS-DIVERGED Info none A resolved",
      "CONSENSUS-REORG High P1 A -",
    ]);
    expect(h.json()[4]!.metadata).toMatchObject({ oldHeadSlot: "64", depth: "29", commonAncestorSlot: "35" });
  });

  it("a depth-3 reorg is High (P1), reported once although both nodes saw it", async () => {
    h = await ConsensusHarness.start(twoNodes);
    await h.runTo(2 * 8 + 4); // slot 20
    const orphaned = h.net.node("lighthouse").head.root;
    h.net.reorg(3); // slot 21 builds on slot 17
    await h.runToEpoch(5);
    expect(h.summary()).toEqual(["CONSENSUS-REORG High P1 A -"]);
    expect(h.json()[0]!.metadata).toMatchObject({ oldHeadRoot: orphaned, oldHeadSlot: "20", depth: "3", commonAncestorSlot: "17", epoch: "2" });
  });

  it("sees the reorg by head polling too when the node does not serve the debug routes", async () => {
    h = await ConsensusHarness.start({ ...twoNodes, debugRoutes: false });
    await h.runTo(3 * 8); // the check of epoch 3 sees slot 24 as the head...
    h.net.reorg(3); // ...which slot 25's block orphans
    await h.runToEpoch(5);
    expect(h.summary()).toEqual(["CONSENSUS-REORG High P1 A -"]);
    expect(h.json()[0]!.metadata).toMatchObject({ oldHeadSlot: "24", depth: "3" });
  });

  it("sees a depth-3 reorg by head polling when the debug route answers 500 in that epoch", async () => {
    h = await ConsensusHarness.start(twoNodes);
    await h.runTo(3 * 8); // the check of epoch 3 sees slot 24 as the head...
    const orphaned = h.net.node("lighthouse").head.root;
    for (const s of h.servers) s.failRoute("/eth/v2/debug/beacon/heads", 500);
    h.net.reorg(3); // ...which slot 25's block orphans; epoch 4's check gets no fork-choice leaves
    await h.runToEpoch(4);
    for (const s of h.servers) s.restoreRoute("/eth/v2/debug/beacon/heads");
    await h.runToEpoch(6); // the leaves are back (and the orphan is pruned below finality by epoch 5): no second report
    expect(h.summary()).toEqual(["CONSENSUS-REORG High P1 A -"]);
    expect(h.json()[0]!.metadata).toMatchObject({ oldHeadRoot: orphaned, oldHeadSlot: "24", depth: "3", commonAncestorSlot: "21" });
    // the route did fail at epoch 4 (once, and once more on the client's retry), on both nodes
    for (const s of h.servers) expect(s.requests.filter((r) => r.route === "/eth/v2/debug/beacon/heads" && r.status === 500)).toHaveLength(2);
  });

  it("a node stuck on a one-block orphan while the other moves on: its lag is not a deep fork", async () => {
    h = await ConsensusHarness.start(twoNodes);
    await h.runTo(2 * 8 + 4); // slot 20, both nodes on it
    h.net.setConditions("teku", { stalled: true, syncDistance: 1 }); // teku stops importing, and says it is syncing
    h.net.reorg(1); // slot 21 builds on slot 19: teku stays on the orphaned slot 20
    await h.runToEpoch(6);
    // teku's lag is reported as such; the fork (slot 19 to teku's head) is 1 slot deep, not 29
    expect(h.summary()).toEqual(["CONSENSUS-NODE-SYNCING Medium P2 B opened"]);
    expect(h.json()[0]!.metadata).toMatchObject({ node: "teku #2", headSlot: "20", syncDistance: "4" });
  });

  it("two nodes on branches forked deeper than the threshold below the lower head: diverged, measured from the lower head", async () => {
    h = await ConsensusHarness.start(twoNodes);
    await h.runTo(3 * 8 + 5); // slot 29
    h.net.split("teku"); // teku's own branch from slot 30 on (3 slots deep at epoch 4: no finding)
    await h.runTo(4 * 8 + 2); // slot 34: 5 slots of teku's own branch
    h.net.setConditions("teku", { stalled: true, syncDistance: 1 });
    await h.runToEpoch(6);
    expect(h.summary()).toEqual(["CONSENSUS-NODE-SYNCING Medium P2 B opened", "CONSENSUS-HEADS-DIVERGED High P1 A opened"]);
    // 5 slots from the common ancestor (29) to teku's head (34), not 11 to lighthouse's (40)
    expect(h.json()[1]!.metadata).toMatchObject({ epoch: "5", headA: expect.stringMatching(/^40:/), headB: expect.stringMatching(/^34:/), slotsSinceCommonAncestor: "5", commonAncestorSlot: "29" });
    expect(h.json()[1]!.description).toMatch(/^Lighthouse #1 \(head slot 40\) and teku #2 \(head slot 34\) follow different branches, forked 5 slots below the lower head$/);
  });

  it("more reorgs in one epoch than the threshold: Medium (P2)", async () => {
    h = await ConsensusHarness.start(twoNodes);
    for (const slot of [17, 19, 21]) {
      await h.runTo(slot);
      h.net.reorg(1);
    }
    await h.runToEpoch(5);
    expect(h.summary()).toEqual(["CONSENSUS-REORG-RATE Medium P2 A -"]);
    expect(h.json()[0]!.metadata).toMatchObject({ reorgEpoch: "2", reorgs: "3", depths: "1,1,1" });
  });

  it("a syncing node: Medium (P2), type B, naming the client; resolved when it catches up", async () => {
    h = await ConsensusHarness.start(twoNodes);
    await h.runToEpoch(6);
    h.net.setConditions("teku", { syncDistance: 40 });
    await h.runToEpoch(8);
    h.net.setConditions("teku", { syncDistance: 0 });
    await h.runToEpoch(10);
    expect(h.summary()).toEqual(["CONSENSUS-NODE-SYNCING Medium P2 B opened", "CONSENSUS-NODE-SYNCING Info none B resolved"]);
    const [opened] = h.json();
    expect(opened!.metadata).toMatchObject({ node: "teku #2", client: "teku v25.9.3 (TK), execution client go-ethereum v1.16.5", isSyncing: "true", syncDistance: "40", health: "206" });
    expect(opened!.metadata.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(opened!.description).toMatch(/^Beacon node teku #2 \(teku v25\.9\.3 \(TK\), execution client go-ethereum v1\.16\.5\) at http:\/\/127\.0\.0\.1:\d+ is syncing: 40 slots behind \(head slot 16\); its data is stale$/);
  });

  it("names a client that serves only /eth/v1/node/version (Lodestar 1.22) in its type-B findings, asking v1 only after the first epoch (issue 8)", async () => {
    h = await ConsensusHarness.start({
      ...twoNodes,
      network: { nodes: [{ name: "lighthouse", client: CLIENTS.lighthouse }, { name: "lodestar", client: CLIENTS.lodestar }] },
      quirks: { lodestar: LODESTAR_1_22 },
    });
    await h.runToEpoch(6);
    h.net.setConditions("lodestar", { syncDistance: 40 });
    await h.runToEpoch(8);
    h.net.setConditions("lodestar", { syncDistance: 0 });
    await h.runToEpoch(10);
    expect(h.summary()).toEqual(["CONSENSUS-NODE-SYNCING Medium P2 B opened", "CONSENSUS-NODE-SYNCING Info none B resolved"]);
    const [opened] = h.json();
    expect(opened!.metadata).toMatchObject({ node: "Lodestar #2", client: "Lodestar v1.35.0-3a4b5c6d (LS)" });
    expect(opened!.description).toMatch(/^Beacon node Lodestar #2 \(Lodestar v1\.35\.0-3a4b5c6d \(LS\)\) at http:\/\/127\.0\.0\.1:\d+ is syncing/);
    const calls = h.servers[1]!.countByRoute();
    expect([calls["/eth/v2/node/version"], calls["/eth/v1/node/version"]]).toEqual([1, 11]);
  });

  it("an unhealthy node: EL offline and unreachable (High, P1), optimistic and few peers (Medium, P2), all type B", async () => {
    h = await ConsensusHarness.start(twoNodes);
    await h.runToEpoch(3);
    h.net.setConditions("lighthouse", { health: 206 }); // not ready, and no flag says why
    await h.runToEpoch(4);
    h.net.setConditions("lighthouse", { health: undefined, elOffline: true, optimistic: true, peers: 3 });
    await h.runToEpoch(5);
    h.net.setConditions("lighthouse", { health: 503 });
    await h.runToEpoch(6);
    h.net.setConditions("lighthouse", { down: true });
    await h.runToEpoch(7);
    h.net.setConditions("lighthouse", { down: false, health: undefined, elOffline: false, optimistic: false, peers: 50 });
    await h.runToEpoch(8);
    expect(h.summary()).toEqual([
      "CONSENSUS-NODE-UNHEALTHY Medium P2 B opened", // 206, unexplained: degraded
      "CONSENSUS-NODE-UNHEALTHY Info none B resolved", // 206 explained by the flags below
      "CONSENSUS-NODE-EL-OFFLINE High P1 B opened",
      "CONSENSUS-NODE-OPTIMISTIC Medium P2 B opened",
      "CONSENSUS-NODE-PEERS-LOW Medium P2 B opened",
      "CONSENSUS-NODE-UNHEALTHY High P1 B opened", // 503, then down
      "CONSENSUS-NODE-UNHEALTHY Info none B resolved",
      "CONSENSUS-NODE-EL-OFFLINE Info none B resolved",
      "CONSENSUS-NODE-OPTIMISTIC Info none B resolved",
      "CONSENSUS-NODE-PEERS-LOW Info none B resolved",
    ]);
    expect(h.json().every((f) => f.metadata.node === "Lighthouse #1")).toBe(true);
  });

  it("gives the same findings when driven by the nodes' event streams (split, heal, reorgs)", async () => {
    const run = async (drive: "blocks" | "events") => {
      const hh = await ConsensusHarness.start({ ...twoNodes, drive });
      try {
        await hh.runTo(2 * 8 + 4);
        hh.net.reorg(3);
        await hh.runTo(4 * 8 + 3);
        hh.net.split("teku");
        await hh.runToEpoch(8);
        hh.net.heal("teku");
        await hh.runToEpoch(10);
        expect(hh.violations()).toEqual([]);
        expect(hh.handlerErrors()).toEqual([]);
        return hh.json();
      } finally {
        await hh.close();
      }
    };
    const byBlocks = await run("blocks");
    const byEvents = await run("events");
    expect(byBlocks.map((f) => f.alertId)).toEqual([
      "CONSENSUS-REORG",
      "CONSENSUS-HEADS-DIVERGED",
      "CONSENSUS-SPLIT",
      "CONSENSUS-SPLIT",
      "CONSENSUS-HEADS-DIVERGED",
      "CONSENSUS-REORG",
    ]);
    const byKey = (fs: typeof byBlocks) => [...fs].sort((a, b) => a.uniqueKey.localeCompare(b.uniqueKey));
    expect(byKey(byEvents)).toEqual(byKey(byBlocks));
  });
});
