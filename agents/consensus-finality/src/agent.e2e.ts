import { ConsensusHarness } from "../../../test/beacon/harness";
import { createAgent } from "./agent";

describe("consensus-finality against a simulated beacon node", () => {
  let h: ConsensusHarness | undefined;
  afterEach(async () => {
    if (!h) return;
    await h.close();
    expect(h.violations()).toEqual([]);
    h = undefined;
  });

  it("says nothing on a healthy chain, with one Beacon API call per epoch", async () => {
    h = await ConsensusHarness.start({ bots: { "consensus-finality": createAgent } });
    await h.runToEpoch(10);
    expect(h.summary()).toEqual([]);
    const calls = h.servers[0]!.countByRoute();
    expect(calls).toEqual({
      "/eth/v1/beacon/genesis": 1,
      "/eth/v1/config/spec": 1,
      "/eth/v1/beacon/states/{state_id}/finality_checkpoints": 11, // epochs 0..10
    });
  });

  it("warns of the justification stall an epoch early, opens at 4 epochs without finality (P1), escalates at 10 (P0) and reports the recovery", async () => {
    h = await ConsensusHarness.start({ bots: { "consensus-finality": createAgent } });
    await h.runToEpoch(4);
    h.net.setParticipation(0.5); // below 2/3: nothing justifies, nothing finalises
    await h.runToEpoch(16);
    h.net.setParticipation(1);
    await h.runToEpoch(20);
    const f = h.json();
    expect(h.summary()).toEqual([
      "CONSENSUS-JUSTIFICATION-STALLED Medium P2 A opened",
      "CONSENSUS-FINALITY-LOST High P1 A opened",
      "CONSENSUS-FINALITY-LOST Critical P0 A escalated",
      "CONSENSUS-JUSTIFICATION-STALLED Info none A resolved",
      "CONSENSUS-FINALITY-RESTORED Info none A resolved",
    ]);
    // Epoch 4 is not justified: at epoch 5 the justified checkpoint (3) is 2 epochs old, an epoch
    // before finality is lost. Last finalized epoch 2 (finalized at epoch 4): leak from epoch 6,
    // critical from epoch 12.
    expect(f.map((x) => [x.metadata.epoch, x.metadata.finalizedEpoch, x.metadata.epochsSinceFinality, x.metadata.epochsSinceJustification])).toEqual([
      ["5", "2", "3", "2"],
      ["6", "2", "4", "3"],
      ["12", "2", "10", "9"],
      ["17", "2", "15", "1"],
      ["18", "16", "2", "1"],
    ]);
    expect(f[0]!.description).toBe("No epoch justified for 2 epochs (current justified epoch 3, now epoch 5): fewer than 2/3 of the stake attests to the target");
    expect(f[1]!.description).toBe("Ethereum has not finalised for 4 epochs (last finalized epoch 2, now epoch 6): the inactivity leak is under way");
    expect(f[2]!.description).toBe("Ethereum has not finalised for 10 epochs (last finalized epoch 2, now epoch 12): 10+ epochs without finality");
    expect(f[4]!.metadata).toMatchObject({ episodeId: "finality@epoch6", episodePeak: "critical", episodeEpochs: "12" });
    // Timestamps are the epoch's start: the execution block of its first slot.
    expect(f[1]!.timestamp).toBe(new Date(h.net.timestampOf(6 * 8) * 1000).toISOString());
  });

  it("gives the same findings when driven by the beacon node's event stream", async () => {
    const run = async (drive: "blocks" | "events") => {
      const hh = await ConsensusHarness.start({ bots: { "consensus-finality": createAgent }, drive });
      try {
        await hh.runToEpoch(3);
        hh.net.setParticipation(0.6);
        await hh.runToEpoch(9);
        hh.net.setParticipation(1);
        await hh.runToEpoch(12);
        expect(hh.violations()).toEqual([]);
        expect(hh.handlerErrors()).toEqual([]);
        return hh.json();
      } finally {
        await hh.close();
      }
    };
    const byBlocks = await run("blocks");
    const byEvents = await run("events");
    expect(byBlocks.length).toBeGreaterThan(0);
    expect(byEvents).toEqual(byBlocks);
  });
});
