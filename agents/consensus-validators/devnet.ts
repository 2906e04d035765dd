/**
 * consensus-validators' part of the devnet storyline: a single slashing, a mass slashing, and a
 * burst of exits that then takes validators out of the active set.
 */
import type { Scene } from "../../scripts/devnet/scene";
import { stage } from "../../test/beacon/devnet";

export const scenes: Scene[] = [
  {
    title: "one validator is slashed (P2), then 8 of 64 by one attester slashing (P1); 8 others exit at once and leave the active set",
    expects: ["CONSENSUS-SLASHING", "CONSENSUS-EXIT-BURST", "CONSENSUS-ACTIVE-VALIDATORS-DROP"],
    order: 520,
    async play(world) {
      const s = stage(world);
      await s.epochs(2); // a first snapshot of the validator set
      s.net.slash({ proposers: [1] });
      await s.epochs(2);
      s.net.slash({ attesters: [2, 3, 4, 5, 6, 7, 8, 9] });
      await s.epochs(2);
      s.net.exit([40, 41, 42, 43, 44, 45, 46, 47]);
      await s.epochs(8); // exits take effect 5 epochs after inclusion
    },
  },
];
