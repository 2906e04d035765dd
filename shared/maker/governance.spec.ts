/**
 * Known spells by deployer nonces, and reading notes / the ChainLog log by log.
 */
import { ethers } from "forta-agent";
import { PAUSE_IFACE, PAUSE_NOTES, CHAINLOG_IFACE, noteTopic } from "../abi";
import type { RpcClient } from "../rpc/client";
import { AddressBook } from "./chainlog";
import { SpellRegistry, createAddress, describeOrigin, faxSelector, pausePlanOf } from "./governance";
import { followChainlog, readNotes } from "./tx";

const DEPLOYER = "0xda0c0de01d90a5933692edf03c7ce946c7c50445";
const OTHER = "0x1111111111111111111111111111111111111111";

/** An RpcClient stand-in that answers eth_getTransactionCount from a table (per block) and counts the calls. */
function fakeRpc(counts: Record<number, Record<string, number>>) {
  const calls: unknown[][] = [];
  const rpc = {
    request: async (method: string, params: unknown[]) => {
      calls.push([method, ...params]);
      if (method !== "eth_getTransactionCount") throw new Error(`unexpected ${method}`);
      const block = parseInt(String(params[1]), 16);
      return `0x${(counts[block]?.[String(params[0])] ?? 0).toString(16)}`;
    },
  };
  return { rpc: rpc as unknown as RpcClient, calls };
}

describe("known spells", () => {
  it("derives CREATE addresses exactly as the chain does (nonce 0, small and multi-byte nonces)", () => {
    for (const n of [0, 1, 127, 128, 255, 256, 70_000]) {
      expect(createAddress(DEPLOYER, n)).toBe(ethers.utils.getContractAddress({ from: DEPLOYER, nonce: n }).toLowerCase());
    }
  });

  it("knows what a deployer created up to its nonce at the block asked about, and nothing it creates later", async () => {
    const spellAt5 = createAddress(DEPLOYER, 5);
    const { rpc, calls } = fakeRpc({ 100: { [DEPLOYER]: 5 }, 200: { [DEPLOYER]: 6 } });
    const reg = new SpellRegistry({ deployers: [DEPLOYER], allowList: [] });
    expect(await reg.origin(rpc, spellAt5, 100)).toBeNull(); // nonce 5 not used yet at block 100
    expect(await reg.origin(rpc, createAddress(DEPLOYER, 0), 100)).toEqual({ how: "deployer", deployer: DEPLOYER, nonce: 0 });
    expect(await reg.origin(rpc, spellAt5.toUpperCase().replace("0X", "0x"), 200)).toEqual({ how: "deployer", deployer: DEPLOYER, nonce: 5 });
    const before = calls.length;
    expect(await reg.origin(rpc, spellAt5, 200)).not.toBeNull(); // memoised: no new call
    expect(calls.length).toBe(before);
    expect(await reg.origin(rpc, createAddress(OTHER, 0), 200)).toBeNull();
  });

  it("answers the allow-list without the chain, and describes origins for people", async () => {
    const { rpc, calls } = fakeRpc({});
    const reg = new SpellRegistry({ deployers: [DEPLOYER], allowList: [OTHER.toUpperCase().replace("0X", "0x")] });
    expect(await reg.origin(rpc, OTHER, 1)).toEqual({ how: "allow-list" });
    expect(calls).toEqual([]);
    expect(describeOrigin({ how: "allow-list" })).toBe("allow-listed");
    expect(describeOrigin(null)).toBe("not a known spell");
    expect(describeOrigin({ how: "deployer", deployer: DEPLOYER, nonce: 3 })).toContain("nonce 3");
  });

  it("stops deriving at maxNonce (a deployer with a huge nonce does not stall the bot)", async () => {
    const { rpc } = fakeRpc({ 1: { [DEPLOYER]: 10_000_000 } });
    const reg = new SpellRegistry({ deployers: [DEPLOYER], allowList: [], maxNonce: 100 });
    expect(await reg.origin(rpc, createAddress(DEPLOYER, 99), 1)).not.toBeNull();
    expect(await reg.origin(rpc, createAddress(DEPLOYER, 100), 1)).toBeNull();
  });

  it("rejects a node answer that is not a count", async () => {
    const rpc = { request: async () => "banana" } as unknown as RpcClient;
    await expect(new SpellRegistry({ deployers: [DEPLOYER], allowList: [] }).origin(rpc, OTHER, 1)).rejects.toThrow(/not a hex count/);
  });
});

const PAUSE = "0xbe286431454714f511008713973d3b053a2d38f3";
const SPELL = "0x2222222222222222222222222222222222222222";
const word = (hex: string) => ethers.utils.hexZeroPad(hex, 32).toLowerCase();

/** ds-note as DSPause writes it: topics sig, guy, foo, bar; data (wad, whole calldata). */
function dsNote(address: string, caller: string, calldata: string, logIndex: number) {
  const load = (o: number) => `0x${calldata.slice(2 + o * 2, 2 + o * 2 + 64).padEnd(64, "0")}`;
  return {
    address,
    logIndex,
    topics: [calldata.slice(0, 10).padEnd(66, "0"), word(caller), load(4), load(36)],
    data: ethers.utils.defaultAbiCoder.encode(["uint256", "bytes"], [0, calldata]),
  };
}

describe("pause plans and notes read log by log", () => {
  const usr = "0x3333333333333333333333333333333333333333";
  const tag = word("0x1234");
  const fax = "0x61461954";
  const plot = PAUSE_IFACE.encodeFunctionData("plot", [usr, tag, fax, 1_700_000_000]);

  it("reads the plan of a plot note, with its key in DSPause.plans", () => {
    const { notes, undecodable } = readNotes([dsNote(PAUSE, SPELL, plot, 3)], PAUSE_NOTES, PAUSE);
    expect(undecodable).toEqual([]);
    const plan = pausePlanOf(notes[0]!);
    expect(plan).toMatchObject({ usr, tag, fax, eta: "1700000000" });
    expect(plan!.hash).toBe(ethers.utils.keccak256(ethers.utils.defaultAbiCoder.encode(["address", "bytes32", "bytes", "uint256"], [usr, tag, fax, 1_700_000_000])));
    expect(faxSelector(plan!.fax)).toBe("0x61461954");
    expect(notes[0]!.logIndex).toBe(3);
  });

  it("reports a malformed note and still reads the others", () => {
    const bad = { ...dsNote(PAUSE, SPELL, plot, 1), topics: [noteTopic("plot(address,bytes32,bytes,uint256)"), word(SPELL), word("0x99"), word("0x00")] };
    const { notes, undecodable } = readNotes([bad, dsNote(PAUSE, SPELL, plot, 2), dsNote(OTHER, SPELL, plot, 4)], PAUSE_NOTES, PAUSE);
    expect(notes.map((n) => n.logIndex)).toEqual([2]);
    expect(undecodable).toHaveLength(1);
    expect(undecodable[0]).toMatchObject({ address: PAUSE, logIndex: 1 });
    expect(undecodable[0]!.error).toMatch(/topics\[2\]/);
  });

  it("follows the ChainLog and reports an UpdateAddress that does not decode instead of throwing", () => {
    const chainlog = "0xda0ab1e0017debcd72be8599041a2aa3ba7e740f";
    const book = AddressBook.attach({ ...AddressBook.emptyState(chainlog), block: 10, version: "1", entries: { MCD_VAT: OTHER } });
    const good = CHAINLOG_IFACE.encodeEventLog(CHAINLOG_IFACE.getEvent("UpdateAddress"), [ethers.utils.formatBytes32String("MCD_VAT"), SPELL]);
    const logs = [
      { address: chainlog, topics: good.topics, data: "0x1234", logIndex: 0 },
      { address: chainlog, topics: good.topics, data: good.data, logIndex: 1 },
    ];
    const { changes, undecodable } = followChainlog(book, { logs, blockNumber: 11, hash: "0xabc" });
    expect(changes).toEqual([expect.objectContaining({ kind: "updated", key: "MCD_VAT", from: OTHER, to: SPELL, logIndex: 1 })]);
    expect(undecodable).toEqual([expect.objectContaining({ logIndex: 0, address: chainlog })]);
  });
});
