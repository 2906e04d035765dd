import { VigilError } from "../errors";

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** The node answered a request with a JSON-RPC error. */
export class RpcError extends VigilError<"RPC_ERROR"> {
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
export class RpcAnswerError extends VigilError<"RPC_BAD_ANSWER"> {
  constructor(
    readonly method: string,
    problem: string,
  ) {
    super("RPC_BAD_ANSWER", `${method}: unusable answer from the node: ${problem}`);
  }
}

/**
 * The node refused a query for its size: a block range, a result count or a response size over
 * the provider's limit (eth_getLogs mostly). Asking again gets the same refusal, so it is not
 * retried; the caller has to ask for less.
 */
export class QueryLimitError extends RpcError {
  constructor(method: string, rpcCode: number, rpcMessage: string, data?: unknown) {
    super(method, rpcCode, rpcMessage, data);
    this.message =
      `${method} was refused by the node for its size (JSON-RPC error ${rpcCode}: ${rpcMessage}); ` +
      `not retried: ask for a smaller block range (or fewer addresses/topics)`;
  }
}

// Messages of real providers and clients refusing a query for its size, e.g.
//   Alchemy  "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range ..."
//            "Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range. ..."
//   Infura   "query returned more than 10000 results" (-32005, the code of its rate limits too),
//            "range 1000000 exceeds limit of 10000"
//   QuickNode "eth_getLogs is limited to a 10,000 range"; Tenderly "range 9009594 is bigger than range limit 2000"
//   geth/BSC "exceed maximum block range: 5000"; reth "query exceeds max block range 100000",
//            "query exceeds max results 20000, retry with the range ..."; erigon "query block range exceeds
//            server limit", "query returns too many logs"; Polygon "block range exceeds configured limit";
//   Ankr     "block range is too wide"; others "block range too large", "requested range too large",
//            "ranges over 10000 blocks are not supported on freetier", "response size should not greater than ..."
const QUERY_LIMIT_TEXT = [
  /response size/i,
  /returned more than [\d,]+/i,
  /returns? too many (logs|results)/i,
  /too many (logs|results|blocks)/i,
  /query exceeds max/i,
  /exceeds? (the )?max(imum)? (block )?range/i,
  /\bblock range\b/i,
  /\branges? (\d[\d,]* )?(is |are )?(too (large|wide|big)|bigger than|exceeds?|over)/i,
  /\brange limit\b/i,
  /limited to (a |an )?[\d,.]+k? ?(blocks? )?range/i,
];

/** A refusal of a query for its size (see QUERY_LIMIT_TEXT): final, never retried. */
export function isQueryLimitError(e: JsonRpcErrorObject): boolean {
  // some gateways put the reason in `data` (Tenderly: message "invalid params", data.payload "range ... is bigger than range limit 2000")
  const text = e.data === undefined ? e.message : `${e.message} ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}`;
  return QUERY_LIMIT_TEXT.some((re) => re.test(text));
}

// Worth another attempt: rate limits and quotas (HTTP 429 is handled by shared/net/http.ts),
// a busy or lagging node. Not "exceeded" alone: providers also say it of a query's size.
const TRANSIENT_CODES = new Set([-32005, -32016, 429, -32097]);
const TRANSIENT_TEXT =
  /rate.?limit|rate exceeded|request (count |limit )?exceeded|limit (exceeded|reached)|too many requests|capacity|compute units|quota|header not found|unknown block|busy|timeout|timed out|try again|temporar|overload|not synced|syncing/i;

export function isTransientRpcError(e: JsonRpcErrorObject): boolean {
  if (isRevert(e) || isQueryLimitError(e)) return false;
  return TRANSIENT_CODES.has(e.code) || TRANSIENT_TEXT.test(e.message);
}

export function isRevert(e: JsonRpcErrorObject): boolean {
  return e.code === 3 || /revert/i.test(e.message);
}

export function toRpcError(method: string, e: JsonRpcErrorObject): RpcError {
  if (isRevert(e)) return new CallRevertedError(method, e.code, e.message, e.data);
  if (isQueryLimitError(e)) return new QueryLimitError(method, e.code, e.message, e.data);
  if (e.code === -32601 || /method .*(not found|not supported|does not exist|is not available)/i.test(e.message)) {
    return new MethodNotFoundError(method, e.code, e.message, e.data);
  }
  return new RpcError(method, e.code, e.message, e.data);
}
