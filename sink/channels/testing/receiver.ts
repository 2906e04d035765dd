/**
 * A loopback HTTP receiver for channel contract tests: listens on 127.0.0.1 port 0, records every
 * request (method, path, headers, raw body) and answers from a script of responses (then 200).
 */
import { createServer, type IncomingHttpHeaders, type Server } from "http";
import type { AddressInfo } from "net";

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export class Receiver {
  readonly requests: Received[] = [];
  private script: ScriptedAnswer[] = [];
  private server: Server | undefined;
  private base = "";

  constructor(private readonly fallback: ScriptedAnswer = { status: 200, body: "ok" }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        const a = this.script.shift() ?? this.fallback;
        res.writeHead(a.status, { "content-type": "text/plain", ...a.headers });
        res.end(a.body ?? "");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The receiver's URL for a path, e.g. url("/services/T000/B000/XXXX"). */
  url(path = "/"): string {
    return `${this.base}${path}`;
  }

  /** Answer the next requests with these, in order. */
  answer(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  last(): Received {
    const r = this.requests[this.requests.length - 1];
    if (!r) throw new Error("the receiver got no request");
    return r;
  }

  json<T = Record<string, unknown>>(r: Received = this.last()): T {
    return JSON.parse(r.body) as T;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** A URL on 127.0.0.1 where nothing listens (a port just freed). */
export async function deadUrl(path = "/"): Promise<string> {
  const r = await new Receiver().start();
  const url = r.url(path);
  await r.stop();
  return url;
}
