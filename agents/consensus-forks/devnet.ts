/**
 * consensus-forks' part of the devnet storyline, on the devnet's two simulated nodes
 * (lighthouse first, teku second): reorgs, a split and its healing, a syncing node, an
 * unhealthy node.
 */
import type { Scene } from "../../scripts/devnet/scene";
import { stage } from "../../test/beacon/devnet";

export const scenes: Scene[] = [
  {
    title: "a depth-3 reorg, then three one-block reorgs in one epoch",
    expects: ["CONSENSUS-REORG", "CONSENSUS-REORG-RATE"],
    order: 530,
    async play(world) {
      const s = stage(world);
      await s.epochs(2);
      await s.toSlotInEpoch(4);
      s.net.reorg(3);
      await s.epochs(2);
      for (const k of [1, 3, 5]) {
        await s.toSlotInEpoch(k);
        s.net.reorg(1);
      }
      await s.epochs(2);
    },
  },
  {
    title: "teku leaves the network's chain (a consensus split: heads diverge, finality conflicts), then rejoins it (a deep reorg)",
    expects: ["CONSENSUS-HEADS-DIVERGED", "CONSENSUS-SPLIT", "CONSENSUS-REORG"],
    order: 531,
    async play(world) {
      const s = stage(world);
      await s.epochs(1);
      await s.toSlotInEpoch(3);
      s.net.split("teku");
      await s.epochs(5);
      s.net.heal("teku");
      await s.epochs(2);
    },
  },
  {
    title: "teku restarts from an old state and syncs for two epochs",
    expects: ["CONSENSUS-NODE-SYNCING"],
    order: 532,
    async play(world) {
      const s = stage(world);
      s.net.setConditions("teku", { syncDistance: 40 });
      await s.epochs(2);
      s.net.setConditions("teku", { syncDistance: 0 });
      await s.epochs(2);
    },
  },
  {
    title: "lighthouse loses its execution client (optimistic, few peers), then reports 503, then goes down, then recovers",
    expects: ["CONSENSUS-NODE-EL-OFFLINE", "CONSENSUS-NODE-OPTIMISTIC", "CONSENSUS-NODE-PEERS-LOW", "CONSENSUS-NODE-UNHEALTHY"],
    order: 533,
    async play(world) {
      const s = stage(world);
      s.net.setConditions("lighthouse", { elOffline: true, optimistic: true, peers: 3 });
      await s.epochs(2);
      s.net.setConditions("lighthouse", { health: 503 });
      await s.epochs(1);
      s.net.setConditions("lighthouse", { down: true });
      await s.epochs(2);
      s.net.setConditions("lighthouse", { down: false, health: undefined, elOffline: false, optimistic: false, peers: 50 });
      await s.epochs(2);
    },
  },
];
