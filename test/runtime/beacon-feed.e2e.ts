/**
 * The runtime feeding consensus bots from the beacon nodes' SSE event streams as well as from
 * execution blocks: the live run (both paths) reports exactly what a later execution-blocks-only
 * run over the same blocks reports, each finding once; findings do come through the event path
 * (each epoch's events reach the runtime before its execution block is mined), and every beacon
 * answer and event follows the spec.
 */
import { startAnvil, type AnvilChain } from "../chain/anvil";
import { BeaconDevnet, type ExecutionDriver } from "../beacon/devnet";
import { loadBots } from "../../shared/runtime/discovery";
import { Runtime } from "../../shared/runtime/runtime";
import { MemorySink } from "../../shared/runtime/sinks";
import { quietLog, rpcFor } from "./helpers";

jest.setTimeout(10 * 60_000);

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
    /** until `cond` holds; a deadline only so that a broken run fails saying what it waited for */
    const until = async (cond: () => boolean, what: string) => {
      const end = Date.now() + 240_000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    // Every event the nodes have written to the runtime's streams has been dispatched to the bots
    // (streams deliver in order, one at a time: the last one's handler has at least been called).
    const sent = () => beacon.servers.reduce((n, s) => n + s.eventsSent, 0);
    const eventsCaughtUp = () => until(() => runtime.beaconStats.events >= sent(), `the runtime to take the ${sent()} events the nodes sent`);
    const driver: ExecutionDriver = {
      mine: async (t) => {
        // The simulation has already moved to the new epoch: let its events reach the bots first,
        // so that the event path sees each epoch before the execution block does.
        await eventsCaughtUp();
        await l1.setNextBlockTimestamp(t);
        await l1.mine(1);
      },
      settle: async () => {
        const head = await l1.blockNumber();
        await until(() => (runtime.cursor() ?? 0) > head, `the runtime to handle block ${head}`);
        await eventsCaughtUp();
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
    expect(runtime.beaconStats.events).toBe(sent());
    expect(runtime.beaconStats.failures).toBe(0);
    // findings did come through the event path (the block path found their epochs already checked)
    expect(runtime.beaconStats.findings).toBeGreaterThan(0);
    expect(beacon.violations()).toEqual([]);

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

  it("a beacon route failing for epochs is one failure episode per path (block, event), not a finding per attempt (issue 8)", async () => {
    const chain = await startAnvil({ chainId: 1 });
    const net = await BeaconDevnet.start({ rpcUrl: chain.url });
    try {
      const env = net.env();
      const sink = new MemorySink();
      const runtime = new Runtime({
        rpc: rpcFor(chain.url),
        bots: loadBots(["consensus-participation"]),
        env,
        sinks: [sink],
        log: quietLog(),
        pollIntervalMs: 50,
        beaconEventUrls: env.BEACON_API_URL!.split(","),
      });
      await runtime.open();
      let done = false;
      let last = Infinity;
      const following = runtime.follow({ from: (await chain.blockNumber()) + 1, until: (next) => done && next > last });
      const until = async (cond: () => boolean, what: string) => {
        const end = Date.now() + 240_000;
        while (!cond()) {
          if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      const sent = () => net.servers.reduce((n, sv) => n + sv.eventsSent, 0);
      const eventsCaughtUp = () => until(() => runtime.beaconStats.events >= sent(), "the runtime to take the events");
      const driver: ExecutionDriver = {
        mine: async (t) => {
          await eventsCaughtUp();
          await chain.setNextBlockTimestamp(t);
          await chain.mine(1);
        },
        settle: async () => {
          const head = await chain.blockNumber();
          await until(() => (runtime.cursor() ?? 0) > head, `the runtime to handle block ${head}`);
          await eventsCaughtUp();
        },
      };
      const ROUTE = "/eth/v1/beacon/rewards/attestations/{epoch}";
      await net.advanceEpochs(3, driver);
      for (const sv of net.servers) sv.failRoute(ROUTE, 500); // every node fails the rewards route for 5 epochs
      await net.advanceEpochs(5, driver);
      for (const sv of net.servers) sv.restoreRoute(ROUTE);
      await net.advanceEpochs(3, driver);
      last = await chain.blockNumber();
      done = true;
      await following;
      await runtime.close();
      expect(runtime.beaconStats.failures).toBeGreaterThan(10); // every head event of those epochs failed
      const own = sink.findings.filter((f) => f.bot === "vigil-runtime").map((f) => `${f.finding.alertId} ${f.finding.metadata.handler} ${f.finding.metadata.episode}`);
      // one episode per path, opened once and resolved once the route answers again
      expect([...own].sort()).toEqual([
        "VIGIL-BOT-ERROR handleBeaconEvent opened",
        "VIGIL-BOT-ERROR handleBeaconEvent resolved",
        "VIGIL-BOT-ERROR handleBlock opened",
        "VIGIL-BOT-ERROR handleBlock resolved",
      ]);
      expect(runtime.openFailures).toEqual({});
    } finally {
      await net.close();
      await chain.stop();
    }
  });
});
