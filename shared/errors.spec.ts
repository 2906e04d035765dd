import { ConfigError, MAX_CAUSE_DEPTH, VigilError, walk } from "./errors";

class FixtureMiss extends VigilError<"FIXTURE_MISS"> {
  constructor(method: string) {
    super("FIXTURE_MISS", `the fixture has no answer for ${method}`, { details: { method }, hints: ["record the fixture again with --record"] });
  }
}

describe("VigilError: one shape for every error", () => {
  it("keeps the old constructor's meaning: code, message as given, cause", () => {
    const cause = new Error("socket hang up");
    const e = new VigilError("RPC_DOWN", "the node did not answer: check RPC_URL", { cause });
    expect(e.code).toBe("RPC_DOWN");
    expect(e.message).toBe("the node did not answer: check RPC_URL");
    expect(e.shortMessage).toBe(e.message);
    expect(e.cause).toBe(cause);
    expect(e.name).toBe("VigilError");
    expect(e).toBeInstanceOf(Error);
    // nothing new shows in a log of an old-style error
    expect(Object.keys(e).sort()).toEqual(["code", "name"]);
    expect("cause" in new VigilError("X", "no cause given")).toBe(false);
  });

  it("carries details and hints; the hints say what to do at the end of the message", () => {
    const e = new FixtureMiss("eth_getLogs");
    expect(e.code).toBe("FIXTURE_MISS");
    expect(e.name).toBe("FixtureMiss");
    expect(e.shortMessage).toBe("the fixture has no answer for eth_getLogs");
    expect(e.message).toBe("the fixture has no answer for eth_getLogs (fix: record the fixture again with --record)");
    expect(e.details).toEqual({ method: "eth_getLogs" });
    expect(e.hints).toEqual(["record the fixture again with --record"]);
  });

  it("ConfigError keeps its one line naming the key, the value and the fix", () => {
    const e = new ConfigError("MAKER_CHAINLOG", "0x12", "give the ChainLog's address (0x + 40 hex digits)");
    expect(e.message).toBe('configuration MAKER_CHAINLOG="0x12" is invalid: give the ChainLog\'s address (0x + 40 hex digits)');
    expect(e.code).toBe("CONFIG");
    expect(e.walk((x) => x instanceof ConfigError)).toBe(e);
  });
});

describe("walk: the cause chain, asked once instead of looped by hand", () => {
  const config = new ConfigError("X", "1", "fix it");
  const wrapped = new VigilError("BOT_FAILED", "maker-vat failed", { cause: new Error("outer", { cause: config }) });

  it("finds the first error along the chain that the question accepts, itself first", () => {
    expect(walk(wrapped, (e) => e instanceof ConfigError)).toBe(config);
    expect(wrapped.walk((e) => e instanceof VigilError)).toBe(wrapped);
    expect(walk(wrapped, (e) => e instanceof TypeError)).toBeUndefined();
  });

  it("without a question, gives the innermost cause; works on anything thrown", () => {
    expect(walk(wrapped)).toBe(config);
    expect(walk("a string")).toBe("a string");
    expect(walk(undefined, () => true)).toBeUndefined();
  });

  it(`stops after ${MAX_CAUSE_DEPTH} links and on a cycle`, () => {
    let deep: Error = config;
    for (let i = 0; i < MAX_CAUSE_DEPTH; i++) deep = new Error(`level ${i}`, { cause: deep });
    expect(walk(deep, (e) => e instanceof ConfigError)).toBeUndefined();
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(walk(a, (e) => e instanceof ConfigError)).toBeUndefined();
    expect(walk(a)).toBe(b);
  });
});
