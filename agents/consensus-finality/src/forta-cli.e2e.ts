/**
 * Deployable to Forta unchanged: on a local execution chain (anvil) whose block timestamps fall
 * on the slots of simulated beacon nodes, `forta-agent run --range A..B` gives the same findings
 * as our runtime over the same blocks.
 */
import { resolve } from "path";
import { startAnvil, type AnvilChain } from "../../../test/chain/anvil";
import { BeaconDevnet } from "../../../test/beacon/devnet";
import { runBots, alertsOf } from "../../../shared/testing/chain";
import { findingShapes, runFortaCli } from "../../../shared/testing/forta-cli";

describe("consensus-finality under the forta-agent CLI", () => {
  let chain: AnvilChain;
  let beacon: BeaconDevnet;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 1 });
    beacon = await BeaconDevnet.start({ rpcUrl: chain.url, followMs: 0 });
  });
  afterAll(async () => {
    await beacon?.close();
    await chain?.stop();
  });

  it("gives the same findings as our runtime over the same execution blocks", async () => {
    // one execution block at the start of each epoch, the beacon chain following
    const mine = {
      mine: async (timestamp: number) => {
        await chain.setNextBlockTimestamp(timestamp);
        await chain.mine(1);
      },
    };
    const from = (await chain.blockNumber()) + 1;
    await beacon.advanceEpochs(4, mine); // a chain that finalises normally (epoch 2 at epoch 4)
    beacon.net.setParticipation(0.5);
    await beacon.advanceEpochs(12, mine);
    beacon.net.setParticipation(1);
    await beacon.advanceEpochs(5, mine);
    const to = await chain.blockNumber();
    const env = beacon.env();

    const ours = await runBots({ url: chain.url, bots: ["consensus-finality"], from, to, env });
    const cli = await runFortaCli({ botDir: resolve(__dirname, ".."), rpcUrl: chain.url, from, to, env });

    expect(alertsOf(ours)).toEqual([
      "CONSENSUS-JUSTIFICATION-STALLED Medium opened",
      "CONSENSUS-FINALITY-LOST High opened",
      "CONSENSUS-FINALITY-LOST Critical escalated",
      "CONSENSUS-JUSTIFICATION-STALLED Info resolved",
      "CONSENSUS-FINALITY-RESTORED Info resolved",
    ]);
    expect(findingShapes(cli.findings)).toEqual(findingShapes(ours));
    expect(beacon.violations()).toEqual([]);
  });
});
