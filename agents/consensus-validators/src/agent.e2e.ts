import { ConsensusHarness } from "../../../test/beacon/harness";
import { bytesHex } from "../../../test/beacon/sim/hash";
import { createAgent } from "./agent";
import { LODESTAR_1_22 } from "../../../test/beacon/server";
import { CLIENTS } from "../../../test/beacon/sim/network";

const bots = { "consensus-validators": createAgent };

describe("consensus-validators against a simulated beacon node", () => {
  let h: ConsensusHarness | undefined;
  afterEach(async () => {
    if (!h) return;
    await h.close();
    expect(h.violations()).toEqual([]);
    h = undefined;
  });

  it("says nothing on a healthy chain, with one Beacon API call per epoch", async () => {
    h = await ConsensusHarness.start({ bots });
    await h.runToEpoch(10);
    expect(h.summary()).toEqual([]);
    expect(h.servers[0]!.countByRoute()).toEqual({
      "/eth/v1/beacon/genesis": 1,
      "/eth/v1/config/spec": 1,
      "/eth/v1/beacon/states/{state_id}/validators": 11,
    });
    // one request per epoch reads the active validators and the exited slashed ones
    const paths = h.servers[0]!.requests.filter((r) => r.route === "/eth/v1/beacon/states/{state_id}/validators").map((r) => r.path);
    expect(paths).toContain("/eth/v1/beacon/states/80/validators?status=active&status=exited_slashed");
  });

  it("a slashing of fewer than 10% of validators is Medium (P2), attributed to its block", async () => {
    h = await ConsensusHarness.start({ bots });
    await h.runTo(5 * 8 + 2);
    h.net.slash({ proposers: [7] });
    await h.runToEpoch(8);
    expect(h.summary()).toEqual(["CONSENSUS-SLASHING Medium P2 A -"]);
    expect(h.json()[0]!.metadata).toMatchObject({
      epoch: "6",
      slashed: "1",
      validators: "7",
      proposerSlashed: "7",
      attesterSlashed: "",
      includedInSlots: "43",
      fractionOfActive: "0.015625",
    });
    expect(h.json()[0]!.description).toBe("1 validator slashed (1 by proposer slashing, 0 by attester slashing): 1.56% of the active validators");
    // The epoch's blocks (slots 41..48) are read only when there is a new slashing to attribute.
    expect(h.servers[0]!.countByRoute()["/eth/v2/beacon/blocks/{block_id}"]).toBe(8);
  });

  it("slashings of more than 10% of validators are High (P1)", async () => {
    h = await ConsensusHarness.start({ bots });
    await h.runTo(5 * 8 + 2);
    h.net.slash({ attesters: [10, 11, 12, 13, 14, 15, 16], proposers: [30] }); // 8 of 64
    await h.runToEpoch(8);
    expect(h.summary()).toEqual(["CONSENSUS-SLASHING High P1 A -"]);
    expect(h.json()[0]!.metadata).toMatchObject({ slashed: "8", validators: "10-16,30", attesterSlashed: "10-16", proposerSlashed: "30", fractionOfActive: "0.125000" });
  });

  it("a slashing of more than 10% of a configured operator set is High (P1)", async () => {
    const pubkeyOf21 = `0x${bytesHex(48, "vigil", "pubkey", 21)}`; // the simulator's key for validator 21
    h = await ConsensusHarness.start({ bots, env: { VALIDATORS_OPERATOR_SET: `20,${pubkeyOf21},22,23,24` } });
    await h.runTo(5 * 8 + 2);
    h.net.slash({ proposers: [21] });
    await h.runToEpoch(8);
    expect(h.summary()).toEqual(["CONSENSUS-SLASHING High P1 A -"]);
    expect(h.json()[0]!.metadata).toMatchObject({ operatorSetSlashed: "1", fractionOfOperatorSet: "0.200000" });
  });

  it("with an operator set, a slashing outside it does not mention the set in its description", async () => {
    h = await ConsensusHarness.start({ bots, env: { VALIDATORS_OPERATOR_SET: "20,21,22,23,24" } });
    await h.runTo(5 * 8 + 2);
    h.net.slash({ proposers: [7] });
    await h.runToEpoch(8);
    expect(h.summary()).toEqual(["CONSENSUS-SLASHING Medium P2 A -"]);
    expect(h.json()[0]!.description).toBe("1 validator slashed (1 by proposer slashing, 0 by attester slashing): 1.56% of the active validators");
    expect(h.json()[0]!.metadata).toMatchObject({ operatorSetSlashed: "0", fractionOfOperatorSet: "0.000000" });
  });

  it("a validator slashed after its exit, before it is withdrawable (exited_slashed), is reported", async () => {
    h = await ConsensusHarness.start({ bots });
    await h.runTo(4 * 8 + 2);
    h.net.exit([20]); // included at slot 35: exit epoch 4 + 1 + 4 = 9
    await h.runTo(10 * 8 + 2);
    h.net.slash({ proposers: [20] }); // included at slot 83, in epoch 10: exited, not withdrawable until epoch 265
    await h.runToEpoch(12);
    expect(h.summary()).toEqual([
      "CONSENSUS-ACTIVE-VALIDATORS-DROP High P1 A opened", // 63 of 64 from epoch 9
      "CONSENSUS-SLASHING Medium P2 A -",
    ]);
    expect(h.json()[1]!.metadata).toMatchObject({ epoch: "11", slashed: "1", validators: "20", proposerSlashed: "20", includedInSlots: "83", activeValidators: "63" });
  });

  it("validators slashed while active are not reported again when they become exited_slashed", async () => {
    h = await ConsensusHarness.start({ bots, env: { VALIDATORS_DROP_FRACTION: "0.5" } });
    await h.runTo(2 * 8 + 2);
    h.net.slash({ proposers: [7] }); // slot 19: active_slashed until its exit epoch 2 + 1 + 4 = 7, then exited_slashed
    await h.runToEpoch(10);
    expect(h.summary()).toEqual(["CONSENSUS-SLASHING Medium P2 A -"]);
  });

  it("a snapshot from before exited_slashed validators were read does not make old ones new", async () => {
    h = await ConsensusHarness.start({ bots, env: { VALIDATORS_DROP_FRACTION: "0.5" } });
    await h.runTo(2 * 8 + 2);
    h.net.slash({ proposers: [7] });
    await h.runToEpoch(9); // validator 7 exited_slashed from epoch 7
    const s = h.stateOf("consensus-validators").validators as { last: { slashed: number[]; withExited?: true } };
    // as an earlier version left it: active_slashed only
    s.last.slashed = [];
    delete s.last.withExited;
    await h.runToEpoch(11);
    expect(h.summary()).toEqual(["CONSENSUS-SLASHING Medium P2 A -"]);
  });

  it("a burst of exits (Medium, P2), then the active count falling (High, P1) when they take effect", async () => {
    h = await ConsensusHarness.start({ bots });
    await h.runTo(4 * 8 + 2);
    h.net.exit([50, 51, 52, 53, 54, 55, 56, 57]); // included at slot 35: exit epoch 4 + 1 + 4 = 9
    await h.runToEpoch(12);
    expect(h.summary()).toEqual(["CONSENSUS-EXIT-BURST Medium P2 A -", "CONSENSUS-ACTIVE-VALIDATORS-DROP High P1 A opened"]);
    const [burst, drop] = h.json();
    expect(burst!.metadata).toMatchObject({ epoch: "5", exits: "8", validators: "50-57", threshold: "8" });
    expect(drop!.metadata).toMatchObject({ epoch: "9", activeValidators: "56", referenceValidators: "64", dropPct: "12.50%" });
  });

  it("reports a slashing in the same epoch when epochs start with empty slots, on a client without states there (Lodestar) (issue 8)", async () => {
    const run = async (client: "lodestar" | "lighthouse") => {
      const hh = await ConsensusHarness.start({ bots, network: { nodes: [{ name: client, client: CLIENTS[client] }] }, quirks: client === "lodestar" ? { lodestar: LODESTAR_1_22 } : {} });
      try {
        hh.net.skipSlots([40, 41, 48, 49, 56]);
        await hh.runTo(5 * 8 + 2);
        hh.net.slash({ proposers: [7] });
        await hh.runToEpoch(8);
        return { findings: hh.json(), violations: hh.violations() };
      } finally {
        await hh.close();
      }
    };
    const lodestar = await run("lodestar");
    expect(lodestar.violations).toEqual([]);
    expect(lodestar.findings.map((f) => `${f.alertId} epoch ${f.metadata.epoch} validators ${f.metadata.validators} slots ${f.metadata.includedInSlots}`)).toEqual([
      "CONSENSUS-SLASHING epoch 6 validators 7 slots 43",
    ]);
    expect(lodestar.findings).toEqual((await run("lighthouse")).findings);
  });
});
