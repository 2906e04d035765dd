/**
 * Reading a whole ChainLog at one block, in two JSON-RPC round trips whatever the number of keys
 * (three when the block tag is not a number: the tag is first resolved to a block number so that
 * every read sees one block):
 *   1. `eth_getCode`, `list()` and `version()` of the ChainLog, in one batch;
 *   2. `getAddress(key)` for every key, in one batch (~550 calls on mainnet).
 */
import { CHAINLOG_IFACE } from "../../abi/registry";
import { fromBytes32 } from "../../abi/bytes32";
import type { BlockTag, RpcClient } from "../../rpc/client";
import { ContractDecodeError, contract, readCode } from "../../rpc/contract";
import { CallRevertedError } from "../../rpc/errors";
import { ChainlogError } from "./errors";
import { keepPattern, ZERO_ADDRESS, type AddressBookState } from "./state";

/** What a ChainLog held at one block. */
export interface ChainlogSnapshot {
  /** the block read at */
  block: number;
  /** `version()`, or null when the ChainLog did not answer it */
  version: string | null;
  /** key -> address (lowercase), sorted by key; keys with the zero address left out */
  entries: Record<string, string>;
}

/**
 * The ChainLog at `chainlog` as of `blockTag`, only the keys matching `keepSpec` when given. Throws a
 * ChainlogError when there is no contract there or it does not answer `list()` like a ChainLog;
 * RPC failures are thrown as they come.
 */
export async function readChainlog(rpc: RpcClient, chainlog: string, blockTag: BlockTag, keepSpec: AddressBookState["keep"]): Promise<ChainlogSnapshot> {
  const block = typeof blockTag === "number" ? blockTag : await rpc.blockNumber();
  const reader = contract(rpc, chainlog, CHAINLOG_IFACE, "ChainLog");

  // Round trip 1: is it a ChainLog, and which keys does it hold?
  const [code, list, version] = await Promise.allSettled([
    readCode(rpc, chainlog, block),
    reader.read("list", [], block),
    reader.read("version", [], block),
  ]);
  if (code.status === "rejected") throw code.reason;
  if (code.value === "0x") {
    throw new ChainlogError(
      `there is no contract at ${chainlog} at block ${block} on ${rpc.describe()}; set MAKER_CHAINLOG to the ChainLog (CHANGELOG) address of this chain`,
    );
  }
  if (list.status === "rejected") {
    const err = list.reason as unknown;
    if (err instanceof CallRevertedError || err instanceof ContractDecodeError) {
      throw new ChainlogError(`the contract at ${chainlog} does not answer list() like a ChainLog (block ${block}): ${(err as Error).message}; check MAKER_CHAINLOG`, { cause: err });
    }
    throw err;
  }
  const keep = keepPattern(keepSpec);
  const wanted = new Map<string, string>(); // key name -> bytes32 word
  for (const w of list.value[0] as string[]) {
    const k = fromBytes32(w);
    if (!wanted.has(k) && (!keep || keep.test(k))) wanted.set(k, w);
  }
  const keys = [...wanted.keys()];

  // Round trip 2: every address at once (one JSON-RPC batch; nothing awaited in between).
  const answers = await Promise.allSettled(keys.map((k) => reader.read("getAddress", [wanted.get(k)], block)));
  const entries: Record<string, string> = {};
  answers.forEach((a, i) => {
    if (a.status === "fulfilled") {
      const addr = String(a.value[0]).toLowerCase();
      if (addr !== ZERO_ADDRESS) entries[keys[i]!] = addr;
    } else if (!(a.reason instanceof CallRevertedError)) {
      // getAddress reverts only for zero addresses; anything else is a real failure
      throw a.reason;
    }
  });

  return { block, version: version.status === "fulfilled" ? String(version.value[0]) : null, entries: sortedRecord(entries) };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}
