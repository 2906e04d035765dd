import { BotState } from "./state";

/** a state with one persistent object holding `v` under `x` */
function stateWith(v: unknown): BotState {
  const s = new BotState("test-bot");
  s.persistent("a", () => ({ x: v }));
  return s;
}

describe("BotState.serialize", () => {
  it("writes the persistent objects as JSON with their names sorted", () => {
    const s = new BotState("test-bot");
    s.persistent("b", () => ({ n: 1, list: [1, "two", null, { deep: true }] }));
    s.persistent("a", () => ({ when: new Date(0), undef: undefined }));
    expect(s.serialize()).toBe('{"a":{"when":"1970-01-01T00:00:00.000Z"},"b":{"n":1,"list":[1,"two",null,{"deep":true}]}}');
  });

  it("refuses a bigint, a Map or a Set anywhere in the state, naming the bot", () => {
    expect(() => stateWith({ y: [1, 2n] }).serialize()).toThrow(/test-bot: persistent state holds a bigint/);
    expect(() => stateWith([{ m: new Map() }]).serialize()).toThrow(/test-bot: persistent state holds a Map\/Set/);
    expect(() => stateWith(new Set([1])).serialize()).toThrow(/Map\/Set/);
  });

  it("leaves a state nested past the walk's depth to JSON.stringify: a cycle is named, a Map deep down still refused", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stateWith(cyclic).serialize()).toThrow(/circular/i);
    let deep: Record<string, unknown> = { m: new Map() };
    for (let i = 0; i < 150; i++) deep = { d: deep };
    expect(() => stateWith(deep).serialize()).toThrow(/Map\/Set/);
    let fine: Record<string, unknown> = { end: 1 };
    for (let i = 0; i < 150; i++) fine = { d: fine };
    expect(JSON.parse(stateWith(fine).serialize())).toEqual({ a: { x: fine } });
  });
});
