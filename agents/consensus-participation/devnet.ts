/**
 * consensus-participation's part of the devnet storyline: participation drops of 30% (P0) and
 * 10% (P1), then a third of the stake offline (below 2/3), each followed by recovery.
 */
import type { Scene } from "../../scripts/devnet/scene";
import { stage, type ConsensusStage } from "../../test/beacon/devnet";

async function offline(s: ConsensusStage, participation: number, epochs: number): Promise<void> {
  await s.toEpochEnd();
  s.net.setParticipation(participation);
  await s.epochs(epochs);
  await s.toEpochEnd();
  s.net.setParticipation(1);
}

export const scenes: Scene[] = [
  {
    title: "30% of the validators go offline (Critical drop), recover; then 10% (High drop), recover; then 40% (below 2/3), recover",
    expects: ["CONSENSUS-PARTICIPATION-DROP", "CONSENSUS-PARTICIPATION-BELOW-FINALITY"],
    order: 510,
    async play(world) {
      const s = stage(world);
      await s.epochs(6); // a baseline of finalised epochs
      await offline(s, 0.7, 4);
      await s.epochs(6);
      await offline(s, 0.9, 4);
      await s.epochs(6);
      await offline(s, 0.6, 3);
      await s.epochs(6);
    },
  },
];
