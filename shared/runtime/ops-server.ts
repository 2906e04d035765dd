/**
 * The runtime's operations endpoint: `GET /health` (200 while following within the configured
 * lag, 503 otherwise; a JSON body with the reason) and `GET /metrics` (Prometheus text from
 * shared/metrics.ts). Loopback by default: put it behind your own network policy before
 * listening wider; it serves no secrets (endpoints in labels are masked).
 */
import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { VigilError } from "../errors";
import { collectProcessMetrics, registry } from "../metrics";

export interface HealthReport {
  healthy: boolean;
  reason: string;
  [k: string]: unknown;
}

export interface OpsServer {
  /** `http://host:port` */
  readonly url: string;
  close(): Promise<void>;
}

/** "127.0.0.1:9464", ":9464" (all interfaces) or "9464" (loopback). */
export function parseListenAddress(value: string): { host: string; port: number } {
  const m = /^(?:(\[[0-9a-fA-F:]+\]|[^:]*):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new VigilError("BAD_ADDRESS", `expected host:port, e.g. 127.0.0.1:9464 (got ${JSON.stringify(value)})`);
  const host = m[1] === undefined ? "127.0.0.1" : m[1] === "" ? "0.0.0.0" : m[1].replace(/^\[|\]$/g, "");
  return { host, port };
}

export async function startOpsServer(address: string, health: () => HealthReport): Promise<OpsServer> {
  const { host, port } = parseListenAddress(address);
  collectProcessMetrics();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/health") {
      let report: HealthReport;
      try {
        report = health();
      } catch (err) {
        report = { healthy: false, reason: `health check failed: ${(err as Error).message}` };
      }
      res.writeHead(report.healthy ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ status: report.healthy ? "ok" : "unhealthy", ...report }) + "\n");
      return;
    }
    if (path === "/metrics") {
      registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`metrics failed: ${(err as Error).message}\n`),
      );
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /health or /metrics\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new VigilError("OPS_LISTEN", `cannot serve /health and /metrics on ${address}: ${err.code === "EADDRINUSE" ? "the port is in use" : err.message}; pick another --metrics-addr`)),
    );
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const shown = a.family === "IPv6" ? `[${a.address}]` : a.address;
  return {
    url: `http://${shown}:${a.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
