/**
 * A JSON-RPC server on loopback for testing the RPC layer's failure handling: each call is
 * answered by a handler the test supplies, and the test can make the server fail in the ways
 * real nodes and providers do (rate limits with Retry-After, 5xx, garbage, refusing batches).
 * It can also proxy to a real node (anvil) while injecting faults.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "http";
import type { AddressInfo } from "net";

export interface JsonRpcReq {
  jsonrpc: string;
  id: number;
  method: string;
  params: unknown[];
}

export type Fault =
  | { kind: "none" }
  | { kind: "status"; status: number; retryAfter?: string; body?: string }
  | { kind: "garbage" }
  | { kind: "hang" }
  | { kind: "rpc-error"; code: number; message: string };

export interface FakeNodeOptions {
  /** answer one call: a result, or throw {code, message} for a JSON-RPC error */
  handle?(req: JsonRpcReq): unknown | Promise<unknown>;
  /** forward calls the handler leaves (returns undefined) to this node */
  upstream?: string;
  /** refuse JSON-RPC batches like some providers do */
  noBatch?: boolean;
  /** require HTTP basic auth with these credentials ("user:password"), answering 401 otherwise */
  basicAuth?: string;
}

export class FakeNode {
  readonly requests: (JsonRpcReq | JsonRpcReq[])[] = [];
  /** the Authorization header of every HTTP request, in order ("" when absent) */
  readonly authorizations: string[] = [];
  /** faults to apply to the next HTTP requests, in order */
  readonly faults: Fault[] = [];
  /**
   * faults for the HTTP requests carrying a matching call, `times` times (Infinity: for good),
   * e.g. leave the eth_getBalance of block 3 unanswered once; checked before `faults`
   */
  readonly callFaults: { match: (call: JsonRpcReq) => boolean; fault: Fault; times: number }[] = [];
  /** a fault applied to every call of a method (e.g. method-not-found for eth_getBlockReceipts) */
  readonly methodFaults = new Map<string, { code: number; message: string }>();
  private server!: Server;
  url = "";

  constructor(private readonly opts: FakeNodeOptions = {}) {}

  /** listen on loopback, on `port` if given (e.g. one a client already tries), else on any free port */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((r) => this.server.listen(port, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  calls(method?: string): JsonRpcReq[] {
    const flat = this.requests.flatMap((r) => (Array.isArray(r) ? r : [r]));
    return method ? flat.filter((c) => c.method === method) : flat;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.authorizations.push(req.headers.authorization ?? "");
    if (this.opts.basicAuth !== undefined && req.headers.authorization !== `Basic ${Buffer.from(this.opts.basicAuth, "utf8").toString("base64")}`) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="node"' });
      res.end("unauthorized");
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as JsonRpcReq | JsonRpcReq[];
    this.requests.push(body);
    const calls = Array.isArray(body) ? body : [body];
    const rule = this.callFaults.find((f) => f.times > 0 && calls.some(f.match));
    if (rule) rule.times--;
    const fault = rule ? rule.fault : this.faults.shift();
    if (fault?.kind === "hang") return; // never answer: the client must time out
    if (fault?.kind === "status") {
      res.writeHead(fault.status, fault.retryAfter ? { "retry-after": fault.retryAfter } : {});
      res.end(fault.body ?? "");
      return;
    }
    if (fault?.kind === "garbage") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>bad gateway</html>");
      return;
    }
    const send = (obj: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(obj));
    };
    if (Array.isArray(body) && this.opts.noBatch) {
      send({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "batch requests are not supported" } });
      return;
    }
    const answer = async (r: JsonRpcReq) => {
      if (fault?.kind === "rpc-error") return { jsonrpc: "2.0", id: r.id, error: { code: fault.code, message: fault.message } };
      const mf = this.methodFaults.get(r.method);
      if (mf) return { jsonrpc: "2.0", id: r.id, error: mf };
      try {
        let result = this.opts.handle ? await this.opts.handle(r) : undefined;
        if (result === undefined && this.opts.upstream) return await this.forward(r);
        if (result === undefined) result = null;
        return { jsonrpc: "2.0", id: r.id, result };
      } catch (e) {
        const err = e as { code?: number; message?: string };
        return { jsonrpc: "2.0", id: r.id, error: { code: err.code ?? -32000, message: err.message ?? String(e) } };
      }
    };
    send(Array.isArray(body) ? await Promise.all(body.map(answer)) : await answer(body));
  }

  private async forward(r: JsonRpcReq): Promise<unknown> {
    const res = await fetch(this.opts.upstream!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(r) });
    return res.json();
  }
}
