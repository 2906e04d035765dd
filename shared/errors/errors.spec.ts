import { ConfigError, ERROR_CODES, MAX_CAUSE_DEPTH, VigilError, domainOf, hasCode, walk } from "./index";

class FixtureMiss extends VigilError<"FIXTURE_MISS"> {
  constructor(method: string) {
    super("FIXTURE_MISS", `the fixture has no answer for ${method}`, { details: { method }, hints: ["record the fixture again with --record"] });
  }
}

describe("VigilError: one shape for every error", () => {
  it("keeps the old constructor's meaning: code, message as given, cause", () => {
    const cause = new Error("socket hang up");
    // @ts-expect-error: "RPC_DOWN" is not a listed code (./codes.ts); the spec keeps the constructor's old meaning at run time
    const e = new VigilError("RPC_DOWN", "the node did not answer: check RPC_URL", { cause });
    expect(e.code).toBe("RPC_DOWN");
    expect(e.message).toBe("the node did not answer: check RPC_URL");
    expect(e.shortMessage).toBe(e.message);
    expect(e.cause).toBe(cause);
    expect(e.name).toBe("VigilError");
    expect(e).toBeInstanceOf(Error);
    // nothing new shows in a log of an old-style error
    expect(Object.keys(e).sort()).toEqual(["code", "name"]);
    // @ts-expect-error: an unknown code is a type error
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

describe("codes: typed, grouped by domain", () => {
  it("hasCode finds an error by its code along the cause chain, typed by that code", () => {
    const miss = new VigilError("FIXTURE_MISS", "the fixture has no answer for eth_call");
    const outer = new VigilError("BOT_FAILED", "maker-vat failed", { cause: new Error("outer", { cause: miss }) });
    const found = hasCode(outer, "CONFIG", "FIXTURE_MISS");
    expect(found).toBe(miss);
    const code: "CONFIG" | "FIXTURE_MISS" = found!.code;
    expect(code).toBe("FIXTURE_MISS");
    expect(hasCode(outer, "BOT_FAILED")).toBe(outer);
    expect(hasCode(outer, "RPC_ERROR")).toBeUndefined();
    expect(hasCode(new Error("plain"), "CONFIG")).toBeUndefined();
    // @ts-expect-error: asking for a code no domain lists is a type error too
    expect(hasCode(outer, "NO_SUCH_CODE")).toBeUndefined();
  });

  it("every code belongs to exactly one domain", () => {
    const all = Object.values(ERROR_CODES).flat();
    expect(new Set(all).size).toBe(all.length);
    for (const code of all) expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(domainOf("FIXTURE_MISS")).toBe("fixture");
    expect(domainOf("CONFIG")).toBe("config");
    expect(domainOf("NOT_A_CODE")).toBeUndefined();
  });
});
