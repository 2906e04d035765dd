/**
 * Running a Vigil bot on Forta's v2 SDK (@fortanetwork/forta-bot): the bot owns `main()` and
 * calls `scanEthereum`, which polls blocks itself and sends findings to Forta's API in
 * batches. Our handlers are written once, against forta-agent's (v1) events and Finding; this
 * adapter is the only place that knows the difference:
 *
 *   - v2 BlockEvent / TransactionEvent (plain data, same fields as v1) -> v1 events;
 *   - v1 Finding -> v2 Finding (same fields, enums by the same numbers);
 *   - the bot's JSON-RPC reads (BotContext.rpc) go through the provider the SDK hands each
 *     handler, so a Forta RPC key (rpcKeyId, JWT refreshed by the SDK) or the scan node's
 *     proxy serve them as they serve the SDK.
 *
 * Configuration (environment): JSON_RPC_URL the node to scan (public, or JWT-authenticated
 * with FORTA_RPC_KEY_ID as the SDK's rpcKeyId), and each bot's own keys (MAKER_CHAINLOG,
 * BEACON_API_URL, ...: see docs/techops.md).
 */
import { BlockEvent as V1BlockEvent, EventType, Network, TransactionEvent as V1TransactionEvent, type Finding as V1Finding } from "forta-agent";
import type { Agent, BotContext } from "../bot";
import type { Env } from "../config";
import { VigilError } from "../errors";
import { logger } from "../log";
import { RpcClient } from "../rpc/client";
import type { JsonRpcErrorObject } from "../rpc/errors";
import type { RpcCall, RpcOutcome, RpcTransport } from "../rpc/transport";

/** The v2 SDK, loaded when used (the runtime and the v1 images never need it). */
// eslint-disable-next-line @typescript-eslint/consistent-type-imports
type V2 = typeof import("@fortanetwork/forta-bot");
function sdk(): V2 {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require("@fortanetwork/forta-bot") as V2;
}

/** What the adapter needs from a v2 provider (ethers v6 JsonRpcProvider). */
export interface SendingProvider {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/**
 * A JSON-RPC transport over the provider the SDK gave the handler in progress. A node's error
 * answer (ethers v6 keeps it in `error.info.error`) is returned as such, so reverts and
 * missing methods mean the same to the bot as under our runtime.
 */
export class ProviderTransport implements RpcTransport {
  private provider: SendingProvider | undefined;
  use(provider: SendingProvider): void {
    this.provider = provider;
  }
  describe(): string {
    return "the Forta v2 SDK's provider";
  }
  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    const p = this.provider;
    if (!p) throw new VigilError("NO_PROVIDER", "a bot read the chain outside a handler; the v2 SDK gives the provider only to handlers");
    return Promise.all(
      calls.map(async (c): Promise<RpcOutcome> => {
        try {
          return { ok: true, result: await p.send(c.method, [...c.params]) };
        } catch (err) {
          const rpcError = nodeErrorOf(err);
          if (rpcError) return { ok: false, error: rpcError };
          throw err;
        }
      }),
    );
  }
}

function nodeErrorOf(err: unknown): JsonRpcErrorObject | undefined {
  const e = err as { info?: { error?: unknown }; error?: unknown };
  for (const candidate of [e?.info?.error, e?.error]) {
    const c = candidate as JsonRpcErrorObject | undefined;
    if (c && typeof c === "object" && typeof c.code === "number" && typeof c.message === "string") return c;
  }
  return undefined;
}

/** v2 event data -> the v1 events our handlers take (the fields are the same; v1 adds `type` and a Network enum). */
export function toV1BlockEvent(e: { chainId: number; block: unknown }): V1BlockEvent {
  return new V1BlockEvent(EventType.BLOCK, e.chainId as Network, e.block as V1BlockEvent["block"]);
}

export function toV1TransactionEvent(e: {
  chainId: number;
  transaction: unknown;
  traces: unknown[];
  addresses: Record<string, boolean>;
  block: unknown;
  logs: unknown[];
  contractAddress: string | null;
}): V1TransactionEvent {
  return new V1TransactionEvent(
    EventType.BLOCK,
    e.chainId as Network,
    e.transaction as V1TransactionEvent["transaction"],
    e.traces as V1TransactionEvent["traces"],
    e.addresses,
    e.block as V1TransactionEvent["block"],
    e.logs as V1TransactionEvent["logs"],
    e.contractAddress,
  );
}

/** A v1 Finding as a v2 Finding (same fields; severity and type enums share their numbers). */
export function toV2Finding(f: V1Finding, v2: V2 = sdk()): V2Finding {
  return v2.Finding.fromObject({
    name: f.name,
    description: f.description,
    alertId: f.alertId,
    severity: f.severity as number,
    type: f.type as number,
    metadata: f.metadata,
    addresses: f.addresses,
    uniqueKey: f.uniqueKey,
    ...(f.timestamp ? { timestamp: f.timestamp instanceof Date ? f.timestamp : new Date(String(f.timestamp)) } : {}),
  });
}

type V2Finding = ReturnType<V2["Finding"]["fromObject"]>;
export interface V2Handlers {
  handleBlock(event: { chainId: number; block: { number: number } }, provider: SendingProvider): Promise<V2Finding[]>;
  handleTransaction(event: Parameters<typeof toV1TransactionEvent>[0] & { block: { number: number } }, provider: SendingProvider): Promise<V2Finding[]>;
}

/**
 * Our bot's handlers in the v2 shape. The agent is created on the first event (the provider
 * comes with it), initialised at that block's state, and keeps its state in memory as under
 * forta-agent. Like our runtime, it reads its initial state at the block before the first one
 * it handles.
 */
export function v2Handlers(bot: string, createAgent: (ctx: BotContext) => Agent, env: Env = process.env): V2Handlers {
  const transport = new ProviderTransport();
  const rpc = new RpcClient(transport);
  let ready: Promise<Agent> | undefined;
  const agentAt = (block: number) =>
    (ready ??= (async () => {
      const agent = createAgent({
        name: bot,
        rpc,
        env,
        log: logger().child({ bot }),
        initBlock: block,
        persistent: (_n, init) => init(),
      });
      await agent.initialize?.();
      return agent;
    })());
  return {
    async handleBlock(event, provider) {
      transport.use(provider);
      const agent = await agentAt(event.block.number - 1);
      const found = agent.handleBlock ? await agent.handleBlock(toV1BlockEvent(event)) : [];
      return found.map((f) => toV2Finding(f));
    },
    async handleTransaction(event, provider) {
      transport.use(provider);
      const agent = await agentAt(event.block.number - 1);
      const found = agent.handleTransaction ? await agent.handleTransaction(toV1TransactionEvent(event)) : [];
      return found.map((f) => toV2Finding(f));
    },
  };
}

/** The v2 entry of a bot (its image's CMD): scan Ethereum with the bot's handlers until stopped. */
export async function mainV2(bot: string, createAgent: (ctx: BotContext) => Agent, env: Env = process.env): Promise<void> {
  const v2 = sdk();
  const handlers = v2Handlers(bot, createAgent, env);
  // v2 bots bring their own RPC (public, or JWT-authenticated with FORTA_RPC_KEY_ID): baked into the image by vigil publish
  const rpcUrl = env.JSON_RPC_URL?.split(",")[0]?.trim();
  if (!rpcUrl) {
    logger().error({ bot }, "JSON_RPC_URL is not set: a v2 bot needs the node it scans (baked into the image by vigil publish, or docker run -e JSON_RPC_URL=...); see docs/techops.md");
    process.exitCode = 2;
    return;
  }
  try {
    await v2.scanEthereum({
      rpcUrl,
      ...(env.FORTA_RPC_KEY_ID ? { rpcKeyId: env.FORTA_RPC_KEY_ID } : {}),
      localRpcUrl: "1",
      handleBlock: handlers.handleBlock as never,
      handleTransaction: handlers.handleTransaction as never,
    });
  } catch (err) {
    logger().error({ bot, err: err instanceof Error ? err.message : String(err) }, "the v2 bot stopped");
    process.exitCode = 1;
  }
}
