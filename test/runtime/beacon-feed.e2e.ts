/**
 * The runtime feeding consensus bots from the beacon nodes' SSE event streams as well as from
 * execution blocks: the live run (both paths) reports exactly what a later execution-blocks-only
 * run over the same blocks reports, each finding once.
 */
import { startAnvil, type AnvilChain } from "../chain/anvil";
import { BeaconDevnet, type ExecutionDriver } from "../beacon/devnet";
import { loadBots } from "../../shared/runtime/discovery";
import { Runtime } from "../../shared/runtime/runtime";
import { MemorySink } from "../../shared/runtime/sinks";
import { quietLog, rpcFor } from "./helpers";

jest.setTimeout(5 * 60_000);

const BOTS = ["consensus-finality", "consensus-participation"];

describe("beacon event streams in the runtime", () => {
  let l1: AnvilChain;
  let beacon: BeaconDevnet;
  afterAll(async () => {
    await beacon?.close();
    await l1?.stop();
  });

  it("gives the same findings, once each, as the execution-block path alone", async () => {
    l1 = await startAnvil({ chainId: 1 });
    beacon = await BeaconDevnet.start({ rpcUrl: l1.url });
    const env = beacon.env();
    const live = new MemorySink();
    const runtime = new Runtime({
      rpc: rpcFor(l1.url),
      bots: loadBots(BOTS),
      env,
      sinks: [live],
      log: quietLog(),
      pollIntervalMs: 50,
      beaconEventUrls: env.BEACON_API_URL!.split(","),
    });
    await runtime.open();
    const first = (await l1.blockNumber()) + 1;
    let done = false;
    let last = Infinity;
    const following = runtime.follow({ from: first, until: (next) => done && next > last });
    const driver: ExecutionDriver = {
      mine: async (t) => {
        await l1.setNextBlockTimestamp(t);
        await l1.mine(1);
      },
      settle: async () => {
        const head = await l1.blockNumber();
        while ((runtime.cursor() ?? 0) <= head) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 100)); // let the event streams catch up too
      },
    };
    await beacon.advanceEpochs(3, driver);
    beacon.net.setParticipation(0.5); // finality stalls, participation drops
    await beacon.advanceEpochs(7, driver);
    beacon.net.setParticipation(1);
    await beacon.advanceEpochs(4, driver);
    last = await l1.blockNumber();
    done = true;
    await following;
    await runtime.close();
    expect(runtime.beaconStats.events).toBeGreaterThan(0);
    expect(runtime.beaconStats.failures).toBe(0);

    const keys = live.findings.map((f) => f.finding.uniqueKey);
    expect(new Set(keys).size).toBe(keys.length); // each once
    expect(live.findings.map((f) => f.finding.alertId)).toEqual(expect.arrayContaining(["CONSENSUS-FINALITY-LOST", "CONSENSUS-FINALITY-RESTORED", "CONSENSUS-PARTICIPATION-BELOW-FINALITY"]));

    // the same blocks again, execution blocks only
    const replay = new MemorySink();
    const blocksOnly = new Runtime({ rpc: rpcFor(l1.url), bots: loadBots(BOTS), env, sinks: [replay], log: quietLog() });
    await blocksOnly.open();
    await blocksOnly.runRange(first, last);
    await blocksOnly.close();
    const summary = (fs: typeof live.findings) => fs.map((f) => `${f.finding.alertId} ${f.finding.uniqueKey} ${f.finding.description}`).sort();
    expect(summary(live.findings)).toEqual(summary(replay.findings));
  });
});
