/**
 * Which JSON-RPC errors are worth another attempt: real providers' messages. A query refused for
 * its size is final (retrying it forever would stall the bot), a rate limit is not.
 */
import { RpcClient } from "../../shared/rpc/client";
import { QueryLimitError, isQueryLimitError, isTransientRpcError, toRpcError } from "../../shared/rpc/errors";
import { HttpTransport } from "../../shared/rpc/transport";
import { FakeNode } from "./fake-node";

const SIZE_LIMITS: [string, number, string, unknown?][] = [
  [
    "Alchemy",
    -32602,
    "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: [0x0, 0x87fe9]",
  ],
  ["Alchemy free tier", -32600, "Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range. Based on your parameters, this block range should work: [0x1, 0xa]. Upgrade to PAYG for expanded block range."],
  ["Infura (result count, -32005 like its rate limits)", -32005, "query returned more than 10000 results", { from: "0x1", limit: 10000, to: "0x2710" }],
  ["Infura (range)", -32602, "range 1000000 exceeds limit of 10000"],
  ["QuickNode", -32614, "eth_getLogs is limited to a 10,000 range"],
  ["Tenderly (reason in data)", -32602, "invalid params", { error_id: "4ed94073", payload: "range 9009594 is bigger than range limit 2000" }],
  ["geth / BSC", -32000, "exceed maximum block range: 5000"],
  ["reth (range)", -32602, "query exceeds max block range 100000"],
  ["reth (results)", -32602, "query exceeds max results 20000, retry with the range 21102592-21102595"],
  ["erigon (range)", -32000, "query block range exceeds server limit, narrow your filter: 1000"],
  ["erigon (results)", -32000, "query returns too many logs, narrow your filter"],
  ["Polygon", -32000, "block range exceeds configured limit"],
  ["Ankr", -32600, "block range is too wide"],
  ["public gateways", -32000, "block range too large"],
  ["public gateways", -32000, "requested range too large"],
  ["dRPC free tier", 35, "ranges over 10000 blocks are not supported on freetier"],
  ["BSC (response size)", -32000, "response size should not greater than 10000000 bytes"],
];

const RATE_LIMITS: [string, number, string, unknown?][] = [
  ["Infura", -32005, "project ID request rate exceeded", { see: "https://infura.io/docs/ethereum/jsonrpc/ratelimits", current_rps: 13.333, allowed_rps: 10, backoff_seconds: 30 }],
  ["Infura daily quota", -32005, "daily request count exceeded, request rate limited"],
  ["Alchemy", 429, "Your app has exceeded its compute units per second capacity. If you have retries enabled, you can safely ignore this message."],
  ["generic", -32000, "rate limit exceeded"],
  ["generic", -32000, "Too Many Requests"],
  ["generic", -32000, "capacity exceeded"],
  ["QuickNode", -32007, "15/second request limit reached - reduce calls per second or upgrade your account at quicknode.com"],
  ["a lagging node", -32000, "header not found"],
];

describe("JSON-RPC error classification", () => {
  it.each(SIZE_LIMITS.map(([who, code, message, data]) => ({ who, code, message, data })))("$who: a query refused for its size is final, not retried ($code)", ({ code, message, data }) => {
    const e = { code, message, data };
    expect(isQueryLimitError(e)).toBe(true);
    expect(isTransientRpcError(e)).toBe(false);
    const err = toRpcError("eth_getLogs", e);
    expect(err).toBeInstanceOf(QueryLimitError);
    expect(err.message).toContain("eth_getLogs was refused by the node for its size");
    expect(err.message).toContain(message);
    expect(err.message).toMatch(/ask for a smaller block range/);
  });

  it.each(RATE_LIMITS.map(([who, code, message, data]) => ({ who, code, message, data })))("$who: a rate limit or a busy node stays retryable ($code $message)", ({ code, message, data }) => {
    const e = { code, message, data };
    expect(isQueryLimitError(e)).toBe(false);
    expect(isTransientRpcError(e)).toBe(true);
  });

  it("an eth_getLogs refused for its size reaches the caller after one request, naming the method and the limit", async () => {
    const node = await new FakeNode({
      handle: (r) => {
        if (r.method === "eth_getLogs") throw { code: -32005, message: "query returned more than 10000 results" };
        return "0x1";
      },
    }).start();
    try {
      const rpc = new RpcClient(new HttpTransport({ urls: [node.url], retry: { retries: 4, baseDelayMs: 1, maxDelayMs: 5 } }));
      const err = await rpc.getLogs({ fromBlock: 1, toBlock: 100_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryLimitError);
      expect((err as Error).message).toMatch(/^eth_getLogs was refused by the node for its size \(JSON-RPC error -32005: query returned more than 10000 results\)/);
      expect(node.calls("eth_getLogs")).toHaveLength(1);
    } finally {
      await node.stop();
    }
  });
});
