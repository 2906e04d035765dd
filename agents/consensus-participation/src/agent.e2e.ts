import { ConsensusHarness } from "../../../test/beacon/harness";
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
});
