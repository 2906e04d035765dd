import { createBlockEvent, type Finding } from "forta-agent";
import type { BotContext } from "../bot";
import { createLogger } from "../log";
import { TransientError, AllEndpointsFailedError } from "../net/retry";
import { RpcClient } from "../rpc/client";
import { HttpTransport } from "../rpc/transport";
import { BeaconClient } from "./client";
import { BeaconUnavailableError, CheckGaveUpError, MAX_ATTEMPTS_PER_EPOCH, createConsensusAgent } from "./agent";
import { BeaconAnswerError } from "./errors";
import type { BeaconClock } from "./clock";
import { SimNetwork } from "../../test/beacon/sim/network";
import { BeaconTestServer } from "../../test/beacon/server";

function context(): BotContext {
  const state = new Map<string, object>();
  return {
    name: "test-bot",
    rpc: new RpcClient(new HttpTransport({ urls: ["http://127.0.0.1:9"] })),
    env: {},
    log: createLogger({ level: "silent" }),
    initBlock: 0,
    persistent: <T extends object>(k: string, init: () => T) => {
      if (!state.has(k)) state.set(k, init());
      return state.get(k) as T;
    },
  };
}

describe("createConsensusAgent", () => {
  let net: SimNetwork;
  let server: BeaconTestServer;
  beforeAll(async () => {
    net = new SimNetwork();
    net.advanceTo(40);
    server = await BeaconTestServer.start({ network: net, node: "lighthouse" });
  });
  afterAll(() => server.close());

  const block = (slot: number) => createBlockEvent({ block: { number: 100 + slot, hash: `0x${slot.toString(16).padStart(64, "0")}`, timestamp: net.timestampOf(slot) } as never });
  const head = (slot: number) => ({ topic: "head" as const, source: server.url, data: { slot, block: `0x${"00".repeat(32)}`, state: `0x${"00".repeat(32)}`, epochTransition: false, executionOptimistic: false } });

  it("runs the checks once per epoch, whichever path reaches the epoch first", async () => {
    const checked: number[] = [];
    const agent = createConsensusAgent({
      ctx: context(),
      clockFrom: new BeaconClient({ urls: [server.url] }),
      checkEpoch: async (epoch) => {
        checked.push(epoch);
        return [];
      },
    });
    await agent.initialize();
    await agent.handleBlock(block(17));
    await agent.handleBlock(block(18));
    await agent.handleBeaconEvent(head(23));
    // concurrent calls for a new epoch: still one check
    await Promise.all([agent.handleBlock(block(24)), agent.handleBeaconEvent(head(24)), agent.handleBlock(block(25))]);
    await agent.handleBeaconEvent(head(33));
    expect(checked).toEqual([2, 3, 4]);
  });

  it("beacon nodes that cannot answer: a BeaconUnavailableError, not a transient one; at most 3 attempts per epoch", async () => {
    let calls = 0;
    const agent = createConsensusAgent({
      ctx: context(),
      clockFrom: new BeaconClient({ urls: [server.url] }),
      checkEpoch: async () => {
        calls++;
        throw new AllEndpointsFailedError("/eth/v1/beacon/states/{state_id}/finality_checkpoints", 3, new TransientError("cannot reach http://127.0.0.1:1/…"));
      },
    });
    const err = await agent.handleBlock(block(17)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BeaconUnavailableError);
    expect((err as Error).message).toMatch(/^test-bot: block 117: \/eth\/v1\/beacon\/states\/\{state_id\}\/finality_checkpoints failed after 3 attempts/);
    // nothing in its cause chain says "retry the block": it is this bot's failure
    expect((err as { cause?: unknown }).cause).toBeUndefined();
    const later: unknown[] = [];
    for (let slot = 18; slot < 24; slot++) later.push(await agent.handleBlock(block(slot)).catch((e: unknown) => e));
    expect(calls).toBe(MAX_ATTEMPTS_PER_EPOCH);
    // once the attempts are spent, the epoch's later blocks fail at once, without a request: the
    // bot is still failing (its failure episode stays open instead of resolving and reopening)
    expect(later.slice(2).every((e) => e instanceof CheckGaveUpError)).toBe(true);
    expect((later[5] as Error).message).toMatch(/^test-bot: the check of epoch 2 failed 3 times; next try at the next epoch\. Last error: \/eth\/v1\/beacon\/states\/\{state_id\}\/finality_checkpoints failed after 3 attempts/);
    await agent.handleBlock(block(24)).catch(() => undefined); // a new epoch: tried again
    expect(calls).toBe(MAX_ATTEMPTS_PER_EPOCH + 1);
  });

  it("other errors (a malformed answer, a bug) pass unchanged", async () => {
    const bad = new BeaconAnswerError("/eth/v1/node/syncing", server.url, "data.is_syncing is missing");
    const agent = createConsensusAgent({
      ctx: context(),
      clockFrom: new BeaconClient({ urls: [server.url] }),
      checkEpoch: async (): Promise<Finding[]> => {
        throw bad;
      },
    });
    await expect(agent.handleBlock(block(17))).rejects.toBe(bad);
  });

  it("feeds the topics it was given to the bot's event handler, with the clock", async () => {
    const seen: string[] = [];
    const agent = createConsensusAgent({
      ctx: context(),
      clockFrom: new BeaconClient({ urls: [server.url] }),
      checkEpoch: async () => [],
      events: {
        topics: ["chain_reorg"],
        handle: async (e, clock: BeaconClock) => {
          seen.push(`${e.topic}@epoch${clock.epochOf(e.topic === "chain_reorg" ? e.data.slot : 0)}`);
          return [];
        },
      },
    });
    expect(agent.beaconEventTopics).toEqual(["head", "block", "chain_reorg"]);
    await agent.handleBeaconEvent({
      topic: "chain_reorg",
      source: server.url,
      data: { slot: 21, depth: 3, oldHeadBlock: "0x", newHeadBlock: "0x", oldHeadState: "0x", newHeadState: "0x", epoch: 2, executionOptimistic: false },
    });
    expect(seen).toEqual(["chain_reorg@epoch2"]);
  });
});
