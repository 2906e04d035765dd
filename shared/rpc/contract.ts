/**
 * Reading contracts through the shared RpcClient: encode with an ethers Interface, `eth_call` at
 * a block, decode.
 *
 * Batching: RpcClient sends every call made in the same event-loop turn as one JSON-RPC batch.
 * These helpers issue their `eth_call` synchronously (nothing is awaited before the request is
 * queued), so `Promise.all([vat.uint("debt", [], b), vat.uint("vice", [], b)])` is one round trip.
 * Keep it that way: never await between independent reads.
 *
 * Errors:
 * - a revert rejects with CallRevertedError whose message names the contract, function and block
 *   (and the revert reason when the node returned it);
 * - an answer that does not decode rejects with ContractDecodeError naming the same, e.g. the
 *   empty answer of an address without code.
 */
import { ethers } from "forta-agent";
import { VigilError } from "../errors";
import type { BlockTag, RpcClient } from "./client";
import { toTag } from "./client";
import { CallRevertedError, RpcAnswerError } from "./errors";

/** The answer of a contract call did not decode with the function's output types. */
export class ContractDecodeError extends VigilError<"CONTRACT_DECODE"> {
  constructor(
    readonly address: string,
    readonly signature: string,
    readonly block: BlockTag,
    message: string,
  ) {
    super("CONTRACT_DECODE", message);
  }
}

/** A function name or signature that is not in the reader's Interface (a programming error). */
export class UnknownFunctionError extends VigilError<"UNKNOWN_FUNCTION"> {
  constructor(contract: string, fn: string, detail: string) {
    super("UNKNOWN_FUNCTION", `${contract} has no function ${JSON.stringify(fn)} in its ABI (${detail}); use a name or signature from its *_FUNCTIONS`);
  }
}

export class ContractReader {
  readonly address: string;
  /** how messages name the contract, e.g. "Vat" or "MCD_CLIP_ETH_A" */
  readonly label: string;

  constructor(
    readonly rpc: RpcClient,
    address: string,
    readonly iface: ethers.utils.Interface,
    label?: string,
  ) {
    if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
      throw new VigilError("BAD_ADDRESS", `contract address ${JSON.stringify(address)} is not a 0x-prefixed 20-byte hex address`);
    }
    this.address = address.toLowerCase();
    this.label = label ?? "contract";
  }

  /**
   * Call `fn` (a name, or a signature for overloads: `"file(bytes32,uint256)"`) at `block` and
   * return the decoded outputs (an ethers Result: by index and by output name).
   */
  read(fn: string, args: readonly unknown[], block: BlockTag): Promise<ethers.utils.Result> {
    return readContract(this.rpc, this, fn, args, block);
  }

  /** Like `read`, but resolves to null when the call reverts. */
  async tryRead(fn: string, args: readonly unknown[], block: BlockTag): Promise<ethers.utils.Result | null> {
    try {
      return await this.read(fn, args, block);
    } catch (err) {
      if (err instanceof CallRevertedError) return null;
      throw err;
    }
  }

  /** A function with one integer output (uint*, int*), as a bigint. */
  async uint(fn: string, args: readonly unknown[], block: BlockTag): Promise<bigint> {
    const out = await this.read(fn, args, block);
    const v = out[0] as unknown;
    if (ethers.BigNumber.isBigNumber(v)) return v.toBigInt();
    // ethers v5 decodes integer types of 48 bits or fewer (uint16 hop, uint32 age, uint8) as numbers
    if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
    throw this.shapeError(fn, block, "an integer", v);
  }

  /** A function with one address output, lowercase. */
  async addr(fn: string, args: readonly unknown[], block: BlockTag): Promise<string> {
    const out = await this.read(fn, args, block);
    const v = out[0] as unknown;
    if (typeof v !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw this.shapeError(fn, block, "an address", v);
    return v.toLowerCase();
  }

  private shapeError(fn: string, block: BlockTag, wanted: string, got: unknown): ContractDecodeError {
    return new ContractDecodeError(this.address, fn, block, `${this.label}.${fn} at ${this.address} (block ${String(block)}) does not return ${wanted} as its first output (got ${String(got)})`);
  }
}

/** A ContractReader: `const vat = contract(ctx.rpc, book.getAddress("MCD_VAT"), VAT_IFACE, "Vat")`. */
export function contract(rpc: RpcClient, address: string, iface: ethers.utils.Interface, label?: string): ContractReader {
  return new ContractReader(rpc, address, iface, label);
}

export interface ContractTarget {
  address: string;
  iface: ethers.utils.Interface;
  label?: string;
}

/** One contract read; see ContractReader.read. */
export function readContract(
  rpc: RpcClient,
  target: ContractTarget,
  fn: string,
  args: readonly unknown[],
  block: BlockTag,
): Promise<ethers.utils.Result> {
  const label = target.label ?? "contract";
  let f: FunctionInfo;
  let data: string;
  try {
    f = functionOf(target.iface, fn);
  } catch (err) {
    return Promise.reject(new UnknownFunctionError(label, fn, shortReason(err)));
  }
  const { fragment, signature } = f;
  const where = (): string => `${label}.${signature} at ${target.address.toLowerCase()} (block ${String(block)})`;
  try {
    data = f.encode(args);
  } catch (err) {
    return Promise.reject(new VigilError("BAD_CALL_ARGS", `${where()}: the arguments ${safeJson(args)} do not encode: ${shortReason(err)}`));
  }
  // rpc.call queues the request synchronously here, so reads issued together share a batch.
  const pending = rpc.call({ to: target.address, data }, block);
  return pending.then(
    (out) => {
      try {
        return f.decode(out);
      } catch (err) {
        const hint = out === "0x" ? "the answer is empty: is there a contract at this address at this block?" : `answer ${out.slice(0, 74)}${out.length > 74 ? "…" : ""}`;
        throw new ContractDecodeError(target.address.toLowerCase(), signature, block, `${where()} returned data that does not decode as (${fragment.outputs?.map((o) => o.type).join(",") ?? ""}): ${hint} (${shortReason(err)})`);
      }
    },
    (err: unknown) => {
      if (err instanceof CallRevertedError) {
        const reason = revertReason(err.data);
        const message = reason && !err.rpcMessage.includes(reason) ? `${err.rpcMessage}: ${reason}` : err.rpcMessage;
        throw new CallRevertedError(`eth_call ${where()}`, err.rpcCode, message, err.data);
      }
      throw err;
    },
  );
}

/**
 * A function of an Interface as a read needs it, worked out once per Interface and name: ethers'
 * getFunction re-parses a signature (or filters every name) on each call, and encodeFunctionData
 * re-hashes the signature for its selector every time.
 */
interface FunctionInfo {
  fragment: ethers.utils.FunctionFragment;
  /** canonical signature, e.g. "ilks(bytes32)" */
  signature: string;
  /** the call data for `args`: what iface.encodeFunctionData(fragment, args) gives */
  encode(args: readonly unknown[]): string;
  /** iface.decodeFunctionResult(fragment, out); the last answers' decodings kept (a Result is frozen, so one can be shared) */
  decode(out: string): ethers.utils.Result;
}

const functionsOf = new WeakMap<ethers.utils.Interface, Map<string, FunctionInfo>>();
/** how many decoded answers a function keeps (the same reads come back every block: rate(), a PSM's tin...) */
const DECODED_KEPT = 64;

function functionOf(iface: ethers.utils.Interface, fn: string): FunctionInfo {
  let byName = functionsOf.get(iface);
  if (!byName) functionsOf.set(iface, (byName = new Map()));
  const known = byName.get(fn);
  if (known) return known;
  const fragment = iface.getFunction(fn); // throws for an unknown name: not kept
  const selector = iface.getSighash(fragment);
  const noArgs = fragment.inputs.length === 0 ? selector : undefined;
  const decoded = new Map<string, ethers.utils.Result>();
  const encoded = new Map<string, string>();
  const info: FunctionInfo = {
    fragment,
    signature: fragment.format(ethers.utils.FormatTypes.sighash),
    encode: (args) => {
      if (noArgs !== undefined && args.length === 0) return noArgs;
      const key = primitivesKey(args);
      let data = key === undefined ? undefined : encoded.get(key);
      if (data === undefined) {
        data = selector + iface._encodeParams(fragment.inputs, args as unknown[]).slice(2);
        if (key !== undefined) {
          if (encoded.size >= DECODED_KEPT) encoded.clear();
          encoded.set(key, data);
        }
      }
      return data;
    },
    decode: (out) => {
      let r = decoded.get(out);
      if (r === undefined) {
        r = iface.decodeFunctionResult(fragment, out);
        if (decoded.size >= DECODED_KEPT) decoded.clear();
        decoded.set(out, r);
      }
      return r;
    },
  };
  byName.set(fn, info);
  return info;
}

/**
 * The call data of `fn(...args)` and the decoding of its answer, with the encodings and decodings
 * kept per function as `readContract` keeps them: for a bot that makes the call itself (as
 * another sender, with its own revert handling). The decoded Result is shared: do not mutate it.
 */
export function callData(iface: ethers.utils.Interface, fn: string, args: readonly unknown[] = []): string {
  return functionOf(iface, fn).encode(args);
}
export function decodeAnswer(iface: ethers.utils.Interface, fn: string, out: string): ethers.utils.Result {
  return functionOf(iface, fn).decode(out);
}

/**
 * A key for arguments that are all strings, numbers or bigints (the same reads come back every
 * block: balanceOf(holder), ilks(ilk)): ethers' encoding was ~2% of a replay's CPU. Undefined for
 * other arguments (BigNumber, arrays, ...), which are encoded every time.
 */
function primitivesKey(args: readonly unknown[]): string | undefined {
  let key = "";
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const t = typeof a;
    if (t !== "string" && t !== "number" && t !== "bigint") return undefined;
    const text = String(a);
    key += `${t[0]}${text.length}:${text}`;
  }
  return key;
}

/** `eth_getStorageAt`: the 32-byte word at `slot` (a number, bigint or 0x hex), as 0x + 64 hex digits. */
export async function readStorage(rpc: RpcClient, address: string, slot: number | bigint | string, block: BlockTag): Promise<string> {
  const key = slotHex(slot);
  const out = await rpc.request<string>("eth_getStorageAt", [address.toLowerCase(), key, toTag(block)]);
  if (typeof out !== "string" || !/^0x[0-9a-fA-F]{0,64}$/.test(out)) {
    throw new RpcAnswerError("eth_getStorageAt", `slot ${key} of ${address.toLowerCase()} (block ${String(block)}): not a storage word: ${String(out).slice(0, 80)}`);
  }
  return `0x${out.slice(2).padStart(64, "0").toLowerCase()}`;
}

/** `eth_getCode`: the contract's runtime bytecode ("0x" when there is no contract). */
export async function readCode(rpc: RpcClient, address: string, block: BlockTag): Promise<string> {
  const out = await rpc.request<string>("eth_getCode", [address.toLowerCase(), toTag(block)]);
  if (typeof out !== "string" || !/^0x[0-9a-fA-F]*$/.test(out)) {
    throw new RpcAnswerError("eth_getCode", `${address.toLowerCase()} (block ${String(block)}): not hex code: ${String(out).slice(0, 80)}`);
  }
  return out.toLowerCase();
}

/** Storage slot of `mapping(key => ...)` entry `key` for a mapping declared at `slot`: keccak256(key . slot). */
export function mappingSlot(key: string, keyType: "address" | "bytes32" | "uint256", slot: number | bigint): string {
  return ethers.utils.keccak256(ethers.utils.defaultAbiCoder.encode([keyType, "uint256"], [key, slot]));
}

function slotHex(slot: number | bigint | string): string {
  if (typeof slot === "string") {
    if (!/^0x[0-9a-fA-F]{1,64}$/.test(slot)) throw new VigilError("BAD_SLOT", `storage slot ${JSON.stringify(slot)} is not 0x-prefixed hex of at most 32 bytes`);
    return `0x${slot.slice(2).padStart(64, "0").toLowerCase()}`;
  }
  const n = BigInt(slot);
  if (n < 0n || n >= 1n << 256n) throw new VigilError("BAD_SLOT", `storage slot ${String(slot)} is outside 0 .. 2^256-1`);
  return `0x${n.toString(16).padStart(64, "0")}`;
}

/** The `Error(string)` reason in revert data, if that is what it holds. */
function revertReason(data: unknown): string | null {
  const hex = typeof data === "string" ? data : data && typeof data === "object" && typeof (data as { data?: unknown }).data === "string" ? (data as { data: string }).data : null;
  if (!hex || !hex.startsWith("0x08c379a0")) return null;
  try {
    return ethers.utils.defaultAbiCoder.decode(["string"], `0x${hex.slice(10)}`)[0] as string;
  } catch {
    return null;
  }
}

function shortReason(err: unknown): string {
  const e = err as { reason?: string; message?: string };
  return (e.reason ?? e.message ?? String(err)).split(" (")[0]!;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)).slice(0, 200);
  } catch {
    return String(v);
  }
}
