/** The benchmark's loopback proxy in front of the node (scripts/bench.ts: live phase, forta-agent CLI sample). */
import { Agent, createServer, request, type Server } from "http";
import type { AddressInfo } from "net";

/**
 * A loopback proxy in front of the node counting HTTP requests and JSON-RPC calls by method.
 * It must count, not slow: the request (a few KB of calls) is read to count its methods, the
 * node's answer (up to megabytes of blocks and receipts) is streamed back as it comes, never
 * buffered or parsed, over kept-alive connections to the node.
 */
export class CountingProxy {
  requests = 0;
  calls = 0;
  byMethod: Record<string, number> = {};
  url = "";
  private server!: Server;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });
  constructor(private readonly upstream: string) {}
  async start(): Promise<this> {
    const up = new URL(this.upstream);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        this.requests++;
        this.count(body);
        const out = request(
          { host: up.hostname, port: up.port, path: up.pathname + up.search, method: "POST", agent: this.agent, headers: { "content-type": "application/json", "content-length": body.length } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, { "content-type": answer.headers["content-type"] ?? "application/json" });
            answer.pipe(res);
          },
        );
        out.on("error", () => res.destroy());
        out.end(body);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  /** the calls of one request body, by method (a body that is not JSON is forwarded as it is, uncounted) */
  private count(body: Buffer): void {
    try {
      const parsed = JSON.parse(body.toString("utf8")) as { method: string } | { method: string }[];
      for (const c of Array.isArray(parsed) ? parsed : [parsed]) {
        this.calls++;
        this.byMethod[c.method] = (this.byMethod[c.method] ?? 0) + 1;
      }
    } catch {
      /* forwarded as it is */
    }
  }
  reset(): void {
    this.requests = 0;
    this.calls = 0;
    this.byMethod = {};
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
