/**
 * The bench's counting proxy must count, not slow: its old form buffered each answer whole
 * (fetch + arrayBuffer) and cost ~68 ms of CPU per block of the live bench, more than the bots'
 * own process. Now the node's answer is passed on as it arrives.
 */
import { createServer, request, type Server } from "http";
import type { AddressInfo } from "net";
import { join } from "path";
import { CountingProxy, ProxyProcess } from "./proxy";

/** A node that answers with the first half of its reply, and the rest only when told to. */
async function slowNode(): Promise<{ url: string; finish(): void; server: Server; bodies: string[] }> {
  let finish = () => undefined as void;
  const finished = new Promise<void>((r) => (finish = r));
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      bodies.push(body);
      res.writeHead(200, { "content-type": "application/json" });
      res.write('[{"jsonrpc":"2.0","id":1,"result":"0x1"},');
      void finished.then(() => res.end('{"jsonrpc":"2.0","id":2,"result":"0x2"}]'));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, finish: () => finish(), server, bodies };
}

test("passes the node's answer on as it comes (the first bytes before the node has finished), and counts requests and calls by method", async () => {
  const node = await slowNode();
  const proxy = await new CountingProxy(node.url).start();
  try {
    const sent = JSON.stringify([
      { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: 2, method: "eth_call", params: [{ to: "0x" + "00".repeat(20), data: "0x" }, "0x1"] },
    ]);
    const chunks: string[] = [];
    let firstChunk!: () => void;
    const gotFirst = new Promise<void>((r) => (firstChunk = r));
    const done = new Promise<string>((resolve, reject) => {
      const u = new URL(proxy.url);
      const req = request({ host: u.hostname, port: u.port, method: "POST", path: "/", headers: { "content-type": "application/json" } }, (res) => {
        res.on("data", (c: Buffer) => {
          chunks.push(c.toString());
          firstChunk();
        });
        res.on("end", () => resolve(chunks.join("")));
      });
      req.on("error", reject);
      req.end(sent);
    });
    // a proxy that buffers the answer whole never gets here: the node finishes only after
    await gotFirst;
    expect(chunks.join("")).toBe('[{"jsonrpc":"2.0","id":1,"result":"0x1"},');
    node.finish();
    expect(JSON.parse(await done)).toEqual([
      { jsonrpc: "2.0", id: 1, result: "0x1" },
      { jsonrpc: "2.0", id: 2, result: "0x2" },
    ]);
    expect(node.bodies).toEqual([sent]);
    expect({ requests: proxy.requests, calls: proxy.calls, byMethod: proxy.byMethod }).toEqual({ requests: 1, calls: 2, byMethod: { eth_chainId: 1, eth_call: 1 } });
  } finally {
    node.finish();
    await proxy.stop();
    node.server.closeAllConnections();
    await new Promise<void>((r) => node.server.close(() => r()));
  }
});

test("in a process of its own (the bench's, whose heap holds the workload, made the proxy's garbage costly), it forwards, counts, resets and stops", async () => {
  const node = await slowNode();
  node.finish();
  const proxy = await ProxyProcess.start(["--import", "tsx", join(__dirname, "..", "bench.ts")], node.url);
  try {
    const sent = JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "eth_getBlockReceipts", params: ["0x1"] }]);
    const answer = await fetch(proxy.url, { method: "POST", headers: { "content-type": "application/json" }, body: sent }).then((r) => r.json());
    expect(answer).toEqual([
      { jsonrpc: "2.0", id: 1, result: "0x1" },
      { jsonrpc: "2.0", id: 2, result: "0x2" },
    ]);
    await proxy.sync();
    expect({ requests: proxy.requests, calls: proxy.calls, byMethod: proxy.byMethod }).toEqual({ requests: 1, calls: 1, byMethod: { eth_getBlockReceipts: 1 } });
    proxy.reset();
    await proxy.sync();
    expect({ requests: proxy.requests, calls: proxy.calls }).toEqual({ requests: 0, calls: 0 });
  } finally {
    await proxy.stop();
    node.server.closeAllConnections();
    await new Promise<void>((r) => node.server.close(() => r()));
  }
  expect(() => process.kill(proxy.pid, 0)).toThrow();
});
