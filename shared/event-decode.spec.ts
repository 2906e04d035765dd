import { ethers } from "forta-agent";
import { fastDecodeEventLog } from "./event-decode";

const IFACE = new ethers.utils.Interface([
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event Mixed(bytes32 indexed what, uint8 small, uint48 age, uint128 mid, bool flag, bytes4 sig, address usr)",
  "event Named(uint256 length, uint256 value, address indexed who)",
  "event Signed(int256 delta)",
  "event Dynamic(string name)",
  "event Anon(uint256 x) anonymous",
]);

/** a deterministic stream of words, with the shapes that matter: zeros, small, high bits, full */
function words(seed: number, n: number): string[] {
  let x = seed >>> 0;
  const next = () => (x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const shape = next() % 5;
    let hex = "";
    for (let j = 0; j < 8; j++) hex += next().toString(16).padStart(8, "0");
    if (shape === 0) hex = "0".repeat(64);
    else if (shape === 1) hex = "0".repeat(24) + hex.slice(24); // an address, or a 160-bit number
    else if (shape === 2) hex = "0".repeat(62) + hex.slice(62); // a small number
    else if (shape === 3) hex = "0".repeat(52) + hex.slice(52); // 48 bits
    out.push(hex);
  }
  return out;
}

/** what ethers gives, as a comparable shape (or its error) */
function shape(f: () => ethers.utils.Result): unknown {
  try {
    const r = f();
    return { frozen: Object.isFrozen(r), keys: Object.keys(r), values: Object.keys(r).map((k) => ((r as unknown as Record<string, unknown>)[k] instanceof ethers.BigNumber ? { bn: ((r as unknown as Record<string, ethers.BigNumber>)[k]!)._hex } : (r as unknown as Record<string, unknown>)[k])) };
  } catch (err) {
    return { threw: true };
  }
}

describe("fastDecodeEventLog", () => {
  for (const name of ["Transfer", "Mixed", "Named"]) {
    it(`gives what ethers' decodeEventLog gives for ${name}, over many words`, () => {
      const fragment = IFACE.getEvent(name);
      const topic = IFACE.getEventTopic(fragment);
      const indexed = fragment.inputs.filter((p) => p.indexed).length;
      let taken = 0;
      for (let seed = 1; seed <= 400; seed++) {
        const w = words(seed, fragment.inputs.length + 1);
        const topics = [topic, ...w.slice(0, indexed).map((x) => `0x${x}`)];
        const data = `0x${w.slice(indexed, fragment.inputs.length).join("")}${seed % 7 === 0 ? "ab" : ""}`;
        const fast = fastDecodeEventLog(fragment, data, topics);
        const slow = shape(() => IFACE.decodeEventLog(fragment, data, topics));
        if (fast === undefined) continue; // left to ethers
        taken++;
        expect(shape(() => fast)).toEqual(slow);
      }
      expect(taken).toBeGreaterThan(20); // the rest were left to ethers
    });
  }

  it("takes a Transfer with upper-case hex as ethers reads it", () => {
    const fragment = IFACE.getEvent("Transfer");
    const topics = [IFACE.getEventTopic(fragment), `0x${"0".repeat(24)}${"AB".repeat(20)}`, `0x${"0".repeat(24)}${"cd".repeat(20)}`];
    const data = `0x${"0".repeat(48)}DE0B6B3A7640000`.padEnd(66, "0");
    expect(shape(() => fastDecodeEventLog(fragment, data, topics)!)).toEqual(shape(() => IFACE.decodeEventLog(fragment, data, topics)));
  });

  it("leaves to ethers what it does not take: short data, missing or malformed topics, dirty addresses, other types", () => {
    const transfer = IFACE.getEvent("Transfer");
    const t0 = IFACE.getEventTopic(transfer);
    const addr = `0x${"0".repeat(24)}${"11".repeat(20)}`;
    const one = `0x${"0".repeat(63)}1`;
    expect(fastDecodeEventLog(transfer, "0x", [t0, addr, addr])).toBeUndefined();
    expect(fastDecodeEventLog(transfer, one, [t0, addr])).toBeUndefined();
    expect(fastDecodeEventLog(transfer, one, [t0, addr, "0x1234"])).toBeUndefined();
    expect(fastDecodeEventLog(transfer, one, [t0, addr, addr, "0x12"])).toBeUndefined();
    expect(fastDecodeEventLog(transfer, "0x123", [t0, addr, addr])).toBeUndefined();
    expect(fastDecodeEventLog(transfer, one, [t0, `0x${"ff".repeat(32)}`, addr])).toBeUndefined();
    for (const name of ["Signed", "Dynamic", "Anon"]) expect(fastDecodeEventLog(IFACE.getEvent(name), one, [IFACE.getEventTopic(IFACE.getEvent(name))])).toBeUndefined();
    const mixed = IFACE.getEvent("Mixed");
    const wide = `0x${"0".repeat(62)}ff${"f".repeat(64)}${"0".repeat(64 * 5)}`; // uint8 small = 255 fits; uint48 age all ones does not
    expect(fastDecodeEventLog(mixed, wide, [IFACE.getEventTopic(mixed), one])).toBeUndefined();
  });

  it("keeps ethers' names: a name already taken (length) is not set", () => {
    const named = IFACE.getEvent("Named");
    const r = fastDecodeEventLog(named, `0x${"0".repeat(63)}5${"0".repeat(63)}7`, [IFACE.getEventTopic(named), `0x${"0".repeat(24)}${"22".repeat(20)}`])!;
    expect(r.length).toBe(3);
    expect((r.value as ethers.BigNumber).toString()).toBe("7");
    expect(r.who).toBe(ethers.utils.getAddress(`0x${"22".repeat(20)}`));
  });
});
