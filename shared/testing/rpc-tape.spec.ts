/**
 * The JSON-RPC tape: a proxy records what a client asked a node (single calls, batches, an outage)
 * and a tape server answers the same questions in the same order with no node, ids rewritten.
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { startAnvil, type AnvilChain } from "../../test/chain/anvil";
import { RpcClient } from "../rpc/client";
import { HttpTransport } from "../rpc/transport";
import { JsonRpcProxy, JsonRpcTapeServer, loadTape } from "./rpc-tape";

describe("JSON-RPC tape", () => {
  let chain: AnvilChain;
  let dir: string;
  beforeAll(async () => {
    chain = await startAnvil({ chainId: 10 });
    dir = mkdtempSync(join(tmpdir(), "vigil-tape-"));
  });
  afterAll(async () => {
    await chain.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (url: string) => new RpcClient(new HttpTransport({ urls: [url], retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 } }));

  async function session(url: string): Promise<unknown[]> {
    const rpc = client(url);
    const out: unknown[] = [];
    out.push(await Promise.all([rpc.chainId(), rpc.request("eth_getBlockByNumber", ["latest", false])])); // a batch
    await chain.mine(1);
    out.push(await rpc.request("eth_getBlockByNumber", ["latest", false])); // same call, later answer
    out.push(await rpc.request("eth_getBalance", [chain.accounts[0], "latest"]).catch((e: Error) => e.message));
    return out;
  }

  it("replays what was recorded, in order, including an outage, and names what it lacks", async () => {
    const proxy = await JsonRpcProxy.start(chain.url, { record: true });
    const recorded = await session(proxy.url);
    proxy.available = false;
    const down = await client(proxy.url).blockNumber().catch((e: Error) => e.message);
    expect(down).toMatch(/HTTP 503/);
    const path = join(dir, "tape.json.gz");
    proxy.save(path);
    await proxy.close();
    expect(loadTape(path).entries.map((e) => `${e.status} ${e.key.slice(0, 40)}`)).toEqual([
      '200 batch [["eth_chainId",[]],["eth_getBlock',
      '200 single [["eth_getBlockByNumber",["latest',
      '200 single [["eth_getBalance",["0xf39Fd6e51a',
      '503 single [["eth_blockNumber",[]]]',
      '503 single [["eth_blockNumber",[]]]',
    ]);

    const server = await JsonRpcTapeServer.start(path);
    try {
      const replayed = await session(server.url);
      expect(replayed).toEqual(recorded);
      expect(await client(server.url).blockNumber().catch((e: Error) => e.message)).toMatch(/HTTP 503/);
      expect(server.unused()).toBe(0);
      await expect(client(server.url).request("eth_gasPrice")).rejects.toThrow(/the tape has no \(more\) answer for single \[\["eth_gasPrice",\[\]\]\]/);
      expect(server.misses).toEqual(['single [["eth_gasPrice",[]]]']);
    } finally {
      await server.close();
    }
  });
});
