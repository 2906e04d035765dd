/**
 * Folded reads (shared/rpc/fold.ts) against a real node: the plain eth_calls of a batch at one
 * block go to anvil as one eth_call, and every caller gets exactly the answer the unfolded call
 * gets: values at a past block and at the head, a revert in the node's own words, a call to an
 * account with no code, a state-changing function called as a read, a read sent `from` an address.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ethers } from "forta-agent";
import { REPO_ROOT } from "../../shared/runtime/bundled";
import { ConfigError } from "../../shared/errors";
import { metrics } from "../../shared/metrics";
import { FOLDED_READS_CODE, MAX_FOLD, MAX_FOLD_BYTES, decodeAnswers, encodeReads, planFold } from "../../shared/rpc/fold";
import { HttpTransport, foldReadsFromEnv, type RpcCall } from "../../shared/rpc/transport";
import { startAnvil, type AnvilChain } from "../chain/anvil";
import { contractInterface, deployContract } from "../chain/deploy";
import { FakeNode, type FakeNodeOptions } from "./fake-node";

const fast = { retries: 2, baseDelayMs: 1, maxDelayMs: 5 };

describe("folded reads", () => {
  let chain: AnvilChain;
  let vat: ethers.Contract;
  let before: number;
  const vatAbi = contractInterface("Vat");
  const nodes: FakeNode[] = [];

  beforeAll(async () => {
    chain = await startAnvil();
    vat = await deployContract(chain.signer(0), "Vat");
    await (await vat["file(bytes32,uint256)"](ethers.utils.formatBytes32String("Line"), 7)).wait();
    before = await chain.blockNumber();
    await (await vat["file(bytes32,uint256)"](ethers.utils.formatBytes32String("Line"), 9)).wait();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await chain?.stop();
  });

  const proxy = async (handle?: FakeNodeOptions["handle"]) => {
    const n = await new FakeNode({ upstream: chain.url, handle }).start();
    nodes.push(n);
    return n;
  };
  const read = (data: string, tag: unknown, extra: Record<string, string> = {}): RpcCall => ({
    method: "eth_call",
    params: [{ to: vat.address, data, ...extra }, tag],
  });
  const batch = (): RpcCall[] => {
    const tagBefore = `0x${before.toString(16)}`;
    return [
      read(vatAbi.encodeFunctionData("Line"), tagBefore),
      read(vatAbi.encodeFunctionData("Line"), "latest"),
      read(vatAbi.encodeFunctionData("wards", [chain.accounts[0]]), tagBefore),
      read(vatAbi.encodeFunctionData("live"), tagBefore),
      // reverts: the zero address is no ward
      read(vatAbi.encodeFunctionData("rely", [chain.accounts[1]]), tagBefore),
      // writes state: refused inside the fold's staticcall, answered "0x" on its own
      read(vatAbi.encodeFunctionData("hope", [chain.accounts[1]]), tagBefore),
      // an account with no code
      { method: "eth_call", params: [{ to: chain.accounts[2], data: "0x12345678" }, tagBefore] },
      // sent from a ward: not folded (inside a fold it would run as the folding contract)
      read(vatAbi.encodeFunctionData("rely", [chain.accounts[1]]), tagBefore, { from: chain.accounts[0] }),
      { method: "eth_blockNumber", params: [] },
      read(vatAbi.encodeFunctionData("wards", [chain.accounts[0]]), "latest"),
    ];
  };

  const foldedReadsMetric = async () => {
    const m = (await metrics.rpcFoldedReads.get()).values;
    return Object.fromEntries(m.map((v) => [String(v.labels.outcome), v.value]));
  };

  it("answers every read as the unfolded call does, in one eth_call per block", async () => {
    metrics.rpcFoldedReads.reset();
    const plainNode = await proxy();
    const foldedNode = await proxy();
    const plain = await new HttpTransport({ urls: [plainNode.url], retry: fast, foldReads: false }).send(batch());
    const t = new HttpTransport({ urls: [foldedNode.url], retry: fast, foldReads: true });
    const folded = await t.send(batch());

    expect(folded).toEqual(plain);
    expect(plain[0]).toEqual({ ok: true, result: ethers.utils.hexZeroPad("0x07", 32) });
    expect(plain[1]).toEqual({ ok: true, result: ethers.utils.hexZeroPad("0x09", 32) });
    expect(plain[4]).toMatchObject({ ok: false, error: { message: expect.stringContaining("Vat/not-authorized") } });
    expect(plain[5]).toEqual({ ok: true, result: "0x" });
    expect(plain[6]).toEqual({ ok: true, result: "0x" });
    expect(plain[7]).toEqual({ ok: true, result: "0x" });

    // the node saw: the from-call and eth_blockNumber as they were, one fold per block, then the
    // two reads that failed inside their fold asked again on their own
    const sent = foldedNode.requests.flat();
    const folds = sent.filter((r) => r.method === "eth_call" && !(r.params[0] as { to?: string }).to);
    expect(folds.map((r) => r.params[1])).toEqual([`0x${before.toString(16)}`, "latest"]);
    expect(sent.filter((r) => r.method === "eth_call")).toHaveLength(2 + 1 + 2);
    expect(t.fold.stats).toEqual({ folds: 2, foldedReads: 6, askedAgain: 2 });
    expect(await foldedReadsMetric()).toEqual({ answered: 6, asked_again: 2 });
  });

  it("asks the reads one by one when the node refuses a fold, and stops folding after three refusals", async () => {
    const refusing = await proxy((r) => {
      if (r.method === "eth_call" && !(r.params[0] as { to?: string }).to) throw { code: -32000, message: "contract creation not allowed in eth_call" };
      return undefined;
    });
    const expected = await new HttpTransport({ urls: [chain.url], retry: fast, foldReads: false }).send(batch());
    const t = new HttpTransport({ urls: [refusing.url], retry: fast });
    for (let i = 0; i < 4; i++) expect(await t.send(batch())).toEqual(expected);
    expect(t.fold.on).toBe(false);
    const folds = refusing.requests.flat().filter((r) => r.method === "eth_call" && !(r.params[0] as { to?: string }).to);
    expect(folds).toHaveLength(3 * 2);
  });

  it("folds at most MAX_FOLD reads and MAX_FOLD_BYTES of calldata per eth_call, and leaves a lone read as it is", () => {
    const call = (tag: string): RpcCall => ({ method: "eth_call", params: [{ to: `0x${"ab".repeat(20)}`, data: "0x" }, tag] });
    const plan = planFold([...Array.from({ length: MAX_FOLD + 1 }, () => call("0x10")), call("0x11")])!;
    expect(plan.folds).toBe(1);
    expect(plan.folded).toBe(MAX_FOLD);
    expect(plan.sent).toHaveLength(3);
    expect(planFold([call("0x10"), call("0x11")])).toBeUndefined();
    // calldata past the init-code budget starts a new fold
    const big = (tag: string): RpcCall => ({ method: "eth_call", params: [{ to: `0x${"ab".repeat(20)}`, data: `0x${"00".repeat(MAX_FOLD_BYTES / 2)}` }, tag] });
    const byBytes = planFold([big("0x10"), big("0x10"), big("0x10"), call("0x10")])!;
    expect(byBytes.folds).toBe(1);
    expect(byBytes.folded).toBe(2);
    expect(planFold([{ method: "eth_call", params: [{ to: `0x${"ab".repeat(20)}`, data: "0x", gas: "0x1" }, "0x1"] }, call("0x1")])).toBeUndefined();
  });

  it("codes the fold's arguments and answer exactly as the ABI does, and refuses an answer that does not add up", () => {
    const coder = ethers.utils.defaultAbiCoder;
    const lengths = [0, 4, 36, 68, 100, 32, 31, 33];
    const reads = lengths.map((len, i) => ({ to: ethers.utils.getAddress(`0x${String(i + 1).repeat(40).slice(0, 40)}`), data: ethers.utils.hexlify(ethers.utils.randomBytes(len)) }));
    const expected = coder.encode(["address[]", "bytes[]"], [reads.map((r) => r.to), reads.map((r) => r.data)]);
    expect(`0x${encodeReads(reads)}`).toBe(expected);
    expect(`0x${encodeReads([])}`).toBe(coder.encode(["address[]", "bytes[]"], [[], []]));

    const ok = lengths.map((_, i) => i % 3 !== 0);
    const answers = lengths.map((len) => ethers.utils.hexlify(ethers.utils.randomBytes(len)));
    const encoded = coder.encode(["bool[]", "bytes[]"], [ok, answers]);
    expect(decodeAnswers(encoded)).toEqual({ ok, answers });
    expect(decodeAnswers(encoded.toUpperCase().replace("0X", "0x"))).toEqual({ ok, answers });
    expect(() => decodeAnswers(encoded.slice(0, encoded.length - 64))).toThrow(/past the answer/);
    const badFlag = coder.encode(["uint256[]", "bytes[]"], [[2], ["0x"]]);
    expect(() => decodeAnswers(badFlag)).toThrow(/success flag is 2/);
    expect(() => decodeAnswers(coder.encode(["bool[]", "bytes[]"], [[true], []]))).toThrow(/1 success flags but 0 answers/);
  });

  it("takes RPC_FOLD_READS as on or off and names the fix for anything else", () => {
    expect(foldReadsFromEnv(undefined)).toBe(true);
    expect(foldReadsFromEnv("off")).toBe(false);
    expect(foldReadsFromEnv("ON")).toBe(true);
    expect(() => foldReadsFromEnv("sometimes")).toThrow(ConfigError);
    expect(() => foldReadsFromEnv("sometimes")).toThrow(/RPC_FOLD_READS="sometimes" is invalid: expected on or off/);
  });

  it("carries the creation code of FoldedReads.sol as compiled now", () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const solc = require("solc") as { compile(input: string): string; version(): string };
    expect(solc.version()).toMatch(/^0\.8\.30\+/);
    const input = {
      language: "Solidity",
      sources: { "FoldedReads.sol": { content: readFileSync(join(REPO_ROOT, "shared", "rpc", "FoldedReads.sol"), "utf8") } },
      settings: {
        optimizer: { enabled: true, runs: 200 },
        evmVersion: "paris",
        metadata: { bytecodeHash: "none", appendCBOR: false },
        outputSelection: { "*": { "*": ["evm.bytecode.object"] } },
      },
    };
    const out = JSON.parse(solc.compile(JSON.stringify(input)));
    expect(`0x${out.contracts["FoldedReads.sol"].FoldedReads.evm.bytecode.object}`).toBe(FOLDED_READS_CODE);
  });
});
