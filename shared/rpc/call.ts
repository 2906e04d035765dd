/** What a transport moves: a JSON-RPC call, and the node's answer to it. */
import type { JsonRpcErrorObject } from "./errors";

export interface RpcCall {
  method: string;
  params: readonly unknown[];
}

export type RpcOutcome = { ok: true; result: unknown } | { ok: false; error: JsonRpcErrorObject };
