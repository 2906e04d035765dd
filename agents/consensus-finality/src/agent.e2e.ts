import { ConsensusHarness } from "../../../test/beacon/harness";
import { createAgent } from "./agent";
import { LODESTAR_1_22 } from "../../../test/beacon/server";
import { CLIENTS } from "../../../test/beacon/sim/network";

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

  it("opens and escalates on time when epochs start with empty slots, on a client without states there (Lodestar) as on one with them (issue 8)", async () => {
    const run = async (client: "lodestar" | "lighthouse", drive: "blocks" | "events" = "blocks") => {
      const hh = await ConsensusHarness.start({
        bots: { "consensus-finality": createAgent },
        drive,
        network: { nodes: [{ name: client, client: CLIENTS[client] }] },
        quirks: client === "lodestar" ? { lodestar: LODESTAR_1_22 } : {},
      });
      try {
        await hh.runToEpoch(4);
        hh.net.setParticipation(0.5);
        // an outage: the first three slots of every epoch from 5 to 15 have no block
        hh.net.skipSlots([...Array(11).keys()].flatMap((k) => [0, 1, 2].map((i) => (5 + k) * 8 + i)));
        await hh.runToEpoch(16);
        hh.net.setParticipation(1);
        await hh.runToEpoch(20);
        expect(hh.handlerErrors()).toEqual([]);
        return { findings: hh.json(), requests: hh.servers[0]!.requests, violations: hh.violations() };
      } finally {
        await hh.close();
      }
    };
    const lodestar = await run("lodestar");
    const lighthouse = await run("lighthouse");
    const byEvents = await run("lodestar", "events");
    expect(lodestar.violations).toEqual([]);
    const summary = (fs: typeof lodestar.findings) => fs.map((x) => `${x.alertId} ${x.metadata.episode} epoch ${x.metadata.epoch} finalized ${x.metadata.finalizedEpoch}`);
    // as on a chain without empty slots: justification stall at 5, leak at 6, P0 at 12
    expect(summary(lodestar.findings).slice(0, 3)).toEqual([
      "CONSENSUS-JUSTIFICATION-STALLED opened epoch 5 finalized 2",
      "CONSENSUS-FINALITY-LOST opened epoch 6 finalized 2",
      "CONSENSUS-FINALITY-LOST escalated epoch 12 finalized 2",
    ]);
    expect(lodestar.findings.map((f) => f.metadata.episode)).toEqual(["opened", "opened", "escalated", "resolved", "resolved"]);
    // the same findings, keys included, as from a client that serves states at empty slots
    expect(lodestar.findings).toEqual(lighthouse.findings);
    expect(byEvents.findings).toEqual(lodestar.findings);
    // Lodestar said 404 at the empty first slots, and was asked at the epoch's first block instead
    const states = lodestar.requests.filter((r) => r.route === "/eth/v1/beacon/states/{state_id}/finality_checkpoints");
    expect(states.filter((r) => r.status === 404).length).toBeGreaterThanOrEqual(11);
    expect(states.filter((r) => r.status === 200).map((r) => r.path)).toContain("/eth/v1/beacon/states/43/finality_checkpoints");
  });
});
