/** The intake's strict parsing helpers: keys given twice, and values shown in errors. */
import { duplicateKey, shown, validateBody } from "./validate";

test("duplicateKey names the first key given twice in one object, at any depth", () => {
  expect(duplicateKey('{"a":1,"b":{"c":2,"d":3}}')).toBeUndefined();
  expect(duplicateKey('{"a":1,"a":2}')).toBe("body.a");
  expect(duplicateKey('{"finding":{"metadata":{"n":"0","n":"1"}}}')).toBe("body.finding.metadata.n");
  expect(duplicateKey('[{"a":1},{"b":1,"b":2}]')).toBe("body[1].b");
  // equal keys in different objects, escaped quotes, keys that only look alike
  expect(duplicateKey('[{"a":1},{"a":1}]')).toBeUndefined();
  expect(duplicateKey('{"a\\"b":1,"a":{"a":1},"x":"\\\\"}')).toBeUndefined();
  expect(duplicateKey('{"\\u0061":1,"a":2}')).toBe("body.a");
  // deep nesting costs no stack
  expect(duplicateKey(`${"[".repeat(200_000)}${"]".repeat(200_000)}`)).toBeUndefined();
});

test("errors show a value's type and a bounded excerpt, never the whole value", () => {
  expect(shown(undefined)).toBe("nothing");
  expect(shown([1, 2])).toBe("an array of 2");
  expect(shown({ a: 1 })).toBe("an object");
  expect(shown("x".repeat(1000)).length).toBeLessThan(80);
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  expect(() => validateBody({ bot: "b", chainId: deep })).toThrow("body.chainId: must be a non-negative whole number, got an array of 1");
});
