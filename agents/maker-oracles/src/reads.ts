/**
 * What maker-oracles reads from the chain, always at an explicit block. Every function issues its
 * requests synchronously (nothing awaited before they are queued), so reads started together in
 * one turn of the event loop travel in one JSON-RPC batch.
 *
 * `peek/peep` of the OSM and `read/peek` of the Median are whitelisted (`bud`), so prices are
 * read from storage (shared/abi/oracles.ts has the slots); `hop/zzz/src/stopped`, the Median's
 * `bar/age/slot` and DSValue's `peek` are public.
 */
import { MEDIAN_IFACE, MEDIAN_SLOTS, OSM_IFACE, OSM_SLOTS, decodeOsmFeed, type OsmFeed } from "../../../shared/abi";
import type { RpcClient } from "../../../shared/rpc/client";
import { ContractDecodeError, callData, contract, decodeAnswer, mappingSlot, readCode, readStorage } from "../../../shared/rpc/contract";
import { CallRevertedError } from "../../../shared/rpc/errors";
import { CAPPED_IFACE, DSVALUE_IFACE, SCRIBE_IFACE, SCRIBE_POKE_SLOT } from "./abi";
import type { PipProbe, SourceProbe } from "./detectors";

/** A call's answer, or undefined when the contract does not answer it (reverts, or returns nothing decodable). Node failures still throw. */
export async function answer<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof CallRevertedError || err instanceof ContractDecodeError) return undefined;
    throw err;
  }
}

/** Everything classifyPip needs about a PIP_* address, in one batch. */
export async function probePip(rpc: RpcClient, address: string, block: number | "latest"): Promise<PipProbe> {
  const osm = contract(rpc, address, OSM_IFACE, "PIP");
  const value = contract(rpc, address, DSVALUE_IFACE, "PIP");
  const capped = contract(rpc, address, CAPPED_IFACE, "PIP");
  const [code, hop, zzz, src, stopped, slot1, slot2, peek, cap] = await Promise.all([
    readCode(rpc, address, block),
    answer(osm.uint("hop", [], block)),
    answer(osm.uint("zzz", [], block)),
    answer(osm.addr("src", [], block)),
    answer(osm.uint("stopped", [], block)),
    readStorage(rpc, address, OSM_SLOTS.stopped, block),
    readStorage(rpc, address, OSM_SLOTS.srcHopZzz, block),
    answer(value.read("peek", [], block)),
    answer(capped.uint("cap", [], block)),
  ]);
  return {
    code,
    hop: hop === undefined ? undefined : Number(hop),
    zzz: zzz === undefined ? undefined : Number(zzz),
    src,
    stopped,
    slot1,
    slot2,
    peekAnswers: peek !== undefined,
    capped: cap !== undefined && hop !== undefined,
  };
}

/** What sourceKindOf needs about an OSM's source (a Median, a Chronicle Scribe, anything else). */
export async function probeSource(rpc: RpcClient, address: string, block: number | "latest"): Promise<SourceProbe> {
  const m = contract(rpc, address, MEDIAN_IFACE, "Median");
  const s = contract(rpc, address, SCRIBE_IFACE, "Scribe");
  const zero = "0x0000000000000000000000000000000000000000";
  const [bar, age, slot1, authed, tolled, period] = await Promise.all([
    answer(m.uint("bar", [], block)),
    answer(m.uint("age", [], block)),
    readStorage(rpc, address, MEDIAN_SLOTS.valAge, block),
    answer(s.read("authed", [zero], block)),
    answer(s.read("tolled", [zero], block)),
    answer(s.uint("opChallengePeriod", [], block)),
  ]);
  return {
    bar,
    age: age === undefined ? undefined : Number(age),
    slot1,
    authed: authed === undefined ? undefined : Boolean(authed[0]),
    tolled: tolled === undefined ? undefined : Boolean(tolled[0]),
    opChallengePeriod: period === undefined ? undefined : Number(period),
  };
}

/**
 * A Chronicle Scribe's current value and its age, read as `reader` (the OSM, a bud of the Scribe)
 * through `tryReadWithAge()` (which also counts a ScribeOptimistic's finalized opPoke). When the
 * call is refused (the reader is not tolled), the last regular poke from storage slot 4.
 */
export async function readScribe(rpc: RpcClient, scribe: string, reader: string, block: number): Promise<{ val: bigint; age: number; has: boolean; from: "tryReadWithAge" | "storage" }> {
  const data = callData(SCRIBE_IFACE, "tryReadWithAge");
  let out: string | null = null;
  try {
    out = await rpc.call({ to: scribe, data, from: reader }, block);
  } catch (err) {
    if (!(err instanceof CallRevertedError)) throw err;
  }
  if (out !== null) {
    try {
      const [ok, val, age] = decodeAnswer(SCRIBE_IFACE, "tryReadWithAge", out) as unknown as [boolean, { toString(): string }, { toString(): string }];
      return { val: BigInt(val.toString()), age: Number(age.toString()), has: ok, from: "tryReadWithAge" };
    } catch {
      /* not the Scribe's answer: read storage */
    }
  }
  const word = BigInt(await readStorage(rpc, scribe, SCRIBE_POKE_SLOT, block));
  const val = word & ((1n << 128n) - 1n);
  return { val, age: Number((word >> 128n) & 0xffffffffn), has: val !== 0n, from: "storage" };
}

/** An OSM's slot 1 (stopped) and slot 2 (src | hop | zzz) words; `stopped` when the caller knows it (carried). */
export function readOsmControlWords(rpc: RpcClient, osm: string, block: number, stopped?: string): Promise<[string, string]> {
  return Promise.all([stopped ?? readStorage(rpc, osm, OSM_SLOTS.stopped, block), readStorage(rpc, osm, OSM_SLOTS.srcHopZzz, block)]);
}

/** An OSM's `cur` and `nxt` feed words. */
export function readOsmFeedWords(rpc: RpcClient, osm: string, block: number): Promise<[string, string]> {
  return Promise.all([readStorage(rpc, osm, OSM_SLOTS.cur, block), readStorage(rpc, osm, OSM_SLOTS.nxt, block)]);
}

export async function readOsmFeeds(rpc: RpcClient, osm: string, block: number): Promise<{ cur: OsmFeed; nxt: OsmFeed }> {
  const [cur, nxt] = await readOsmFeedWords(rpc, osm, block);
  return { cur: decodeOsmFeed(cur), nxt: decodeOsmFeed(nxt) };
}

/** A Median's packed val|age word. */
export function readMedianWord(rpc: RpcClient, median: string, block: number): Promise<string> {
  return readStorage(rpc, median, MEDIAN_SLOTS.valAge, block);
}

/** A Median's quorum. */
export async function readMedianBar(rpc: RpcClient, median: string, block: number): Promise<bigint> {
  return BigInt(await readStorage(rpc, median, MEDIAN_SLOTS.bar, block));
}

/**
 * The feeds (signers) a Median accepts: its `slot` mapping (first address byte -> signer) read in
 * full from storage, 256 words in one batch. Used only when a lift/drop note cannot carry its
 * address list (5 or more addresses do not fit in a LibNote's 224 bytes of calldata).
 */
export async function readMedianFeeds(rpc: RpcClient, median: string, block: number): Promise<string[]> {
  const words = await Promise.all(Array.from({ length: 256 }, (_, i) => readStorage(rpc, median, mappingSlot(String(i), "uint256", MEDIAN_SLOTS.slot), block)));
  return words.filter((w) => BigInt(w) !== 0n).map((w) => `0x${w.slice(26)}`);
}

/** An OSM-like oracle (another storage layout) through its public getters. */
export async function readOsmLike(rpc: RpcClient, address: string, block: number): Promise<{ hop: number; zzz: number; stopped: boolean }> {
  const c = contract(rpc, address, OSM_IFACE, "PIP");
  const [hop, zzz, stopped] = await Promise.all([c.uint("hop", [], block), c.uint("zzz", [], block), c.uint("stopped", [], block)]);
  return { hop: Number(hop), zzz: Number(zzz), stopped: stopped !== 0n };
}

/** A DSValue's value and whether it is set, or undefined when it does not answer. */
export async function readValue(rpc: RpcClient, address: string, block: number): Promise<{ val: bigint; has: boolean } | undefined> {
  const out = await answer(contract(rpc, address, DSVALUE_IFACE, "DSValue").read("peek", [], block));
  if (!out) return undefined;
  return { val: BigInt(String(out[0])), has: Boolean(out[1]) };
}

/** What a price source answers its OSM: `peek()` called from the OSM's address, as a poke calls it. */
export type SourcePeek = { ok: true; val: bigint; has: boolean } | { ok: false; error: string };

/**
 * `peek()` of an OSM's source, read as the OSM reads it at a poke (eth_call from the OSM's address,
 * so a whitelist (`bud`) that admits the OSM admits the read): works for a Median, a DSValue or any
 * other contract with the `peek() returns (bytes32, bool)` an OSM relies on. A revert or an answer
 * of another shape comes back as `{ ok: false, error }`; node failures throw.
 */
export async function peekSourceAs(rpc: RpcClient, source: string, reader: string, block: number): Promise<SourcePeek> {
  const data = callData(DSVALUE_IFACE, "peek");
  let out: string;
  try {
    out = await rpc.call({ to: source, data, from: reader }, block);
  } catch (err) {
    if (err instanceof CallRevertedError) return { ok: false, error: `peek() reverted when called as ${reader}: ${err.message}` };
    throw err;
  }
  try {
    const [wut, has] = decodeAnswer(DSVALUE_IFACE, "peek", out) as unknown as [string, boolean];
    return { ok: true, val: BigInt(wut), has };
  } catch {
    return { ok: false, error: `peek() answered ${out === "0x" ? "nothing (no contract, or no such function)" : `${out.slice(0, 74)}${out.length > 74 ? "…" : ""}`}, not (bytes32, bool)` };
  }
}
