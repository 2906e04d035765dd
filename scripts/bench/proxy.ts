/** The benchmark's loopback proxy in front of the node (scripts/bench.ts: live phase, forta-agent CLI sample). */
import { spawn, type ChildProcess } from "child_process";
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
  /** told of each request once counted (the proxy process reports its counts with it) */
  onRequest?: () => void;
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
        this.onRequest?.();
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

interface Counts {
  requests: number;
  calls: number;
  byMethod: Record<string, number>;
}

/**
 * The counting proxy in a process of its own, `node <vigil> bench --phase proxy --rpc <node>`:
 * in the bench's process, whose heap holds the whole workload's build (~500 MB), the garbage of
 * each answer passing through cost major collections of that heap: 68 ms of CPU per block with
 * the buffering proxy (8 in a process of its own), more than the bots' process, on the same two
 * cores. Its counts come over IPC with every request (read as fields, like CountingProxy's);
 * `sync()` waits for the latest.
 */
export class ProxyProcess implements Counts {
  requests = 0;
  calls = 0;
  byMethod: Record<string, number> = {};
  url = "";
  private synced: (() => void)[] = [];
  private exited: string | undefined;
  private constructor(private readonly proc: ChildProcess) {}

  /** the proxy process's id (its CPU time is in the bench's report) */
  get pid(): number {
    return this.proc.pid ?? -1;
  }

  /** `command`: how node runs the bench command (the compiled vigil and "bench", or a loader and scripts/bench.ts) */
  static async start(command: readonly string[], upstream: string): Promise<ProxyProcess> {
    const proc = spawn(process.execPath, [...command, "--phase", "proxy", "--rpc", upstream], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    const p = new ProxyProcess(proc);
    await new Promise<void>((resolve, reject) => {
      proc.once("exit", (code) => reject(new Error(`the bench's proxy process exited (${code}) before it listened`)));
      proc.on("message", (m: Counts & { url?: string; synced?: boolean }) => {
        if (m.url) {
          p.url = m.url;
          resolve();
          return;
        }
        Object.assign(p, { requests: m.requests, calls: m.calls, byMethod: m.byMethod });
        if (m.synced) p.synced.splice(0).forEach((f) => f());
      });
    });
    proc.removeAllListeners("exit");
    proc.on("exit", (code) => (p.exited = `the bench's proxy process exited (${code}) in the middle of the bench: see its error above`));
    return p;
  }

  reset(): void {
    if (this.exited) throw new Error(this.exited);
    Object.assign(this, { requests: 0, calls: 0, byMethod: {} });
    this.proc.send({ reset: true });
  }

  /** the counts as the proxy has them now */
  sync(): Promise<void> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise((resolve) => {
      this.synced.push(resolve);
      this.proc.send({ sync: true });
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once("exit", r));
    this.proc.kill("SIGTERM");
    await exited;
  }
}

/** The proxy process's side (`bench --phase proxy`): serve, report counts with each request; returns when the parent goes. */
export async function serveProxyPhase(upstream: string): Promise<void> {
  const proxy = new CountingProxy(upstream);
  const counts = (synced = false) => process.send?.({ requests: proxy.requests, calls: proxy.calls, byMethod: proxy.byMethod, synced });
  proxy.onRequest = () => counts();
  await proxy.start();
  process.on("message", (m: { reset?: boolean; sync?: boolean }) => {
    if (m.reset) proxy.reset();
    if (m.sync) counts(true);
  });
  const parentGone = new Promise<void>((resolve) => process.once("disconnect", resolve));
  process.send?.({ url: proxy.url });
  await parentGone;
  await proxy.stop();
}
