import { BeaconEventStream, SseParser, SseTopicsRejectedError } from "./sse";
import type { BeaconEvent, BeaconEventTopic } from "./events";
import { SimNetwork } from "../../test/beacon/sim/network";
import { BeaconTestServer } from "../../test/beacon/server";
import { createServer, type IncomingHttpHeaders } from "http";
import type { AddressInfo } from "net";

/** Resolve once `cond()` holds (polling), or fail after `ms`. */
async function until(cond: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("SseParser", () => {
  it("splits messages on blank lines, joins data lines, skips comments, whatever the chunking", () => {
    const wire = ": hello\r\nevent: head\r\ndata: {\"a\":\ndata: 1}\r\n\r\nevent: block\ndata: {}\n\n: keep-alive\n\ndata: x\r\r\n";
    for (const size of [1, 2, 3, 7, wire.length]) {
      const p = new SseParser();
      const out = [];
      for (let i = 0; i < wire.length; i += size) out.push(...p.push(wire.slice(i, i + size)));
      expect(out).toEqual([
        { event: "head", data: '{"a":\n1}' },
        { event: "block", data: "{}" },
        { event: "message", data: "x" },
      ]);
    }
  });
});

describe("BeaconEventStream", () => {
  let net: SimNetwork;
  let server: BeaconTestServer;
  const streams: BeaconEventStream[] = [];

  beforeEach(async () => {
    net = new SimNetwork();
    server = await BeaconTestServer.start({ network: net, node: "lighthouse" });
  });

  afterEach(async () => {
    await Promise.all(streams.splice(0).map((s) => s.close()));
    await server.close();
    expect(server.violations).toEqual([]);
  });

  function open(topics: BeaconEventTopic[], events: BeaconEvent[], errors: unknown[] = []): BeaconEventStream {
    const s = new BeaconEventStream({
      url: server.url,
      topics,
      onEvent: (e) => void events.push(e),
      onError: (e) => void errors.push(e),
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
    }).start();
    streams.push(s);
    return s;
  }

  it("delivers the node's events in order, typed, with the node as source", async () => {
    const events: BeaconEvent[] = [];
    const s = open(["head", "block", "finalized_checkpoint"], events);
    await until(() => s.stats.connections === 1, "connection");
    net.advanceTo(4 * 8);
    await until(() => events.some((e) => e.topic === "finalized_checkpoint"), "finality");
    const heads = events.filter((e) => e.topic === "head").map((e) => e.data.slot);
    expect(heads).toEqual([...Array(32).keys()].map((i) => i + 1));
    expect(events.filter((e) => e.topic === "block")).toHaveLength(32);
    const fin = events.find((e) => e.topic === "finalized_checkpoint")!;
    expect(fin).toMatchObject({ source: server.url, data: { epoch: 2 } });
    // block before head for the same slot, as nodes send them
    expect(events.findIndex((e) => e.topic === "block" && e.data.slot === 5)).toBeLessThan(events.findIndex((e) => e.topic === "head" && e.data.slot === 5));
  });

  it("reports a chain_reorg with its depth", async () => {
    const events: BeaconEvent[] = [];
    const s = open(["chain_reorg"], events);
    await until(() => s.stats.connections === 1, "connection");
    net.advanceTo(20);
    const oldHead = net.node("lighthouse").head.root;
    net.reorg(3);
    net.advance(1);
    await until(() => events.length === 1, "reorg event");
    expect(events[0]).toMatchObject({ topic: "chain_reorg", data: { depth: 3, slot: 21, oldHeadBlock: oldHead } });
  });

  it("reconnects after the node drops the connection, and carries on", async () => {
    const events: BeaconEvent[] = [];
    const errors: unknown[] = [];
    const s = open(["head"], events, errors);
    await until(() => s.stats.connections === 1, "connection");
    net.advance(2);
    await until(() => events.length === 2, "first events");
    net.setConditions("lighthouse", { down: true });
    net.advance(1); // the server cuts the stream on its next event
    await until(() => errors.length >= 2, "reconnection attempts");
    net.setConditions("lighthouse", { down: false });
    await until(() => s.stats.connections === 2, "reconnection");
    net.advance(1);
    await until(() => events.some((e) => e.topic === "head" && e.data.slot === 4), "events after reconnecting");
    expect(String(errors[0])).toMatch(/event stream from http:\/\/127\.0\.0\.1:\d+/);
  });

  it("stops and says so when the node refuses the topics", async () => {
    const errors: unknown[] = [];
    const s = open(["weather" as BeaconEventTopic], [], errors);
    await until(() => errors.length === 1, "refusal");
    expect(errors[0]).toBeInstanceOf(SseTopicsRejectedError);
    expect(String(errors[0])).toContain("Invalid topic: weather");
    await s.close();
    expect(s.stats.connections).toBe(0);
  });
});

describe("BeaconEventStream and credentials in the URL", () => {
  it("sends user:password from the URL as a basic-auth header (fetch refuses them in the URL) and keeps them out of errors", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      // answer as a node that does not serve the topic: the stream reports it and stops
      res.writeHead(400, { "content-type": "application/json" }).end('{"code":400,"message":"unknown topic"}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const errors: unknown[] = [];
    const stream = new BeaconEventStream({
      url: `http://watcher:s3cret-Pa55word@127.0.0.1:${port}`,
      topics: ["head"],
      onEvent: () => undefined,
      onError: (e) => void errors.push(e),
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
    }).start();
    try {
      await until(() => errors.length > 0, "the stream's error");
    } finally {
      await stream.close();
      await new Promise((r) => server.close(r));
    }
    expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from("watcher:s3cret-Pa55word").toString("base64")}`);
    expect(errors[0]).toBeInstanceOf(SseTopicsRejectedError);
    expect(String((errors[0] as Error).message)).not.toContain("s3cret-Pa55word");
  });
});
