import { ConsensusHarness } from "../../../test/beacon/harness";
import { LODESTAR_1_22 } from "../../../test/beacon/server";
import { CLIENTS } from "../../../test/beacon/sim/network";
import { outOfSpec } from "../../../shared/out-of-spec";
import { createAgent } from "./agent";

const bots = { "consensus-participation": createAgent };

describe("consensus-participation against a simulated beacon node", () => {
  let h: ConsensusHarness | undefined;
  afterEach(async () => {
    if (!h) return;
    await h.close();
    expect(h.violations()).toEqual([]);
    h = undefined;
  });

  it("says nothing on a healthy chain, with three Beacon API calls per epoch", async () => {
    h = await ConsensusHarness.start({ bots });
    await h.runToEpoch(12);
    expect(h.summary()).toEqual([]);
    // epochs 2..12 measure epochs 0..10
    expect(h.servers[0]!.countByRoute()).toEqual({
      "/eth/v1/beacon/genesis": 1,
      "/eth/v1/config/spec": 1,
      "/eth/v1/beacon/rewards/attestations/{epoch}": 11,
      "/eth/v1/beacon/states/{state_id}/validators": 11,
      "/eth/v1/beacon/states/{state_id}/finality_checkpoints": 11,
    });
  });

  it("a 30% drop is Critical (P0); it resolves when participation recovers", async () => {
    h = await ConsensusHarness.start({ bots });
    await h.runTo(8 * 8 - 1); // conditions change from the first slot of epoch 8
    h.net.setParticipation(0.7); // 45 of 64 validators attest
    await h.runToEpoch(12);
    h.net.setParticipation(1);
    await h.runToEpoch(15);
    expect(h.summary()).toEqual(["CONSENSUS-PARTICIPATION-DROP Critical P0 A opened", "CONSENSUS-PARTICIPATION-DROP Info none A resolved"]);
    const [opened, resolved] = h.json();
    expect(opened!.metadata).toMatchObject({
      participationEpoch: "8",
      targetParticipation: "0.703125",
      baseline: "1.000000",
      drop: "0.296875",
      activeValidators: "64",
      targetValidators: "45",
      level: "severe",
    });
    expect(opened!.description).toBe(
      "Target participation in epoch 8 was 70.31% of the active stake, 29.68% below its baseline of 100.00% (median of 8 finalised epochs)",
    );
    expect(resolved!.metadata).toMatchObject({ participationEpoch: "12", episodeId: opened!.metadata.episodeId });
  });

  it("a 10% drop is High (P1)", async () => {
    h = await ConsensusHarness.start({ bots });
    await h.runTo(8 * 8 - 1); // conditions change from the first slot of epoch 8
    h.net.setParticipation(0.9); // 58 of 64
    await h.runToEpoch(12);
    expect(h.summary()).toEqual(["CONSENSUS-PARTICIPATION-DROP High P1 A opened"]);
    expect(h.json()[0]!.metadata).toMatchObject({ targetParticipation: "0.906250", dropPct: "9.37%", level: "drop" });
  });

  it("weighs validators by effective balance", async () => {
    // validators 0, 4, 8, ... have 64 ETH (compounding), the others 32 ETH: 2560 ETH in all
    h = await ConsensusHarness.start({ bots, network: { effectiveBalance: (i) => (i % 4 === 0 ? 64_000_000_000n : 32_000_000_000n) } });
    await h.runTo(8 * 8 - 1); // conditions change from the first slot of epoch 8
    h.net.setOffline([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15]); // 12 x 32 ETH: 81% of validators, 85% of stake
    await h.runToEpoch(11);
    expect(h.summary()).toEqual(["CONSENSUS-PARTICIPATION-DROP High P1 A opened"]);
    expect(h.json()[0]!.metadata).toMatchObject({ targetParticipation: "0.850000", activeBalanceGwei: "2560000000000", targetBalanceGwei: "2176000000000" });
  });

  it("target participation below 2/3 is Critical: finality at risk", async () => {
    h = await ConsensusHarness.start({ bots });
    await h.runTo(8 * 8 - 1); // conditions change from the first slot of epoch 8
    h.net.setParticipation(0.5);
    await h.runTo(14 * 8 - 1);
    h.net.setParticipation(1);
    await h.runToEpoch(20);
    expect(h.summary()).toEqual([
      "CONSENSUS-PARTICIPATION-DROP Critical P0 A opened",
      "CONSENSUS-PARTICIPATION-BELOW-FINALITY Critical P0 A opened",
      "CONSENSUS-PARTICIPATION-DROP Info none A resolved",
      "CONSENSUS-PARTICIPATION-BELOW-FINALITY Info none A resolved",
    ]);
    const f = h.json();
    expect(f[1]!.metadata).toMatchObject({ targetParticipation: "0.500000", participationEpoch: "8" });
    expect(f[1]!.description).toBe("Only 50.00% of the active stake attested to the right target in epoch 8: below the 2/3 finality needs");
  });

  it("reports the same drop from a Lodestar that sends rewards as decimals, and says once that it answers out of spec (issue 8)", async () => {
    outOfSpec.clear();
    h = await ConsensusHarness.start({ bots, network: { nodes: [{ name: "lodestar", client: CLIENTS.lodestar }] }, quirks: { lodestar: LODESTAR_1_22 } });
    await h.runTo(8 * 8 - 1);
    h.net.setParticipation(0.7);
    await h.runToEpoch(12);
    h.net.setParticipation(1);
    await h.runToEpoch(15);
    expect(h.summary()).toEqual(["CONSENSUS-PARTICIPATION-DROP Critical P0 A opened", "CONSENSUS-PARTICIPATION-DROP Info none A resolved"]);
    expect(h.json()[0]!.metadata).toMatchObject({ participationEpoch: "8", targetParticipation: "0.703125", targetValidators: "45" });
    expect(h.servers[0]!.outOfSpecAnswers).toBe(14); // every rewards answer (epochs 0..13)
    expect(outOfSpec.entries()).toEqual([expect.objectContaining({ deviation: "decimal-rewards", count: 14 })]);
  });

  it("measures every epoch on time when epochs start with empty slots, on a client without states there (Lodestar) (issue 8)", async () => {
    const run = async (client: "lodestar" | "lighthouse") => {
      const hh = await ConsensusHarness.start({ bots, network: { nodes: [{ name: client, client: CLIENTS[client] }] }, quirks: client === "lodestar" ? { lodestar: LODESTAR_1_22 } : {} });
      try {
        await hh.runTo(8 * 8 - 1);
        hh.net.setParticipation(0.7);
        hh.net.skipSlots([64, 65, 72, 80, 81, 82, 88, 96]); // the first slots of epochs 8 to 12
        await hh.runToEpoch(12);
        hh.net.setParticipation(1);
        await hh.runToEpoch(15);
        return { findings: hh.json(), violations: hh.violations() };
      } finally {
        await hh.close();
      }
    };
    const lodestar = await run("lodestar");
    expect(lodestar.violations).toEqual([]);
    expect(lodestar.findings.map((f) => `${f.alertId} ${f.metadata.episode} measured ${f.metadata.participationEpoch} at ${f.metadata.epoch}`)).toEqual([
      "CONSENSUS-PARTICIPATION-DROP opened measured 8 at 10",
      "CONSENSUS-PARTICIPATION-DROP resolved measured 12 at 14",
    ]);
    expect(lodestar.findings).toEqual((await run("lighthouse")).findings);
  });

  it("measures an epoch without any block (its state does not exist on Lodestar) like the others (issue 8)", async () => {
    const run = async (client: "lodestar" | "lighthouse") => {
      const hh = await ConsensusHarness.start({ bots, network: { nodes: [{ name: client, client: CLIENTS[client] }] }, quirks: client === "lodestar" ? { lodestar: LODESTAR_1_22 } : {} });
      try {
        await hh.runTo(9 * 8 - 1);
        hh.net.setParticipation(0.5);
        hh.net.skipSlots([72, 73, 74, 75, 76, 77, 78, 79]); // all of epoch 9
        await hh.runTo(11 * 8 - 1);
        hh.net.setParticipation(1);
        await hh.runToEpoch(15);
        return { findings: hh.json(), violations: hh.violations() };
      } finally {
        await hh.close();
      }
    };
    const lodestar = await run("lodestar");
    expect(lodestar.violations).toEqual([]);
    // epoch 9 (no block) is measured at epoch 11 like any other: half the stake missed its target
    expect(lodestar.findings.map((f) => `${f.alertId} ${f.metadata.episode} measured ${f.metadata.participationEpoch} at ${f.metadata.epoch}: ${f.metadata.targetParticipation}`)).toEqual([
      "CONSENSUS-PARTICIPATION-DROP opened measured 8 at 10: 0.875000",
      "CONSENSUS-PARTICIPATION-DROP escalated measured 9 at 11: 0.500000",
      "CONSENSUS-PARTICIPATION-BELOW-FINALITY opened measured 9 at 11: 0.500000",
      "CONSENSUS-PARTICIPATION-DROP resolved measured 11 at 13: 1.000000",
      "CONSENSUS-PARTICIPATION-BELOW-FINALITY resolved measured 11 at 13: 1.000000",
    ]);
    expect(lodestar.findings).toEqual((await run("lighthouse")).findings);
  });
});
