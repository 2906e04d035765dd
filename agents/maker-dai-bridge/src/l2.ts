/**
 * Reading an L2 directly through our JSON-RPC layer (HttpTransport: timeout, retries, fallback
 * across the domain's URLs; RpcClient: batching). One reading = the L2 block at the configured
 * tag (latest/safe/finalized), then the token's totalSupply at that very block number, so the
 * supply and the block it belongs to always match.
 */
import { L2_DAI_IFACE } from "../../../shared/abi";
import { VigilError } from "../../../shared/errors";
import { RpcClient } from "../../../shared/rpc/client";
import { contract } from "../../../shared/rpc/contract";
import { RpcAnswerError } from "../../../shared/rpc/errors";
import { HttpTransport } from "../../../shared/rpc/transport";
import type { DomainConfig, L2BlockTag } from "./config";

export interface L2Reading {
  chainId: number;
  block: { number: number; hash: string; timestamp: number };
  /** totalSupply of the L2 token at that block (wad, decimal string) */
  supply: string;
}

/** The L2 answers, but not as the configured domain (another chain). */
export class L2ChainMismatchError extends VigilError {
  constructor(domain: string, expected: number, got: number, key: string) {
    super("L2_CHAIN_MISMATCH", `the RPC of ${domain} answers for chain id ${got}, not ${expected}: check ${key} (or set DAI_BRIDGE_${domain.toUpperCase()}_CHAIN_ID)`);
  }
}

export class L2Reader {
  readonly rpc: RpcClient;
  constructor(
    readonly domain: DomainConfig,
    readonly tag: L2BlockTag,
    opts: { timeoutMs: number },
  ) {
    this.rpc = new RpcClient(new HttpTransport({ urls: domain.urls, timeoutMs: opts.timeoutMs, retry: { retries: 2, baseDelayMs: 200, maxDelayMs: 2_000 } }), { cacheBlocks: 4 });
  }

  /** Where it reads from, without secrets (scheme, host, port). */
  describe(): string {
    return this.rpc.describe();
  }

  async read(): Promise<L2Reading> {
    const [chainId, head] = await Promise.all([this.rpc.chainId(), this.rpc.request<unknown>("eth_getBlockByNumber", [this.tag, false])]);
    if (this.domain.chainId !== null && chainId !== this.domain.chainId) {
      throw new L2ChainMismatchError(this.domain.name, this.domain.chainId, chainId, `DAI_BRIDGE_${this.domain.name.toUpperCase()}_RPC_URL`);
    }
    const block = parseHead(head, this.tag);
    const supply = await contract(this.rpc, this.domain.l2Token, L2_DAI_IFACE, `${this.domain.name} L2 DAI`).uint("totalSupply", [], block.number);
    return { chainId, block, supply: supply.toString() };
  }
}

function parseHead(head: unknown, tag: string): L2Reading["block"] {
  const h = head as { number?: unknown; hash?: unknown; timestamp?: unknown } | null;
  const hex = (v: unknown) => typeof v === "string" && /^0x[0-9a-f]+$/i.test(v);
  if (!h || !hex(h.number) || !hex(h.timestamp) || typeof h.hash !== "string" || !/^0x[0-9a-f]{64}$/i.test(h.hash)) {
    throw new RpcAnswerError("eth_getBlockByNumber", `the L2 has no usable "${tag}" block (number, hash, timestamp): ${JSON.stringify(head)?.slice(0, 120)}`);
  }
  return { number: parseInt(h.number as string, 16), hash: (h.hash as string).toLowerCase(), timestamp: parseInt(h.timestamp as string, 16) };
}
