/**
 * Strict readers for Beacon API JSON: every integer is a decimal string ("0", "123", never
 * "0x1", "1e3", " 1" or a JSON number) and is parsed exactly, as bigint, or as a number only
 * when it fits in a safe integer. A reader knows the route and the endpoint, so its errors say
 * which field of which route from which node was wrong.
 */
import { BeaconAnswerError } from "./errors";

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

export type JsonValue = unknown;

export class Reader {
  constructor(
    readonly route: string,
    readonly url: string,
  ) {}

  fail(path: string, problem: string): never {
    throw new BeaconAnswerError(this.route, this.url, path ? `${path} ${problem}` : problem);
  }

  /** The body parsed as JSON. */
  json(text: string): JsonValue {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      this.fail("", `is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`);
    }
  }

  obj(v: JsonValue, path: string): Record<string, JsonValue> {
    if (!v || typeof v !== "object" || Array.isArray(v)) this.fail(path, `should be an object, got ${kind(v)}`);
    return v as Record<string, JsonValue>;
  }

  arr(v: JsonValue, path: string): JsonValue[] {
    if (!Array.isArray(v)) this.fail(path, `should be an array, got ${kind(v)}`);
    return v;
  }

  field(o: Record<string, JsonValue>, key: string, path: string): JsonValue {
    if (!(key in o)) this.fail(`${path}.${key}`, "is missing");
    return o[key];
  }

  str(v: JsonValue, path: string): string {
    if (typeof v !== "string") this.fail(path, `should be a string, got ${kind(v)}`);
    return v;
  }

  bool(v: JsonValue, path: string): boolean {
    if (typeof v !== "boolean") this.fail(path, `should be true or false, got ${kind(v)}`);
    return v;
  }

  optBool(v: JsonValue, path: string): boolean | undefined {
    return v === undefined ? undefined : this.bool(v, path);
  }

  /** An unsigned 64-bit decimal string, exactly. */
  u64(v: JsonValue, path: string): bigint {
    if (typeof v !== "string" || !/^(0|[1-9][0-9]*)$/.test(v)) this.fail(path, `should be a decimal integer string, got ${show(v)}`);
    const n = BigInt(v);
    if (n > U64_MAX) this.fail(path, `is out of the uint64 range: ${v}`);
    return n;
  }

  /** A signed 64-bit decimal string (rewards and penalties), exactly. */
  i64(v: JsonValue, path: string): bigint {
    if (typeof v !== "string" || !/^(0|-?[1-9][0-9]*)$/.test(v)) this.fail(path, `should be a signed decimal integer string, got ${show(v)}`);
    const n = BigInt(v);
    if (n < I64_MIN || n > I64_MAX) this.fail(path, `is out of the int64 range: ${v}`);
    return n;
  }

  /**
   * A signed 64-bit reward or penalty in Gwei, accepting what real clients send beside the spec's
   * integer strings: Lodestar releases before its 2025 fix send decimals ("15975.09375",
   * "-2047.5"). Such a value is rounded away from zero, so its sign (all a flag's reward says:
   * earned or missed) is kept exactly, 0 stays 0, and a sum is off by less than 1 Gwei per value.
   * `onDecimal` is called with the raw value when one was rounded (to say once that the node
   * answers out of spec).
   */
  reward(v: JsonValue, path: string, onDecimal: (raw: string) => void): bigint {
    if (typeof v === "string") {
      const m = /^(-?)(0|[1-9][0-9]*)\.([0-9]+)$/.exec(v);
      if (m) {
        onDecimal(v);
        const negative = m[1] === "-";
        const whole = BigInt(m[2]!) + (/^0+$/.test(m[3]!) ? 0n : 1n);
        const n = whole === 0n ? 0n : negative ? -whole : whole;
        if (n < I64_MIN || n > I64_MAX) this.fail(path, `is out of the int64 range: ${v}`);
        return n;
      }
    }
    return this.i64(v, path);
  }

  /** A uint64 decimal string that must fit a safe JS integer (slots, epochs, indices, counts). */
  num(v: JsonValue, path: string): number {
    const n = this.u64(v, path);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(path, `is too large for a slot, epoch or index: ${String(v)}`);
    return Number(n);
  }

  /** A 32-byte 0x-hex root, lower-cased. */
  root(v: JsonValue, path: string): string {
    if (typeof v !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v)) this.fail(path, `should be a 0x-prefixed 32-byte hex root, got ${show(v)}`);
    return v.toLowerCase();
  }

  /** 0x-hex of any length, lower-cased. */
  hex(v: JsonValue, path: string): string {
    if (typeof v !== "string" || !/^0x[0-9a-fA-F]*$/.test(v)) this.fail(path, `should be 0x-prefixed hex, got ${show(v)}`);
    return v.toLowerCase();
  }

  /** `{data: ...}`: the envelope every Beacon API JSON answer has. */
  data(body: JsonValue): { data: JsonValue; top: Record<string, JsonValue> } {
    const top = this.obj(body, "body");
    return { data: this.field(top, "data", "body"), top };
  }
}

function kind(v: JsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `${typeof v} ${show(v)}`;
}

function show(v: JsonValue): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
