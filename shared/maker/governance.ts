/**
 * Maker governance pieces shared by the governance and auth bots (and any bot that must tell a
 * spell from anything else):
 *
 * - **Known spells**: a contract is a known spell when it is allow-listed (`MAKER_KNOWN_SPELLS`)
 *   or was deployed with CREATE by a configured spell deployer (`MAKER_SPELL_DEPLOYERS`). The
 *   second needs no traces and no indexing of history: the addresses an account ever created
 *   are `keccak256(rlp([account, nonce]))[12:]` for the nonces it has used, and
 *   `eth_getTransactionCount(account, block)` says how many that is at the block being handled
 *   (one batched call for all deployers, cached per block; the derived addresses are memoised,
 *   so each nonce is hashed once per process). Contracts created with CREATE2, or by a factory
 *   that is not itself a listed deployer, must be allow-listed.
 * - **Pause plans**: the `(usr, tag, fax, eta)` a DSPause `plot`/`drop`/`exec` ds-note carries,
 *   and its key in `DSPause.plans`.
 */
import { ethers } from "forta-agent";
import { pausePlanHash, type DecodedNote } from "../abi";
import { field } from "../config";
import type { RpcClient } from "../rpc/client";
import { toTag } from "../rpc/client";
import { RpcAnswerError } from "../rpc/errors";

/**
 * `MAKER_SPELL_DEPLOYERS`: accounts whose CREATE deployments are known spells. The default is the
 * two spell deployers the earlier public Maker governance bot used (2021-2022); spells crafted
 * since are deployed from the crafters' own accounts: list those, or allow-list each spell.
 */
export const MAKER_SPELL_DEPLOYERS_FIELD = field.addressList(
  "MAKER_SPELL_DEPLOYERS",
  ["0xda0c0de01d90a5933692edf03c7ce946c7c50445", "0xda0c0de020f80d43dde58c2653aa73d28df1fbe1"],
  "accounts whose contract deployments (CREATE, any nonce) count as known spells; the default is the two spell deployers the earlier public Maker bot used; list the current spell crafters' deployers (comma-separated)",
);

/** `MAKER_KNOWN_SPELLS`: spells (or spell actions) known by address, whoever deployed them. */
export const MAKER_KNOWN_SPELLS_FIELD = field.addressList(
  "MAKER_KNOWN_SPELLS",
  [],
  "spell addresses known whoever deployed them (allow-list, comma-separated), e.g. spells deployed with CREATE2 or by a factory",
);

/** How an address came to be a known spell. */
export type SpellOrigin = { how: "allow-list" } | { how: "deployer"; deployer: string; nonce: number } | { how: "vetted"; reason: string };

/** The address `from` creates with CREATE at `nonce` (lowercase). */
export function createAddress(from: string, nonce: number): string {
  const n = nonce === 0 ? "0x" : ethers.utils.hexlify(nonce);
  return `0x${ethers.utils.keccak256(ethers.utils.RLP.encode([from.toLowerCase(), n])).slice(26)}`;
}

/** Describe an origin for people: "allow-listed" / "deployed by 0x… (nonce 12)". */
export function describeOrigin(o: SpellOrigin | null): string {
  if (!o) return "not a known spell";
  if (o.how === "vetted") return `vetted from the chain: ${o.reason}`;
  return o.how === "allow-list" ? "allow-listed" : `deployed by spell deployer ${o.deployer} (nonce ${o.nonce})`;
}

export interface SpellRegistryOptions {
  deployers: readonly string[];
  allowList: readonly string[];
  /** stop deriving past this nonce per deployer (default 1,000,000: ~25 s of hashing once) */
  maxNonce?: number;
}

/**
 * Which addresses are known spells. Answers depend only on the chain (nonces at a block) and the
 * configuration; the memo is a cache of a pure function, so it needs no persistence.
 */
export class SpellRegistry {
  private readonly allow: Set<string>;
  readonly deployers: readonly string[];
  private readonly maxNonce: number;
  /** deployer -> how many of its nonces have been derived */
  private readonly derivedUpTo = new Map<string, number>();
  private readonly derived = new Map<string, { deployer: string; nonce: number }>();

  constructor(opts: SpellRegistryOptions) {
    this.allow = new Set(opts.allowList.map((a) => a.toLowerCase()));
    this.deployers = [...new Set(opts.deployers.map((d) => d.toLowerCase()))];
    this.maxNonce = opts.maxNonce ?? 1_000_000;
  }

  /** What is already known without asking the chain (allow-list, addresses derived so far). */
  peek(address: string): SpellOrigin | null {
    const a = address.toLowerCase();
    if (this.allow.has(a)) return { how: "allow-list" };
    const d = this.derived.get(a);
    return d ? { how: "deployer", ...d } : null;
  }

  isDeployer(address: string): boolean {
    return this.deployers.includes(address.toLowerCase());
  }

  /**
   * Is `address` a known spell as of `block`? Reads the deployers' nonces at `block` (one batch)
   * when the memo does not already answer.
   */
  async origin(rpc: RpcClient, address: string, block: number): Promise<SpellOrigin | null> {
    const known = this.peek(address);
    if (known || this.deployers.length === 0) return known;
    const counts = await Promise.all(this.deployers.map((d) => rpc.request<string>("eth_getTransactionCount", [d, toTag(block)])));
    counts.forEach((c, i) => {
      if (typeof c !== "string" || !/^0x[0-9a-fA-F]+$/.test(c)) {
        throw new RpcAnswerError("eth_getTransactionCount", `${this.deployers[i]} at block ${block}: not a hex count: ${String(c).slice(0, 40)}`);
      }
      this.derive(this.deployers[i]!, parseInt(c, 16));
    });
    return this.peek(address);
  }

  private derive(deployer: string, count: number): void {
    const upTo = Math.min(count, this.maxNonce);
    for (let n = this.derivedUpTo.get(deployer) ?? 0; n < upTo; n++) {
      const a = createAddress(deployer, n);
      if (!this.derived.has(a)) this.derived.set(a, { deployer, nonce: n });
    }
    this.derivedUpTo.set(deployer, Math.max(upTo, this.derivedUpTo.get(deployer) ?? 0));
  }
}

/** A DSPause plan as its ds-notes carry it. */
export interface PausePlan {
  usr: string;
  tag: string;
  fax: string;
  /** decimal string (a uint256) */
  eta: string;
  /** key of `DSPause.plans`: keccak256(abi.encode(usr, tag, fax, eta)) */
  hash: string;
}

/** The plan a `plot`/`drop`/`exec` note describes; null for other notes or undecodable arguments. */
export function pausePlanOf(note: DecodedNote): PausePlan | null {
  if (!note.args || !["plot", "drop", "exec"].includes(note.name)) return null;
  const usr = String(note.args.usr).toLowerCase();
  const tag = String(note.args.tag).toLowerCase();
  const fax = String(note.args.fax).toLowerCase();
  const eta = (note.args.eta as ethers.BigNumber).toString();
  return { usr, tag, fax, eta, hash: pausePlanHash(usr, tag, fax, eta) };
}

/** The 4-byte selector a plan's `fax` calls on its `usr` ("" when fax is shorter). */
export function faxSelector(fax: string): string {
  return fax.length >= 10 ? fax.slice(0, 10).toLowerCase() : "";
}
