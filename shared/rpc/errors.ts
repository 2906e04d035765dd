import { VigilError } from "../errors";

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** The node answered a request with a JSON-RPC error. */
export class RpcError extends VigilError {
  constructor(
    readonly method: string,
    readonly rpcCode: number,
    readonly rpcMessage: string,
    readonly data?: unknown,
  ) {
    super("RPC_ERROR", `${method} failed: JSON-RPC error ${rpcCode}: ${rpcMessage}`);
  }
}

/** eth_call reverted: an answer about the contract, not a failure of the node. */
export class CallRevertedError extends RpcError {}

/** The node does not implement the method (e.g. eth_getBlockReceipts on an old node). */
export class MethodNotFoundError extends RpcError {}

/** The node's answer is not what JSON-RPC promises (wrong shape, missing fields). */
export class RpcAnswerError extends VigilError {
  constructor(
    readonly method: string,
    problem: string,
  ) {
    super("RPC_BAD_ANSWER", `${method}: unusable answer from the node: ${problem}`);
  }
}

const TRANSIENT_CODES = new Set([-32005, -32016, 429, -32097]);
const TRANSIENT_TEXT = /rate.?limit|too many requests|capacity|exceeded|header not found|unknown block|busy|timeout|timed out|try again|temporar|overload|not synced|syncing/i;

export function isTransientRpcError(e: JsonRpcErrorObject): boolean {
  if (isRevert(e)) return false;
  return TRANSIENT_CODES.has(e.code) || TRANSIENT_TEXT.test(e.message);
}

export function isRevert(e: JsonRpcErrorObject): boolean {
  return e.code === 3 || /revert/i.test(e.message);
}

export function toRpcError(method: string, e: JsonRpcErrorObject): RpcError {
  if (isRevert(e)) return new CallRevertedError(method, e.code, e.message, e.data);
  if (e.code === -32601 || /method .*(not found|not supported|does not exist|is not available)/i.test(e.message)) {
    return new MethodNotFoundError(method, e.code, e.message, e.data);
  }
  return new RpcError(method, e.code, e.message, e.data);
}
