/**
 * The v2 adapter's edges: findings keep every field in the v2 shape, a node's error answer
 * reaches the bot as an error answer (a revert stays a revert), a transport failure stays one.
 */
import { Finding as V2Finding, FindingSeverity as V2Severity, FindingType as V2Type } from "@fortanetwork/forta-bot";
import { FindingSeverity, FindingType, createFinding } from "../findings";
import { RpcClient } from "../rpc/client";
import { CallRevertedError, MethodNotFoundError } from "../rpc/errors";
import { ProviderTransport, toV1BlockEvent, toV2Finding } from "./v2";

it("turns our finding into a v2 Finding with the same fields and enums", () => {
  const f = createFinding(
    { id: "MAKER-PSM-RUN", name: "Run", severity: FindingSeverity.High, type: FindingType.Suspicious, protocol: "makerdao" },
    { description: "a run", metadata: { share: "0.3" }, addresses: ["0xAB"], key: ["k"], block: { number: 5, hash: "0x05", timestamp: 1_700_000_000 } },
  );
  const v2 = toV2Finding(f);
  expect(v2).toBeInstanceOf(V2Finding);
  expect(v2).toMatchObject({ alertId: "MAKER-PSM-RUN", name: "Run", description: "a run", severity: V2Severity.High, type: V2Type.Suspicious, uniqueKey: f.uniqueKey, addresses: ["0xab"] });
  expect(v2.metadata).toEqual(f.metadata);
  expect(v2.timestamp.toISOString()).toBe("2023-11-14T22:13:20.000Z");
  expect(JSON.parse(v2.toString())).toMatchObject({ severity: "High", type: "Suspicious" });
});

it("keeps the block's fields for our handlers", () => {
  const e = toV1BlockEvent({ chainId: 1, block: { number: 7, hash: "0x07", timestamp: 9 } });
  expect([e.blockNumber, e.blockHash, e.block.timestamp, e.network]).toEqual([7, "0x07", 9, 1]);
});

describe("ProviderTransport", () => {
  it("answers from the handler's provider; a node's error (ethers v6 keeps it in info.error) stays an error answer", async () => {
    const t = new ProviderTransport();
    t.use({
      send: async (method: string) => {
        // the shapes ethers v6 (the SDK's) gives against anvil: CALL_EXCEPTION keeps the answer in info.error, others in error
        if (method === "eth_call") throw Object.assign(new Error("execution reverted"), { info: { error: { code: 3, message: "execution reverted", data: "0x" } } });
        if (method === "eth_getBlockReceipts") throw Object.assign(new Error("could not coalesce error"), { error: { code: -32601, message: "Method not found" } });
        return "0x10";
      },
    });
    const rpc = new RpcClient(t);
    await expect(rpc.request("eth_blockNumber")).resolves.toBe("0x10");
    await expect(rpc.request("eth_call", [{ to: "0x0000000000000000000000000000000000000001", data: "0x" }, "0x1"])).rejects.toBeInstanceOf(CallRevertedError);
    await expect(rpc.request("eth_getBlockReceipts", ["0x1"])).rejects.toBeInstanceOf(MethodNotFoundError);
  });

  it("throws a transport failure, and refuses reads outside a handler", async () => {
    const t = new ProviderTransport();
    await expect(t.send([{ method: "eth_blockNumber", params: [] }])).rejects.toThrow(/outside a handler/);
    t.use({ send: async () => Promise.reject(new Error("ECONNREFUSED")) });
    await expect(t.send([{ method: "eth_blockNumber", params: [] }])).rejects.toThrow(/ECONNREFUSED/);
  });
});
