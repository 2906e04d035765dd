/**
 * `iface.decodeEventLog(fragment, data, topics)` for the events most logs are (Transfer, Join,
 * Drip, SellGem...: every argument an address, bool, uintN or bytesN), without ethers' general
 * machinery: it builds a coder per argument, a Reader and a BigNumber per word, and re-hashes the
 * event's signature on each call (it led the bench replay's profile, ~6% of its CPU).
 *
 * The answer is what ethers gives, value for value: a frozen array with each value also under
 * its argument's name, checksummed addresses (kept per address: one keccak each, not one per
 * log), BigNumbers for integers over 48 bits and numbers up to 48 bits, lowercase hex bytes.
 * Anything else (signed or dynamic types, indexed arrays, data or topics out of shape, an
 * integer wider than its type) is left to ethers, which decodes it or throws as it always did.
 */
import { ethers } from "forta-agent";

type Kind = "address" | "bool" | "uint" | "bytes";
interface Arg {
  name: string;
  kind: Kind;
  /** bits of a uint, bytes of a bytesN */
  size: number;
  indexed: boolean;
}
/** an event's arguments, or null: not one this decoder takes */
type Plan = { args: Arg[]; indexed: number; words: number } | null;

const plans = new WeakMap<ethers.utils.EventFragment, Plan>();

function planOf(fragment: ethers.utils.EventFragment): Plan {
  let plan = plans.get(fragment);
  if (plan !== undefined) return plan;
  plan = makePlan(fragment);
  plans.set(fragment, plan);
  return plan;
}

function makePlan(fragment: ethers.utils.EventFragment): Plan {
  if (fragment.anonymous) return null;
  const args: Arg[] = [];
  for (const p of fragment.inputs) {
    const t = p.type;
    let kind: Kind;
    let size = 0;
    if (t === "address" || t === "bool") kind = t;
    else if (/^uint\d+$/.test(t)) {
      kind = "uint";
      size = Number(t.slice(4));
      if (!(size >= 8 && size <= 256 && size % 8 === 0)) return null;
    } else if (/^bytes\d+$/.test(t)) {
      kind = "bytes";
      size = Number(t.slice(5));
      if (!(size >= 1 && size <= 32)) return null;
    } else return null;
    args.push({ name: p.name, kind, size, indexed: p.indexed });
  }
  const indexed = args.filter((a) => a.indexed).length;
  return { args, indexed, words: args.length - indexed };
}

const checksummed = new Map<string, string>();
/** ethers' getAddress of a lowercase 0x + 40 hex digits (kept: the same addresses come back in every block) */
function checksum(lower: string): string {
  let c = checksummed.get(lower);
  if (c === undefined) {
    c = ethers.utils.getAddress(lower);
    if (checksummed.size >= 50_000) checksummed.clear();
    checksummed.set(lower, c);
  }
  return c;
}

const WORD = /^0x[0-9a-f]{64}$/;
const HEX = /^0x(?:[0-9a-f]{2})*$/;
const ZERO_24 = "0".repeat(24);

/** One 32-byte word (64 lowercase hex digits) as the argument; undefined: leave it to ethers. */
function value(a: Arg, word: string): unknown {
  switch (a.kind) {
    case "address":
      return word.startsWith(ZERO_24) ? checksum(`0x${word.slice(24)}`) : undefined;
    case "bool":
      return !/^0*$/.test(word);
    case "bytes":
      return `0x${word.slice(0, 2 * a.size)}`;
    case "uint": {
      if (a.size < 256 && !word.startsWith("0".repeat(64 - a.size / 4))) return undefined; // ethers masks: rare, its own way
      if (a.size <= 48) return parseInt(word.slice(64 - a.size / 4), 16);
      return ethers.BigNumber.from(`0x${word}`);
    }
  }
}

/**
 * What `iface.decodeEventLog(fragment, data, topics)` returns for a log whose topics[0] is the
 * fragment's topic, or undefined when this decoder does not take it (the caller asks ethers).
 */
export function fastDecodeEventLog(fragment: ethers.utils.EventFragment, data: string, topics: readonly string[]): ethers.utils.Result | undefined {
  const plan = planOf(fragment);
  if (!plan) return undefined;
  if (topics.length < plan.indexed + 1) return undefined;
  for (let t = 1; t < topics.length; t++) if (!WORD.test(topics[t]!.toLowerCase())) return undefined; // ethers reads them all as one byte string
  const d = data.toLowerCase();
  if (!HEX.test(d) || d.length < 2 + 64 * plan.words) return undefined;
  const result: unknown[] & Record<string, unknown> = [] as unknown as unknown[] & Record<string, unknown>;
  let topic = 1;
  let word = 0;
  for (let i = 0; i < plan.args.length; i++) {
    const a = plan.args[i]!;
    let w: string;
    if (a.indexed) {
      w = topics[topic++]!.toLowerCase().slice(2);
    } else {
      w = d.slice(2 + 64 * word, 2 + 64 * (word + 1));
      word++;
    }
    const v = value(a, w);
    if (v === undefined) return undefined;
    result[i] = v;
    // the name as ethers adds it, in the same step: unless the name is already taken
    if (a.name && result[a.name] == null) result[a.name] = v;
  }
  return Object.freeze(result) as unknown as ethers.utils.Result;
}
