import { RpcClient } from "../../shared/rpc/client";
import { CallRevertedError, MethodNotFoundError } from "../../shared/rpc/errors";
import { HttpTransport, type RpcTransport } from "../../shared/rpc/transport";
import { AllEndpointsFailedError } from "../../shared/net/retry";
import { HttpRequestError, httpRequest } from "../../shared/net/http";
import { redact } from "../../shared/net/secrets";
import { FakeNode } from "./fake-node";

const fast = { retries: 4, baseDelayMs: 1, maxDelayMs: 5 };

describe("JSON-RPC layer", () => {
  const nodes: FakeNode[] = [];
  const node = async (opts?: ConstructorParameters<typeof FakeNode>[0]) => {
    let counter = 0;
    const n = await new FakeNode(
      opts ?? {
        handle: (r) => {
          if (r.method === "eth_chainId") return "0x1";
          if (r.method === "eth_call") return `0x${(++counter).toString(16).padStart(64, "0")}`;
          return `${r.method}:${JSON.stringify(r.params)}`;
        },
      },
    ).start();
    nodes.push(n);
    return n;
  };
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
  });

  it("sends calls made together as one JSON-RPC batch and answers each caller", async () => {
    const n = await node();
    const rpc = new RpcClient(new HttpTransport({ urls: [n.url], retry: fast }));
    const answers = await Promise.all([rpc.request("a", [1]), rpc.request("b", [2]), rpc.request("c", [3])]);
    expect(answers).toEqual(["a:[1]", "b:[2]", "c:[3]"]);
    expect(n.requests).toHaveLength(1);
    expect(Array.isArray(n.requests[0])).toBe(true);
  });

  it("asks a block-pinned question once however many callers ask it (per-block cache)", async () => {
    const n = await node();
    const rpc = new RpcClient(new HttpTransport({ urls: [n.url], retry: fast }));
    const call = { to: "0x00000000000000000000000000000000000000aa", data: "0x12345678" };
    const first = await Promise.all([rpc.call(call, 100), rpc.call(call, 100), rpc.call(call, 100)]);
    await rpc.call(call, 100);
    expect(new Set(first).size).toBe(1);
    expect(n.calls("eth_call")).toHaveLength(1);
    // a different block is a different question; "latest" is never cached
    await rpc.call(call, 101);
    await rpc.call(call, "latest");
    await rpc.call(call, "latest");
    expect(n.calls("eth_call")).toHaveLength(4);
    // after a reorg the cached answers of the orphaned blocks are forgotten
    rpc.invalidateFrom(100);
    await rpc.call(call, 100);
    expect(n.calls("eth_call")).toHaveLength(5);
  });

  it("retries a rate-limited request, honouring Retry-After", async () => {
    const n = await node();
    n.faults.push({ kind: "status", status: 429, retryAfter: "0" }, { kind: "status", status: 503 });
    const rpc = new RpcClient(new HttpTransport({ urls: [n.url], retry: fast }));
    await expect(rpc.chainId()).resolves.toBe(1);
    expect(n.requests).toHaveLength(3);
  });

  it("treats a JSON-RPC rate-limit error as transient and retries only the failed calls", async () => {
    let limited = true;
    const n = await node({
      handle: (r) => {
        if (r.method === "b" && limited) {
          limited = false;
          throw { code: -32005, message: "request rate exceeded" };
        }
        return r.method;
      },
    });
    const rpc = new RpcClient(new HttpTransport({ urls: [n.url], retry: fast }));
    await expect(Promise.all([rpc.request("a"), rpc.request("b")])).resolves.toEqual(["a", "b"]);
    expect(n.calls("a")).toHaveLength(1);
    expect(n.calls("b")).toHaveLength(2);
  });

  it("falls back to the next URL when one fails, and names no URL path in errors", async () => {
    const bad = await node();
    const good = await node();
    bad.faults.push({ kind: "garbage" });
    const rpc = new RpcClient(new HttpTransport({ urls: [bad.url + "/v3/SECRETKEY0123456789", good.url], retry: fast }));
    await expect(rpc.chainId()).resolves.toBe(1);
    expect(good.requests).toHaveLength(1);
  });

  it("reaches every URL in each round: three failing nodes and a good fourth, with retries of 2", async () => {
    const bad = await Promise.all([node(), node(), node()]);
    const good = await node();
    for (const b of bad) b.faults.push({ kind: "status", status: 503 });
    const rpc = new RpcClient(new HttpTransport({ urls: [...bad.map((b) => b.url), good.url], retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } }));
    await expect(rpc.chainId()).resolves.toBe(1);
    expect(bad.map((b) => b.requests.length)).toEqual([1, 1, 1]);
    expect(good.requests).toHaveLength(1);
  });

  it("with retries of 1, two nodes that each fail once are tried again in a second round", async () => {
    const a = await node();
    const b = await node();
    a.faults.push({ kind: "status", status: 503 });
    b.faults.push({ kind: "status", status: 503 });
    const rpc = new RpcClient(new HttpTransport({ urls: [a.url, b.url], retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 } }));
    await expect(rpc.chainId()).resolves.toBe(1);
    expect([a.requests.length, b.requests.length]).toEqual([2, 1]); // a, b, then a again
  });

  it("times out a node that never answers and moves on", async () => {
    const slow = await node();
    const good = await node();
    slow.faults.push({ kind: "hang" });
    // the limit ends the hang; it is not tight, so that the good node is never taken for a hung one on a loaded machine
    const rpc = new RpcClient(new HttpTransport({ urls: [slow.url, good.url], retry: fast, timeoutMs: 2_000 }));
    await expect(rpc.chainId()).resolves.toBe(1);
  });

  it("gives up after the retries with an error that says what failed and masks secrets", async () => {
    const n = await node();
    for (let i = 0; i < 10; i++) n.faults.push({ kind: "status", status: 500 });
    const rpc = new RpcClient(new HttpTransport({ urls: [`${n.url}/key/SUPERSECRETAPIKEY123456`], retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } }));
    const err = await rpc.chainId().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllEndpointsFailedError);
    expect((err as Error).message).toMatch(/eth_chainId failed after 3 attempts/);
    expect((err as Error).message).not.toContain("SUPERSECRETAPIKEY");
  });

  it("sends a URL's credentials as HTTP basic auth, and keeps them out of messages", async () => {
    const n = await node({ basicAuth: "alice:p@ss:word-4711", handle: () => "0x1" });
    const withCreds = (pass: string) => n.url.replace("http://", `http://alice:${pass}@`) + "/rpc";
    const rpc = new RpcClient(new HttpTransport({ urls: [withCreds(encodeURIComponent("p@ss:word-4711"))], retry: fast }));
    await expect(rpc.chainId()).resolves.toBe(1);
    expect(n.authorizations).toEqual([`Basic ${Buffer.from("alice:p@ss:word-4711").toString("base64")}`]);
    expect(rpc.describe()).toBe(`${n.url}/…`);
    // wrong credentials: refused at once (not retried), and the message shows no password
    const wrong = new RpcClient(new HttpTransport({ urls: [withCreds("wrong-pass-0815")], retry: fast }));
    const err = await wrong.chainId().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^HTTP 401 from http:\/\/127\.0\.0\.1:\d+\/…: unauthorized/);
    expect(n.authorizations).toHaveLength(2);
    for (const secret of ["wrong-pass-0815", "p@ss:word-4711", "p%40ss%3Aword-4711", Buffer.from("alice:p@ss:word-4711").toString("base64")]) {
      expect(redact(`request to ${withCreds("wrong-pass-0815")} with ${secret} failed`)).not.toContain(secret);
    }
  });

  it("does not retry a request that cannot be built (a malformed URL)", async () => {
    const err = await httpRequest({ url: "http://[::1", timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpRequestError);
  });

  it("sends calls one by one to a node that refuses batches", async () => {
    const n = await node({ noBatch: true, handle: (r) => r.method });
    const rpc = new RpcClient(new HttpTransport({ urls: [n.url], retry: fast }));
    await expect(Promise.all([rpc.request("x"), rpc.request("y")])).resolves.toEqual(["x", "y"]);
    await expect(Promise.all([rpc.request("z"), rpc.request("w")])).resolves.toEqual(["z", "w"]);
    // one refused batch, then single calls only
    expect(n.requests.filter((r) => Array.isArray(r))).toHaveLength(1);
  });

  it("reports reverts and unknown methods as such, without retrying", async () => {
    const n = await node({
      handle: (r) => {
        if (r.method === "eth_call") throw { code: 3, message: "execution reverted: OSM/contract-not-whitelisted" };
        throw { code: -32601, message: "the method eth_foo does not exist/is not available" };
      },
    });
    const rpc = new RpcClient(new HttpTransport({ urls: [n.url], retry: fast }));
    await expect(rpc.call({ to: "0x00000000000000000000000000000000000000aa", data: "0x" }, 5)).rejects.toBeInstanceOf(CallRevertedError);
    await expect(rpc.request("eth_foo")).rejects.toBeInstanceOf(MethodNotFoundError);
    expect(n.requests).toHaveLength(2);
  });
});

describe("what the client sends when", () => {
  /** a transport in memory: records each batch; eth_call reverts at block 0x64, fails once at 0x65 */
  const recording = () => {
    const batches: string[][] = [];
    let failed = false;
    const transport: RpcTransport = {
      describe: () => "memory",
      async send(calls) {
        batches.push(calls.map((c) => c.method));
        if (calls.some((c) => c.params[1] === "0x65") && !failed) {
          failed = true;
          throw new Error("connection reset");
        }
        return calls.map((c) => (c.method === "eth_call" ? { ok: false as const, error: { code: 3, message: "execution reverted" } } : { ok: true as const, result: c.method }));
      },
    };
    return { transport, batches };
  };
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  };

  it("a call asked for later rides with the next batch, or goes when sendQueued() is called", async () => {
    const { transport, batches } = recording();
    const rpc = new RpcClient(transport);
    const later = rpc.requestLater("eth_getBlockByNumber", ["0x5", true]);
    await turns(3);
    expect(batches).toEqual([]);
    await rpc.request("eth_blockNumber");
    expect(batches).toEqual([["eth_getBlockByNumber", "eth_blockNumber"]]);
    await expect(later).resolves.toBe("eth_getBlockByNumber");
    const alone = rpc.requestLater("eth_getBlockByNumber", ["0x6", true]);
    await turns(3);
    rpc.sendQueued();
    await expect(alone).resolves.toBe("eth_getBlockByNumber");
    expect(batches).toHaveLength(2);
    // asked again (not for later) while it still waits in the queue: it goes now
    const waiting = rpc.requestLater("eth_getBlockByNumber", ["0x7", true]);
    await expect(rpc.request("eth_getBlockByNumber", ["0x7", true])).resolves.toBe("eth_getBlockByNumber");
    await expect(waiting).resolves.toBe("eth_getBlockByNumber");
    expect(batches).toHaveLength(3);
  });

  it("asks again for a block the node answered null for (not there yet, or a node behind): null is not kept", async () => {
    let have = false;
    const asked: string[] = [];
    const transport: RpcTransport = {
      describe: () => "memory",
      async send(calls) {
        asked.push(...calls.map((c) => c.method));
        return calls.map(() => ({ ok: true as const, result: have ? { number: "0x5", hash: `0x${"ab".repeat(32)}`, parentHash: `0x${"cd".repeat(32)}`, transactions: [] } : null }));
      },
    };
    const rpc = new RpcClient(transport);
    await expect(rpc.getBlock(5)).resolves.toBeNull();
    await turns(1);
    have = true;
    await expect(rpc.getBlock(5)).resolves.toMatchObject({ number: "0x5" });
    // the block, once there, is kept
    await expect(rpc.getBlock(5)).resolves.toMatchObject({ number: "0x5" });
    expect(asked).toEqual(["eth_getBlockByNumber", "eth_getBlockByNumber"]);
  });

  it("keeps a revert at a block as that block's answer, but asks again after a failure", async () => {
    const { transport, batches } = recording();
    const rpc = new RpcClient(transport);
    const call = { to: "0x00000000000000000000000000000000000000aa", data: "0x12345678" };
    await expect(rpc.call(call, 100)).rejects.toBeInstanceOf(CallRevertedError);
    await expect(rpc.call(call, 100)).rejects.toBeInstanceOf(CallRevertedError);
    expect(batches).toHaveLength(1);
    await expect(rpc.call(call, 101)).rejects.toThrow(/connection reset/);
    await expect(rpc.call(call, 101)).rejects.toBeInstanceOf(CallRevertedError);
    expect(batches).toHaveLength(3);
  });
});

describe("fallback under concurrency", () => {
  it("concurrent calls do not bounce each other back onto a dead endpoint", async () => {
    const dead = await new FakeNode({ handle: () => "0x1" }).start();
    const good = await new FakeNode({ handle: (r) => r.method }).start();
    for (let i = 0; i < 50; i++) dead.faults.push({ kind: "status", status: 503 });
    try {
      const { HttpTransport } = await import("../../shared/rpc/transport");
      const transport = new HttpTransport({ urls: [dead.url, good.url], retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 }, maxBatch: 1 });
      // four calls at once, each in its own chunk: each must reach the good node on its second attempt
      // (were they to share one rotating pointer, four failures would rotate it back to the dead node)
      const out = await transport.send(["a", "b", "c", "d"].map((m) => ({ method: m, params: [] })));
      expect(out.map((o) => (o.ok ? o.result : "error"))).toEqual(["a", "b", "c", "d"]);
    } finally {
      await dead.stop();
      await good.stop();
    }
  });
});
