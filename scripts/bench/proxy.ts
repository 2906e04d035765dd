/** The benchmark's loopback proxy in front of the node (scripts/bench.ts: live phase, forta-agent CLI sample). */
import { createServer, type Server } from "http";
import type { AddressInfo } from "net";

/** A loopback proxy in front of the node counting HTTP requests and JSON-RPC calls by method. */
export class CountingProxy {
  requests = 0;
  calls = 0;
  byMethod: Record<string, number> = {};
  url = "";
  private server!: Server;
  constructor(private readonly upstream: string) {}
  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        this.requests++;
        try {
          const parsed = JSON.parse(body.toString("utf8")) as { method: string } | { method: string }[];
          for (const c of Array.isArray(parsed) ? parsed : [parsed]) {
            this.calls++;
            this.byMethod[c.method] = (this.byMethod[c.method] ?? 0) + 1;
          }
        } catch {
          /* forwarded as it is */
        }
        fetch(this.upstream, { method: "POST", headers: { "content-type": "application/json" }, body })
          .then(async (r) => {
            res.writeHead(r.status, { "content-type": "application/json" });
            res.end(Buffer.from(await r.arrayBuffer()));
          })
          .catch(() => res.destroy());
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  reset(): void {
    this.requests = 0;
    this.calls = 0;
    this.byMethod = {};
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
