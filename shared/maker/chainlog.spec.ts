/**
 * AddressBook against an in-process transport that plays the mainnet ChainLog (553 keys from
 * fixtures/maker-addresses.json) and counts round trips: loading must not cost one per key.
 */
import { ethers } from "forta-agent";
import { CHAINLOG_IFACE, fromBytes32, toBytes32 } from "../abi";
import { RpcClient } from "../rpc/client";
import type { RpcCall, RpcOutcome, RpcTransport } from "../rpc/transport";
import { AddressBook, CHAINLOG_KEYS, ChainlogError, MAINNET_CHAINLOG, MAKER_CHAINLOG_FIELD, UnknownChainlogKeyError, type AddressBookState } from "./chainlog";
import fixture from "./fixtures/maker-addresses.json";
import { readConfig } from "../config";

const CHAINLOG = MAINNET_CHAINLOG.toLowerCase();
const MAINNET = fixture.mainnet as Record<string, string>;
const KEYS = Object.keys(MAINNET);
const ZERO = ethers.constants.AddressZero;

/** Answers like a node in front of a ChainLog holding `entries`; records every batch. */
class ChainlogTransport implements RpcTransport {
  readonly batches: RpcCall[][] = [];
  head = 20_000_000;
  constructor(
    readonly entries: Record<string, string>,
    readonly opts: { code?: string; listReverts?: boolean } = {},
  ) {}
  describe() {
    return "test node";
  }
  async send(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    this.batches.push([...calls]);
    return calls.map((c) => this.answer(c));
  }
  private answer(c: RpcCall): RpcOutcome {
    const ok = (result: unknown): RpcOutcome => ({ ok: true, result });
    const revert = (message: string): RpcOutcome => ({ ok: false, error: { code: 3, message: `execution reverted: ${message}` } });
    if (c.method === "eth_blockNumber") return ok(`0x${this.head.toString(16)}`);
    if (c.method === "eth_getCode") return ok((c.params[0] as string) === CHAINLOG ? (this.opts.code ?? "0x6080604052") : "0x");
    if (c.method !== "eth_call") return { ok: false, error: { code: -32601, message: "method not found" } };
    const { to, data } = c.params[0] as { to: string; data: string };
    if (to !== CHAINLOG) return ok("0x");
    const tx = CHAINLOG_IFACE.parseTransaction({ data });
    if (tx.name === "list") {
      if (this.opts.listReverts) return revert("");
      return ok(CHAINLOG_IFACE.encodeFunctionResult("list", [Object.keys(this.entries).map(toBytes32)]));
    }
    if (tx.name === "version") return ok(CHAINLOG_IFACE.encodeFunctionResult("version", ["1.19.11"]));
    if (tx.name === "getAddress") {
      const key = fromBytes32(tx.args[0] as string);
      const addr = this.entries[key];
      if (!addr || addr === ZERO) return revert("dss-chain-log/invalid-key");
      return ok(CHAINLOG_IFACE.encodeFunctionResult("getAddress", [addr]));
    }
    return revert("");
  }
}

function bookLog(name: "UpdateAddress" | "RemoveAddress" | "UpdateVersion", args: unknown[], extra: { blockNumber?: number; address?: string; logIndex?: number } = {}) {
  const { data, topics } = CHAINLOG_IFACE.encodeEventLog(CHAINLOG_IFACE.getEvent(name), args);
  return { address: extra.address ?? MAINNET_CHAINLOG, topics, data, blockNumber: extra.blockNumber ?? 101, logIndex: extra.logIndex ?? 0, transactionHash: `0x${"ab".repeat(32)}`, removed: false };
}

async function loadMainnet(opts: { keep?: RegExp } = {}) {
  const transport = new ChainlogTransport(MAINNET);
  const book = await AddressBook.load(new RpcClient(transport), MAINNET_CHAINLOG, 100, opts);
  return { transport, book };
}

describe("AddressBook.load", () => {
  it("reads all 553 mainnet keys in two round trips: list, then every getAddress in one batch", async () => {
    const { transport, book } = await loadMainnet();
    expect(transport.batches).toHaveLength(2);
    expect(transport.batches[0]!.map((c) => c.method).sort()).toEqual(["eth_call", "eth_call", "eth_getCode"]);
    expect(transport.batches[1]).toHaveLength(KEYS.length);
    expect(transport.batches.flat().every((c) => c.method !== "eth_call" || (c.params[1] as string) === "0x64")).toBe(true);

    // FAUCET is listed with the zero address, for which getAddress reverts: absent from the book
    expect(book.size).toBe(KEYS.length - 1);
    expect(book.has("FAUCET")).toBe(false);
    expect(book.getAddress("MCD_VAT")).toBe(MAINNET.MCD_VAT!.toLowerCase());
    expect(book.block).toBe(100);
    expect(book.version).toBe("1.19.11");
  });

  it("resolves a non-numeric tag once, so that every read sees the same block", async () => {
    const transport = new ChainlogTransport({ CHANGELOG: MAINNET_CHAINLOG, MCD_VAT: MAINNET.MCD_VAT! });
    const book = await AddressBook.load(new RpcClient(transport), MAINNET_CHAINLOG, "latest");
    expect(transport.batches.map((b) => b.length)).toEqual([1, 3, 2]);
    expect(book.block).toBe(transport.head);
    expect(transport.batches.slice(1).flat().every((c) => c.params[c.params.length - 1] === `0x${transport.head.toString(16)}`)).toBe(true);
  });

  it("says when the configured address has no contract or is not a ChainLog", async () => {
    const empty = new ChainlogTransport(MAINNET, { code: "0x" });
    await expect(AddressBook.load(new RpcClient(empty), MAINNET_CHAINLOG, 100)).rejects.toThrow(ChainlogError);
    await expect(AddressBook.load(new RpcClient(empty), MAINNET_CHAINLOG, 100)).rejects.toThrow(/no contract at 0xda0ab1e0.* at block 100.*set MAKER_CHAINLOG/);

    const other = new ChainlogTransport(MAINNET, { listReverts: true });
    await expect(AddressBook.load(new RpcClient(other), MAINNET_CHAINLOG, 100)).rejects.toThrow(/does not answer list\(\) like a ChainLog.*check MAKER_CHAINLOG/);
    expect(() => AddressBook.emptyState("0xnope")).toThrow(/20-byte hex address/);
  });
});

describe("looking up addresses", () => {
  let book: AddressBook;
  beforeAll(async () => {
    book = (await loadMainnet()).book;
  });

  it("names similar keys when a key is unknown", () => {
    expect(book.tryGetAddress("MCD_VATT")).toBeUndefined();
    expect(() => book.getAddress("MCD_VATT")).toThrow(UnknownChainlogKeyError);
    expect(() => book.getAddress("MCD_VATT")).toThrow(/no address for "MCD_VATT" \(as of block 100\); similar keys: MCD_VAT(,|$)/);
    expect(() => book.getAddress("pip_eth")).toThrow(/similar keys: PIP_ETH/);
  });

  it("finds groups of keys: price feeds, clippers without their calculators, PSMs including the lite PSM", () => {
    expect(book.matching("PIP_")).toHaveLength(56);
    const clippers = book.matching(CHAINLOG_KEYS.clippers).map((e) => e.key);
    expect(clippers).toContain("MCD_CLIP_ETH_A");
    expect(clippers.some((k) => k.startsWith("MCD_CLIP_CALC_"))).toBe(false);
    expect(book.matching(CHAINLOG_KEYS.psms).map((e) => e.key)).toEqual(["MCD_LITE_PSM_USDC_A", "MCD_PSM_GUSD_A", "MCD_PSM_PAX_A", "MCD_PSM_USDC_A"]);
    expect(book.matching(CHAINLOG_KEYS.escrows).map((e) => e.key)).toEqual(["ARBITRUM_ESCROW", "BASE_ESCROW", "OPTIMISM_ESCROW", "STARKNET_ESCROW", "UNICHAIN_ESCROW"]);
  });

  it("lists every key that names an address", () => {
    const shared = Object.entries(MAINNET).find(([k, a]) => a !== ZERO && Object.entries(MAINNET).some(([k2, a2]) => k2 !== k && a2 === a))!;
    const expected = Object.entries(MAINNET).filter(([, a]) => a === shared[1]).map(([k]) => k).sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(book.keysOf(shared[1].toUpperCase().replace("0X", "0x"))).toEqual(expected);
    expect(book.keys()).toEqual([...book.keys()].sort());
    expect(book.entries()[0]).toEqual({ key: book.keys()[0], address: book.getAddress(book.keys()[0]!) });
  });
});

describe("following the ChainLog", () => {
  const NEW_OSM = "0x00000000000000000000000000000000000005a1";

  it("reports new keys, replaced and zeroed addresses, removals and version changes", async () => {
    const { book } = await loadMainnet();
    const oldPip = book.getAddress("PIP_ETH");

    expect(book.apply(bookLog("UpdateAddress", [toBytes32("PIP_NEW"), NEW_OSM]))).toMatchObject({ kind: "updated", key: "PIP_NEW", from: null, to: NEW_OSM, blockNumber: 101 });
    expect(book.getAddress("PIP_NEW")).toBe(NEW_OSM);
    expect(book.apply(bookLog("UpdateAddress", [toBytes32("PIP_ETH"), NEW_OSM]))).toMatchObject({ kind: "updated", key: "PIP_ETH", from: oldPip, to: NEW_OSM });
    expect(book.keysOf(NEW_OSM)).toEqual(["PIP_ETH", "PIP_NEW"]);
    expect(book.apply(bookLog("UpdateAddress", [toBytes32("PIP_NEW"), ZERO]))).toMatchObject({ kind: "updated", key: "PIP_NEW", from: NEW_OSM, to: null });
    expect(book.has("PIP_NEW")).toBe(false);
    expect(book.apply(bookLog("RemoveAddress", [toBytes32("PIP_ETH")]))).toMatchObject({ kind: "removed", key: "PIP_ETH", from: NEW_OSM, to: null });
    expect(book.has("PIP_ETH")).toBe(false);
    expect(book.apply(bookLog("UpdateVersion", ["1.20.0"]))).toMatchObject({ kind: "version", key: null, from: "1.19.11", to: "1.20.0" });
    expect(book.version).toBe("1.20.0");
  });

  it("ignores other contracts, other events, reorged logs, logs the snapshot already holds, and repeats", async () => {
    const { book } = await loadMainnet();
    const update = bookLog("UpdateAddress", [toBytes32("PIP_NEW"), NEW_OSM]);
    expect(book.apply({ ...update, address: "0x0000000000000000000000000000000000000001" })).toBeNull();
    expect(book.apply({ ...update, removed: true })).toBeNull();
    expect(book.apply({ ...update, blockNumber: 100 })).toBeNull();
    expect(book.apply(bookLog("UpdateAddress", [toBytes32("PIP_NEW"), NEW_OSM], { blockNumber: 99 }))).toBeNull();
    const rely = CHAINLOG_IFACE.encodeEventLog(CHAINLOG_IFACE.getEvent("Rely"), [NEW_OSM]);
    expect(book.apply({ address: MAINNET_CHAINLOG, ...rely })).toBeNull();
    expect(book.has("PIP_NEW")).toBe(false);

    expect(book.apply(update)).not.toBeNull();
    expect(book.apply(update)).toBeNull(); // the same update again changes nothing
    expect(book.apply(bookLog("RemoveAddress", [toBytes32("NEVER_THERE")]))).toBeNull();
  });

  it("follows a transaction's logs in order (forta TransactionEvent shape: block number on the event)", async () => {
    const { book } = await loadMainnet();
    const strip = (l: ReturnType<typeof bookLog>) => ({ address: l.address, topics: l.topics, data: l.data });
    const changes = book.applyTransaction({
      blockNumber: 150,
      hash: `0x${"cd".repeat(32)}`,
      logs: [strip(bookLog("UpdateAddress", [toBytes32("MCD_CLIP_NEW_A"), NEW_OSM])), strip(bookLog("RemoveAddress", [toBytes32("MCD_CLIP_NEW_A")])), strip(bookLog("UpdateVersion", ["2.0.0"]))],
    });
    expect(changes.map((c) => [c.kind, c.key, c.blockNumber, c.transactionHash])).toEqual([
      ["updated", "MCD_CLIP_NEW_A", 150, `0x${"cd".repeat(32)}`],
      ["removed", "MCD_CLIP_NEW_A", 150, `0x${"cd".repeat(32)}`],
      ["version", null, 150, `0x${"cd".repeat(32)}`],
    ]);
  });

  it("reports an UpdateAddress that does not decode instead of skipping it", async () => {
    const { book } = await loadMainnet();
    const log = bookLog("UpdateAddress", [toBytes32("PIP_NEW"), NEW_OSM]);
    expect(() => book.apply({ ...log, data: "0x1234" })).toThrow(/UpdateAddress log of ChainLog .* does not decode/);
  });

  it("can hold and follow only the keys a bot needs", async () => {
    const { book } = await loadMainnet({ keep: /^PIP_/ });
    expect(book.size).toBe(56);
    expect(book.apply(bookLog("UpdateAddress", [toBytes32("MCD_VAT"), NEW_OSM]))).toBeNull();
    expect(book.apply(bookLog("UpdateAddress", [toBytes32("PIP_NEW"), NEW_OSM]))?.key).toBe("PIP_NEW");
    expect(() => book.getAddress("MCD_VAT")).toThrow(/only holds keys matching \/\^PIP_\//);
  });
});

describe("state for the runtime's checkpoints", () => {
  it("is plain JSON that restores to the same book", async () => {
    const { book } = await loadMainnet();
    const text = JSON.stringify(book);
    const restored = AddressBook.fromJSON(JSON.parse(text));
    expect(restored.entries()).toEqual(book.entries());
    expect(restored.block).toBe(100);
    expect(restored.version).toBe(book.version);
  });

  it("is used in place, so changes land in the object ctx.persistent handed out", async () => {
    const { book } = await loadMainnet();
    const persisted = JSON.parse(JSON.stringify(book)) as AddressBookState;
    const attached = AddressBook.attach(persisted, MAINNET_CHAINLOG);
    attached.apply(bookLog("UpdateAddress", [toBytes32("PIP_NEW"), "0x00000000000000000000000000000000000005a1"]));
    expect(persisted.entries.PIP_NEW).toBe("0x00000000000000000000000000000000000005a1");
  });

  it("loads on first start, not after a restore", async () => {
    const transport = new ChainlogTransport(MAINNET);
    const rpc = new RpcClient(transport);
    const state = AddressBook.emptyState(MAINNET_CHAINLOG);
    await AddressBook.attach(state, MAINNET_CHAINLOG).ensureLoaded(rpc, 100);
    expect(transport.batches).toHaveLength(2);
    const afterRestart = AddressBook.attach(JSON.parse(JSON.stringify(state)), MAINNET_CHAINLOG);
    await afterRestart.ensureLoaded(rpc, 200);
    expect(transport.batches).toHaveLength(2);
    expect(afterRestart.block).toBe(100);
  });

  it("starts afresh when MAKER_CHAINLOG now names another ChainLog", async () => {
    const { book } = await loadMainnet();
    const state = JSON.parse(JSON.stringify(book)) as AddressBookState;
    const other = "0x00000000000000000000000000000000000c4a1e";
    const moved = AddressBook.attach(state, other);
    expect(moved.loaded).toBe(false);
    expect(moved.chainlog).toBe(other);
    expect(moved.size).toBe(0);
  });

  it("starts afresh when the bot now keeps other keys (an upgrade watching one more contract)", async () => {
    const transport = new ChainlogTransport(MAINNET);
    const rpc = new RpcClient(transport);
    const before = { keep: /^PIP_/ };
    const state = AddressBook.emptyState(MAINNET_CHAINLOG, before);
    await AddressBook.attach(state, MAINNET_CHAINLOG, before).ensureLoaded(rpc, 100);
    expect(AddressBook.attach(JSON.parse(JSON.stringify(state)), MAINNET_CHAINLOG, before).tryGetAddress("MCD_VAT")).toBeUndefined();
    const same = AddressBook.attach(JSON.parse(JSON.stringify(state)), MAINNET_CHAINLOG, { keep: /^PIP_/ });
    expect(same.block).toBe(100);
    const after = { keep: /^(PIP_|MCD_VAT$)/ };
    const upgraded = AddressBook.attach(JSON.parse(JSON.stringify(state)), MAINNET_CHAINLOG, after);
    expect(upgraded.loaded).toBe(false);
    await upgraded.ensureLoaded(rpc, 200);
    expect(upgraded.tryGetAddress("MCD_VAT")).toBeDefined();
  });

  it("rejects a damaged saved state, saying how to recover", () => {
    expect(() => AddressBook.fromJSON({ v: 1, chainlog: CHAINLOG, block: "x", version: null, entries: {} })).toThrow(/block is not a block number.*delete the bot's saved state/);
    expect(() => AddressBook.fromJSON({ v: 1, chainlog: CHAINLOG, block: 1, version: null, entries: { MCD_VAT: "nope" } })).toThrow(/entry MCD_VAT/);
    expect(() => AddressBook.fromJSON(null)).toThrow(ChainlogError);
  });
});

describe("MAKER_CHAINLOG", () => {
  it("defaults to the mainnet ChainLog and accepts another address", () => {
    expect(readConfig({ chainlog: MAKER_CHAINLOG_FIELD }, {}).chainlog).toBe(CHAINLOG);
    expect(readConfig({ chainlog: MAKER_CHAINLOG_FIELD }, { MAKER_CHAINLOG: "0x00000000000000000000000000000000000C4A1E" }).chainlog).toBe("0x00000000000000000000000000000000000c4a1e");
    expect(() => readConfig({ chainlog: MAKER_CHAINLOG_FIELD }, { MAKER_CHAINLOG: "changelog" })).toThrow(/MAKER_CHAINLOG="changelog" is invalid/);
  });
});
