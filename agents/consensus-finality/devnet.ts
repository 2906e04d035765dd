/**
 * consensus-finality's part of the devnet storyline: half the validators go offline long
 * enough for 10+ epochs without finality, then come back.
 */
import type { Scene } from "../../scripts/devnet/scene";
import { stage } from "../../test/beacon/devnet";

export const scenes: Scene[] = [
  {
    title: "half the validators go offline: justification stalls, finality is lost (inactivity leak, then 10+ epochs), then they return and finality resumes",
    expects: ["CONSENSUS-JUSTIFICATION-STALLED", "CONSENSUS-FINALITY-LOST", "CONSENSUS-FINALITY-RESTORED"],
    order: 500,
    async play(world) {
      const s = stage(world);
      await s.epochs(3); // a healthy start
      await s.toEpochEnd();
      s.net.setParticipation(0.5);
      await s.epochs(13);
      await s.toEpochEnd();
      s.net.setParticipation(1);
      await s.epochs(5);
    },
  },
];
