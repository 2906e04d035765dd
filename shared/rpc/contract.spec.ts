/**
 * ContractReader against a real HTTP JSON-RPC server on loopback (test/rpc/fake-node.ts) that
 * plays a Vat: it decodes each eth_call with the Vat ABI and answers like the contract would.
 */
import { ethers } from "forta-agent";
import { FakeNode, type JsonRpcReq } from "../../test/rpc/fake-node";
import { VAT_IFACE, toBytes32 } from "../abi";
import { RpcClient } from "./client";
import { ContractDecodeError, UnknownFunctionError, contract, mappingSlot, readCode, readStorage } from "./contract";
import { CallRevertedError } from "./errors";
import { HttpTransport } from "./transport";

const VAT = "0x35d1b3f3d7966a1dfe207aa4514c12a259a0492b";
const EMPTY = "0x00000000000000000000000000000000000000e0";
const VOW = "0xa950524441892a31ebddf91d3ceefa04bf454466";
const RAD = 10n ** 45n;
/** a function with a narrow integer output, which ethers decodes as a JS number */
const NARROW = new ethers.utils.Interface(["function hop() view returns (uint16)"]);

function vatNode(): FakeNode {
  return new FakeNode({
    handle(req: JsonRpcReq) {
      const [tx, block] = req.params as [{ to: string; data: string }, string];
      if (req.method === "eth_getStorageAt") return "0x2a"; // nodes may answer unpadded
      if (req.method === "eth_getCode") return (req.params[0] as string) === VAT ? "0x6080" : "0x";
      if (req.method !== "eth_call") throw { code: -32601, message: "method not found" };
      if (tx.to !== VAT) return "0x"; // no contract: empty answer
      const call = tx.data.startsWith(NARROW.getSighash("hop")) ? { name: "hop", args: [] } : VAT_IFACE.parseTransaction({ data: tx.data });
      if (block !== "0x5") throw { code: -32000, message: `unexpected block ${block}` };
      switch (call.name) {
        case "debt":
          return VAT_IFACE.encodeFunctionResult("debt", [5_000_000_000n * RAD]);
        case "vice":
          return VAT_IFACE.encodeFunctionResult("vice", [12n * RAD]);
        case "live":
          return VAT_IFACE.encodeFunctionResult("live", [1]);
        case "hop":
          return NARROW.encodeFunctionResult("hop", [3600]);
        case "ilks":
          if (call.args[0] === toBytes32("GONE-A")) throw { code: 3, message: "execution reverted: Vat/ilk-not-init" };
          return VAT_IFACE.encodeFunctionResult("ilks", [100n, 10n ** 27n, 2n * 10n ** 27n, 10n * RAD, RAD]);
        case "dai":
          return "0x1234"; // not a uint256 answer
        default:
          throw { code: 3, message: "execution reverted" };
      }
    },
  });
}

describe("ContractReader", () => {
  let node: FakeNode;
  let rpc: RpcClient;

  beforeEach(async () => {
    node = await vatNode().start();
    // the fake answers each eth_call by its calldata: it runs no EVM, so it could not run a fold
    rpc = new RpcClient(new HttpTransport({ urls: [node.url], retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 }, foldReads: false }));
  });
  afterEach(() => node.stop());

  it("sends reads issued together as one JSON-RPC batch and decodes them", async () => {
    const vat = contract(rpc, VAT, VAT_IFACE, "Vat");
    const [debt, vice, ilk] = await Promise.all([vat.uint("debt", [], 5), vat.uint("vice", [], 5), vat.read("ilks", [toBytes32("ETH-A")], 5)]);
    expect(debt).toBe(5_000_000_000n * RAD);
    expect(vice).toBe(12n * RAD);
    expect(ilk.rate.toString()).toBe((10n ** 27n).toString());
    expect(ilk.line.toString()).toBe((10n * RAD).toString());
    expect(node.requests).toHaveLength(1);
    expect(Array.isArray(node.requests[0]) && node.requests[0].length).toBe(3);
  });

  it("returns narrow integer outputs (decoded by ethers as numbers) as bigints too", async () => {
    await expect(contract(rpc, VAT, NARROW, "OSM").uint("hop", [], 5)).resolves.toBe(3600n);
  });

  it("turns a revert into CallRevertedError naming contract, function, address and block", async () => {
    const vat = contract(rpc, VAT, VAT_IFACE, "Vat");
    const err = await vat.read("ilks", [toBytes32("GONE-A")], 5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallRevertedError);
    expect((err as Error).message).toContain("Vat.ilks(bytes32)");
    expect((err as Error).message).toContain(VAT);
    expect((err as Error).message).toContain("block 5");
    expect((err as Error).message).toContain("Vat/ilk-not-init");
    await expect(vat.tryRead("ilks", [toBytes32("GONE-A")], 5)).resolves.toBeNull();
  });

  it("says which read did not decode, and hints at a missing contract for an empty answer", async () => {
    const nothing = contract(rpc, EMPTY, VAT_IFACE, "Vat");
    const err = await nothing.uint("debt", [], 5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractDecodeError);
    expect((err as Error).message).toMatch(/Vat\.debt\(\) at 0x0+e0 \(block 5\).*is there a contract at this address/);

    const garbled = await contract(rpc, VAT, VAT_IFACE, "Vat").uint("dai", [VOW], 5).catch((e: unknown) => e);
    expect(garbled).toBeInstanceOf(ContractDecodeError);
    expect((garbled as ContractDecodeError).signature).toBe("dai(address)");
  });

  it("rejects a function the ABI does not have, and arguments that do not encode", async () => {
    const vat = contract(rpc, VAT, VAT_IFACE, "Vat");
    await expect(vat.read("nosuch", [], 5)).rejects.toThrow(UnknownFunctionError);
    await expect(vat.read("ilks", ["ETH-A"], 5)).rejects.toThrow(/Vat\.ilks\(bytes32\).*do not encode/);
    expect(() => contract(rpc, "0x1234", VAT_IFACE)).toThrow(/20-byte hex address/);
    expect(node.requests).toHaveLength(0);
  });

  it("reads storage words (padded to 32 bytes) and code", async () => {
    await expect(readStorage(rpc, VAT, 3, 5)).resolves.toBe(`0x${"0".repeat(62)}2a`);
    await expect(readCode(rpc, VAT, 5)).resolves.toBe("0x6080");
    await expect(readCode(rpc, EMPTY, 5)).resolves.toBe("0x");
    await expect(readStorage(rpc, VAT, -1, 5)).rejects.toThrow(/outside 0 \.\. 2\^256-1/);
    const [req] = node.calls("eth_getStorageAt");
    expect(req!.params).toEqual([VAT, `0x${"0".repeat(63)}3`, "0x5"]);
  });

  it("computes mapping slots like Solidity: keccak256(key . slot)", () => {
    expect(mappingSlot(VOW, "address", 0)).toBe(ethers.utils.keccak256(ethers.utils.hexConcat([ethers.utils.hexZeroPad(VOW, 32), ethers.utils.hexZeroPad("0x00", 32)])));
  });
});
