import { Writable } from "stream";
import { createLogger, prettyLogLine } from "./log";
import { registerSecret } from "./net/secrets";

const KEY = "k3yABCDEFGHIJKLMNOPQRSTUVWXYZ0123";
const URL_WITH_KEY = `https://eth.example.org/v2/${KEY}`;

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString("utf8").split("\n")) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { log: createLogger({ level: "info", destination, format: "json" }), lines };
}

describe("logger", () => {
  beforeAll(() => registerSecret(URL_WITH_KEY));

  it("masks a secret URL inside an Error given as the first argument, and keeps the error's type and message", () => {
    const { log, lines } = capture();
    class NodeDownError extends Error {}
    log.error(new NodeDownError(`cannot reach ${URL_WITH_KEY}: ECONNREFUSED`));
    expect(JSON.stringify(lines)).not.toContain(KEY);
    expect(lines[0]!.msg).toBe("cannot reach https://eth.example.org/…: ECONNREFUSED");
    expect(lines[0]!.err).toMatchObject({ type: "NodeDownError", message: "cannot reach https://eth.example.org/…: ECONNREFUSED" });
  });

  it("logs { err } with the error's type, message and stack, secrets masked, with or without a message", () => {
    const { log, lines } = capture();
    const err = new TypeError(`bad answer from ${URL_WITH_KEY}`, { cause: new Error(`upstream ${URL_WITH_KEY} closed`) });
    log.warn({ err, bot: "consensus-x" }, "beacon node not reachable at start-up; will retry on the next block");
    log.warn({ err });
    expect(JSON.stringify(lines)).not.toContain(KEY);
    const [withMsg, bare] = lines as { msg: string; bot?: string; err: { type: string; message: string; stack: string } }[];
    expect(withMsg!.msg).toBe("beacon node not reachable at start-up; will retry on the next block");
    expect(withMsg!.bot).toBe("consensus-x");
    expect(withMsg!.err.type).toBe("TypeError");
    expect(withMsg!.err.message).toMatch(/^bad answer from https:\/\/eth\.example\.org\/…/);
    expect(withMsg!.err.message).toMatch(/: upstream https:\/\/eth\.example\.org\/… closed$/);
    expect(withMsg!.err.stack).toMatch(/log\.spec\.ts/);
    expect(bare!.msg).toBe("bad answer from https://eth.example.org/…");
  });

  it("masks secrets in messages and format arguments", () => {
    const { log, lines } = capture();
    log.info(`calling ${URL_WITH_KEY}`);
    log.info("failed: %s", new Error(`no answer from ${URL_WITH_KEY}`));
    expect(JSON.stringify(lines)).not.toContain(KEY);
    expect(lines.map((l) => l.msg)).toEqual(["calling https://eth.example.org/…", "failed: no answer from https://eth.example.org/…"]);
  });
});

describe("pretty log lines", () => {
  it("show an error as its type and message, not its stack", () => {
    const line = prettyLogLine(JSON.stringify({ level: "warn", time: 0, msg: "retrying", err: { type: "TransientError", message: "HTTP 503", stack: "TransientError: HTTP 503\n    at x" } }), false);
    expect(line).toBe("00:00:00 WARN retrying  err=TransientError: HTTP 503");
  });
});
